"""Faults a visitor understands: the server stops, restarts or the network drops mid-routine.

The dashboard is served as tests/browser/test_dashboard.py serves it (Voilà from the repository root,
reading voila.json), but by a server object of this module's own that can be killed and started again
on the same port, so the open page meets exactly what a phone meets: a connection that is gone, then a
server that is back without the page's kernel. Every check reads what the page shows or says.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import signal
import subprocess
import sys
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from iliopsoas_lib.server.ports import free_port
from iliopsoas_lib.widgets import patient_text as words
from iliopsoas_lib.widgets.answer_memory import ANSWERS_KEY, FORGET_TOO

from .conftest import ROOT, wait_for_http
from .test_dashboard import (
    ABILITY,
    CATALOG,
    PHONE,
    READY,
    answer_health,
    open_dashboard,
    question,
    ready_routine,
)

NOTICE_WITHIN = 3_000  # ms: the deadline for saying the connection is lost
#: ms for "reload the page" once the server is back: the page asks every 2 s, the server needs a few s.
RESTART_NOTICE_WITHIN = 20_000


class DashboardServer:
    """Voilà serving the dashboard on one port, which a test can kill and start again mid-visit."""

    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"
        self.log = log
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> None:
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "iliopsoas_lib.server", "--port", str(self.port)],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        wait_for_http(self.url, timeout, self.proc)

    def kill(self) -> None:
        """Stop the server at once, as a crash or a machine switched off does (its kernels exit when
        they see their parent gone)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=15)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture()
