"""The request handlers that differ from standalone Voilà's on the public server.

Each one is a small subclass of the Voilà or jupyter_server handler it replaces (see
``PublicVoila.init_handlers``):

* :class:`DashboardHandler`: the page. Shows the busy page (503, ``Retry-After``) at once when the kernel
  cap is reached; ignores ``?template=`` and ``?theme=`` (overrides are off in voila.json, and Voilà would
  still skip the preheated pool for them); answers 404 for any other path.
* :class:`KernelModelHandler`: ``/api/kernels/<id>`` for GET only (the page reads its kernel's model); a
  DELETE, which would let anyone who learns a kernel id stop it, gets 405.
* :class:`TemplateStaticHandler`: Voilà's template static files, with a 404 (not a 500 and a traceback)
  for a malformed path such as ``/voila/templates/../x``.
* :class:`StaticHandler`, :class:`VersionedStaticHandler`, :class:`LabextensionHandler`: the static files,
  with the cache policy of :mod:`.caching`.
* :class:`PackageFileHandler`: the dashboard widgets' own scripts and stylesheets and the pre-drawn
  pictures (:mod:`iliopsoas_lib.widgets.browser_code`), by content digest, cached as immutable.
* :class:`ThemesHandler`, :class:`KernelWebsocketHandler` (and the labextension handler): a plain error page.
  jupyter_server's error page needs a ``static_path`` setting Voilà never sets, so a 404 there (a probe
  such as ``/voila/labextensions/../x``, or a page reconnecting to a culled kernel) logged a traceback.
"""

from __future__ import annotations

import os
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, ClassVar

import tornado.web
from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyterlab_server.themes_handler import ThemesHandler as LabThemesHandler
from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from ..widgets.browser_code import SERVED_FOLDERS, file_digest
from ..widgets.served_text import text_digest
from .caching import IMMUTABLE, CachePolicyMixin
from .kernels import KernelCapReached

__all__ = [
    "DashboardHandler",
    "ImmutableFileHandler",
    "KernelModelHandler",
    "KernelWebsocketHandler",
    "LabextensionHandler",
    "PackageFileHandler",
    "PlainErrorMixin",
    "ServedTextHandler",
    "StaticHandler",
    "TemplateStaticHandler",
    "ThemesHandler",
    "VersionedStaticHandler",
    "busy_page",
]


@cache
def busy_page() -> bytes:
    """The plain page a visitor gets when every kernel is taken (shipped beside this module)."""
    return files(__package__).joinpath("busy.html").read_bytes()


class PlainErrorMixin:
    """Put before a jupyter_server handler class: errors as one line of HTML, never a failing template."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")  # type: ignore[attr-defined]
        self.finish(f"<!DOCTYPE html><title>{status_code}</title><p>{status_code}: {self._reason}</p>")  # type: ignore[attr-defined]


class DashboardHandler(TornadoVoilaHandler):
    """The dashboard page, behind the kernel cap."""

    def initialize(self, retry_after: int = 60, **kwargs: Any) -> None:
        super().initialize(**kwargs)
        self.retry_after = retry_after

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        if path:  # only the dashboard is served here; files only if voila.json allows some
            if not self.voila_configuration.file_allowlist:
                raise tornado.web.HTTPError(404)
            self.redirect_to_file(path)
            return
        manager = self.kernel_manager
        try:
            if manager.has_ready_pooled_kernel(self.notebook_path):
                await self.write_page()  # Voilà hands the pooled kernel over before its first await
                return
            with manager.reserved_slot() as reserved:
                if reserved:
                    await self.write_page()
                else:
                    self.write_busy()
        except KernelCapReached:  # a start refused all the same (the server is stopping)
            if self._headers_written:
                raise
            self.write_busy()

    async def write_page(self) -> None:
        async for html in self.get_generator():
            self.write(html)
            self.flush()

    def write_busy(self) -> None:
        """Answer at once with the busy page: 503, try again in a minute, never cached."""
        self.clear()
        self.set_status(503)
        self.set_header("Retry-After", str(self.retry_after))
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.log.warning("Kernel cap reached: busy page for %s", self.request.remote_ip)
        self.finish(busy_page())

    def should_use_rendered_notebook(
        self,
        notebook_data: dict,
        pool_size: int,
        template_name: str | None,
        theme: str | None,
        request_args: dict,
    ) -> bool:
        """Take a pooled kernel whenever one is ready, whatever the URL's ``template`` or ``theme`` say.

        Voilà would wait for a pool entry that is still starting (or, under the cap, waiting for room):
        a visitor must never wait on that, so such an entry counts as no pool at all.
        """
        return bool(notebook_data) and self.kernel_manager.has_ready_pooled_kernel(self.notebook_path)


class KernelModelHandler(KernelHandler):
    """``/api/kernels/<id>``: GET only. Tornado answers any other method with 405 before any work."""

    SUPPORTED_METHODS = ("GET",)  # type: ignore[assignment]


class TemplateStaticHandler(CachePolicyMixin, TemplateStaticFileHandler):
    """Voilà's template static files (``/voila/templates/<template>/static/<file>``); 404 when malformed.

    Voilà's handler splits the path with bare unpacking and ``assert``, so ``/voila/templates/../x`` or an
    unknown template name raised a ValueError or AssertionError: a 500 and a traceback in the log.
    """

    def parse_url_path(self, url_path: str) -> str:
        for path in (url_path, os.path.normpath(url_path)):
            parts = path.split("/", 2)
            if len(parts) != 3 or parts[1] != "static" or not parts[0] or parts[0] != parts[0].strip("."):
                raise tornado.web.HTTPError(404)
        try:
            return super().parse_url_path(url_path)
        except (ValueError, AssertionError) as error:  # an unknown template name
            raise tornado.web.HTTPError(404) from error


class StaticHandler(CachePolicyMixin, MultiStaticFileHandler):
    """``/voila/static/<file>``: Voilà's own scripts, revalidated (their names carry no hash)."""


