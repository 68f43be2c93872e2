"""Voilà for a public link: settings from voila.json applied when the web app is built, and a kernel cap.

Found in Voilà 0.5.13's source (``voila/app.py``, ``Voila.start``)::

    self.app = tornado.web.Application(**settings)
    self.app.settings.update(self.tornado_settings)

tornado picks its output transforms (the gzip one, for ``compress_response``) inside
``Application.__init__``, from the settings it is given. Voilà adds ``Voila.tornado_settings`` only after
that, so ``compress_response`` in voila.json was stored and never read: nothing was compressed.
:class:`PublicVoila` merges ``tornado_settings`` into the settings that build the app, so every setting in
voila.json really applies (``websocket_compression_options`` happened to work either way: it is read per
connection).

It also swaps in the handlers of :mod:`.handlers` (busy page, no kernel DELETE, 404s for malformed URLs,
immutable caching of hashed files), serves Voilà's scripts from a versioned folder so they can be cached as
immutable, and adds the project's Voilà template (``share/voila/templates/iliopsoas``: no Font Awesome from
a CDN) to the template search path.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.utils import url_path_join
from jupyterlab_server.themes_handler import ThemesHandler as LabThemesHandler
from traitlets import Int
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from ..widgets.browser_code import FILES_URL_ENV
from ..widgets.served_text import TEXTS_DIR_ENV, TEXTS_ROUTE
from .caching import static_digest
from .handlers import (
    DashboardHandler,
    KernelModelHandler,
    KernelWebsocketHandler,
    LabextensionHandler,
    PackageFileHandler,
    ServedTextHandler,
    StaticHandler,
    TemplateStaticHandler,
    ThemesHandler,
    VersionedStaticHandler,
)
from .kernels import PublicKernelManager

__all__ = ["SHARE", "PublicVoila", "dashboard_folder", "main", "serve"]

#: A Jupyter data folder inside the package; it holds the project's Voilà template.
SHARE = Path(__file__).resolve().parent / "share"

#: Where a wheel puts the dashboard's notebook and settings (setup.py copies them there at build time).
PACKAGED_APP = Path(__file__).resolve().parent / "app"
#: The dashboard's files, relative to the folder the launcher runs in (voila.json names the notebook so).
DASHBOARD_FILES = ("voila.json", "notebooks/dashboard.ipynb")

#: Voilà's handler classes and the public server's replacements.
REPLACEMENTS: dict[type, type] = {
    TornadoVoilaHandler: DashboardHandler,
    KernelHandler: KernelModelHandler,
    TemplateStaticFileHandler: TemplateStaticHandler,
    MultiStaticFileHandler: StaticHandler,
    FileFindHandler: LabextensionHandler,
    LabThemesHandler: ThemesHandler,
    VoilaKernelWebsocketHandler: KernelWebsocketHandler,
}


def use_project_templates() -> None:
    """Put the package's Jupyter data folder first on JUPYTER_PATH, where Voilà looks for templates.

    Voilà looks templates up again on every request for a template's static file, so the folder must be
    on the path for the whole life of the process, not passed once.
    """
    paths = os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
    if str(SHARE) not in paths:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(SHARE), *filter(None, paths)])


def versioned_static_hook(static_url: str) -> Callable[..., dict[str, Any]]:
    """A Voilà ``page_config_hook`` that points the page's scripts at the versioned static folder.

    The page loads ``<fullStaticUrl>/voila.js`` and webpack loads every chunk from beside it, so one
    setting moves them all to a URL that changes whenever the files do.
    """

    def hook(page_config: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {**page_config, "fullStaticUrl": static_url}

    return hook


class PublicVoila(Voila):
    """Voilà with its tornado settings applied at build time, the kernel cap and the public handlers."""

    busy_retry_after = Int(
        60, config=True, help="Seconds a visitor is asked to wait (Retry-After) when the cap is reached."
    )

    def initialize(self, argv: Sequence[str] | None = None) -> None:
        use_project_templates()
        super().initialize(argv)
        manager = self.voila_configuration.multi_kernel_manager_class
        if not issubclass(manager, PublicKernelManager):
            raise ValueError(
                "voila.json must set VoilaConfiguration.multi_kernel_manager_class to "
                f"iliopsoas_lib.server.kernels.PublicKernelManager (or a subclass), not {manager}"
            )
        self.static_digest = static_digest(self.static_paths)
        self.versioned_static_url = url_path_join(self.base_url, f"voila/static/v-{self.static_digest}")
        if self.voila_configuration.page_config_hook is None:
            self.voila_configuration.page_config_hook = versioned_static_hook(self.versioned_static_url)
        # Kernels inherit this: their widgets then send a loader and links, not code and pictures
        # (widgets.browser_code).
        self.package_files_url = url_path_join(self.base_url, "iliopsoas/")
        os.environ[FILES_URL_ENV] = self.package_files_url
        # Long fixed text (cards, the page's fixed parts) that kernels write once and this server serves
        # by digest (widgets.served_text); a new folder for each run, removed when the server stops.
        self.texts_folder = tempfile.mkdtemp(prefix="iliopsoas-texts-")
        atexit.register(shutil.rmtree, self.texts_folder, ignore_errors=True)
        os.environ[TEXTS_DIR_ENV] = self.texts_folder
        # One page per kernel: ipywidgets need not echo each change back to the page that made it.
        os.environ["JUPYTER_WIDGETS_ECHO"] = "0"

    def init_settings(self) -> dict[str, Any]:
        """Voilà's settings with ``tornado_settings`` merged in: tornado sees them when it builds the app."""
        return {**super().init_settings(), **self.tornado_settings}

    def init_handlers(self) -> list[tuple]:
        """Voilà's routes with the public handlers swapped in, and without logout and kernel shutdown."""
        dropped = {VoilaShutdownKernelHandler, self.identity_provider.logout_handler_class}
        if not self.identity_provider.token:  # no token: nobody ever logs in
            dropped.add(self.identity_provider.login_handler_class)
        handlers: list[tuple] = [
            (
                url_path_join(self.package_files_url, r"([a-z]+)/([0-9a-f]{12})/([a-z0-9_]+\.[a-z]+)"),
                PackageFileHandler,
            ),
            (
                url_path_join(self.package_files_url, TEXTS_ROUTE),
                ServedTextHandler,
                {"folder": self.texts_folder},
            ),
        ]
        for pattern, handler, *rest in super().init_handlers():
            if handler in dropped:
                continue
            kwargs = dict(rest[0]) if rest else {}
            if handler is TornadoVoilaHandler:
                kwargs["retry_after"] = self.busy_retry_after
            if handler is MultiStaticFileHandler:
                handlers.append(
                    (
                        url_path_join(self.versioned_static_url, "(.*)"),
                        VersionedStaticHandler,
                        {"paths": self.static_paths},
                    )
                )
            handlers.append((pattern, REPLACEMENTS.get(handler, handler), kwargs))
        return handlers


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m iliopsoas_lib.server [--port N] [--ip IP]``: serve the dashboard as voila.json says."""
    parser = argparse.ArgumentParser(
        prog="python -m iliopsoas_lib.server",
        description="Serve the dashboard to the public with Voilà, configured by ./voila.json. Other "
        "--Class.trait=value options go to Voilà (e.g. --PublicKernelManager.max_kernels=20).",
    )
    parser.add_argument("--port", type=int, help="port to listen on (default: Voila.port in voila.json)")
    parser.add_argument("--ip", help="address to listen on (default: Voila.ip in voila.json)")
    args, rest = parser.parse_known_args(argv)
    voila_argv = list(rest)
    if args.port is not None:
        voila_argv.append(f"--port={args.port}")
    if args.ip is not None:
        voila_argv.append(f"--Voila.ip={args.ip}")
    PublicVoila.launch_instance(voila_argv)


def dashboard_folder() -> Path:
    """The folder holding voila.json and notebooks/dashboard.ipynb: inside the package when it was
    installed from a wheel, else the source checkout they are kept in (an editable install)."""
    for folder in (PACKAGED_APP, Path(__file__).resolve().parents[2]):
        if all((folder / name).is_file() for name in DASHBOARD_FILES):
            return folder
    raise FileNotFoundError(
        f"the dashboard's files ({', '.join(DASHBOARD_FILES)}) are not installed: install the package from "
        "a wheel or a checkout of the repository"
    )


def serve(port: int | None = None, ip: str | None = None) -> None:
    """``iliopsoas serve``: the launcher on the installed dashboard and its voila.json, from any folder.

    Voilà reads voila.json from the folder it starts in and the notebook path in it is relative, so the
    process moves to :func:`dashboard_folder` first (it does nothing else, so nothing else depends on it).
    """
    os.chdir(dashboard_folder())
    argv = [] if port is None else ["--port", str(port)]
    main(argv if ip is None else [*argv, "--ip", ip])
