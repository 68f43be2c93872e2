"""Clinic teaching: a clinician's own stretch and dose flow into the routine, the timer, the handout and
the calendar; the dosage check warns; the command line fails clearly; the slide deck is self-contained.

Patient safety on paper: the handout leads with the red flags and the health answers, prints each
stretch's steps with the dose followed (never the content's default numbers), names who should skip
each stretch, and carries short source labels instead of raw ids. The command line makes nothing until
the health questions are answered, and a screened-out patient gets the reason, not a file."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar
from pypdf import PdfReader

import iliopsoas_lib as il
from iliopsoas_lib.clinic import copy_template, load_or_explain, template_text
from iliopsoas_lib.documents.calendar_plan import check_weekdays, make_calendar
from iliopsoas_lib.documents.handout import HandoutOptions, make_handout
from iliopsoas_lib.documents.slides import notebook_to_slides
from iliopsoas_lib.dosage import plan_dosage
from iliopsoas_lib.routine import ABILITY_FIELDS, EmptyRoutineError
from iliopsoas_lib.routine_words import ANSWER_HEALTH_QUESTIONS, NO_STRETCH_FITS, steps_text
from iliopsoas_lib.timer import FakeClock
from iliopsoas_lib.widgets.clinic import ClinicPanel, DosageCalculator

ROOT = Path(__file__).resolve().parents[1]

TODAY = date(2026, 11, 25)  # a Wednesday

#: Someone who can do every stretch and answered "no" to every health question (nothing is assumed, so
#: each answer is given on purpose).
ABLE = il.Abilities(**dict.fromkeys(ABILITY_FIELDS, True), conditions=frozenset())
#: The same abilities as command-line flags, with the screening answered "none apply".
ABLE_FLAGS = ("--can-kneel", "--good-balance", "--can-get-to-floor", "--bed", "--table", "--no-conditions")


@pytest.fixture(scope="module")
def clinic_catalog():
    return il.load_catalog(il.ContentText("my_clinic.toml", template_text()))


@pytest.fixture(scope="module")
def clinic_routine(clinic_catalog):
    return il.build_routine(clinic_catalog, ABLE, only=["half_kneeling_wall", "glute_bridge"])


def pdf_text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, flat(text)


def flat(text: str) -> str:
    """Whitespace as pypdf's line breaks leave it, made single spaces, so prose can be compared."""
    return re.sub(r"\s+", " ", text).strip()


def stretch_part(text: str, routine, stretch_id: str) -> str:
    """The handout's section about one stretch: from its numbered heading to the next one (or the chart)."""
    ids = [item.stretch.id for item in routine.items]
    n = ids.index(stretch_id)
    start = text.index(f"{n + 1}. {routine.items[n].stretch.name}")
    ends = [text.find(f"{n + 2}. {routine.items[n + 1].stretch.name}")] if n + 1 < len(ids) else []
    ends.append(text.find("Tick a box each time"))
    return text[start : min(e for e in ends if e > start)]


# -- the template and the clinician's own stretch ---------------------------------------------------


def test_template_adds_a_stretch_that_reaches_routine_and_timer(clinic_catalog, clinic_routine) -> None:
    assert "half_kneeling_wall" in clinic_catalog.stretches
    assert clinic_routine.items[0].stretch.id == "half_kneeling_wall"
    timer = il.RoutineTimer(clinic_routine, FakeClock(0))
    timer.start()
    timer.skip()
    reps = clinic_catalog.stretch("half_kneeling_wall").dosage.repetitions
    assert timer.phase().describe() == f"Hold: Half-kneeling stretch at a wall, left hip, 1 of {reps}"
    cannot_kneel = il.build_routine(clinic_catalog, dataclasses.replace(ABLE, can_kneel=False))
    assert "half_kneeling_wall" in [c.stretch_id for c in cannot_kneel.left_out]


def test_template_stretch_needs_the_floor_like_the_builtin_kneeling_stretch(clinic_catalog) -> None:
    no_floor = il.build_routine(clinic_catalog, dataclasses.replace(ABLE, can_get_to_floor=False))
    choice = next(c for c in no_floor.choices if c.stretch_id == "half_kneeling_wall")
    assert not choice.included and choice.reason == "Left out because it needs getting down to the floor."