class VersionedStaticHandler(CachePolicyMixin, MultiStaticFileHandler):
    """``/voila/static/v-<digest>/<file>``: the same files, immutable: the folder names their version."""

    versioned_route = True


class LabextensionHandler(PlainErrorMixin, CachePolicyMixin, FileFindHandler):
    """``/voila/labextensions/<file>``: hashed names immutable, the rest revalidated (Voilà: all no-cache)."""


class ThemesHandler(PlainErrorMixin, LabThemesHandler):
    """``/voila/api/themes/<file>``: JupyterLab's theme files, with a plain error page."""


class KernelWebsocketHandler(PlainErrorMixin, VoilaKernelWebsocketHandler):
    """``/api/kernels/<id>/channels``: Voilà's kernel websocket, plain error page (culled kernel: 404)."""


class ImmutableFileHandler(tornado.web.RequestHandler):
    """A file named by its own content digest: sent cached for a year, errors as one plain line."""

    def send_immutable(self, data: bytes, content_type: str) -> None:
        self.set_header("Content-Type", content_type)
        self.set_header("Cache-Control", IMMUTABLE)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(data)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code}: no such file\n")


class PackageFileHandler(ImmutableFileHandler):
    """``<base>/iliopsoas/<folder>/<digest>/<name>``: a widget's script or style, or a pre-drawn picture.

    Only files of :data:`~iliopsoas_lib.widgets.browser_code.SERVED_FOLDERS`, only their file types, and
    only when ``<digest>`` is the file's current content digest: a stale or made-up URL gets 404, so an
    immutable copy in a browser or in nginx's cache always holds exactly what its URL names.
    """

    TYPES: ClassVar[dict[str, str]] = {
        ".js": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".png": "image/png",
    }

    def get(self, folder_name: str, digest: str, name: str) -> None:
        folder, types = SERVED_FOLDERS.get(folder_name, (None, frozenset()))
        path = folder / name if folder is not None else None
        if (
            path is None
            or path.suffix not in types
            or path.parent != folder
            or not path.is_file()
            or file_digest(path) != digest
        ):
            raise tornado.web.HTTPError(404)
        self.send_immutable(path.read_bytes(), self.TYPES[path.suffix])


class ServedTextHandler(ImmutableFileHandler):
    """``<base>/iliopsoas/texts/<digest>.html``: a card or a fixed part of the page, written once by a
    kernel into the server's texts folder (:mod:`iliopsoas_lib.widgets.served_text`).

    The digest is the file's own content digest, checked here, so an immutable copy in a browser or in
    nginx's cache always holds exactly what its URL names; anything else is a 404.
    """

    def initialize(self, folder: str) -> None:
        self.folder = Path(folder)

    def get(self, digest: str) -> None:
        try:
            data = (self.folder / f"{digest}.html").read_bytes()
        except OSError:
            data = b""
        if not data or text_digest(data) != digest:
            raise tornado.web.HTTPError(404)
        # A piece of a page, fetched by the page's script: opened on its own it runs and loads nothing.
        self.set_header("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'")
        self.send_immutable(data, "text/html; charset=utf-8")

