"""The shared dashboard in a real headless Chromium, served by Voilà exactly as scripts/start.sh does.

Voilà runs from the repository root so it reads the repository's voila.json (sources stripped,
tracebacks hidden, only the dashboard served, a preheated pool). Every test clicks or types and then
reads what the page shows.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

import iliopsoas_lib as il
from iliopsoas_lib import routine_words
from iliopsoas_lib.presentation import text
from iliopsoas_lib.schema import Need
from iliopsoas_lib.server.ports import free_port

from .conftest import ROOT, serve

READY = 90_000  # ms: a cold kernel on a busy 2-core CI machine
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """Every page here is a phone's: the dashboard is made for patients on phones first."""
    return {**browser_context_args, "viewport": PHONE}


@pytest.fixture(scope="module")
def dashboard_url(server_logs: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with serve(["iliopsoas_lib.server", "--port", str(port)], url, server_logs / "voila-dashboard.log"):
        yield url


def open_dashboard(page: Page, url: str) -> Page:
    page.goto(url)
    expect(page.locator(".ilio-timer-countdown")).not_to_be_empty(timeout=READY)
    return page


def countdown_seconds(page: Page) -> int:
    minutes, seconds = page.locator(".ilio-timer-countdown").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def week_count(page: Page) -> int:
    text = page.locator(".ilio-week-summary").inner_text()
    return int(text.split("This week: ")[1].split(" ")[0])


def upload(page: Page, name: str, content: bytes) -> None:
    """Click the upload button and pick a file in the chooser it opens, as a person does."""
    with page.expect_file_chooser() as chooser:
        page.locator(".ilio-upload").click()
    chooser.value.set_files(files=[{"name": name, "mimeType": "text/csv", "buffer": content}])


CATALOG = il.load_catalog()
#: The ability tick boxes' labels, by Abilities field.
ABILITY = dict(text.ABILITY_QUESTIONS)
#: Stretches that need kneeling, steady balance or the floor: never offered to someone who did not say so.
NEEDS_UNSAID = [
    s.name for s in CATALOG.stretches.values() if {Need.KNEEL, Need.BALANCE, Need.FLOOR} & set(s.needs)
]


def question(page: Page, screening_id: str):
    """The Yes/No group of one health question, found by its accessible name: the question itself."""
    return page.get_by_role("group", name=CATALOG.screening(screening_id).question, exact=True)


def answer_health(page: Page, yes: tuple[str, ...] = ()) -> None:
    """Click "Yes" for the ids in ``yes`` and "No" for every other health question, as a person does."""
    for screening_id in CATALOG.screenings:
        question(page, screening_id).get_by_label("Yes" if screening_id in yes else "No", exact=True).check()
    expect(page.locator(".ilio-answered")).to_contain_text("answered every health question")


def tick(page: Page, *abilities: str) -> None:
    """Tick the ability boxes named by their Abilities field, e.g. ``tick(page, "has_bed")``."""
    for name in abilities:
        page.get_by_label(ABILITY[name], exact=True).check()


def ready_routine(page: Page, *abilities: str) -> None:
    """Answer "No" to every health question and tick ``abilities`` (all five when none are given)."""
    answer_health(page)
    tick(page, *(abilities or ABILITY))
    expect(page.locator(".ilio-card").first).to_be_visible()


def expect_nothing_to_time(page: Page) -> None:
    expect(page.locator(".ilio-timer")).to_have_attribute("data-status", "done")
    expect(page.locator(".ilio-timer-title")).to_have_text("Nothing to time yet")
    expect(page.locator(".ilio-timer-toggle")).to_be_disabled()
    expect(page.locator(".ilio-card")).to_have_count(0)


def test_first_screen_shows_the_muscle_red_flags_and_questions_before_any_click(
    browser: Browser, dashboard_url: str
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = open_dashboard(context.new_page(), dashboard_url)
        (flags,) = CATALOG.red_flags.values()
        box = page.locator(".ilio-red-flags")
        expect(box).to_be_visible()
        for words in (flags.title, flags.intro, *flags.sign_texts):
            expect(box.get_by_text(words, exact=False)).to_be_visible()
        expect(box).to_contain_text(flags.action)
        assert box.bounding_box()["y"] < PHONE["height"], "the red flags start on the first screen"
        expect(page.locator(".ilio-term")).to_contain_text(CATALOG.glossary["iliopsoas"].meaning)
        for screening_id in CATALOG.screenings:
            group = question(page, screening_id)
            expect(group).to_be_visible()
            expect(group.get_by_role("radio")).to_have_count(2)
        expect(page.locator(".ilio-health-questions input:checked")).to_have_count(
            0
        )  # nothing chosen for them
        for label in ABILITY.values():
            expect(page.get_by_label(label, exact=True)).not_to_be_checked()
        expect(page.locator("[role=main]")).to_have_count(1)
        expect(page.locator("[role=main]")).to_contain_text(flags.title)
        reminder = page.locator(".ilio-timer-reminder")
        expect(reminder).to_contain_text(flags.action)
        expect(reminder.locator("a[href='#ilio-red-flags']")).to_be_visible()
        assert "pain that does not go away" not in page.inner_text("body").lower()
    finally:
        context.close()


def test_a_visitor_who_answers_nothing_is_offered_nothing_to_kneel_balance_or_get_down_for(
    page: Page, dashboard_url: str
) -> None:
    open_dashboard(page, dashboard_url)
    routine = page.locator(".ilio-routine")
    expect(routine).to_contain_text(routine_words.ANSWER_HEALTH_QUESTIONS)
    for name in NEEDS_UNSAID:
        expect(routine).not_to_contain_text(name)
    expect_nothing_to_time(page)
    expect(page.locator(".ilio-timer-detail")).to_have_text(routine_words.ANSWER_HEALTH_QUESTIONS)

    answer_health(page)  # "No" to every question, and still nothing ticked
    expect(routine).to_contain_text(routine_words.NO_STRETCH_FITS)
    expect(routine.locator("ol")).to_have_count(0)  # no stretch in the routine
    for name in NEEDS_UNSAID:
        expect(routine.locator("ul").last).to_contain_text(f"{name}: Left out because it needs")
    expect_nothing_to_time(page)

    tick(page, "has_bed")  # the one stretch that needs nothing but a bed
    expect(routine.locator("ol")).to_contain_text("Hip flexor bed stretch")
    for name in NEEDS_UNSAID:
        expect(routine.locator("ol")).not_to_contain_text(name)
    expect(page.locator(".ilio-card")).to_have_count(1)
    expect(page.locator(".ilio-timer-toggle")).to_be_enabled()


def test_hip_surgery_yes_withholds_every_stretch_and_says_why(page: Page, dashboard_url: str) -> None:
    open_dashboard(page, dashboard_url)
    tick(page, "can_kneel", "good_balance", "has_bed")
    answer_health(page, yes=("hip_surgery",))
    surgery = CATALOG.screening("hip_surgery")
    routine = page.locator(".ilio-routine")
    expect(routine).to_contain_text("because of hip surgery")
    expect(routine).to_contain_text(surgery.advice)
    expect(routine.locator("ol")).to_have_count(0)
    for stretch in CATALOG.stretches.values():
        expect(routine).not_to_contain_text(stretch.name)
    expect_nothing_to_time(page)
    expect(page.locator(".ilio-timer-detail")).to_contain_text("because of hip surgery")

    question(page, "hip_surgery").get_by_label(
        "No", exact=True
    ).check()  # the answer changes: so does the page
    expect(routine.locator("ol")).to_contain_text("Hip flexor bed stretch")
    expect(page.locator(".ilio-card").first).to_be_visible()


def test_the_routines_cards_show_the_steps_at_its_dose_before_the_timer(
    page: Page, dashboard_url: str
) -> None:
    open_dashboard(page, dashboard_url)
    ready_routine(page, "has_bed")
    page.get_by_role("group", name="How much do you want to do?").get_by_label(
        "The longer dose from Lindberg's guide"
    ).check()
    routine = il.build_routine(CATALOG, il.Abilities(has_bed=True, conditions=frozenset()), full_dose=True)
    (item,) = routine.items
    card = page.locator(".ilio-card")
    for step in item.steps():
        expect(card).to_contain_text(step)
    expect(card).to_contain_text(f"{item.repetitions} times on each side")
    expect(card).not_to_contain_text("{hold}")
    expect(card.locator("img")).to_have_attribute("alt", re.compile(item.stretch.name))
    assert card.locator("img").evaluate("img => img.naturalWidth") > 100
    expect(page.locator(".ilio-routine")).to_contain_text("(longer dose (lindberg))")
    card_top = card.bounding_box()["y"]
    assert card_top < page.locator(".ilio-timer").bounding_box()["y"], "the steps come before the timer"


def test_no_raw_citation_id_is_shown(page: Page, dashboard_url: str) -> None:
    open_dashboard(page, dashboard_url)
    ready_routine(page)
    page.get_by_role("button", name="Show all the stretches").click()
    expect(page.locator(".ilio-stretch-card")).to_be_visible()
    page.get_by_role("button", name="Show the muscle").click()
    expect(page.locator(".ilio-muscle-facts")).not_to_be_empty()
    shown = page.inner_text("body")
    assert "Lindberg" in shown and "our advice" in shown
    for source_id in CATALOG.sources:
        assert source_id not in shown, f"raw citation id {source_id!r} on the page"
        assert f"[{source_id}" not in shown
    link = page.locator(".ilio-card a[href='#ref-lindberg_verywell']").first
    expect(link).to_have_text("Lindberg")
    link.click()
    expect(page.locator("#ref-lindberg_verywell")).to_be_in_viewport()
    expect(page.locator("#ref-lindberg_verywell")).to_contain_text("Lindberg")


def test_cannot_kneel_swaps_kneeling_for_standing_with_reason(page: Page, dashboard_url: str) -> None:
    open_dashboard(page, dashboard_url)
    ready_routine(page)
    routine = page.locator(".ilio-routine")
    expect(routine).to_contain_text("Kneeling hip flexor stretch")
    page.get_by_label("I can kneel on the floor").uncheck()
    left_out = routine.locator("ul").last
    expect(left_out).to_contain_text("Kneeling hip flexor stretch: Left out because it needs kneeling")
    included = routine.locator("ol").first
    expect(included).to_contain_text("Standing hip flexor stretch")
    expect(included).not_to_contain_text("Kneeling hip flexor stretch")
    expect(page.locator(".ilio-card h3")).not_to_contain_text(["Kneeling hip flexor stretch"])
    abilities = {name: name != "can_kneel" for name in ABILITY}
    choices = il.build_routine(CATALOG, il.Abilities(**abilities, conditions=frozenset())).choices
    why = next(c.reason for c in choices if c.stretch_id == "standing_hip_flexor")  # the model's words
    assert "kneel" in why.lower(), why
    expect(included).to_contain_text(why)


def test_timer_counts_pauses_resumes_skips_and_announces(page: Page, dashboard_url: str) -> None:
    open_dashboard(page, dashboard_url)
    ready_routine(page)
    first_item = il.build_routine(
        CATALOG, il.Abilities(**dict.fromkeys(ABILITY, True), conditions=frozenset())
    ).items[0]
    timer = page.locator(".ilio-timer")
    live = page.locator(".ilio-timer-live")
    expect(timer).to_have_attribute("data-status", "ready")
    expect(page.locator(".ilio-timer-cue")).to_have_text(first_item.stretch.cue)
    first = countdown_seconds(page)
    page.locator(".ilio-timer-toggle").click()
    expect(timer).to_have_attribute("data-status", "running")
    expect(live).to_contain_text(f"Get ready: {first_item.stretch.name}")
    # Poll until the countdown has gone down by 2 s (however slow the machine), not a fixed wait.
    page.wait_for_function(
        "first => { const [m, s] = document.querySelector('.ilio-timer-countdown').innerText.split(':');"
        " return 60 * Number(m) + Number(s) <= first - 2; }",
        arg=first,
        timeout=30_000,
    )

    page.locator(".ilio-timer-toggle").click()
    expect(timer).to_have_attribute("data-status", "paused")
    expect(page.locator(".ilio-timer-toggle")).to_have_text("Resume")
    held = countdown_seconds(page)
    # Not waiting for anything: checking that nothing changes needs a span of time. A slow machine
    # only makes the span longer, and every state sent after the pause is the paused state.
    page.wait_for_timeout(2000)
    assert countdown_seconds(page) == held, "the countdown moved while paused"

    page.locator(".ilio-timer-toggle").click()
    expect(timer).to_have_attribute("data-status", "running")
    page.locator(".ilio-timer-skip").click()
    expect(page.locator(".ilio-timer-title")).to_have_text("Hold")
    expect(page.locator(".ilio-timer-detail")).to_contain_text("left hip")
    expect(live).to_have_text(f"Hold: {first_item.stretch.name}, left hip, 1 of {first_item.repetitions}")
    expect(page.locator(".ilio-timer-cue")).to_have_text(first_item.stretch.cue)
    cue_size = page.locator(".ilio-timer-cue").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert cue_size >= 18, "the cue is readable from a mat"
    expect(timer).to_have_attribute("data-last-cue", "phase")
    assert live.get_attribute("role") == "status" and live.get_attribute("aria-live") == "polite"


WHAT_HAS_THE_FOCUS = """() => {
  const e = document.activeElement;
  const question = e.closest(".ilio-health-questions fieldset");
  if (question && question.dataset.answered === "no") return "question";
  if (e.type === "checkbox" && e.closest(".ilio-questions") && !e.checked) return "ability";
  if (e.classList.contains("ilio-timer")) return "timer";
  return "";
}"""


def test_whole_routine_with_the_keyboard_only_then_log_it(page: Page, dashboard_url: str) -> None:
    open_dashboard(page, dashboard_url)
    before = week_count(page)
    for _ in range(250):  # Tab through the page: answer each question, tick each box, reach the timer
        page.keyboard.press("Tab")
        where = page.evaluate(WHAT_HAS_THE_FOCUS)
        if where == "question":
            page.keyboard.press("ArrowRight")  # from "Yes" to "No", which the arrow key also chooses
        elif where == "ability":
            page.keyboard.press(" ")
        elif where == "timer":
            break
    else:
        pytest.fail("the timer cannot be reached with Tab")
    expect(page.locator(".ilio-answered")).to_contain_text("answered every health question")
    expect(page.locator(".ilio-health-questions input[value=no]:checked")).to_have_count(
        len(CATALOG.screenings)
    )
    expect(page.locator(".ilio-card")).to_have_count(len(CATALOG.stretches))
    page.keyboard.press(" ")
    timer = page.locator(".ilio-timer")
    expect(timer).to_have_attribute("data-status", "running")
    for _ in range(200):
        if timer.get_attribute("data-status") == "done":
            break
        detail = page.locator(".ilio-timer-detail").inner_text()
        title = detail + page.locator(".ilio-timer-title").inner_text()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "t => document.querySelector('.ilio-timer-detail').innerText"
            " + document.querySelector('.ilio-timer-title').innerText !== t"
            " || document.querySelector('.ilio-timer').dataset.status === 'done'",
            arg=title,
        )
    expect(timer).to_have_attribute("data-status", "done")
    expect(page.locator(".ilio-timer-live")).to_have_text("Routine complete. Well done.")
    expect(page.locator(".ilio-log-view .ilio-message")).to_contain_text("Routine finished")

    for _ in range(20):  # on to the log button, still by keyboard
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.ilio-log-button') !== null"):
            break
    else:
        pytest.fail("the log button cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".ilio-week-summary")).to_contain_text(f"This week: {before + 1} session")


def test_log_download_and_malformed_upload(page: Page, dashboard_url: str, tmp_path: Path) -> None:
    open_dashboard(page, dashboard_url)
    ready_routine(page, "can_kneel", "good_balance", "can_get_to_floor", "has_bed")  # no table
    summary = page.locator(".ilio-week-summary")
    expect(summary).to_contain_text("This week: 0 sessions")
    page.locator(".ilio-log-button").click()
    expect(summary).to_contain_text("This week: 1 session")
    page.locator(".ilio-log-button").click()
    expect(summary).to_contain_text("This week: 2 sessions")
    chart = page.locator(".ilio-week-chart")
    expect(chart).to_have_attribute("aria-label", re.compile("this week 2,"))
    expect(chart.get_by_role("listitem").last).to_have_attribute(
        "aria-label", re.compile("this week.: 2 sessions")
    )

    with page.expect_download() as download:
        page.locator(".ilio-download-link").click()
    saved = tmp_path / "log.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text())))
    assert len(rows) == 2
    assert rows[0]["stretches"].split(";") == [
        "standing_hip_flexor",
        "kneeling_hip_flexor",
        "glute_bridge",
        "hip_flexor_bed",
    ]
    assert rows[0]["date"] == rows[1]["date"]

    upload(page, "broken.csv", b"date,stretches,duration_seconds,note\n2026-13-45,glute_bridge,0,\n")
    message = page.locator(".ilio-log-view .ilio-message")
    expect(message).to_contain_text("broken.csv, line 2")
    expect(message.locator("[role=alert]")).to_be_visible()
    expect(summary).to_contain_text("This week: 2 sessions")
    expect(summary).to_contain_text("Sessions logged in all: 2")

    earlier = saved.read_text().replace(rows[0]["date"], "2026-01-05", 1)
    upload(page, "earlier.csv", earlier.encode())
    expect(message).to_contain_text("earlier.csv: 1 new session added")
    expect(summary).to_contain_text("Sessions logged in all: 3")


def test_two_visitors_do_not_see_each_others_log(browser: Browser, dashboard_url: str) -> None:
    alice_ctx, bob_ctx = browser.new_context(viewport=PHONE), browser.new_context(viewport=PHONE)
    try:
        alice = open_dashboard(alice_ctx.new_page(), dashboard_url)
        bob = open_dashboard(bob_ctx.new_page(), dashboard_url)
        ready_routine(alice, "has_bed")
        ready_routine(bob, "good_balance")
        expect(bob.locator(".ilio-health-questions input:checked")).to_have_count(len(CATALOG.screenings))
        for _ in range(3):
            alice.locator(".ilio-log-button").click()
        expect(alice.locator(".ilio-week-summary")).to_contain_text("Sessions logged in all: 3")
        bob.locator(".ilio-log-button").click()
        expect(bob.locator(".ilio-week-summary")).to_contain_text("Sessions logged in all: 1")
        expect(alice.locator(".ilio-week-summary")).to_contain_text("Sessions logged in all: 3")
        carol = open_dashboard(browser.new_page(viewport=PHONE), dashboard_url)  # a newcomer starts empty
        expect(carol.locator(".ilio-week-summary")).to_contain_text("Sessions logged in all: 0")
        expect(carol.locator(".ilio-health-questions input:checked")).to_have_count(0)  # not Bob's answers
        expect(carol.locator(".ilio-routine")).to_contain_text(routine_words.ANSWER_HEALTH_QUESTIONS)
    finally:
        alice_ctx.close()
        bob_ctx.close()


def test_visitors_see_the_app_not_developer_notes(page: Page, dashboard_url: str) -> None:
    open_dashboard(page, dashboard_url)
    expect(page.locator(".ilio-references")).not_to_be_empty()  # the whole page is drawn
    text = page.locator("body").inner_text()
    for word in ("scripts/start.sh", "notebook", "JupyterLab", "voila.json", ".ipynb", "run the cell"):
        assert word.lower() not in text.lower(), f"developer text on a visitor's page: {word!r}"
    assert text.count("Stretch your iliopsoas") == 1, "the app's title appears once"
    expect(page.get_by_role("heading", level=1)).to_have_count(1)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_served_html_holds_no_source_and_nothing_else_is_served(dashboard_url: str) -> None:
    with urllib.request.urlopen(dashboard_url, timeout=60) as response:
        page = response.read().decode()
    assert "application/vnd.jupyter.widget-view+json" in page  # it is the dashboard
    assert "scripts/start.sh" not in page, "a developer note is served to visitors"
    source = json.loads((ROOT / "notebooks" / "dashboard.ipynb").read_text())
    for cell in source["cells"]:
        if cell["cell_type"] == "code":
            code = "".join(cell["source"])
            assert code and code not in page
            assert "from iliopsoas_lib" not in page
    for path in [
        "tree",
        "voila/tree",
        "lab",
        "api/contents",
        "api/kernels",
        "files/pyproject.toml",
        "voila/files/notebooks/dashboard.ipynb",
        "voila/files/voila.json",
        "voila/files/iliopsoas_lib/data/stretches.toml",
        "voila/files/docs/anatomy_front.png",
        "voila/render/notebooks/01_anatomy.ipynb",
        "notebooks/01_anatomy.ipynb",
        "voila/files/../pyproject.toml",
    ]:
        assert _status(dashboard_url + path) in (403, 404), path


@pytest.fixture(scope="module")
def failing_url(server_logs: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("failing")
    shutil.copy(ROOT / "voila.json", folder / "voila.json")
    (folder / "notebooks").mkdir()
    notebook = json.loads((ROOT / "notebooks" / "dashboard.ipynb").read_text())
    notebook["cells"] = [
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": "print('before the failure')\nraise ZeroDivisionError('secret detail 42')",
        }
    ]
    (folder / "notebooks" / "dashboard.ipynb").write_text(json.dumps(notebook))
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with serve(["iliopsoas_lib.server", f"--port={port}"], url, server_logs / "failing.log", cwd=folder):
        yield url


def test_a_failing_cell_shows_no_traceback(page: Page, failing_url: str) -> None:
    page.goto(failing_url)
    expect(page.locator("body")).to_contain_text("before the failure", timeout=READY)
    # Wait for the failed cell's output (Voilà's generic note) rather than a fixed time.
    expect(page.locator("body")).to_contain_text("There was an error when executing cell", timeout=READY)
    text = page.locator("body").inner_text()
    assert "Traceback" not in text
    assert "ZeroDivisionError" not in text
    assert "secret detail 42" not in text


def test_clinician_part_builds_and_downloads_handout_and_calendar(
    page: Page, dashboard_url: str, tmp_path: Path
) -> None:
    from icalendar import Calendar
    from pypdf import PdfReader

    open_dashboard(page, dashboard_url)
    ready_routine(page, "good_balance", "can_get_to_floor", "has_bed")  # not kneeling
    page.get_by_role("button", name="Show the clinicians' tools").click()
    page.get_by_placeholder("printed on the handout only, never stored").first.fill("Dee")
    page.locator(".ilio-make-handout").click()
    expect(page.locator(".ilio-clinic .ilio-message")).to_contain_text("Handout ready", timeout=60_000)
    with page.expect_download() as download:
        page.locator(".ilio-handout-link").click()
    pdf = tmp_path / "handout.pdf"
    download.value.save_as(pdf)
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    words = re.sub(r"\s+", " ", text)
    assert "For: Dee" in words and "Standing hip flexor stretch" in words
    kneeling = "Kneeling hip flexor stretch"  # named, if at all, only as left out and why
    assert words.count(kneeling) == words.count(f"{kneeling}: Left out because it needs kneeling")

    page.locator(".ilio-make-calendar").click()
    expect(page.locator(".ilio-calendar-link")).to_be_visible()
    with page.expect_download() as download:
        page.locator(".ilio-calendar-link").click()
    ics = tmp_path / "plan.ics"
    download.value.save_as(ics)
    (event,) = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert event["RRULE"]["BYDAY"] == ["MO", "WE", "FR"]  # the default 3 sessions a week, spread
    assert event["RRULE"]["COUNT"] == [18]  # for six weeks


def test_stretch_cards_open_on_demand_with_cautions_and_pose(page: Page, dashboard_url: str) -> None:
    open_dashboard(page, dashboard_url)
    expect(page.locator(".ilio-stretch-cards")).to_have_count(0)  # not sent until asked for
    page.get_by_role("button", name="Show all the stretches").click()
    cards = page.locator(".ilio-stretch-cards")
    expect(cards).to_be_visible()
    expect(page.get_by_role("combobox", name="Stretch:")).to_be_visible()  # its label names it
    cards.locator("select").select_option(label="Table psoas stretch")
    card = page.locator(".ilio-stretch-card")
    table = CATALOG.stretch("table_psoas")
    (back,) = [rule for rule in table.limits if rule.limit == "low_back_pain"]
    expect(card).to_contain_text(back.reason)
    expect(card).to_contain_text("If it hurts:")
    expect(card).to_contain_text(table.steps[-1].replace("{times}", "2 times on each side"))
    expect(cards.locator("img")).to_have_attribute("alt", re.compile("Table psoas stretch"))
    assert cards.locator("img").evaluate("img => img.naturalWidth") > 100


def test_phone_width_needs_no_sideways_scrolling(browser: Browser, dashboard_url: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = open_dashboard(context.new_page(), dashboard_url)
        ready_routine(page)
        page.get_by_role("button", name="Show all the stretches").click()
        expect(page.locator(".ilio-stretch-card")).to_be_visible()
        page.get_by_role("button", name="Show the clinicians' tools").click()
        expect(page.locator(".ilio-clinic")).to_be_visible()
        for selector in (
            ".ilio-dashboard",
            ".ilio-red-flags",
            ".ilio-choices",
            ".ilio-timer",
            ".ilio-routine",
            ".ilio-card",
            ".ilio-week-chart",
            ".ilio-stretch-cards",
            ".ilio-clinic-panel",
        ):
            box = page.locator(selector).first.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360 + 1, (selector, box)
        wide = page.evaluate(
            "[...document.querySelectorAll('.ilio-dashboard *')]"
            ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
            ".map(e => e.className || e.tagName).slice(0, 5)"
        )
        assert wide == [], wide
        countdown = page.locator(".ilio-timer-countdown")
        assert (
            countdown.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 40
        )  # readable from a mat
        hidden = page.evaluate(  # a label that names an input stays on screen on a phone
            "[...document.querySelectorAll('.ilio-dashboard label.widget-label[for]')]"
            ".filter(l => l.textContent.trim() && getComputedStyle(l).display === 'none')"
            ".map(l => l.textContent)"
        )
        assert hidden == [], hidden
        expect(page.get_by_role("combobox", name="Stretch:")).to_be_visible()
    finally:
        context.close()
