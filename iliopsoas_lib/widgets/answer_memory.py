"""Answers kept in the visitor's own browser, so a reload (or a new kernel after a restart) rebuilds the
same routine, with a plain control to forget them.

The dashboard keeps nothing about a visitor on the server (see DESIGN.md, "The shared dashboard"), so
answers can only be kept on the device: in the browser's ``localStorage``, under one key. This widget
names the other widgets' traits to keep (a tick box's ``value``, a question group's ``answers``); its
browser side (``answer_memory.js``) writes them on every change and, once per page load, puts the stored
values back *through those widgets' models*, exactly as a click does. So the kernel validates a
restored answer as it validates a click (a question group drops anything not offered; a tick box
refuses a value that is not true or false), and a stored value that cannot be read is ignored.

A restore is one batch: the browser says where it begins and ends, this widget publishes it on its
``restoring`` trait, and the owner of the answers (the routine picker, which follows that trait through
:func:`~iliopsoas_lib.widgets.common.follow`) builds the routine once at the end instead of once per
answer. Answer by answer, a returning phone received six timer plans and the cards of every
routine on the way (measured with benchmarks/bench_phone.py), and the kernel built them all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from ..limits import finite_number
from . import patient_text as words
from .browser_code import BrowserCode, BrowserStyle

_HERE = Path(__file__).parent

#: The localStorage key of the dashboard's answers. The version changes when the stored shape does, so an
#: old browser's answers are not read into new questions.
ANSWERS_KEY = "iliopsoas.answers.v1"
#: The localStorage key under which timer_widget.js keeps the timer's place (``STORE`` there).
POSITION_KEY = "ilio-timer-position"
#: Other keys this device keeps for the same visit, cleared too by "Forget my answers": the timer's
#: place in the routine (timer_widget.js's ``STORE``), which only means something with these answers.
FORGET_TOO = (POSITION_KEY,)


class AnswerMemory(anywidget.AnyWidget):
    """Keeps the named traits of other widgets in this browser's localStorage and restores them on load.

    Shown on the page, it says that answers stay on this device and offers "Forget my answers on this
    device", which clears the stored answers and puts the questions back as they were at the start.
    """

    _esm = BrowserCode(_HERE / "answer_memory.js", _HERE / "answer_memory.css")
    _css = BrowserStyle(_HERE / "answer_memory.css")

    key = traitlets.Unicode(ANSWERS_KEY).tag(sync=True)
    #: name -> [model id, trait]: what to keep, in the order it is restored.
    fields = traitlets.Dict().tag(sync=True)
    words = traitlets.Dict().tag(sync=True)
    also_forget = traitlets.List(traitlets.Unicode(), default_value=list(FORGET_TOO)).tag(sync=True)
    #: True while the browser puts stored answers back (kernel side only): a follower acts on the whole
    #: batch when it turns False. Every restored answer arrives as an ordinary update, checked as a
    #: click is; the browser sends the end even when a restore fails half way.
    restoring = traitlets.Bool(False)
    #: The visit's other keys (``also_forget``) as this browser kept them, given at the end of a restore
    #: just before ``restoring`` turns False (kernel side only): {"now": the browser's clock in ms,
    #: "kept": {key: stored text}}. So the timer can take its kept place before the answers rebuild the
    #: routine, and the page gets one plan at that place instead of one from the top and then another.
    kept = traitlets.Dict()

    def __init__(self, key: str = ANSWERS_KEY, **kwargs: Any) -> None:
        super().__init__(key=key, **kwargs)
        self.on_msg(self._browser_said)
        self.words = {
            "kept": words.ANSWERS_KEPT,
            "forget": words.FORGET_ANSWERS,
            "forgotten": words.ANSWERS_FORGOTTEN,
        }
        self.add_class("ilio-answer-memory")

    def remember(self, name: str, widget: widgets.Widget, trait: str = "value") -> None:
        """Keep ``widget``'s synced ``trait`` under ``name`` (names are what the stored record uses)."""
        if not widget.trait_metadata(trait, "sync"):
            kind = type(widget).__name__
            raise ValueError(f"{kind}.{trait} is not synced to the browser: it cannot be kept")
        if name in self.fields:
            raise ValueError(f"{name!r} is kept already")
        self.fields = {**self.fields, name: [widget.model_id, trait]}

    def _browser_said(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """A restore begins or ends; anything else from a page is not ours to act on (an end without a
        begin, or a second begin, changes nothing: the trait is already so)."""
        said = content.get("restore") if isinstance(content, dict) else None
        if said not in ("begin", "end"):
            return
        try:
            if said == "end":
                self.kept = _kept(content, self.also_forget)
        finally:  # whatever the page sent with it, the batch ends and the routine is built
            self.restoring = said == "begin"

    def __repr__(self) -> str:
        return f"Answers kept on this device: {', '.join(self.fields) or 'none'}"


#: The longest stored text taken from a page for one key (the timer's place is under 200 characters).
MAX_KEPT_TEXT = 2000


def _kept(content: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """What a restore's end says the browser kept under the visit's other keys; junk is left out."""
    kept = content.get("kept")
    now = content.get("now")
    if not isinstance(kept, dict) or not finite_number(now):
        return {}
    texts = {
        key: text
        for key, text in kept.items()
        if key in keys and isinstance(text, str) and len(text) <= MAX_KEPT_TEXT
    }
    return {"now": float(now), "kept": texts} if texts else {}