def test_a_broken_clinician_file_names_file_entry_and_field(capsys) -> None:
    broken = template_text().replace('position = "kneeling"', 'position = "upside down"')
    assert load_or_explain(il.ContentText("my_clinic.toml", broken)) is None
    report = capsys.readouterr().out
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "upside down" in text)
    assert f"my_clinic.toml, line {line}, stretch #1 (id 'half_kneeling_wall'), field 'position'" in report
    assert "must be one of: standing, kneeling" in report
    assert "Traceback" not in report


def test_copy_template_never_overwrites(tmp_path) -> None:
    path = copy_template(tmp_path / "mine.toml")
    assert il.load_catalog(path).stretch("half_kneeling_wall")
    with pytest.raises(FileExistsError, match="already exists"):
        copy_template(path)


# -- dosage ------------------------------------------------------------------------------------------


def test_dosage_minutes_follow_the_routine(catalog) -> None:
    plan = plan_dosage(catalog, il.build_routine(catalog, ABLE, only=["glute_bridge"]), sessions_per_week=3)
    bridge = catalog.stretch("glute_bridge")
    hold, reps = bridge.dosage.hold_seconds, bridge.dosage.repetitions
    expected = (bridge.get_ready_seconds + reps * hold + (reps - 1) * 10) / 60  # get ready, holds, rests
    assert plan.minutes_per_session == pytest.approx(expected)
    assert plan.minutes_per_week == pytest.approx(3 * expected)
    assert plan.warnings(catalog) == []


def test_dosage_outside_guidelines_warns_with_sources(catalog) -> None:
    plan = plan_dosage(catalog, il.build_routine(catalog, ABLE), hold_seconds=45, sessions_per_week=1)
    warnings = [str(w) for w in plan.warnings(catalog)]
    assert any(w.startswith("hold 45 s for Standing hip flexor stretch, ") for w in warnings)
    assert any(" is above the guideline of 20-30 s" in w for w in warnings)
    assert any(w.startswith("sessions per week 1 is below the guideline of 2-3") for w in warnings)
    assert all("lindberg_verywell" in w for w in warnings)
    assert (
        plan_dosage(catalog, il.build_routine(catalog, ABLE), sessions_per_week=6).warnings(catalog) == []
    )  # "at least": more is fine


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hold_seconds": 500}, "hold_seconds: 500 is outside the safe range 5-120"),
        ({"repetitions": 0}, "repetitions: 0 is outside the safe range 1-20"),
        ({"sessions_per_week": 15}, "sessions_per_week: 15 is outside the range 1-14"),
        ({"sessions_per_week": 2.5}, "expected a whole number"),
    ],
)
def test_impossible_dosage_is_a_clear_error(catalog, kwargs, message) -> None:
    with pytest.raises(il.DosageError, match=re.escape(message)):
        plan_dosage(catalog, **kwargs)


def test_dosage_calculator_updates_live_and_warns(catalog) -> None:
    view = DosageCalculator(catalog, il.build_routine(catalog, ABLE, only=["hip_flexor_bed"]))
    assert "Within the guidelines" in view.message.text
    view.hold.value = 60
    assert "hold 60 s for Hip flexor bed stretch is above the guideline of 20-30 s" in view.message.text
    assert 'role="alert"' in view.message.value
    assert view.plan.routine.items[0].hold_seconds == 60
    view.sessions.value = 4
    assert "4 sessions a week" in view.result.value


# -- handout -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def full_handout(catalog):
    """All five stretches, every health question answered "no": the routine and its handout's text."""
    routine = il.build_routine(catalog, ABLE)
    reader, text = pdf_text(make_handout(routine, catalog, patient_name="Ann Example"))
    return routine, reader, text


def test_handout_holds_each_stretch_name_steps_and_cautions(clinic_catalog, clinic_routine) -> None:
    pdf = make_handout(clinic_routine, clinic_catalog, patient_name="Ann Example", clinician_notes="Go easy.")
    reader, text = pdf_text(pdf)
    assert "Ann Example" in text and "Go easy." in text
    for item in clinic_routine.items:
        stretch = item.stretch
        part = stretch_part(text, clinic_routine, stretch.id)
        for step in item.steps():  # the steps as this item's dose fills them in
            assert flat(step) in part
        for fact in (*stretch.cautions, stretch.on_pain, stretch.feel, stretch.not_feel, *stretch.mistakes):
            assert flat(fact.text) in part
        assert flat(stretch.get_in_out.text) in part
        assert f"Easier: {stretch.easier.name}. {flat(stretch.easier.text)}" in part
        assert f"Harder: {stretch.harder.name}. {flat(stretch.harder.text)}" in part
    assert "Tick a box each time" in text and "Week 4" in text
    assert "your clinic: Your Clinic. Home exercise protocol" in text  # label, then the full citation
    assert reader.metadata.title == "Iliopsoas stretches: home exercise handout"


