"""Views kept in step: answers -> routine -> timer, and a clinician's dose -> timer, handout and calendar.

Driven through the widgets' models (tick a box, type a number, press a button) and checked on what the
timer, the PDF and the calendar file then hold, as a person using them would see it.
"""

from __future__ import annotations

import ast
import base64
import io
import re
from datetime import date, time
from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader

import iliopsoas_lib as il
from iliopsoas_lib.documents.calendar_plan import WEEKDAYS as WEEK
from iliopsoas_lib.documents.calendar_plan import spread_weekdays
from iliopsoas_lib.dosage import parse_time_of_day, plan_dosage
from iliopsoas_lib.limits import HOLD_SECONDS
from iliopsoas_lib.routine import ABILITY_FIELDS
from iliopsoas_lib.timer import FakeClock
from iliopsoas_lib.widgets.app import Dashboard
from iliopsoas_lib.widgets.clinic import ClinicPanel, DosageCalculator
from iliopsoas_lib.widgets.common import download_link
from iliopsoas_lib.widgets.routine_picker import RoutinePicker
from iliopsoas_lib.widgets.timer_widget import TimerView

TODAY = date(2026, 11, 25)
#: Someone who can do everything asked about and answered "no" to every health question.
EVERYTHING = il.Abilities(**dict.fromkeys(ABILITY_FIELDS, True), conditions=frozenset())


def routine_of(catalog, only=None, **kwargs) -> il.Routine:
    """A routine for someone who can do every stretch (``only`` these, if given)."""
    return il.build_routine(catalog, EVERYTHING, only=only, **kwargs)


def answered_picker(catalog, **abilities: bool) -> RoutinePicker:
    """A picker whose visitor ticked every ability (less those given False) and said "no" to every
    health question: the picker as a patient leaves it once a routine is offered."""
    picker = RoutinePicker(catalog)
    picker.answer(**{**dict.fromkeys(ABILITY_FIELDS, True), **abilities})
    picker.answer_health()
    return picker


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
    picker = RoutinePicker(catalog, EVERYTHING)
    timer = TimerView(routine_of(catalog, ["glute_bridge"]), FakeClock(0))
    picker.link(timer)
    assert stretch_ids(timer.routine) == stretch_ids(picker.routine)  # at once, not only after a change
    assert "kneeling_hip_flexor" in stretch_ids(timer.routine)

    timer.command("start")
    picker.boxes["can_kneel"].value = False  # as unticking the box in the browser does
    assert "kneeling_hip_flexor" not in stretch_ids(timer.routine)
    assert timer.routine is picker.routine
    assert timer.timer.status.value == "ready"  # a new routine starts from the top


def test_one_picker_drives_several_views(catalog) -> None:
    picker = answered_picker(catalog)
    timers = [TimerView(picker.routine, FakeClock(0)) for _ in range(2)]
    picker.link(*timers)
    assert all("table_psoas" in stretch_ids(t.routine) for t in timers)
    picker.answer(low_back_pain=True)
    assert all(t.routine is picker.routine for t in timers)
    assert all("table_psoas" not in stretch_ids(t.routine) for t in timers)


def test_a_fresh_picker_gives_a_linked_timer_nothing_to_run(catalog) -> None:
    picker = RoutinePicker(catalog)
    timer = TimerView(routine_of(catalog, ["glute_bridge"]), FakeClock(0))
    picker.link(timer)
    assert timer.routine.items == () and timer.view["status"] == "done"
    assert timer.view["title"] == "Nothing to time yet"
    assert timer.view["detail"] == picker.routine.empty_message
    picker.answer(hip_surgery=True, **dict.fromkeys(ABILITY_FIELDS, True))
    picker.answer_health(yes={"hip_surgery"})
    assert timer.routine.items == () and "hip surgery" in timer.view["detail"]


# -- the dose: plan, calculator, panel ---------------------------------------------------------------


