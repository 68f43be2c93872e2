"""Views kept in step: answers -> routine -> timer, and a clinician's dose -> timer, handout and calendar.

Driven through the widgets' models (tick a box, move a slider, press a button) and checked on what the
timer, the PDF and the calendar file then hold, as a person using them would see it.
"""

from __future__ import annotations

import base64
import io
import re
from datetime import date, time

import pytest
from icalendar import Calendar
from pypdf import PdfReader

import iliopsoas_lib as il
from iliopsoas_lib.documents.calendar_plan import WEEKDAYS as WEEK
from iliopsoas_lib.documents.calendar_plan import spread_weekdays
from iliopsoas_lib.dosage import parse_time_of_day, plan_dosage
from iliopsoas_lib.schema import HOLD_SECONDS_BOUNDS
from iliopsoas_lib.widgets.app import Dashboard
from iliopsoas_lib.widgets.clinic import ClinicPanel, DosageCalculator
from iliopsoas_lib.widgets.common import download_link
from iliopsoas_lib.widgets.routine_picker import RoutinePicker
from iliopsoas_lib.widgets.timer_view import TimerView

TODAY = date(2026, 11, 25)


def stretch_ids(routine: il.Routine) -> list[str]:
    return [item.stretch.id for item in routine.items]


def holds(routine: il.Routine) -> set[int]:
    return {item.hold_seconds for item in routine.items}


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def link_data(html: str, css_class: str) -> bytes:
    found = re.search(rf'class="{css_class}" download="[^"]+" href="data:[^"]+;base64,([^"]+)"', html)
    assert found, f"no {css_class} link in {html[:200]!r}"
    return base64.b64decode(found.group(1))


def calendar_event(ics: bytes):
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    return event


# -- the routine picker drives the timer (notebook 04, the dashboard) ---------------------------------


def test_changing_an_answer_changes_the_linked_timers_routine(catalog) -> None:
    picker = RoutinePicker(catalog, il.Abilities(can_kneel=True))
    timer = TimerView(il.build_routine(catalog, only=["glute_bridge"]), il.FakeClock(0))
    picker.link(timer)
    assert stretch_ids(timer.routine) == stretch_ids(picker.routine)  # at once, not only after a change
    assert "kneeling_hip_flexor" in stretch_ids(timer.routine)

    timer.command("start")
    picker.boxes["can_kneel"].value = False  # as unticking the box in the browser does
    assert "kneeling_hip_flexor" not in stretch_ids(timer.routine)
    assert timer.routine is picker.routine
    assert timer.timer.status.value == "ready"  # a new routine starts from the top


def test_one_picker_drives_several_views(catalog) -> None:
    picker = RoutinePicker(catalog)
    timers = [TimerView(picker.routine, il.FakeClock(0)) for _ in range(2)]
    picker.link(*timers)
    picker.answer(low_back_pain=True)
    assert all(t.routine is picker.routine for t in timers)
    assert all("table_psoas" not in stretch_ids(t.routine) for t in timers)


# -- the dose: plan, calculator, panel ---------------------------------------------------------------


def test_planning_keeps_the_routines_own_doses_choices_and_gaps(catalog) -> None:
    routine = il.build_routine(
        catalog,
        il.Abilities(can_kneel=False),
        dosage={"glute_bridge": {"hold_seconds": 20}},
        gaps=il.Gaps(rest=15),
    )
    plan = plan_dosage(catalog, routine, sessions_per_week=2)
    assert plan.routine == routine  # nothing asked to change, nothing changed
    again = plan_dosage(catalog, plan_dosage(catalog, routine, repetitions=2).routine)
    assert {item.repetitions for item in again.routine.items} == {2}  # a planned routine keeps its dose
    assert again.routine.left_out == routine.left_out and again.routine.gaps.rest == 15


def test_hold_warning_gives_seconds_on_both_numbers(catalog) -> None:
    plan = plan_dosage(catalog, hold_seconds=40)
    (warning,) = plan.warnings(catalog)
    assert str(warning).startswith("hold 40 s is above the guideline of 20-30 s (")