def test_handout_steps_and_dose_follow_a_clinicians_60_seconds_twice(catalog) -> None:
    routine = il.build_routine(catalog, ABLE, hold_seconds=60, repetitions=2)
    _, text = pdf_text(make_handout(routine, catalog))
    assert "20 to 30" not in text  # not in the steps, and no guideline number beside the dose either
    assert not re.search(r"\bten\b", text, re.IGNORECASE)
    for item in routine.items:
        part = stretch_part(text, routine, item.stretch.id)
        steps = part[part.index("How to do it") : part.index("How much:")]
        assert "60 seconds" in steps and "2 times" in steps and "20 to 30" not in steps
        assert "How much: hold for 60 seconds, 2 times" in part
        assert "Set by your clinician" in part  # not credited to a guideline that never said 60 s
    assert "hold for 30 seconds" not in text


def test_handout_follows_a_dosage_change_in_a_clinicians_file(catalog) -> None:
    change = (
        '[[dosage_change]]\nstretch = "glute_bridge"\nhold_seconds = 60\nrepetitions = 2\n'
        'reason = "Longer holds after surgery."\nsources = ["editorial_advice"]\n'
    )
    changed = il.load_catalog(il.ContentText("mine.toml", change))
    routine = il.build_routine(changed, ABLE, only=["glute_bridge"], full_dose=True)
    _, text = pdf_text(make_handout(routine, changed))
    assert "Stay up for 60 seconds." in text and "Do this 2 times." in text
    assert not re.search(r"\bten\b|\b10 times\b", text, re.IGNORECASE)  # the article's full dose is gone
    assert "Set by your clinician" in text and "Longer dose (Lindberg)" not in text


def test_handout_says_which_dose_it_uses(catalog) -> None:
    usual = il.build_routine(catalog, ABLE, only=["glute_bridge"])
    full = il.build_routine(catalog, ABLE, only=["glute_bridge"], full_dose=True)
    _, usual_text = pdf_text(make_handout(usual, catalog))
    _, full_text = pdf_text(make_handout(full, catalog))
    assert "Usual dose" in usual_text and "Longer dose (Lindberg)" not in usual_text
    bridge = catalog.stretch("glute_bridge").full_dose
    assert "Longer dose (Lindberg)" in full_text and "Usual dose" not in full_text
    assert f"Do this {bridge.repetitions} times." in full_text


def test_handout_puts_the_red_flags_on_page_one(catalog, full_handout) -> None:
    _, reader, _ = full_handout
    page_one = flat(reader.pages[0].extract_text())
    (flags,) = catalog.red_flags.values()
    assert flat(flags.title) in page_one and flat(flags.intro) in page_one
    for sign in flags.sign_texts:
        assert flat(sign) in page_one
    assert f"What to do: {flat(flags.action)}" in page_one
    whole = flat(" ".join(page.extract_text() for page in reader.pages))
    assert whole.index(flat(flags.title)) < whole.index("Your routine")  # before the routine


def test_handout_shows_the_health_answers(catalog) -> None:
    yes = dataclasses.replace(ABLE, conditions=frozenset({"knee_pain", "pregnancy"}))
    routine = il.build_routine(catalog, yes)
    assert routine.health_notes
    reader, text = pdf_text(make_handout(routine, catalog))
    page_one = flat(reader.pages[0].extract_text())
    for note in routine.health_notes:
        assert flat(note) in page_one
    rule = next(r for r in catalog.stretch("standing_hip_flexor").limits if r.limit == "pregnancy")
    assert rule.action == "ease"  # kept, with the rule marked as the patient's own
    assert f"Pregnancy (you said yes): {flat(rule.reason)}" in text
    for choice in routine.left_out:  # named, so the patient does not take one up from elsewhere
        assert f"{choice.name}: {flat(choice.reason)}" in text
    _, none_text = pdf_text(make_handout(il.build_routine(catalog, ABLE, only=["glute_bridge"]), catalog))
    assert "You said no to every health question" in none_text


