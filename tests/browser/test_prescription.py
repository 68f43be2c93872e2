"""The prescription link in Chromium: the clinicians' panel makes it, and opening it on the shared dashboard
gives the patient that routine at that dose once the health questions are answered; a changed link falls
back to the ordinary questions with a plain message.

The server is the launcher with the repository's voila.json, so every visit here takes a kernel from the
preheated pool (checked in the server's log): the path where the query string reaches the kernel only
through ``voila.utils.wait_for_request``, after the notebook has run.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

import iliopsoas_lib as il
from iliopsoas_lib.prescription import prescription_url
from iliopsoas_lib.routine import ABILITY_FIELDS
from iliopsoas_lib.server.ports import free_port
from iliopsoas_lib.widgets import patient_text as words

from .conftest import serve
from .test_dashboard import CATALOG, PHONE, READY, answer_health, open_dashboard, tick

#: The clinician's patient: steady balance and a bed, no to every health question.
ANSWERS = ("good_balance", "has_bed")
ABILITIES = il.Abilities(good_balance=True, has_bed=True, conditions=frozenset())
#: The dose the clinician sets for one stretch in the panel; the other keeps its own.
BED_DOSE = {"hip_flexor_bed": {"hold_seconds": 45, "repetitions": 3}}
PATIENT, NOTES = "Dee Patient", "Sore hip since May"


@dataclass
class Server:
    url: str
    log: Path

    def pooled_visits(self) -> int:
        return self.log.read_text(errors="replace").count("Using pre-heated kernel")


@pytest.fixture(scope="module")
def server(server_logs: Path) -> Iterator[Server]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = server_logs / "voila-prescription.log"
    with serve(["iliopsoas_lib.server", "--port", str(port)], url, log):
        deadline = time.monotonic() + 120
        while "is filled with" not in log.read_text(errors="replace"):  # the pool is warm: visits take it
            assert time.monotonic() < deadline, "the kernel pool did not fill"
            time.sleep(0.5)
        yield Server(url, log)


def fresh_page(browser: Browser) -> Page:
    """A page in a context of its own: no answers kept from another visit."""
    page = browser.new_context(viewport=PHONE).new_page()
    page.set_default_navigation_timeout(READY)  # a page's cell may wait for a busy machine's kernel
    return page


def panel_link(page: Page, server: Server) -> str:
    """Answer as the clinician's patient, set the bed stretch's dose in the panel, and read the link."""
    open_dashboard(page, server.url)
    answer_health(page)
    tick(page, *ANSWERS)
    page.get_by_role("button", name="Show the clinicians' tools").click()
    page.get_by_placeholder("printed on the handout only, never stored").first.fill(PATIENT)
    page.get_by_placeholder("printed on the handout only, never stored").last.fill(NOTES)
    row = page.locator(".ilio-dose-hip-flexor-bed")
    for label, key in (("Hold (s)", "hold_seconds"), ("Repetitions", "repetitions")):
        box = row.get_by_label(label, exact=True)
        box.fill(str(BED_DOSE["hip_flexor_bed"][key]))
        box.press("Enter")
    expect(page.locator(".ilio-dosage .ilio-message")).to_contain_text("hold 45 s for Hip flexor bed stretch")
    link = page.locator(".ilio-patient-link input")
    expect(link).to_have_value(re.compile(r"hip_flexor_bed-45-3"), timeout=READY)
    return link.input_value()


def card_texts(page: Page) -> list[str]:
    return [card.inner_text() for card in page.locator(".ilio-routine-cards .ilio-card").all()]


def test_the_panels_link_opens_that_routine_and_dose_after_the_questions(
    browser: Browser, server: Server
) -> None:
    before = server.pooled_visits()
    link = panel_link(fresh_page(browser), server)
    prescribed = il.build_routine(CATALOG, ABILITIES, dosage=BED_DOSE)
    assert link == prescription_url(prescribed, server.url, sessions_per_week=3)  # the panel's own maker
    assert PATIENT not in link and "Sore" not in link  # no name, no notes: only ids and numbers

    page = fresh_page(browser)
    page.goto(link, timeout=READY)
    expect(page.locator(".ilio-link-opened")).to_have_text(words.LINK_OPENED, timeout=READY)
    expect(page.locator(".ilio-timer-countdown")).not_to_be_empty(timeout=READY)
    expect(page.locator(".ilio-dose-choice")).to_have_count(0)  # the dose is the plan's, not a choice
    expect(page.locator(".ilio-card")).to_have_count(0)  # the questions still come first
    answer_health(page)
    tick(page, *ABILITY_FIELDS)  # able to do every stretch: still only the clinician's two
    expect(page.locator(".ilio-prescribed")).to_contain_text(words.PLAN_CHOSEN)
    expect(page.locator(".ilio-prescribed")).to_contain_text(words.plan_sessions_text(3))
    expect(page.locator(".ilio-card")).to_have_count(len(prescribed.items))
    cards = card_texts(page)
    for card, item in zip(cards, prescribed.items, strict=True):
        assert card.startswith(item.stretch.name), card[:80]
        for step in item.steps():  # the steps at the prescribed dose: "Stay there for 45 seconds."
            assert step in card, (item.stretch.id, step)
    assert "Do this 3 times on each side." in cards[-1] and "45 seconds" in cards[-1]
    assert server.pooled_visits() >= before + 2, "a visit did not take a preheated kernel"


def test_a_changed_link_says_so_and_asks_the_usual_questions(browser: Browser, server: Server) -> None:
    routine = il.build_routine(CATALOG, ABILITIES, dosage=BED_DOSE)
    link = prescription_url(routine, server.url, sessions_per_week=3)
    tampered = link.replace("hip_flexor_bed-45-3", "hip_flexor_bed-90-3")  # the check no longer matches
    page = fresh_page(browser)
    page.goto(tampered, timeout=READY)
    expect(page.locator(".ilio-link-failed")).to_have_text(words.LINK_FAILED, timeout=READY)
    expect(page.locator(".ilio-timer-countdown")).not_to_be_empty(timeout=READY)
    expect(page.locator(".ilio-dose-choice")).to_be_visible()  # the ordinary questions, dose included
    answer_health(page)
    tick(page, *ABILITY_FIELDS)
    expect(page.locator(".ilio-card")).to_have_count(len(CATALOG.stretches))  # the usual routine
    expect(page.locator(".ilio-prescribed")).to_have_count(0)
    assert "90 seconds" not in " ".join(card_texts(page))


def test_a_plain_visit_shows_no_link_message(browser: Browser, server: Server) -> None:
    page = open_dashboard(fresh_page(browser), server.url)
    expect(page.locator(".ilio-dose-choice")).to_be_visible()
    expect(page.locator(".ilio-link-notice")).to_have_count(0)