def test_planning_keeps_the_routines_own_doses_choices_and_gaps(catalog) -> None:
    routine = il.build_routine(
        catalog,
        il.Abilities(has_bed=True, can_get_to_floor=True, conditions=frozenset()),
        dosage={"glute_bridge": {"hold_seconds": 20}},
        gaps=il.Gaps(rest=15),
    )
    assert stretch_ids(routine) == ["glute_bridge", "hip_flexor_bed"]
    plan = plan_dosage(catalog, routine, sessions_per_week=2)
    assert plan.routine == routine  # nothing asked to change, nothing changed
    again = plan_dosage(catalog, plan_dosage(catalog, routine, repetitions=2).routine)
    assert {item.repetitions for item in again.routine.items} == {2}  # a planned routine keeps its dose
    assert again.routine.left_out == routine.left_out and again.routine.gaps.rest == 15


def test_hold_warning_gives_seconds_on_both_numbers(catalog) -> None:
    plan = plan_dosage(catalog, routine_of(catalog), hold_seconds=40)
    (warning,) = plan.warnings(catalog)
    said = str(warning)
    assert said.startswith("hold 40 s for ") and " is above the guideline of 20-30 s (" in said
    assert all(item.stretch.name in said for item in plan.routine.items)  # it names its stretches


def test_calculator_dose_reaches_a_linked_timer(catalog) -> None:
    routine = routine_of(catalog, ["glute_bridge", "hip_flexor_bed"])
    calculator = DosageCalculator(catalog, routine)
    timer = TimerView(routine, FakeClock(0))
    calculator.link(timer)
    calculator.hold.value = 45
    assert holds(timer.routine) == {45}
    calculator.repetitions.value = 1
    assert {item.repetitions for item in timer.routine.items} == {1}
    assert timer.routine.duration() == calculator.plan.routine.duration() < routine.duration()


def test_a_linked_timer_keeps_running_when_the_routine_stays_the_same(catalog) -> None:
    routine = routine_of(catalog, ["glute_bridge"], gaps=il.Gaps(get_ready=10))
    calculator = DosageCalculator(catalog, routine)
    clock = FakeClock(0)
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


def test_hold_box_keeps_each_stretchs_own_hold_until_changed(catalog) -> None:
    low, high = HOLD_SECONDS.low, HOLD_SECONDS.high
    mixed = routine_of(
        catalog, ["glute_bridge", "hip_flexor_bed"], dosage={"hip_flexor_bed": {"hold_seconds": 60}}
    )
    calculator = DosageCalculator(catalog, mixed)
    assert calculator.repetitions.label == "as each stretch says"  # shown, not a blank box
    assert (calculator.hold.min, calculator.hold.max) == (low, high)
    assert holds(calculator.plan.routine) == {30, 60}  # not flattened to the hold box's first value
    assert "30-60 s" in calculator.result.value
    calculator.hold.value = 25
    assert holds(calculator.plan.routine) == {25}


def test_calculator_keeps_the_dose_when_the_routine_changes(catalog) -> None:
    calculator = DosageCalculator(catalog, routine_of(catalog, ["glute_bridge"]))
    calculator.hold.value = 40
    calculator.sessions.value = 4
    new = routine_of(catalog, ["hip_flexor_bed", "standing_hip_flexor"])
    calculator.set_routine(new)
    assert stretch_ids(calculator.plan.routine) == stretch_ids(new)
    assert holds(calculator.plan.routine) == {40} and calculator.plan.sessions_per_week == 4


def test_panel_dose_reaches_the_handout_and_the_calendar(catalog) -> None:
    routine = routine_of(catalog, ["hip_flexor_bed"])
    panel = ClinicPanel(catalog, routine, today=lambda: TODAY)
    panel.dosage.hold.value = 40
    panel.dosage.repetitions.value = 2
    panel.dosage.sessions.value = 4

    panel.handout_button.click()
    assert "Handout ready" in panel.message.text, panel.message.text
    text = pdf_text(link_data(panel.downloads.value, "ilio-handout-link"))
    assert re.search(r"40 (s|seconds), 2 times on each side", text), text[:600]
    assert not re.search(r"hold (for )?30 (s|seconds)", text)
    assert "4 times a week" in text and "Session 4" in text

    panel.weekdays.value = ("MO", "TU", "TH", "SA")
    panel.calendar_button.click()
    event = calendar_event(link_data(panel.downloads.value, "ilio-calendar-link"))
    planned = panel.dosage.plan.routine
    assert event["DURATION"].dt.total_seconds() == planned.duration() != routine.duration()
    assert re.search(r"40 (s|seconds), 2 times on each side", str(event["DESCRIPTION"]))
    assert "says 4 sessions" not in panel.message.text  # four days for four sessions: no note