def test_handout_prints_every_stretchs_skip_rule_by_the_questions_name(catalog, full_handout) -> None:
    routine, _, text = full_handout
    assert {item.stretch.id for item in routine.items} == set(catalog.stretches)
    for item in routine.items:
        part = stretch_part(text, routine, item.stretch.id)
        skips = [rule for rule in item.stretch.limits if rule.action == "skip"]
        assert skips and "Who should skip it" in part
        for rule in item.stretch.limits:
            name = catalog.screening(rule.limit).name
            assert f"{name[:1].upper()}{name[1:]}: {flat(rule.reason)}" in part


def test_handout_cites_short_labels_never_raw_source_ids(catalog, full_handout) -> None:
    _, _, text = full_handout
    for source_id in catalog.sources:
        assert source_id not in text
    assert "(Lindberg; our advice)" in text
    references = text[text.rindex("References") :]
    for source in catalog.references():
        if source.short_label() in text[: text.rindex("References")]:
            assert f"{source.short_label()}: {flat(source.citation())}" in references


@pytest.mark.parametrize(("size", "points"), [("A4", (595, 842)), ("Letter", (612, 792))])
def test_handout_pages_are_the_size_asked(catalog, size, points) -> None:
    routine = il.build_routine(catalog, ABLE, only=["glute_bridge"])
    reader, _ = pdf_text(make_handout(routine, catalog, page_size=size))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == points


def test_large_print_is_larger(catalog) -> None:
    routine = il.build_routine(catalog, ABLE, only=["glute_bridge"])

    def body_sizes(pdf: bytes) -> set[float]:
        sizes: set[float] = set()

        def visit(text, cm, tm, font, size):
            if text.strip():
                sizes.add(round(size * tm[0], 1))

        for page in PdfReader(io.BytesIO(pdf)).pages:
            page.extract_text(visitor_text=visit)
        return sizes

    normal = body_sizes(make_handout(routine, catalog))
    large = body_sizes(make_handout(routine, catalog, large_print=True))
    assert min(large) > min(normal) and 16 in large
    assert len(PdfReader(io.BytesIO(make_handout(routine, catalog, large_print=True))).pages) >= 2


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        (il.Abilities(), ANSWER_HEALTH_QUESTIONS),  # nothing answered: nothing assumed
        (dataclasses.replace(ABLE, conditions=frozenset({"hip_surgery"})), "because of hip surgery"),
        (il.Abilities(can_kneel=True, conditions=frozenset()), NO_STRETCH_FITS),
    ],
)
def test_handout_and_calendar_refuse_an_empty_routine_with_its_reason(catalog, who, reason) -> None:
    empty = il.build_routine(catalog, who)
    assert not empty.items and reason in empty.empty_message
    with pytest.raises(EmptyRoutineError, match="the routine has no stretch") as info:
        make_handout(empty, catalog, patient_name="Di")
    assert empty.empty_message in str(info.value)
    assert isinstance(info.value, ValueError)  # what the command line and the dashboard report
    with pytest.raises(EmptyRoutineError, match="nothing to put in a calendar") as info:
        make_calendar(empty, start=TODAY)
    assert empty.empty_message in str(info.value)


def test_handout_is_repeatable_and_checks_its_options(catalog) -> None:
    routine = il.build_routine(catalog, ABLE, only=["hip_flexor_bed"])
    assert make_handout(routine, catalog) == make_handout(routine, catalog)
    with pytest.raises(ValueError, match="page_size: expected one of A4, Letter, got 'A5'"):
        HandoutOptions(page_size="A5")
    with pytest.raises(ValueError, match="weeks"):
        HandoutOptions(weeks=0)


# -- calendar ----------------------------------------------------------------------------------------


