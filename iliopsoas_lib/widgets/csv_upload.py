"""A CSV upload that refuses a file over its size limit in the browser, before reading or sending it.

ipywidgets' ``FileUpload`` sends the whole file to the kernel before Python can look at it, and a file
over tornado's 10 MiB websocket message limit (21.8 MB, tried) drops the connection with no message.
Here the browser side (``csv_upload.js``) compares the file's size with ``max_bytes`` first: a file too
big is never read, only its name and size are sent, and the kernel says so in plain words. A file within
the limit goes to the kernel as one binary buffer. The kernel checks the size again, since a page's
messages can be forged.

The browser side also says when it is shown, so a view over a saved log can read the file afresh then:
a preheated kernel built the page before its visitor came. The picked file's input is emptied after each
pick, so the same file can be picked again; the button opens the hidden input, so there is one control
to reach, named by its words. (The script and style are sent with the page's widget state, so they are
kept short and their comments live here.)

What a view does with a session log it is handed is the same for the patient's own log and the
clinicians' review: :meth:`CsvUpload.on_csv` reads the file with the view's own reader, and says in one
plain line why a file was refused or could not be read, and that nothing was taken from it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from ..session_log import MAX_ROWS, SessionLogError
from .browser_code import BrowserCode, BrowserStyle
from .common import MessageArea, guarded

_HERE = Path(__file__).parent
#: A file name is shown back to the person; a page could send any text, so it is cut to this length.
MAX_NAME_CHARS = 80
#: The largest upload: a full log (MAX_ROWS sessions) as exported is about 0.7 MB, so 1 MB holds any
#: real log with room for long notes, and stays far under tornado's 10 MiB websocket message limit.
MAX_UPLOAD_BYTES = 1_000_000
assert MAX_ROWS * 100 <= MAX_UPLOAD_BYTES, "the upload limit must hold a full log of plain rows"


class CsvUpload(anywidget.AnyWidget):
    """A button (CSS class ``ilio-upload``) that opens the file chooser and hands over files within
    ``max_bytes``. Callbacks: :meth:`on_file` (name, bytes), :meth:`on_refused` (name, size) for a
    file over the limit or one the browser could not read (size -1), :meth:`on_shown` ()."""

    _esm = BrowserCode(_HERE / "csv_upload.js", _HERE / "csv_upload.css")
    _css = BrowserStyle(_HERE / "csv_upload.css")

    max_bytes = traitlets.Int(MAX_UPLOAD_BYTES).tag(sync=True)
    accept = traitlets.Unicode(".csv,text/csv").tag(sync=True)
    label = traitlets.Unicode("Upload a CSV log").tag(sync=True)  # read once, when the button is drawn

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: The limit the kernel enforces: the one it was made with. ``max_bytes`` is synced so the page can
        #: refuse a big file before sending it, which also means a page could rewrite it; this cannot be.
        self._limit = self.max_bytes
        self._file_callbacks: list[Callable[[str, bytes], None]] = []
        self._refused_callbacks: list[Callable[[str, int], None]] = []
        self._shown_callbacks: list[Callable[[], None]] = []
        self.on_msg(self._on_message)

    def on_csv(
        self,
        read: Callable[[str, bytes], object],
        message: MessageArea,
        *,
        what: str,
        nothing: str,
        call_it: str | None = None,
    ) -> None:
        """Hand each file within the limit to ``read`` (name, bytes) and say in ``message`` what went wrong.

        ``what`` names the file in the messages ("the uploaded file"), ``nothing`` says what was kept
        ("Nothing was read from this file."), ``call_it`` is how a file too big is called (its name when
        None). A bad CSV (:class:`SessionLogError`) shows the file, the line and what is wrong.
        """
        doing = f"read {what}"

        def received(name: str, data: bytes) -> None:
            try:
                read(name, data)
            except SessionLogError as error:
                message.error(f"Could not {doing}: {error}. {nothing}")

        def refused(name: str, size: int) -> None:
            message.error(self.refusal(name, size, nothing, call_it=call_it))

        self.on_file(guarded(message, doing)(received))
        self.on_refused(guarded(message, doing)(refused))

    def refusal(self, name: str, size: int, nothing: str, *, call_it: str | None = None) -> str:
        """Why a file was not taken: too big (``size`` bytes), or one the browser could not read (-1)."""
        if size < 0:
            return f"Your browser could not read {name}. {nothing}"
        return (
            f"{call_it or name} is too big ({megabytes(size)}). A session log is much smaller: "
            f"up to {self._limit / 1_000_000:g} MB. {nothing}"
        )

    def on_file(self, callback: Callable[[str, bytes], None]) -> None:
        self._file_callbacks.append(callback)

    def on_refused(self, callback: Callable[[str, int], None]) -> None:
        self._refused_callbacks.append(callback)

    def on_shown(self, callback: Callable[[], None]) -> None:
        self._shown_callbacks.append(callback)

    def _on_message(self, _widget: Any, content: Any, buffers: list[Any] | None) -> None:
        if not isinstance(content, dict):
            return
        event = content.get("event")
        if event == "shown":
            for shown in self._shown_callbacks:
                shown()
            return
        name = str(content.get("name") or "upload")[:MAX_NAME_CHARS]
        if event == "file" and buffers:
            data = bytes(buffers[0])
            if len(data) > self._limit:  # forged past the browser's check, or its max_bytes rewritten
                self._refuse(name, len(data))
                return
            for receive in self._file_callbacks:
                receive(name, data)
        elif event == "refused":
            size = content.get("size")
            self._refuse(name, size if isinstance(size, int) and not isinstance(size, bool) else 0)
        elif event == "unreadable":
            self._refuse(name, -1)

    def _refuse(self, name: str, size: int) -> None:
        for refused in self._refused_callbacks:
            refused(name, size)


def megabytes(size: int) -> str:
    """A size in megabytes, one decimal, rounded up: a file over 1 MB never reads as "1.0 MB"."""
    return f"{math.ceil(size / 100_000) / 10:.1f} MB"
