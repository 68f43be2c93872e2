"""An anywidget's browser code: sent with the widget, or fetched once as a cached file from our server.

An anywidget normally sends its whole ES module and stylesheet *as widget state* on every visit, and the
page's widget state has a budget (issue 12: at most 50 KB; the timer's code alone is about 16 KB). The
public server (:mod:`iliopsoas_lib.server`) serves this folder's ``.js`` and ``.css`` files at
``<base>/iliopsoas/widgets/<digest>/<name>``, cached for a year as immutable (the digest names the
content), and tells its kernels where through the :data:`WIDGET_FILES_ENV` environment variable. A widget
there sends only a three-line loader; a phone fetches the code once and keeps it. Anywhere else (a
notebook in JupyterLab, a JupyterHub user's Voilà) the variable is unset and the code travels with the
widget as usual, so every widget works everywhere.

Use :class:`BrowserCode` as an anywidget's ``_esm`` and :class:`BrowserStyle` as its ``_css``: they are
read when each widget is made, so the choice follows the kernel's environment. A page's stylesheet in an
HTML widget comes from :func:`stylesheet_html` the same way.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "WIDGET_FILES",
    "WIDGET_FILES_ENV",
    "BrowserCode",
    "BrowserStyle",
    "file_digest",
    "served_name",
    "stylesheet_html",
]

#: The folder whose browser files the public server may serve (only ``.js`` and ``.css`` in it).
WIDGET_FILES = Path(__file__).resolve().parent
#: Set by the public server for its kernels: the URL path it serves :data:`WIDGET_FILES` under.
WIDGET_FILES_ENV = "ILIOPSOAS_WIDGET_FILES_URL"


@lru_cache(maxsize=64)
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def file_digest(path: Path) -> str:
    """The first 12 hex digits of the file's SHA-256: its served URL changes whenever its content does."""
    stat = path.stat()
    return _digest(path, stat.st_mtime_ns, stat.st_size)


def served_name(path: Path) -> str:
    """``<digest>/<file name>``: where the server serves ``path`` under :data:`WIDGET_FILES_ENV`."""
    return f"{file_digest(path)}/{path.name}"


def _files_url() -> str | None:
    url = os.environ.get(WIDGET_FILES_ENV, "").strip()
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
        base = _files_url()
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
        return "" if _files_url() is not None else self.stylesheet.read_text(encoding="utf-8")


def stylesheet_html(stylesheet: Path) -> str:
    """A stylesheet for an HTML widget: a ``<link>`` where the server serves the file, else ``<style>``."""
    base = _files_url()
    if base is None:
        return f"<style>{stylesheet.read_text(encoding='utf-8')}</style>"
    return f'<link rel="stylesheet" href="{html.escape(base + served_name(stylesheet), quote=True)}">'