def test_calendar_parses_back_with_the_right_events(clinic_routine) -> None:
    from zoneinfo import ZoneInfo

    # A clock and a zone are given (the plan keeps its wall time in a zone, and never starts in the past).
    zone, now = "Europe/Berlin", datetime(2026, 11, 25, 6, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    ics = make_calendar(
        clinic_routine, weekdays="mo,th", start=TODAY, at=time(7, 30), weeks=4, tz=zone, now=now
    )
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
    start = event["DTSTART"].dt
    assert start == datetime(2026, 11, 26, 7, 30, tzinfo=ZoneInfo(zone))  # the first Thursday after Wed 25th
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "TH"] and rule["COUNT"] == [8]
    occurrences = list(rrulestr(rule.to_ical().decode(), dtstart=start))
    assert len(occurrences) == 8
    assert {o.weekday() for o in occurrences} == {0, 3}
    assert occurrences[-1] == datetime(2026, 12, 21, 7, 30, tzinfo=ZoneInfo(zone))
    assert event["DURATION"].dt.total_seconds() == round(clinic_routine.duration())
    assert "Half-kneeling stretch at a wall" in str(event["DESCRIPTION"])
    assert ics == make_calendar(
        clinic_routine, weekdays="MO,TH", start=TODAY, at=time(7, 30), weeks=4, tz=zone, now=now
    )


@pytest.mark.parametrize(
    ("weekdays", "weeks", "message"),
    [
        ("MO,XX", 4, "weekdays: expected some of"),
        ("", 4, "weekdays"),
        ("MO,MO", 4, "each day once"),
        ("MO", 0, "weeks: expected a whole number 1-52"),
    ],
)
def test_calendar_bad_input_is_clear(catalog, weekdays, weeks, message) -> None:
    with pytest.raises(ValueError, match=message):
        make_calendar(il.build_routine(catalog, ABLE), weekdays=weekdays, start=TODAY, weeks=weeks)


def test_calendar_starts_with_the_red_flags_action_and_uses_the_routines_dose(catalog) -> None:
    routine = il.build_routine(catalog, ABLE, only=["glute_bridge"], hold_seconds=60, repetitions=2)
    (event,) = Calendar.from_ical(make_calendar(routine, start=TODAY, catalog=catalog)).walk("VEVENT")
    lines = str(event["DESCRIPTION"]).splitlines()
    (flags,) = catalog.red_flags.values()
    assert lines[0].endswith(flags.action)  # one line, first: what a notification shows
    assert "1. Glute bridge: hold 60 s, 2 times" in lines
    assert lines[-len(flags.signs) :] == [f"- {sign}" for sign in flags.sign_texts]


def test_weekdays_are_put_in_week_order() -> None:
    assert check_weekdays(["fri", "Monday", "we"]) == ("MO", "WE", "FR")


# -- clinic panel ------------------------------------------------------------------------------------


def test_clinic_panel_offers_handout_and_calendar_downloads(catalog) -> None:
    import base64

    routine = il.build_routine(catalog, ABLE, only=["hip_flexor_bed"])
    panel = ClinicPanel(catalog, routine, today=lambda: TODAY)
    panel.patient.value = "Bo"
    panel.page_size.value = "Letter"
    panel.handout_button.click()
    assert "Handout ready" in panel.message.text and "Letter" in panel.message.text
    href = re.search(
        r'ilio-handout-link" download="iliopsoas_handout.pdf" href="data:application/pdf;base64,'
        r'([^"]+)"',
        panel.downloads.value,
    )
    _, text = pdf_text(base64.b64decode(href.group(1)))
    assert "For: Bo" in text and "Hip flexor bed stretch" in text
    panel.time.value = "7pm"
    panel.calendar_button.click()
    assert "time: expected HH:MM" in panel.message.text
    assert "ilio-calendar-link" not in panel.downloads.value
    panel.time.value = "19:00"
    panel.calendar_button.click()
    assert "ilio-calendar-link" in panel.downloads.value and "ilio-handout-link" in panel.downloads.value


def test_clinic_panel_explains_why_an_empty_routine_has_no_handout(catalog) -> None:
    empty = il.build_routine(catalog, il.Abilities(good_balance=False, can_get_to_floor=False, has_bed=False))
    panel = ClinicPanel(catalog, empty, today=lambda: TODAY)
    panel.handout_button.click()
    assert "Could not make the handout: the routine has no stretch" in panel.message.text
    assert 'role="alert"' in panel.message.value and "ilio-handout-link" not in panel.downloads.value


# -- slides ------------------------------------------------------------------------------------------


def test_slides_are_self_contained() -> None:
    deck = notebook_to_slides(ROOT / "notebooks" / "03_stretches.ipynb")
    assert deck.count('<section class="slide"') >= 8
    assert not re.search(r'(?:src|href)="(?:https?:)?//', deck), "the deck must not fetch anything"
    assert "<script src" not in deck and "<link" not in deck
    assert "data:image/png;base64," in deck  # the pose figures travel inside the file
    assert "Standing hip flexor stretch" in deck