def test_panel_follows_the_current_routine_and_keeps_the_dose(catalog) -> None:
    picker = answered_picker(catalog)
    panel = ClinicPanel(catalog, picker.routine, today=lambda: TODAY)
    picker.link(panel)
    panel.dosage.hold.value = 25
    picker.answer(can_kneel=False)  # the dashboard's picker changes after the panel was built
    panel.handout_button.click()
    text = pdf_text(link_data(panel.downloads.value, "ilio-handout-link"))
    assert re.search(r"25 (s|seconds), \d+ times on each side", text)
    # The kneeling stretch is named, if at all, only where the handout says what was left out and why.
    kneeling = "Kneeling hip flexor stretch"
    assert text.count(kneeling) == text.count(f"{kneeling}: Left out because it needs kneeling")
    assert stretch_ids(panel.dosage.plan.routine) == stretch_ids(picker.routine)


def test_linked_panel_shows_the_new_routines_minutes_at_once(catalog) -> None:
    picker = answered_picker(catalog)
    panel = ClinicPanel(catalog, picker.routine, today=lambda: TODAY)
    picker.link(panel)
    before = panel.dosage.plan.minutes_per_session
    picker.answer(can_kneel=False, has_bed=False)
    assert panel.dosage.plan.minutes_per_session < before
    assert f"{len(picker.routine.items)} stretches" in repr(panel)


def test_panel_says_when_the_calendar_days_differ_from_the_dose(catalog) -> None:
    panel = ClinicPanel(catalog, routine_of(catalog), today=lambda: TODAY, sessions_per_week=3)
    panel.weekdays.value = ("MO", "TH")
    panel.calendar_button.click()
    assert "says 3 sessions a week; the calendar has 2" in panel.message.text


def test_calendar_days_follow_the_sessions_a_week_until_the_clinician_picks_them(catalog) -> None:
    panel = ClinicPanel(catalog, routine_of(catalog), today=lambda: TODAY, sessions_per_week=3)
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
    assert panel.dosage.plan.routine.items == ()  # nothing answered yet: nothing to print
    panel.handout_button.click()
    assert "Could not make the handout" in panel.message.text
    board.picker.answer(**dict.fromkeys(ABILITY_FIELDS, True))
    board.picker.answer_health()
    assert stretch_ids(panel.dosage.plan.routine) == stretch_ids(board.picker.routine) != []
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
    panel = ClinicPanel(catalog, routine_of(catalog), today=lambda: TODAY)
    panel.time.value = "25:00"
    panel.calendar_button.click()
    assert "time: expected HH:MM (24-hour), got '25:00'" in panel.message.text
    assert "ilio-calendar-link" not in panel.downloads.value


def test_download_link_holds_the_bytes_and_escapes_the_names() -> None:
    link = download_link(b"a,b\n1,2\n", 'my "log".csv', "text/csv;charset=utf-8", "Get <it>", "ilio-x")
    assert 'download="my &quot;log&quot;.csv"' in link and ">Get &lt;it&gt;</a>" in link
    data = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', link).group(1)
    assert base64.b64decode(data) == b"a,b\n1,2\n"


