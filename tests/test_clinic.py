"""Clinic teaching: a clinician's own stretch and dose flow into the routine, the timer, the handout and
the calendar; the dosage check warns; the command line fails clearly; the slide deck is self-contained."""

from __future__ import annotations

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
from iliopsoas_lib.routine import EmptyRoutineError
from iliopsoas_lib.widgets.clinic import ClinicPanel, DosageCalculator

ROOT = Path(__file__).resolve().parents[1]

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.fixture(scope="module")
def clinic_catalog():
    return il.load_catalog(il.ContentText("my_clinic.toml", template_text()))


@pytest.fixture(scope="module")
def clinic_routine(clinic_catalog):
    return il.build_routine(clinic_catalog, only=["half_kneeling_wall", "glute_bridge"])


def pdf_text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"\s+", " ", text)


# -- the template and the clinician's own stretch ---------------------------------------------------


def test_template_adds_a_stretch_that_reaches_routine_and_timer(clinic_catalog, clinic_routine) -> None:
    assert "half_kneeling_wall" in clinic_catalog.stretches
    assert clinic_routine.items[0].stretch.id == "half_kneeling_wall"
    timer = il.RoutineTimer(clinic_routine, il.FakeClock(0))
    timer.start()
    timer.skip()
    assert timer.phase().describe() == "Hold: Half-kneeling stretch at a wall, left hip, 1 of 3"
    cannot_kneel = il.build_routine(clinic_catalog, il.Abilities(can_kneel=False))
    assert "half_kneeling_wall" in [c.stretch_id for c in cannot_kneel.left_out]


def test_template_stretch_needs_the_floor_like_the_builtin_kneeling_stretch(clinic_catalog) -> None:
    no_floor = il.build_routine(clinic_catalog, il.Abilities(can_get_to_floor=False))
    choice = next(c for c in no_floor.choices if c.stretch_id == "half_kneeling_wall")
    assert not choice.included and choice.reason == "Left out because it needs getting down to the floor."


def test_a_broken_clinician_file_names_file_entry_and_field(capsys) -> None:
    broken = template_text().replace('position = "kneeling"', 'position = "upside down"')
    assert load_or_explain(il.ContentText("my_clinic.toml", broken)) is None
    report = capsys.readouterr().out
    assert "my_clinic.toml, stretch #1 (id 'half_kneeling_wall'), field 'position'" in report
    assert "Traceback" not in report


def test_copy_template_never_overwrites(tmp_path) -> None:
    path = copy_template(tmp_path / "mine.toml")
    assert il.load_catalog(path).stretch("half_kneeling_wall")
    with pytest.raises(FileExistsError, match="already exists"):
        copy_template(path)


# -- dosage ------------------------------------------------------------------------------------------


def test_dosage_minutes_follow_the_routine(catalog) -> None:
    plan = plan_dosage(catalog, il.build_routine(catalog, only=["glute_bridge"]), sessions_per_week=3)
    expected = (10 + 10 * 30 + 9 * 10) / 60  # get ready, 10 holds of 30 s, 9 rests
    assert plan.minutes_per_session == pytest.approx(expected)
    assert plan.minutes_per_week == pytest.approx(3 * expected)
    assert plan.warnings(catalog) == []


def test_dosage_outside_guidelines_warns_with_sources(catalog) -> None:
    plan = plan_dosage(catalog, hold_seconds=45, sessions_per_week=1)
    warnings = [str(w) for w in plan.warnings(catalog)]
    assert any(w.startswith("hold 45 s is above the guideline of 20-30 s") for w in warnings)
    assert any(w.startswith("sessions per week 1 is below the guideline of 2-3") for w in warnings)
    assert all("lindberg_verywell" in w for w in warnings)
    assert plan_dosage(catalog, sessions_per_week=6).warnings(catalog) == []  # "at least": more is fine


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
    view = DosageCalculator(catalog, il.build_routine(catalog, only=["hip_flexor_bed"]))
    assert "Within the guidelines" in view.message.text
    view.hold.value = 60
    assert "hold 60 s is above the guideline of 20-30 s" in view.message.text
    assert 'role="alert"' in view.message.value
    assert view.plan.routine.items[0].hold_seconds == 60
    view.sessions.value = 4
    assert "4 sessions a week" in view.result.value


# -- handout -----------------------------------------------------------------------------------------


def test_handout_holds_each_stretch_name_steps_and_cautions(clinic_catalog, clinic_routine) -> None:
    pdf = make_handout(clinic_routine, clinic_catalog, patient_name="Ann Example", clinician_notes="Go easy.")
    reader, text = pdf_text(pdf)
    assert "Ann Example" in text and "Go easy." in text
    for item in clinic_routine.items:
        assert item.stretch.name in text
        for step in item.stretch.steps:
            assert re.sub(r"\s+", " ", step) in text
        for caution in item.stretch.cautions:
            assert caution.text in text
        assert item.stretch.on_pain.text in text
    assert "Tick a box each time" in text and "Week 4" in text
    assert "Your Clinic. Home exercise protocol" in text  # the clinician's own source is referenced
    assert reader.metadata.title == "Iliopsoas stretches: home exercise handout"