def test_slides_refuse_what_is_not_a_notebook(tmp_path) -> None:
    (tmp_path / "x.ipynb").write_text("{not json")
    with pytest.raises(ValueError, match="not a readable notebook"):
        notebook_to_slides(tmp_path / "x.ipynb")
    with pytest.raises(ValueError, match="no such notebook"):
        notebook_to_slides(tmp_path / "missing.ipynb")


# -- command line ------------------------------------------------------------------------------------


def cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "iliopsoas_lib", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_cli_makes_handout_calendar_and_slides(tmp_path) -> None:
    mine = copy_template(tmp_path / "mine.toml")
    assert cli("validate", str(mine)).returncode == 0
    done = cli(
        "handout",
        "--extra",
        str(mine),
        "--only",
        "half_kneeling_wall",
        "--can-kneel",
        "--can-get-to-floor",
        "--no-conditions",
        "--page-size",
        "Letter",
        "--large-print",
        "--patient",
        "Cy",
        "-o",
        str(tmp_path / "h.pdf"),
    )
    assert done.returncode == 0, done.stderr
    reader, text = pdf_text((tmp_path / "h.pdf").read_bytes())
    assert "Half-kneeling stretch at a wall" in text and round(float(reader.pages[0].mediabox.width)) == 612
    done = cli(
        "calendar",
        "--bed",
        "--no-conditions",
        "--weekdays",
        "TU,FR",
        "--time",
        "08:15",
        "--weeks",
        "3",
        "--start",
        "2026-11-25",
        "-o",
        str(tmp_path / "p.ics"),
    )
    assert done.returncode == 0, done.stderr
    (event,) = Calendar.from_ical((tmp_path / "p.ics").read_bytes()).walk("VEVENT")
    assert event["RRULE"]["COUNT"] == [6]
    done = cli("calendar", *ABLE_FLAGS, "--start", "2026-11-25", "-o", str(tmp_path / "default.ics"))
    assert done.returncode == 0, done.stderr
    (event,) = Calendar.from_ical((tmp_path / "default.ics").read_bytes()).walk("VEVENT")
    assert event["RRULE"]["BYDAY"] == ["MO", "WE", "FR"]  # three a week, as the handout's default
    done = cli("slides", str(ROOT / "notebooks" / "00_start_here.ipynb"), "-o", str(tmp_path / "d.html"))
    assert done.returncode == 0 and "<section" in (tmp_path / "d.html").read_text()


