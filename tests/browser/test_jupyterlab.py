"""Notebook 04 in real JupyterLab: run all cells, see the timer widget render and count down.

JupyterLab serves a throw-away copy of the notebooks, so autosave never touches the committed ones.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from iliopsoas_lib.server.ports import free_port

from .conftest import ROOT, serve


@pytest.fixture(scope="module")
def lab_url(server_logs: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "notebooks" / "04_routine_timer.ipynb", folder)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = [
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--ServerApp.root_dir={folder}",
        "--IdentityProvider.token=",
        "--ServerApp.allow_root=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    with serve(args, f"{base}/api", server_logs / "jupyterlab.log", cwd=folder):
        yield base


def test_notebook_04_runs_and_the_timer_counts_down(page: Page, lab_url: str) -> None:
    page.goto(f"{lab_url}/lab/tree/04_routine_timer.ipynb")
    expect(page.locator(".jp-Notebook")).to_be_visible(timeout=90_000)
    # Run All before the kernel is up is silently dropped: wait until the status bar says Idle.
    expect(page.locator("#jp-main-statusbar")).to_contain_text("Idle", timeout=120_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator("li[data-command='runmenu:run-all']").click()

    timer = page.locator(".ilio-timer")
    expect(timer).to_be_visible(timeout=120_000)
    expect(page.get_by_text("Loading widget...")).to_have_count(0)
    expect(
        page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    ).to_have_count(0)
    expect(page.locator(".jp-RenderedText[data-mime-type*='error']")).to_have_count(0)
    expect(page.locator(".ilio-routine")).to_contain_text("Left out")

    countdown = timer.locator(".ilio-timer-countdown")
    expect(countdown).to_have_text("0:10")
    timer.locator(".ilio-timer-toggle").click()
    expect(timer).to_have_attribute("data-status", "running")
    expect(countdown).to_have_text("0:08", timeout=10_000)
    expect(timer.locator(".ilio-timer-live")).to_have_text("Get ready: Standing hip flexor stretch")
