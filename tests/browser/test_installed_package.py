"""The dashboard served from an installed package, not from a checkout: `iliopsoas serve` in a fresh venv.

The wheel is built from this tree as `pip install .` builds it, installed with its dashboard extra into a
new venv (about two minutes the first time, less with pip's cache), and `iliopsoas serve` is started from
an empty folder, so nothing of the repository can be read by accident: the notebook and voila.json must
come from the wheel. Chromium then opens the page and reads the dashboard's timer.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from iliopsoas_lib.server.ports import free_port

from .conftest import ROOT, serve

READY = 90_000  # ms: a cold kernel on a busy 2-core CI machine
PYTHON = shutil.which("python3.11") or sys.executable


@pytest.fixture(scope="module")
def installed_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the project's wheel and its dashboard extra, and nothing else of this tree."""
    folder = tmp_path_factory.mktemp("installed")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder / "wheel"), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next((folder / "wheel").glob("iliopsoas_lib-*.whl"))
    venv = folder / "venv"
    subprocess.run([PYTHON, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", f"{wheel}[dashboard]"], check=True, capture_output=True
    )
    return venv


@pytest.fixture(scope="module")
def installed_url(installed_venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    elsewhere = tmp_path_factory.mktemp("elsewhere")  # no voila.json, no notebooks/ here
    log = elsewhere.parent / "iliopsoas-serve.log"
    command = (str(installed_venv / "bin" / "iliopsoas"),)
    with serve(["serve", "--port", str(port)], url, log, timeout=120, cwd=elsewhere, program=command):
        yield url


def test_the_installed_package_serves_the_dashboard(installed_venv: Path, installed_url: str, page: Page):
    installed = installed_venv / "lib" / "python3.11" / "site-packages" / "iliopsoas_lib"
    assert (installed / "server" / "app" / "notebooks" / "dashboard.ipynb").is_file()
    page.goto(installed_url)
    expect(page.locator(".ilio-timer-countdown")).not_to_be_empty(timeout=READY)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "Traceback" not in page.content()