def test_calculator_dose_reaches_a_linked_timer(catalog) -> None:
    routine = il.build_routine(catalog, only=["glute_bridge", "hip_flexor_bed"])
    calculator = DosageCalculator(catalog, routine)
    timer = TimerView(routine, il.FakeClock(0))
    calculator.link(timer)
    calculator.hold.value = 45
    assert holds(timer.routine) == {45}
    calculator.repetitions.value = 2
    assert {item.repetitions for item in timer.routine.items} == {2}
    assert timer.routine.duration() == calculator.plan.routine.duration() < routine.duration()


def test_a_linked_timer_keeps_running_when_the_routine_stays_the_same(catalog) -> None:
    routine = il.build_routine(catalog, only=["glute_bridge"])
    calculator = DosageCalculator(catalog, routine)
    clock = il.FakeClock(0)
    timer = TimerView(routine, clock)
    calculator.link(timer)
    timer.command("start")
    clock.advance(15)  # 10 s to get ready, then 5 s into the first hold
    timer.command("tick")
    before = dict(timer.view)
    calculator.sessions.value = 4  # a new plan, the same stretches and doses
    timer.command("tick")
    assert timer.view["status"] == "running" and timer.view["kind"] == "hold"
    assert timer.view["countdown"] == before["countdown"] and timer.view["detail"] == before["detail"]
    calculator.hold.value = 25  # a new dose does start the timer again, from the top
    assert timer.view["status"] == "ready" and holds(timer.routine) == {25}


def test_hold_slider_keeps_each_stretchs_own_hold_until_moved(catalog) -> None:
    low, high = HOLD_SECONDS_BOUNDS
    mixed = il.build_routine(
        catalog, only=["glute_bridge", "hip_flexor_bed"], dosage={"hip_flexor_bed": {"hold_seconds": 60}}
    )
    calculator = DosageCalculator(catalog, mixed)
    assert (calculator.hold.min, calculator.hold.max) == (low, high)
    assert holds(calculator.plan.routine) == {30, 60}  # not flattened to the slider's first value
    assert "30-60 s" in calculator.result.value
    calculator.hold.value = 25
    assert holds(calculator.plan.routine) == {25}


def test_calculator_keeps_the_dose_when_the_routine_changes(catalog) -> None:
    calculator = DosageCalculator(catalog, il.build_routine(catalog, only=["glute_bridge"]))
    calculator.hold.value = 40
    calculator.sessions.value = 4
    new = il.build_routine(catalog, only=["hip_flexor_bed", "standing_hip_flexor"])
    calculator.set_routine(new)
    assert stretch_ids(calculator.plan.routine) == stretch_ids(new)
    assert holds(calculator.plan.routine) == {40} and calculator.plan.sessions_per_week == 4


def test_panel_dose_reaches_the_handout_and_the_calendar(catalog) -> None:
    routine = il.build_routine(catalog, only=["hip_flexor_bed"])
    panel = ClinicPanel(catalog, routine, today=lambda: TODAY)
    panel.dosage.hold.value = 40
    panel.dosage.repetitions.value = 2
    panel.dosage.sessions.value = 4

    panel.handout_button.click()
    assert "Handout ready" in panel.message.text, panel.message.text
    text = pdf_text(link_data(panel.downloads.value, "ilio-handout-link"))
    assert "hold 40 s, 2 times on each side" in text and "hold 30 s" not in text
    assert "4 times a week" in text and "Session 4" in text

    panel.weekdays.value = ("MO", "TU", "TH", "SA")
    panel.calendar_button.click()
    event = calendar_event(link_data(panel.downloads.value, "ilio-calendar-link"))
    planned = panel.dosage.plan.routine
    assert event["DURATION"].dt.total_seconds() == planned.duration() != routine.duration()
    assert "hold 40 s, 2 times on each side" in str(event["DESCRIPTION"])
    assert "says 4 sessions" not in panel.message.text  # four days for four sessions: no note


def test_panel_follows_the_current_routine_and_keeps_the_dose(catalog) -> None:
    picker = RoutinePicker(catalog)
    panel = ClinicPanel(catalog, picker.routine, today=lambda: TODAY)
    picker.link(panel)
    panel.dosage.hold.value = 25
    picker.answer(can_kneel=False)  # the dashboard's picker changes after the panel was built
    panel.handout_button.click()
    text = pdf_text(link_data(panel.downloads.value, "ilio-handout-link"))
    assert "Kneeling hip flexor stretch" not in text and "hold 25 s" in text
    assert stretch_ids(panel.dosage.plan.routine) == stretch_ids(picker.routine)


