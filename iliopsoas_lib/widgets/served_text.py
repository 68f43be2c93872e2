"""Long fixed text as a cached file: a phone that comes back does not download the same words again.

An HTML widget's words travel over the websocket every time a page opens, and nothing there is cached:
on a returning phone, the stretch cards and the page's longer fixed parts were most of what it received
(issue 12 asks for at most 15 KB). Under the public server, :func:`served_html` writes such markup once
into a folder the server serves by content digest (``<files url>texts/<digest>.html``, cached for a year
as immutable) and gives the widget a short placeholder instead; the page's script (frontend/src/
includes.js) puts the words in its place, from the browser's cache after the first time. Anywhere else
(JupyterLab, a hub) the variables are unset and the markup travels with the widget as usual.

Kept inline on purpose: the warning signs (the red flags must show even when a file does not come), and
anything short (a placeholder and a request cost more than they save).

The folder is written by kernels, which run only the dashboard's own code: the text is what the widget
would have shown. It is capped (:data:`MAX_FILES`): a file used again is touched, and when the folder is
full the least recently used tenth goes (a page that showed one has it in its cache already). When a
write fails, the markup goes inline, so nothing is ever missing from the page.
"""

from __future__ import annotations

import hashlib
import html
import os
import tempfile
from pathlib import Path

from .browser_code import files_url

__all__ = ["DIGEST_LENGTH", "MAX_FILES", "MIN_LENGTH", "TEXTS_DIR_ENV", "served_html", "texts_path"]

#: Set by the public server for its kernels: the folder it serves at ``<files url>texts/``.
TEXTS_DIR_ENV = "ILIOPSOAS_TEXTS_DIR"
#: At most this many files in the folder (each a card, a chart or a fixed part of the page, a few KB): a
#: flood of clinicians' links with made-up doses cannot fill a disk.
MAX_FILES = 5000
#: Markup shorter than this (characters) stays inline.
MIN_LENGTH = 600
DIGEST_LENGTH = 20  # hex digits of SHA-256 in the file's name


def texts_path(digest: str) -> str:
    """The URL path, under the files URL, of the text with this digest (the server's route matches it)."""
    return f"texts/{digest}.html"


def _folder() -> Path | None:
    folder = os.environ.get(TEXTS_DIR_ENV, "").strip()
    return Path(folder) if folder and Path(folder).is_dir() else None


def _store(folder: Path, digest: str, data: bytes) -> bool:
    """Write the file once, whole or not at all; False when it cannot be there (cap, disk, rights)."""
    path = folder / f"{digest}.html"
    try:
        if path.is_file():
            os.utime(path)  # used again: kept longest
            return True
        _make_room(folder)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)  # atomic: the server never serves half a file
    except OSError:
        return False
    return True


def _make_room(folder: Path) -> None:
    """At the cap, remove the least recently used tenth of the files."""
    entries = [e for e in os.scandir(folder) if e.name.endswith(".html")]
    if len(entries) < MAX_FILES:
        return
    entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
    for entry in entries[: max(1, MAX_FILES // 10)]:
        Path(entry.path).unlink(missing_ok=True)


def served_html(markup: str) -> str:
    """``markup`` itself, or (under the public server) a placeholder naming the served copy of it."""
    folder, base = _folder(), files_url()
    if folder is None or base is None or len(markup) < MIN_LENGTH:
        return markup
    data = markup.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]
    if not _store(folder, digest, data):
        return markup
    src = html.escape(base + texts_path(digest), quote=True)
    return f'<div class="ilio-include" data-include="{src}" aria-busy="true"></div>'