def test_the_panels_calendar_keeps_the_chosen_zone_and_reminder(catalog) -> None:
    panel = ClinicPanel(catalog, routine_of(catalog), today=lambda: TODAY, sessions_per_week=2)
    panel.zone.value, panel.reminder.value = "America/New_York", 30
    panel.calendar_button.click()
    assert "times in America/New_York" in panel.message.text
    ics = link_data(panel.downloads.value, "ilio-calendar-link")
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert [str(tz["TZID"]) for tz in Calendar.from_ical(ics).walk("VTIMEZONE")] == ["America/New_York"]
    (alarm,) = event.walk("VALARM")
    assert alarm["TRIGGER"].dt.total_seconds() == -30 * 60
    panel.zone.value = "America/New_Yrok"  # a typo: one message with a suggestion, no file
    panel.calendar_button.click()
    assert "did you mean America/New_York" in panel.message.text


def test_the_panels_handout_prints_the_clinician_and_how_to_reach_them(catalog) -> None:
    panel = ClinicPanel(catalog, routine_of(catalog), today=lambda: TODAY)
    panel.clinician.value, panel.contact.value = "Dr Ana Lima", "clinic@example.org"
    text = pdf_text(panel.make_handout())
    assert "Dr Ana Lima" in text and "clinic@example.org" in text


def test_the_panel_reviews_a_patients_log_against_its_sessions_a_week(catalog) -> None:
    panel = ClinicPanel(catalog, routine_of(catalog), today=lambda: TODAY, sessions_per_week=2)
    assert panel.log_review in panel.children
    csv = (
        "date,stretches,duration_seconds,note\n"
        "2026-11-16,glute_bridge,300,\n2026-11-18,glute_bridge,300,\n2026-11-23,hip_flexor_bed,300,\n"
    )
    review = panel.log_review.read_csv(csv, "patient.csv")
    assert review.target == 2 and review.sessions_in_plan == 3
    panel.sessions.value = 3  # the review follows the dose set in the panel
    assert panel.log_review.read_csv(csv, "patient.csv").target == 3
    with pytest.raises(il.SessionLogError, match="line 2"):
        panel.log_review.read_csv("date,stretches,duration_seconds,note\n2026-11-16,no_such,300,\n")


# -- one way widgets share state (issue 15) ------------------------------------------------------------

WIDGETS_DIR = Path(il.__file__).parent / "widgets"
#: Every ``.observe(`` a widget module may make: (module, class or function, what is observed) -> why.
#: State goes from one widget to another only through ``common.follow`` (``link_routine`` is made of it);
#: the rest is a view listening to a control it made itself, which is its own event wiring.
OWN_CONTROLS = "a control this view made itself: its own event wiring, not state shared with another view"
ALLOWED_OBSERVES: dict[tuple[str, str, str], str] = {
    ("common.py", "follow", "source"): "the one mechanism itself",
    ("common.py", "LazySection", "self.toggle"): OWN_CONTROLS,
    ("anatomy_view.py", "MuscleExplorer", "self.picker"): OWN_CONTROLS,
    ("stretch_cards.py", "StretchCards", "self.picker"): OWN_CONTROLS,
    ("biomechanics.py", "BiomechanicsExplorer", "self.slider"): OWN_CONTROLS,
    ("routine_picker.py", "RoutinePicker", "box"): OWN_CONTROLS + " (an ability's tick box)",
    ("routine_picker.py", "RoutinePicker", "self.health"): OWN_CONTROLS,
    ("routine_picker.py", "RoutinePicker", "self.dose"): OWN_CONTROLS,
    ("clinic.py", "DosageCalculator", "self.hold"): OWN_CONTROLS,
    ("clinic.py", "DosageCalculator", "self.repetitions"): OWN_CONTROLS,
    ("clinic.py", "DosageCalculator", "self.sessions"): OWN_CONTROLS,
    ("clinic.py", "DosageCalculator", "row.hold"): OWN_CONTROLS + " (a stretch's row it made)",
    ("clinic.py", "DosageCalculator", "row.repetitions"): OWN_CONTROLS + " (a stretch's row it made)",
    ("clinic.py", "DosageCalculator", "row.reason"): OWN_CONTROLS + " (a stretch's row it made)",
    ("log_review.py", "LogReview", "self.sessions"): OWN_CONTROLS + " (made only when given a number)",
    ("log_review.py", "LogReview", "self.start"): OWN_CONTROLS,
}
#: Callback registries that carried state between widgets before there was one way; none may come back.
GONE_REGISTRIES = {"on_done", "on_restore"}
#: Function-typed constructor parameters a widget may take: a clock or a builder, never a window onto
#: another widget's state (the log once read the picker's routine through three such lambdas).
ALLOWED_CALLABLE_PARAMETERS = {
    ("Dashboard", "today"),
    ("ClinicPanel", "today"),
    ("LogView", "today"),
    ("LogReview", "today"),
    ("LazySection", "build"),
}


