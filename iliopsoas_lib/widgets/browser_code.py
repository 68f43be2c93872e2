"""What a widget sends to the page: its code, styles and pictures travel with it, or come as cached files.

An anywidget normally sends its whole ES module and stylesheet *as widget state* on every visit, and a
figure travels as a base64 ``data:`` URL inside an HTML widget; the page's widget state has a budget (issue
12: at most 50 KB; the timer's code alone is about 16 KB, a pose picture 30-60 KB). The public server
(:mod:`iliopsoas_lib.server`) serves the files of :data:`SERVED_FOLDERS` at
``<base>/iliopsoas/<folder>/<digest>/<name>``, cached for a year as immutable (the digest names the
content), and tells its kernels where through the :data:`FILES_URL_ENV` environment variable. A widget
there sends a three-line loader or a short ``<img src>``; a phone fetches each file once and keeps it,
so a repeat visit costs next to nothing. Anywhere else (a notebook in JupyterLab, a JupyterHub user's
Voilà) the variable is unset and everything travels with the widget as usual, so every widget works
everywhere.

Use :class:`BrowserCode` as an anywidget's ``_esm`` and :class:`BrowserStyle` as its ``_css``: they are
read when each widget is made, so the choice follows the kernel's environment. An HTML widget's
stylesheet comes from :func:`stylesheet_html`, a picture's address from :func:`picture_src`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "FILES_URL_ENV",
    "SERVED_FOLDERS",
    "BrowserCode",
    "BrowserStyle",
    "file_digest",
    "files_url",
    "picture_src",
    "served_name",
    "stylesheet_html",
]

_PACKAGE = Path(__file__).resolve().parent.parent
#: The folders whose files the public server may serve, by the name in their URL, with the file types.
SERVED_FOLDERS: dict[str, tuple[Path, frozenset[str]]] = {
    "widgets": (_PACKAGE / "widgets", frozenset({".js", ".css"})),
    "pictures": (_PACKAGE / "data" / "pictures", frozenset({".png"})),
}
#: Set by the public server for its kernels: the URL path (``/iliopsoas/``) it serves those folders under.
FILES_URL_ENV = "ILIOPSOAS_FILES_URL"


@lru_cache(maxsize=128)
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def file_digest(path: Path) -> str:
    """The first 12 hex digits of the file's SHA-256: its served URL changes whenever its content does."""
    stat = path.stat()
    return _digest(path, stat.st_mtime_ns, stat.st_size)


def served_name(path: Path) -> str:
    """``<folder>/<digest>/<file name>``: where the server serves ``path`` under :data:`FILES_URL_ENV`."""
    for folder_name, (folder, _types) in SERVED_FOLDERS.items():
        if path.parent == folder:
            return f"{folder_name}/{file_digest(path)}/{path.name}"
    raise ValueError(f"{path} is not in a folder the server serves")


def files_url() -> str | None:
    """The URL path the public server serves package files under (``/iliopsoas/``), or None elsewhere."""
    url = os.environ.get(FILES_URL_ENV, "").strip()
    return url if url.startswith("/") and not url.startswith("//") else None  # a path here, never a host


class BrowserCode:
    """An anywidget ``_esm``: the module's text, or a loader that imports it (and its stylesheet) by URL.

    The loader is itself a module (anywidget runs it from a blob URL, so it names the files by absolute
    path from the page's origin, never by another host).
    """

    def __init__(self, module: Path, stylesheet: Path | None = None) -> None:
        self.module = module
        self.stylesheet = stylesheet

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:  # anywidget looks at the class attribute when the class is made: not a file
            return self
        return self.text()

    def text(self) -> str:
        """What the page gets now: the loader where the server serves the files, else the module."""
        base = files_url()
        if base is None:
            return self.module.read_text(encoding="utf-8")
        module = json.dumps(base + served_name(self.module))
        code = ["const at = (path) => new URL(path, location.href).href;"]
        if self.stylesheet is not None:  # a second link to a cached sheet costs nothing: no check needed
            sheet = json.dumps(base + served_name(self.stylesheet))
            code.append(
                'document.head.append(Object.assign(document.createElement("link"), '
                f'{{ rel: "stylesheet", href: at({sheet}) }}));'
            )
        code.append(f"export default (await import(at({module}))).default;")
        return "\n".join(code) + "\n"


class BrowserStyle:
    """An anywidget ``_css``: the stylesheet's text, or nothing where the loader of :class:`BrowserCode`
    links it."""

    def __init__(self, stylesheet: Path) -> None:
        self.stylesheet = stylesheet

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:
            return self
        return "" if files_url() is not None else self.stylesheet.read_text(encoding="utf-8")


def stylesheet_html(stylesheet: Path) -> str:
    """A stylesheet for an HTML widget: a ``<link>`` where the server serves the file, else ``<style>``."""
    base = files_url()
    if base is None:
        return f"<style>{stylesheet.read_text(encoding='utf-8')}</style>"
    return f'<link rel="stylesheet" href="{html.escape(base + served_name(stylesheet), quote=True)}">'


@lru_cache(maxsize=1)
def _stored_pictures() -> dict[str, Path]:
    """The package's pre-drawn pictures by the SHA-256 of their bytes."""
    folder, types = SERVED_FOLDERS["pictures"]
    return {
        hashlib.sha256(path.read_bytes()).hexdigest(): path
        for path in sorted(folder.iterdir())
        if path.suffix in types
    }


def picture_src(png: bytes) -> str:
    """An ``<img>`` address for ``png``: the served file when it is one of the package's pre-drawn pictures
    and the server serves them, else the picture itself as a ``data:`` URL (a clinician's own stretch)."""
    base = files_url()
    stored = _stored_pictures().get(hashlib.sha256(png).hexdigest()) if base is not None else None
    if base is not None and stored is not None:
        return base + served_name(stored)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