def test_linked_panel_shows_the_new_routines_minutes_at_once(catalog) -> None:
    picker = RoutinePicker(catalog)
    panel = ClinicPanel(catalog, picker.routine, today=lambda: TODAY)
    picker.link(panel)
    before = panel.dosage.plan.minutes_per_session
    picker.answer(can_kneel=False, has_bed=False)
    assert panel.dosage.plan.minutes_per_session < before
    assert f"{len(picker.routine.items)} stretches" in repr(panel)


def test_panel_says_when_the_calendar_days_differ_from_the_dose(catalog) -> None:
    panel = ClinicPanel(catalog, il.build_routine(catalog), today=lambda: TODAY, sessions_per_week=3)
    panel.weekdays.value = ("MO", "TH")
    panel.calendar_button.click()
    assert "says 3 sessions a week; the calendar has 2" in panel.message.text


def test_calendar_days_follow_the_sessions_a_week_until_the_clinician_picks_them(catalog) -> None:
    panel = ClinicPanel(catalog, il.build_routine(catalog), today=lambda: TODAY, sessions_per_week=3)
    assert panel.weekdays.value == ("MO", "WE", "FR")  # the default dose and calendar agree
    panel.sessions.value = 2
    assert panel.weekdays.value == ("MO", "TH")
    panel.calendar_button.click()
    assert "Calendar ready" in panel.message.text and "says" not in panel.message.text
    (event,) = Calendar.from_ical(link_data(panel.downloads.value, "ilio-calendar-link")).walk("VEVENT")
    assert event["RRULE"]["BYDAY"] == ["MO", "TH"]
    panel.weekdays.value = ("TU", "SA")  # a hand-picked choice stays until the dose changes again
    panel.calendar_button.click()
    assert "says" not in panel.message.text


@pytest.mark.parametrize(
    ("sessions", "days"),
    [(1, ("MO",)), (2, ("MO", "TH")), (3, ("MO", "WE", "FR")), (4, ("MO", "TU", "TH", "SA")), (14, WEEK)],
)
def test_sessions_are_spread_over_the_week(sessions: int, days: tuple[str, ...]) -> None:
    assert spread_weekdays(sessions) == days


def test_dashboards_open_clinic_panel_follows_new_answers(catalog) -> None:
    board = Dashboard(catalog, today=lambda: TODAY)
    panel = board.clinic.expand()
    panel.dosage.hold.value = 25
    board.picker.answer(can_kneel=False)
    assert stretch_ids(panel.dosage.plan.routine) == stretch_ids(board.picker.routine)
    assert "kneeling_hip_flexor" not in stretch_ids(panel.dosage.plan.routine)
    assert holds(panel.dosage.plan.routine) == {25}  # the dose set before the answers changed is kept


# -- one reader of HH:MM, one maker of download links -------------------------------------------------


def test_time_of_day_is_read_the_same_everywhere() -> None:
    assert parse_time_of_day("18:00") == time(18, 0)
    assert parse_time_of_day(" 7:05 ") == time(7, 5)
    for bad in ("7pm", "24:00", "18:60", "18:00:00", "18:5", "", None):
        with pytest.raises(ValueError, match=re.escape(f"--time: expected HH:MM (24-hour), got {bad!r}")):
            parse_time_of_day(bad, "--time")


def test_panel_refuses_a_bad_time_with_the_shared_message(catalog) -> None:
    panel = ClinicPanel(catalog, il.build_routine(catalog), today=lambda: TODAY)
    panel.time.value = "25:00"
    panel.calendar_button.click()
    assert "time: expected HH:MM (24-hour), got '25:00'" in panel.message.text
    assert "ilio-calendar-link" not in panel.downloads.value


def test_download_link_holds_the_bytes_and_escapes_the_names() -> None:
    link = download_link(b"a,b\n1,2\n", 'my "log".csv', "text/csv;charset=utf-8", "Get <it>", "ilio-x")
    assert 'download="my &quot;log&quot;.csv"' in link and ">Get &lt;it&gt;</a>" in link
    data = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', link).group(1)
    assert base64.b64decode(data) == b"a,b\n1,2\n"