def _scopes(tree: ast.AST) -> dict[ast.AST, str]:
    """Every node of ``tree`` -> the name of the outermost class or function it is in ("" at the top)."""
    owner: dict[ast.AST, str] = {}
    for top in ast.iter_child_nodes(tree):
        name = top.name if isinstance(top, (ast.ClassDef, ast.FunctionDef)) else ""
        for node in ast.walk(top):
            owner[node] = name
    return owner


def state_wiring(folder: Path) -> tuple[set[tuple[str, str, str]], set[str], set[tuple[str, str]]]:
    """What the widget modules in ``folder`` do to keep views in step, read from their source: every
    ``.observe(`` as (module, class or function, observed expression); every call or definition of a
    gone callback registry; every function-typed parameter of a class's ``__init__`` as (class, name)."""
    observes, registries, callables = set(), set(), set()
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        owner = _scopes(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "observe":
                    observes.add((path.name, owner[node], ast.unparse(node.func.value)))
                if node.func.attr in GONE_REGISTRIES:
                    registries.add(f"{path.name}: {ast.unparse(node.func)}")
            if isinstance(node, ast.FunctionDef) and node.name in GONE_REGISTRIES:
                registries.add(f"{path.name}: def {node.name}")
            if isinstance(node, ast.FunctionDef) and node.name == "__init__":
                for arg in [*node.args.args, *node.args.kwonlyargs]:
                    if arg.annotation is not None and "Callable" in ast.unparse(arg.annotation):
                        callables.add((owner[node], arg.arg))
    return observes, registries, callables


def test_widgets_share_state_one_way_only() -> None:
    """No widget observes another widget, calls it back or reads it through a lambda: state between
    views goes through ``common.follow`` (or ``link_routine``), so each flow is found by that name."""
    observes, registries, callables = state_wiring(WIDGETS_DIR)
    assert observes - set(ALLOWED_OBSERVES) == set(), "observe another widget with common.follow instead"
    assert set(ALLOWED_OBSERVES) - observes == set(), "an allowed place is gone: take it off the list"
    assert registries == set(), "publish the state on a trait and follow it instead"
    assert callables <= ALLOWED_CALLABLE_PARAMETERS, "hand a view the state (set_routine), not a lambda"


def test_the_dashboards_parts_are_linked_through_follow(catalog) -> None:
    """The flows the rule above leaves to follow still happen: the answers' routine reaches the log too,
    a finished routine reaches the log's message once, a restore builds once (test_connection_notice)."""
    clock = FakeClock(0)
    board = Dashboard(catalog, today=lambda: TODAY, clock=clock)
    board.picker.answer(has_bed=True, **dict.fromkeys(catalog.screenings, False))
    assert board.log_view.routine is board.picker.routine
    board.timer.command("start")
    clock.advance(board.timer.routine.duration() + 1)
    board.timer.command("tick")
    assert "Routine finished" in board.log_view.message.text
    board.log_view.message.clear()
    board.timer.command("tick")  # the same plan again: the log is not told twice
    assert board.log_view.message.text == ""


def test_the_voila_variable_names_are_voilas_own() -> None:
    """The kernel keeps a copy of Voilà's names (importing Voilà there costs seconds): still Voilà's."""
    from voila.utils import ENV_VARIABLE

    from iliopsoas_lib.widgets.voila_env import VoilaEnv

    assert {n.name: ENV_VARIABLE[n.name].value for n in VoilaEnv} == {n.name: n.value for n in VoilaEnv}