def restartable(server_logs: Path) -> Iterator[DashboardServer]:
    """A server for one test that kills and restarts it."""
    server = DashboardServer(free_port(), server_logs / "voila-faults-restart.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def steady(server_logs: Path) -> Iterator[DashboardServer]:
    """A server that stays up for the tests that only cut the network or reload."""
    server = DashboardServer(free_port(), server_logs / "voila-faults.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh phone: its own browser storage, so answers kept by one test never reach another."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, accept_downloads=True)
    context.set_default_navigation_timeout(READY)  # a page is sent once its kernel has run: slow on a busy CI
    try:
        yield context
    finally:
        context.close()


def card_texts(page: Page) -> list[str]:
    """The cards' words once every one is on the page (they come as cached files: widgets/served_text)."""
    expect(page.locator(".ilio-card [aria-busy]")).to_have_count(0)
    expect(page.locator(".ilio-card .ilio-card-text")).to_have_count(page.locator(".ilio-card").count())
    return page.locator(".ilio-card").all_inner_texts()


def alert(page: Page):
    return page.locator(".ilio-connection [role=alert]")


def banner(page: Page):
    return page.locator(".ilio-connection")


def countdown(page: Page) -> str:
    return page.locator(".ilio-timer-countdown").inner_text()


def csv_of_data_url(href: str) -> list[dict[str, str]]:
    """The rows of a ``data:text/csv...`` link, read as the browser would save them."""
    assert href.startswith("data:text/csv"), href[:40]
    meta, payload = href.split(",", 1)
    if meta.endswith(";base64"):
        return list(csv.DictReader(io.StringIO(base64.b64decode(payload).decode("utf-8"))))
    raw = urllib.parse.unquote(payload)
    return list(csv.DictReader(io.StringIO(raw)))


def expect_routine_answers(page: Page, abilities: tuple[str, ...]) -> None:
    """Every health question answered "No" and exactly ``abilities`` ticked, as the page shows them."""
    for screening_id in CATALOG.screenings:
        expect(question(page, screening_id).get_by_label("No", exact=True)).to_be_checked()
    for name, label in ABILITY.items():
        box = page.get_by_label(label, exact=True)
        if name in abilities:
            expect(box).to_be_checked()
        else:
            expect(box).not_to_be_checked()


def test_a_server_stopped_mid_routine_is_said_at_once_the_log_still_downloads_and_a_reload_resumes(
    phone: BrowserContext, restartable: DashboardServer
) -> None:
    page = open_dashboard(phone.new_page(), restartable.url)
    ready_routine(page)  # "No" to every health question, every ability ticked
    page.locator(".ilio-log-button").click()
    expect(page.locator(".ilio-week-summary")).to_contain_text("This week: 1 session")
    toggle = page.locator(".ilio-timer-toggle")
    toggle.scroll_into_view_if_needed()
    toggle.click()
    expect(toggle).to_have_text("Pause")
    expect(alert(page)).to_have_text("")  # the live region is there, silent while all is well

    restartable.kill()
    expect(alert(page)).to_have_text(words.CONNECTION_LOST, timeout=NOTICE_WITHIN)
    expect(banner(page)).to_have_attribute("data-state", "lost")
    expect(banner(page)).to_be_visible()
    assert banner(page).evaluate("node => getComputedStyle(node).position") == "fixed"
    top = banner(page).bounding_box()
    assert top is not None and top["y"] <= 1, "the notice is at the top of the screen"
    buttons = page.locator(".ilio-timer-buttons").bounding_box()
    assert buttons is not None and buttons["y"] >= top["y"] + top["height"], "the timer's buttons stay clear"

    # The countdown carries on in the browser with no server behind it.
    shown = countdown(page)
    expect(page.locator(".ilio-timer-countdown")).not_to_have_text(shown, timeout=3_000)

    # The log still downloads: its link holds the file itself, so no server is needed.
    rows = csv_of_data_url(page.locator(".ilio-download-link").get_attribute("href") or "")
    assert len(rows) == 1 and rows[0]["stretches"]
    offered = page.locator(".ilio-connection-download")
    expect(offered).to_have_text(words.CONNECTION_DOWNLOAD)
    with page.expect_download() as download:
        offered.click()
    saved = Path(download.value.path())
    assert list(csv.DictReader(io.StringIO(saved.read_text()))) == rows

    # The server comes back without this page's kernel: the page says to reload.
    stopped = countdown(page)
    restartable.start()
    expect(alert(page)).to_have_text(words.CONNECTION_GONE, timeout=RESTART_NOTICE_WITHIN)
    expect(banner(page)).to_have_attribute("data-state", "gone")
    reload = page.get_by_role("button", name=words.CONNECTION_RELOAD)
    expect(reload).to_be_visible()
    expect(page.locator(".ilio-timer-countdown")).not_to_have_text(stopped)

    with page.expect_navigation():
        reload.click()
    expect(page.locator(".ilio-timer-countdown")).not_to_be_empty(timeout=READY)
    expect_routine_answers(page, tuple(ABILITY))
    expect(page.locator(".ilio-card").first).to_be_visible()
    expect(page.locator(".ilio-timer-toggle")).to_have_text("Pause", timeout=10_000)  # resumed, running
    expect(banner(page)).to_have_attribute("data-state", "ok")


def test_offline_for_20_s_says_so_then_says_it_is_back_and_goes(
    phone: BrowserContext, steady: DashboardServer
) -> None:
    page = open_dashboard(phone.new_page(), steady.url)
    ready_routine(page, "has_bed")
    page.locator(".ilio-timer-toggle").click()
    phone.set_offline(True)
    try:
        expect(alert(page)).to_have_text(words.CONNECTION_OFFLINE, timeout=NOTICE_WITHIN)
        expect(banner(page)).to_be_visible()
        expect(page.locator(".ilio-connection-download")).to_be_visible()
        page.wait_for_timeout(20_000)
        expect(alert(page)).to_have_text(words.CONNECTION_OFFLINE)
    finally:
        phone.set_offline(False)
    expect(alert(page)).to_have_text(words.CONNECTION_BACK, timeout=NOTICE_WITHIN)
    expect(banner(page)).to_have_attribute("data-state", "ok", timeout=10_000)
    expect(alert(page)).to_have_text("")
    assert (banner(page).bounding_box() or {"height": 0})["height"] == 0, "nothing left on screen"
    # The kernel is still there: a change of answer still reaches it and rebuilds the routine.
    page.get_by_label(ABILITY["good_balance"], exact=True).check()
    expect(page.locator(".ilio-card")).to_have_count(2)  # the standing stretch joins the bed stretch


PAGE_PROBLEM_WITHIN = 13_000  # ms: the page's script says it is slow after 10 s without its widgets


def test_a_page_whose_kernel_connection_never_opens_says_so_in_plain_words(
    phone: BrowserContext, steady: DashboardServer
) -> None:
    """The widgets (and their connection notice) never arrive: the page itself says what to do."""
    page = phone.new_page()
    refused: list[str] = []

    def refuse(socket) -> None:  # the kernel's websocket is closed at once, as a broken proxy does
        refused.append(socket.url)
        socket.close()

    page.route_web_socket(lambda url: "/api/kernels/" in url, refuse)
    page.goto(steady.url)
    problem = page.get_by_role("alert")
    expect(problem).to_contain_text("taking a long time to load", timeout=PAGE_PROBLEM_WITHIN)
    expect(problem).to_contain_text("reload the page")
    expect(page.locator("#loading")).to_be_visible()  # still trying: the note stays
    assert refused, "the page never asked for its kernel"
    expect(page.locator(".ilio-choices")).to_have_count(0)


#: Where the page fetches a card's words (widgets/served_text.py), and what a card says when they do not
#: come (frontend/src/page-problem.js).
SERVED_TEXTS = "**/iliopsoas/texts/*.html"
WORDS_MISSING = "This part of the page did not load. Reload the page before you stretch."


def card_words_answered_by(page: Page, url: str, answer: Callable[[Route], None]) -> list[str]:
    """Open the dashboard with every request for a served text answered by ``answer``, ready a routine,
    and wait until the first card says its words did not come. Returns the URLs the page asked for."""
    asked: list[str] = []

    def handle(route: Route) -> None:
        asked.append(route.request.url)
        answer(route)

    page.route(SERVED_TEXTS, handle)
    open_dashboard(page, url)
    ready_routine(page, "has_bed")
    card = page.locator(".ilio-card").first
    expect(card.get_by_role("alert")).to_have_text(WORDS_MISSING, timeout=15_000)
    return asked


def test_a_stretch_card_whose_words_do_not_come_says_to_reload_before_stretching(
    phone: BrowserContext, steady: DashboardServer
) -> None:
    """A card's words travel as a cached file (widgets/served_text.py): if that file never comes, the
    card says so in plain words instead of showing a stretch with no steps or cautions."""
    page = phone.new_page()
    asked = card_words_answered_by(page, steady.url, lambda route: route.abort())
    assert any("/iliopsoas/texts/" in url for url in asked)
    page.unroute(SERVED_TEXTS)
    page.reload()
    ready_routine(page, "has_bed")
    expect(page.locator(".ilio-card").first.locator("h3")).to_be_visible()  # the words, once they come
    expect(page.locator(".ilio-card [role=alert]")).to_have_count(0)


def test_a_card_whose_words_are_gone_from_the_server_says_so_at_once_and_asks_once(
    phone: BrowserContext, steady: DashboardServer
) -> None:
    """A 404 for a card's words (the server restarted, its texts folder new) is not asked again: the
    card says to reload at once rather than after three tries."""
    page = phone.new_page()
    asked = card_words_answered_by(
        page, steady.url, lambda route: route.fulfill(status=404, body="404: no such file\n")
    )
    page.wait_for_timeout(1_500)  # a retry would have come 1 s after the first answer
    assert asked and len(asked) == len(set(asked)), asked  # each file asked for once, never again


def test_answers_survive_a_reload_until_forgotten_on_this_device(
    phone: BrowserContext, steady: DashboardServer
) -> None:
    page = open_dashboard(phone.new_page(), steady.url)
    expect(page.get_by_role("button", name=words.FORGET_ANSWERS)).to_be_visible()
    ready_routine(page, "has_bed", "has_table")
    page.get_by_role("group", name=words.DOSE_QUESTION).get_by_label(words.DOSE_OPTIONS[1][1]).check()
    bed = page.locator(".ilio-card", has_text="Hip flexor bed stretch")
    expect(bed).to_contain_text("hold 30 s, 3 times on each side")  # the longer dose is on screen
    cards = card_texts(page)
    page.locator(".ilio-timer-toggle").click()  # a place in the routine is kept on the device too

    page.reload()
    expect(page.locator(".ilio-timer-countdown")).not_to_be_empty(timeout=READY)
    expect_routine_answers(page, ("has_bed", "has_table"))
    dose = page.get_by_role("group", name=words.DOSE_QUESTION)
    expect(dose.get_by_label(words.DOSE_OPTIONS[1][1])).to_be_checked()
    expect(page.locator(".ilio-card")).to_have_count(len(cards))
    assert card_texts(page) == cards, "the same routine, at the same dose"

    page.get_by_role("button", name=words.FORGET_ANSWERS).click()
    expect(page.locator(".ilio-memory-status")).to_have_text(words.ANSWERS_FORGOTTEN)
    expect(page.locator(".ilio-health-questions input:checked")).to_have_count(0)
    for label in ABILITY.values():
        expect(page.get_by_label(label, exact=True)).not_to_be_checked()
    expect(page.locator(".ilio-card")).to_have_count(0)
    for key in (ANSWERS_KEY, *FORGET_TOO):
        assert page.evaluate(f"localStorage.getItem({json.dumps(key)})") is None, key

    page.reload()
    expect(page.locator(".ilio-timer-countdown")).not_to_be_empty(timeout=READY)
    expect(page.locator(".ilio-memory")).to_have_attribute("data-ready", "yes")
    expect(page.locator(".ilio-health-questions input:checked")).to_have_count(0)
    expect(page.get_by_label(ABILITY["has_bed"], exact=True)).not_to_be_checked()


@pytest.mark.parametrize(
    ("stored", "answered"),
    [
        # A made-up question and an answer not offered reach the kernel, which drops them as it drops a
        # forged click; a tick box that is not true or false and a dose not offered are dropped too.
        (
            json.dumps(
                {
                    "health": {"hip_surgery": "no", "made_up": "yes", "pregnancy": "maybe"},
                    "can_kneel": "yes",
                    "has_bed": True,
                    "dose": {"dose": "triple"},
                }
            ),
            {"hip_surgery"},
        ),
        # Answers of the wrong shape (a number) are not sent at all.
        (json.dumps({"health": {"hip_surgery": "no", "hernia": 1}, "has_bed": True}), set()),
        ("{not json", set()),
        ('["a list", true]', set()),
    ],
    ids=["tampered", "wrong-shape", "not-json", "not-a-record"],
)
def test_stored_answers_that_cannot_be_read_are_ignored(
    phone: BrowserContext, steady: DashboardServer, stored: str, answered: set[str]
) -> None:
    phone.add_init_script(f"localStorage.setItem({json.dumps(ANSWERS_KEY)}, {json.dumps(stored)})")
    page = open_dashboard(phone.new_page(), steady.url)
    expect(page.locator(".ilio-memory")).to_have_attribute("data-ready", "yes")
    expect(page.locator(".ilio-answered")).to_contain_text(
        f"You have answered {len(answered)} of {len(CATALOG.screenings)} health questions"
    )
    for screening_id in answered:
        expect(question(page, screening_id).get_by_label("No", exact=True)).to_be_checked()
    expect(page.locator(".ilio-health-questions input:checked")).to_have_count(len(answered))
    expect(page.get_by_label(ABILITY["can_kneel"], exact=True)).not_to_be_checked()
    if "has_bed" in stored:  # a well-formed tick box is restored whatever else the record holds
        expect(page.get_by_label(ABILITY["has_bed"], exact=True)).to_be_checked()
    dose = page.get_by_role("group", name=words.DOSE_QUESTION)
    expect(dose.get_by_label(words.DOSE_OPTIONS[0][1])).to_be_checked()
    # The page still works as usual after the bad record.
    answer_health(page)
    expect(page.locator(".ilio-answered")).to_contain_text("answered every health question")

