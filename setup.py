"""Puts the dashboard in the wheel: ``notebooks/dashboard.ipynb`` and its Voilà settings ``voila.json``.

Both stay where they are in the repository (Binder and JupyterHub open ``notebooks/dashboard.ipynb`` from
a checkout, and printed patient links name that path), so the only copy is made at build time: into
``iliopsoas_lib/server/app/`` with the repository's layout, where ``iliopsoas serve`` finds them
(:func:`iliopsoas_lib.server.launcher.dashboard_folder`). Everything else is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: The dashboard's files, relative to the repository root and to the packaged app folder alike: the
#: launcher's DASHBOARD_FILES (setup.py cannot import it without Voilà; tests/test_packaging.py checks).
DASHBOARD_FILES = ("voila.json", "notebooks/dashboard.ipynb")


class BuildWithDashboard(build_py):
    """The usual build, plus the dashboard's files in the package (not for editable installs, where the
    launcher reads the checkout's own files)."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for name in DASHBOARD_FILES:
            target = Path(self.build_lib, "iliopsoas_lib", "server", "app", name)
            self.mkpath(str(target.parent))
            self.copy_file(str(ROOT / name), str(target))


setup(cmdclass={"build_py": BuildWithDashboard})
