"""Pictures of the running app for the README: the timer mid-hold, and the dashboard at phone width.

Starts the dashboard's launcher (``python -m iliopsoas_lib.server``, with the repository's voila.json) on a
free port, drives Debian's Chromium with Playwright, and writes docs/timer.png and docs/dashboard_phone.png
(the first screen a visitor sees, before any click). ``--routine PATH`` also writes a phone picture of a
routine with its cards, for checking the page by eye. Run from the repository root:

    python scripts/make_app_pictures.py [--out FOLDER] [--routine /tmp/routine_phone.png]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from iliopsoas_lib.server.ports import free_port

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CHROMIUM_ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run"]


def wait(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"Voilà did not answer at {url}")


def answer(page: Page) -> None:
    """Answer as a visitor who can do every stretch does: "No" to each health question, every box ticked.

    No stretch is offered, and the timer has nothing to run, until the health questions are answered.
    """
    for question in page.locator(".ilio-health-questions fieldset").all():
        question.get_by_label("No", exact=True).check()
    for box in page.locator(".ilio-questions input[type=checkbox]").all():
        box.check()
    page.wait_for_selector(".ilio-card img", state="attached")  # lazy: drawn once scrolled to
    page.wait_for_selector(".ilio-timer-toggle:not([disabled])")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--routine", type=Path, help="also write a phone picture of a routine with its cards")
    parser.add_argument("--out", type=Path, default=DOCS, help="folder to write to (default: docs/)")
    options = parser.parse_args(argv)
    options.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "iliopsoas_lib.server", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait(url)
        chromium_args = CHROMIUM_ARGS + (["--no-sandbox"] if os.geteuid() == 0 else [])
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=chromium_args)
            page = browser.new_page(viewport={"width": 900, "height": 1000}, device_scale_factor=1)
            page.goto(url, timeout=180_000)
            page.wait_for_selector(".ilio-timer-countdown:not(:empty)", timeout=90_000)
            answer(page)
            page.click(".ilio-timer-toggle")
            page.click(".ilio-timer-skip")
            page.wait_for_timeout(2300)
            page.click(".ilio-timer-toggle")  # pause mid-hold so the picture is steady
            page.wait_for_selector(".ilio-timer[data-status=paused]")
            page.locator(".ilio-timer").screenshot(path=str(options.out / "timer.png"))
            phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
            phone.goto(url, timeout=180_000)
            phone.wait_for_selector(".ilio-timer-countdown:not(:empty)", timeout=90_000)
            phone.wait_for_selector(".ilio-dashboard[role=main]")  # the page has settled
            phone.screenshot(path=str(options.out / "dashboard_phone.png"))
            if options.routine is not None:
                answer(phone)
                phone.evaluate("document.querySelector('.ilio-routine').scrollIntoView()")
                phone.screenshot(path=str(options.routine))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
    extra = f" and {options.routine}" if options.routine else ""
    print(f"wrote timer.png and dashboard_phone.png in {options.out}{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