@pytest.mark.parametrize(("size", "points"), [("A4", (595, 842)), ("Letter", (612, 792))])
def test_handout_pages_are_the_size_asked(catalog, size, points) -> None:
    reader, _ = pdf_text(make_handout(il.build_routine(catalog), catalog, page_size=size))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == points


def test_large_print_is_larger(catalog) -> None:
    routine = il.build_routine(catalog, only=["glute_bridge"])

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


def test_handout_refuses_an_empty_routine(catalog) -> None:
    empty = il.build_routine(catalog, il.Abilities(good_balance=False, can_get_to_floor=False, has_bed=False))
    assert not empty.items
    with pytest.raises(EmptyRoutineError, match="the routine has no stretch") as info:
        make_handout(empty, catalog, patient_name="Di")
    assert isinstance(info.value, ValueError)  # what the command line and the dashboard report
    with pytest.raises(EmptyRoutineError, match="nothing to put in a calendar"):
        make_calendar(empty, start=TODAY)


def test_handout_is_repeatable_and_checks_its_options(catalog) -> None:
    routine = il.build_routine(catalog)
    assert make_handout(routine, catalog) == make_handout(routine, catalog)
    with pytest.raises(ValueError, match="page_size: expected one of A4, Letter, got 'A5'"):
        HandoutOptions(page_size="A5")
    with pytest.raises(ValueError, match="weeks"):
        HandoutOptions(weeks=0)


# -- calendar ----------------------------------------------------------------------------------------


def test_calendar_parses_back_with_the_right_events(clinic_routine) -> None:
    ics = make_calendar(clinic_routine, weekdays="mo,th", start=TODAY, at=time(7, 30), weeks=4)
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
    start = event["DTSTART"].dt
    assert start == datetime(2026, 11, 26, 7, 30)  # the first Thursday on or after Wednesday 25th
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "TH"] and rule["COUNT"] == [8]
    occurrences = list(rrulestr(rule.to_ical().decode(), dtstart=start))
    assert len(occurrences) == 8
    assert {o.weekday() for o in occurrences} == {0, 3}
    assert occurrences[-1] == datetime(2026, 12, 21, 7, 30)
    assert event["DURATION"].dt.total_seconds() == round(clinic_routine.duration())
    assert "Half-kneeling stretch at a wall" in str(event["DESCRIPTION"])
    assert ics == make_calendar(clinic_routine, weekdays="MO,TH", start=TODAY, at=time(7, 30), weeks=4)


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
        make_calendar(il.build_routine(catalog), weekdays=weekdays, start=TODAY, weeks=weeks)


def test_weekdays_are_put_in_week_order() -> None:
    assert check_weekdays(["fri", "Monday", "we"]) == ("MO", "WE", "FR")


# -- clinic panel ------------------------------------------------------------------------------------


def test_clinic_panel_offers_handout_and_calendar_downloads(catalog) -> None:
    import base64

    routine = il.build_routine(catalog, only=["hip_flexor_bed"])
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
    done = cli("calendar", "--start", "2026-11-25", "-o", str(tmp_path / "default.ics"))
    assert done.returncode == 0, done.stderr
    (event,) = Calendar.from_ical((tmp_path / "default.ics").read_bytes()).walk("VEVENT")
    assert event["RRULE"]["BYDAY"] == ["MO", "WE", "FR"]  # three a week, as the handout's default
    done = cli("slides", str(ROOT / "notebooks" / "00_start_here.ipynb"), "-o", str(tmp_path / "d.html"))
    assert done.returncode == 0 and "<section" in (tmp_path / "d.html").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["calendar", "--start", "2026-02-30", "-o", "x.ics"], "--start: expected a date as YYYY-MM-DD"),
        (["calendar", "--time", "7pm", "-o", "x.ics"], "--time: expected HH:MM"),
        (["calendar", "--weekdays", "XX", "-o", "x.ics"], "weekdays: expected some of"),
        (["handout", "--hold", "500", "-o", "x.pdf"], "hold_seconds: 500 is outside the safe range"),
        (["handout", "-o", "no/such/folder/x.pdf"], "no such folder"),
        (["handout", "--poor-balance", "--no-floor", "--no-bed", "-o", "x.pdf"], "routine has no stretch"),
        (["slides", "missing.ipynb", "-o", "x.html"], "no such notebook"),
    ],
)
def test_cli_bad_input_exits_non_zero_with_one_clear_line(tmp_path, args, message) -> None:
    done = cli(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
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
