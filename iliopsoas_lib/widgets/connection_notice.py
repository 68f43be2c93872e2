"""A notice that tells a visitor, in plain words, when the page has lost the server or its kernel.

A patient with the phone on the floor cannot read a console. When the server stops, the network drops
or the server restarts (so this page's kernel no longer exists), the page must say what happened and
what to do: the timer keeps going in the browser, the log can still be downloaded (its link is a data
URL, so it needs no server), and after a restart the page must be reloaded. All of that happens in the
browser (``connection_notice.js``): by the time it matters, the kernel cannot say anything. The kernel
only hands over the words, which live with the dashboard's other patient words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets

from . import patient_text as words
from .browser_code import BrowserCode, BrowserStyle

_HERE = Path(__file__).parent

#: The notice's states, as the page's ``data-state`` shows them.
STATES = ("ok", "offline", "lost", "gone", "back")


def notice_words() -> dict[str, str]:
    """What the notice says in each state, and its two actions' labels."""
    return {
        "lost": words.CONNECTION_LOST,
        "offline": words.CONNECTION_OFFLINE,
        "gone": words.CONNECTION_GONE,
        "back": words.CONNECTION_BACK,
        "download": words.CONNECTION_DOWNLOAD,
        "reload": words.CONNECTION_RELOAD,
    }


class ConnectionNotice(anywidget.AnyWidget):
    """A banner at the top of the screen and an alert live region, empty while the connection is fine.

    Show it once on a page; it watches the kernel connection of every widget on that page.
    """

    _esm = BrowserCode(_HERE / "connection_notice.js", _HERE / "connection_notice.css")
    _css = BrowserStyle(_HERE / "connection_notice.css")

    words = traitlets.Dict().tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.words = notice_words()
        self.add_class("ilio-connection-notice")

    def __repr__(self) -> str:
        return "Connection notice (shows only when the server cannot be reached)"
