"""Long fixed text as a cached file: a phone that comes back does not download the same words again.

An HTML widget's words travel over the websocket every time a page opens, and nothing there is cached:
on a returning phone, the stretch cards and the page's longer fixed parts were most of what it received
(issue 12 asks for at most 15 KB). Under the public server, :func:`served_html` writes such markup once
into a folder the server serves by content digest (``<files url>texts/<digest>.html``, cached for a year
as immutable) and gives the widget a short placeholder instead; the page's script (frontend/src/
includes.js) puts the words in its place, from the browser's cache after the first time. Anywhere else
(JupyterLab, a hub) the variables are unset and the markup travels with the widget as usual.

Only text that says nothing about a visitor goes to a file: the stretch cards (content and dose), an
empty log's week chart, the glossary and the references. What a visitor answered or logged (the routine's
list with its reasons and health notes, a chart with sessions) always travels with the page and is never
written on the server; so do the warning signs and the timer's reminder, and anything short (a
placeholder and a request would cost more than they save). While a file comes, its place says
"Loading"; if it never comes, the page says to reload before stretching.

The folder is written by kernels, which run only the dashboard's own code: the text is what the widget
would have shown. It is capped (:data:`MAX_FILES`): past the cap (only a flood of clinicians' links with
made-up doses gets there) new text goes inline, and the files already there stay, so no page ever loses
one. When a write fails, the markup goes inline too.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import tempfile
from pathlib import Path

from .browser_code import files_url

__all__ = [
    "DIGEST_LENGTH",
    "LOADING",
    "MAX_FILES",
    "MIN_LENGTH",
    "SERVED_URL",
    "TEXTS_DIR_ENV",
    "TEXTS_ROUTE",
    "served_html",
    "text_digest",
    "texts_path",
]

#: Set by the public server for its kernels: the folder it serves at ``<files url>texts/``.
TEXTS_DIR_ENV = "ILIOPSOAS_TEXTS_DIR"
#: At most this many files in the folder (each a card, a chart or a fixed part of the page, a few KB): a
#: flood of clinicians' links with made-up doses cannot fill a disk.
MAX_FILES = 5000
#: The only URLs a placeholder may name (frontend/src/includes.js checks the same pattern).
SERVED_URL = re.compile(r"(/[\w.~-]+)*/iliopsoas/texts/[0-9a-f]{20}\.html")
#: What a placeholder shows until its text is there.
LOADING = "Loading…"
#: Markup shorter than this (characters) stays inline.
MIN_LENGTH = 600
DIGEST_LENGTH = 20  # hex digits of SHA-256 in the file's name


#: The server's route for served texts, under the files URL (the launcher mounts it; tests use it too).
TEXTS_ROUTE = rf"texts/([0-9a-f]{{{DIGEST_LENGTH}}})\.html"


def text_digest(data: bytes) -> str:
    """A text's name: the start of its SHA-256, so a URL always names exactly one content (the kernel
    names a file by it; the server checks a file against it before sending it)."""
    return hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]


def texts_path(digest: str) -> str:
    """The URL path, under the files URL, of the text with this digest (the server's route matches it)."""
    return f"texts/{digest}.html"


def _folder() -> Path | None:
    folder = os.environ.get(TEXTS_DIR_ENV, "").strip()
    return Path(folder) if folder and Path(folder).is_dir() else None


def _store(folder: Path, digest: str, data: bytes) -> bool:
    """Write the file once, whole or not at all; False when it cannot be there (cap, disk, rights)."""
    path = folder / f"{digest}.html"
    temporary = None
    try:
        if path.is_file():
            return True
        if sum(1 for _ in os.scandir(folder)) >= MAX_FILES:
            return False
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)  # atomic: the server never serves half a file
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return False
    return True


def served_html(markup: str) -> str:
    """``markup`` itself, or (under the public server) a placeholder naming the served copy of it."""
    folder, base = _folder(), files_url()
    if folder is None or base is None or len(markup) < MIN_LENGTH:
        return markup
    data = markup.encode("utf-8")
    digest = text_digest(data)
    url = base + texts_path(digest)
    if not SERVED_URL.fullmatch(url) or not _store(folder, digest, data):
        return markup
    return (
        f'<div class="ilio-include" data-include="{html.escape(url, quote=True)}" aria-busy="true">'
        f'<p class="ilio-include-loading">{LOADING}</p></div>'
    )