def test_cli_full_dose_and_a_clinicians_own_health_question(tmp_path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(
        template_text()
        + '\n[[screening]]\nid = "hip_injection"\nquestion = "Have you had a hip injection this month?"\n'
        'name = "a recent hip injection"\nask_first = true\nadvice = "Ask the clinician who gave it."\n'
        'sources = ["clinic_protocol"]\n'
    )
    out = tmp_path / "h.pdf"
    done = cli(
        "handout", "--extra", str(mine), *ABLE_FLAGS, "--only", "glute_bridge", "--full-dose", "-o", str(out)
    )
    assert done.returncode == 0, done.stderr
    _, text = pdf_text(out.read_bytes())
    assert "Longer dose (Lindberg)" in text
    out.unlink()
    done = cli("handout", "--extra", str(mine), "--bed", "--condition", "hip_injection", "-o", str(out))
    assert done.returncode == 2 and "because of a recent hip injection" in done.stderr and not out.exists()


def test_cli_needs_the_health_questions_answered(tmp_path, catalog) -> None:
    for command, output in (("handout", "h.pdf"), ("calendar", "p.ics")):
        done = cli(command, "--can-kneel", "--good-balance", "--bed", "-o", output, cwd=tmp_path)
        assert done.returncode == 2
        (line,) = done.stderr.strip().splitlines()  # one clear line, no usage dump, no traceback
        assert "health questions are not answered" in line and "--no-conditions" in line
        assert all(screening_id in line for screening_id in catalog.screenings)
        assert not list(tmp_path.iterdir())
    help_text = cli("handout", "--help").stdout
    for screening in catalog.screenings.values():
        assert screening.id in help_text and screening.question in flat(help_text)


def test_cli_hip_surgery_stops_with_the_ask_first_reason(tmp_path, catalog) -> None:
    done = cli("handout", *ABLE_FLAGS[:-1], "--condition", "hip_surgery", "-o", "h.pdf", cwd=tmp_path)
    assert done.returncode == 2
    withheld = il.build_routine(catalog, dataclasses.replace(ABLE, conditions=frozenset({"hip_surgery"})))
    (line,) = done.stderr.strip().splitlines()
    assert withheld.empty_message in line and catalog.screening("hip_surgery").advice in line
    assert not list(tmp_path.iterdir())


def test_cli_pregnancy_leaves_out_the_bridge_the_bed_and_the_table(tmp_path, catalog) -> None:
    flags = ("--condition", "pregnancy", "--can-kneel", "--good-balance", "--can-get-to-floor", "--bed")
    done = cli("handout", *flags, "-o", "h.pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    _, text = pdf_text((tmp_path / "h.pdf").read_bytes())
    for stretch_id in ("glute_bridge", "hip_flexor_bed", "table_psoas"):
        stretch = catalog.stretch(stretch_id)
        assert not re.search(rf"\d\. {stretch.name}", text)  # no section of its own
        assert flat(steps_text(stretch)[0]) not in text  # and none of its steps
        assert f"{stretch.name}: Left out" in text  # only named as left out
    for stretch_id in ("standing_hip_flexor", "kneeling_hip_flexor"):
        assert re.search(rf"\d\. {catalog.stretch(stretch_id).name}", text)
    assert catalog.screening("pregnancy").advice in text


def test_cli_unknown_condition_names_the_known_ids(tmp_path, catalog) -> None:
    done = cli(
        "handout", "--bed", "--condition", "knee_pain", "--condition", "bad_knee", "-o", "h.pdf", cwd=tmp_path
    )
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert "--condition" in line and "bad_knee" in line
    assert all(screening_id in line for screening_id in catalog.screenings)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["calendar", *ABLE_FLAGS, "--start", "2026-02-30", "-o", "x.ics"],
            "--start: expected a date as YYYY-MM-DD",
        ),
        (["calendar", *ABLE_FLAGS, "--time", "7pm", "-o", "x.ics"], "--time: expected HH:MM"),
        (["calendar", *ABLE_FLAGS, "--weekdays", "XX", "-o", "x.ics"], "weekdays: expected some of"),
        (
            ["handout", *ABLE_FLAGS, "--hold", "500", "-o", "x.pdf"],
            "hold_seconds: 500 is outside the safe range",
        ),
        (["handout", *ABLE_FLAGS, "-o", "no/such/folder/x.pdf"], "no such folder"),
        (["handout", "--no-conditions", "-o", "x.pdf"], NO_STRETCH_FITS),  # nothing assumed: no abilities
        (["handout", "--no-conditions", "--condition", "knee_pain", "-o", "x.pdf"], "one or the other"),
        (["slides", "missing.ipynb", "-o", "x.html"], "no such notebook"),
    ],
)
def test_cli_bad_input_exits_non_zero_with_one_clear_line(tmp_path, args, message) -> None:
    done = cli(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_cli_validate_reports_a_broken_file(tmp_path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(template_text().replace("hold_seconds = 30", "hold_seconds = -5"))
    done = cli("validate", str(path))
    assert done.returncode == 2
    assert "stretch #1 (id 'half_kneeling_wall'), field 'dosage.hold_seconds'" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_help_lists_the_commands() -> None:
    done = cli("--help")
    assert done.returncode == 0
    for command in ("validate", "handout", "calendar", "slides"):
        assert command in done.stdout


def test_a_dose_plan_needs_the_persons_routine(catalog) -> None:
    """Nothing is assumed: there is no default person whose routine a plan could dose."""
    with pytest.raises(il.DosageError, match="needs a routine"):
        plan_dosage(catalog, hold_seconds=45)


def test_the_handout_explains_the_iliopsoas_under_its_title(catalog) -> None:
    routine = il.build_routine(catalog, ABLE, only=["glute_bridge"])
    reader, _ = pdf_text(make_handout(routine, catalog))
    first_page = reader.pages[0].extract_text()
    meaning = " ".join(catalog.glossary["iliopsoas"].meaning.split()[:8])
    assert "What is the iliopsoas?" in first_page and meaning in " ".join(first_page.split())
    assert first_page.index("What is the iliopsoas?") < first_page.index("Stop and get help")
