"""The dosage plan: minutes from the timeline, warnings at exactly the guideline's edges, safe bounds.

Pure model tests (no widgets, no documents), so the mutation run of ``iliopsoas_lib/dosage.py`` can use
them alone; the clinicians' panel and the handout are tested in test_clinic.py and test_wiring.py.
"""

from __future__ import annotations

import dataclasses
import math
import re
from datetime import time

import pytest

import iliopsoas_lib as il
from iliopsoas_lib import routine_words
from iliopsoas_lib.dosage import (
    DosageWarning,
    check_sessions_per_week,
    parse_time_of_day,
    plan_dosage,
    warnings_text,
)
from iliopsoas_lib.limits import DEFAULT_SESSIONS_PER_WEEK, DosageError
from iliopsoas_lib.routine import ABILITY_FIELDS, DoseKind
from iliopsoas_lib.weekly_frequency import weekly_goal

ABLE = il.Abilities(**dict.fromkeys(ABILITY_FIELDS, True), conditions=frozenset())
HOLD_TITLE = "Hold each stretch 20 to 30 seconds"
WEEKLY_TITLE = "Stretch two to three times a week"
SOURCES = ("lindberg_verywell", "harvard_stretching", "acsm_garber2011")


def bridge(catalog, **dose: int) -> il.Routine:
    return il.build_routine(catalog, ABLE, only=["glute_bridge"], **dose)


def test_minutes_follow_the_routines_timeline(catalog):
    routine = il.build_routine(catalog, ABLE)
    plan = plan_dosage(catalog, routine, sessions_per_week=4)
    assert plan.minutes_per_session == routine.duration() / 60
    assert plan.minutes_per_week == 4 * routine.duration() / 60
    assert plan.summary() == (
        f"5 stretches: about {routine.duration() / 60:.1f} min a session, "
        f"4 sessions a week = {4 * routine.duration() / 60:.0f} min a week"
    )


def test_a_plan_needs_the_persons_routine_and_defaults_to_three_sessions(catalog):
    """Nothing is assumed: there is no default person whose routine could be dosed."""
    with pytest.raises(DosageError) as info:
        plan_dosage(catalog)
    assert str(info.value) == (
        "plan_dosage needs a routine: build one from the person's answers (build_routine)"
    )
    plan = plan_dosage(catalog, il.build_routine(catalog))
    assert plan.sessions_per_week == DEFAULT_SESSIONS_PER_WEEK == 3
    assert plan.routine.items == () and plan.routine.withheld == routine_words.ANSWER_HEALTH_QUESTIONS
    assert plan.minutes_per_week == 0 and plan.warnings(catalog) == []


def test_a_plan_changes_only_what_it_is_asked_to(catalog):
    routine = il.build_routine(catalog, ABLE, dosage={"glute_bridge": {"hold_seconds": 20}})
    reps = plan_dosage(catalog, routine, repetitions=4).routine
    assert [(i.hold_seconds, i.repetitions) for i in reps.items] == [
        (i.hold_seconds, 4) for i in routine.items
    ]
    holds = plan_dosage(catalog, routine, hold_seconds=25).routine
    assert [(i.hold_seconds, i.repetitions) for i in holds.items] == [
        (25, i.repetitions) for i in routine.items
    ]
    assert dataclasses.replace(holds, items=routine.items) == routine  # choices, answers, gaps kept


def test_a_changed_dose_is_the_clinicians_and_cites_no_source(catalog):
    """A number set for this person was given by no source: the routine must not cite one for it."""
    routine = bridge(catalog)
    (usual,) = routine.items
    assert usual.dose_kind is DoseKind.USUAL and usual.dose_sources
    same = plan_dosage(catalog, routine, hold_seconds=usual.hold_seconds, repetitions=usual.repetitions)
    assert same.routine.items == (usual,)  # nothing changed: still the usual dose, with its sources
    for change in ({"hold_seconds": 45}, {"repetitions": 4}):
        (item,) = plan_dosage(catalog, routine, **change).routine.items
        assert (item.dose_kind, item.dose_sources) == (DoseKind.CLINICIAN, ())


@pytest.mark.parametrize("hold", [20, 30])
def test_a_hold_at_the_edge_of_the_guideline_gives_no_warning(catalog, hold):
    assert plan_dosage(catalog, bridge(catalog), hold_seconds=hold).warnings(catalog) == []


@pytest.mark.parametrize(("hold", "side"), [(19, "below"), (31, "above")])
def test_a_hold_one_second_outside_warns_with_the_guideline_and_its_sources(catalog, hold, side):
    (warning,) = plan_dosage(catalog, bridge(catalog), hold_seconds=hold).warnings(catalog)
    assert warning == DosageWarning(
        "hold", hold, 20, 30, HOLD_TITLE, SOURCES, unit="s", stretches=("Glute bridge",)
    )
    assert str(warning) == (
        f"hold {hold} s for Glute bridge is {side} the guideline of 20-30 s ({HOLD_TITLE}) "
        "[lindberg_verywell, harvard_stretching, acsm_garber2011]"
    )


def test_each_distinct_hold_outside_warns_once_in_order(catalog):
    routine = il.build_routine(
        catalog,
        ABLE,
        hold_seconds=40,
        dosage={"glute_bridge": {"hold_seconds": 10}, "table_psoas": {"hold_seconds": 25}},
    )
    warnings = plan_dosage(catalog, routine).warnings(catalog)
    assert [w.value for w in warnings] == [10, 40]
    assert warnings[0].stretches == ("Glute bridge",)  # each warning names the stretches it is about
    names = tuple(
        i.stretch.name for i in routine.items if i.stretch.id not in {"glute_bridge", "table_psoas"}
    )
    assert warnings[1].stretches == names
    assert f"hold 40 s for {names[0]}, " in str(warnings[1]) and f" and {names[-1]} is above" in str(
        warnings[1]
    )


def test_the_warnings_text_is_the_one_message_panel_and_command_line_show(catalog):
    plan = plan_dosage(catalog, bridge(catalog), hold_seconds=45, sessions_per_week=1)
    hold, weekly = plan.warnings(catalog)
    assert warnings_text([hold, weekly]) == f"Check: {hold}; {weekly}. Your call as the clinician."
    assert warnings_text([]) == ""


def test_a_dose_per_stretch_and_its_reason_in_a_plan(catalog):
    routine = il.build_routine(catalog, ABLE, only=["glute_bridge", "hip_flexor_bed"])
    plan = plan_dosage(
        catalog,
        routine,
        hold_seconds=25,
        dosage={"glute_bridge": {"repetitions": 5}},
        reasons={"glute_bridge": "Strength first."},
    )
    items = {item.stretch.id: item for item in plan.routine.items}
    assert (items["glute_bridge"].hold_seconds, items["glute_bridge"].repetitions) == (25, 5)
    assert items["glute_bridge"].reason == "Strength first." and items["hip_flexor_bed"].reason == ""
    with pytest.raises(KeyError, match="not in this routine"):
        plan_dosage(catalog, routine, dosage={"table_psoas": {"repetitions": 5}})
    with pytest.raises(DosageError, match="unknown setting"):
        plan_dosage(catalog, routine, dosage={"glute_bridge": {"sets": 5}})


@pytest.mark.parametrize(("sessions", "warned"), [(1, True), (2, False), (3, False), (14, False)])
def test_fewer_sessions_than_the_guideline_warn_and_more_do_not(catalog, sessions, warned):
    """The guideline is "at least 2-3 times a week": 2 is enough, more is never a concern."""
    warnings = plan_dosage(catalog, bridge(catalog), sessions_per_week=sessions).warnings(catalog)
    expected = DosageWarning("sessions per week", sessions, 2, 3, WEEKLY_TITLE, SOURCES)
    assert warnings == ([expected] if warned else [])
    if warned:
        assert str(warnings[0]) == (
            f"sessions per week 1 is below the guideline of 2-3 ({WEEKLY_TITLE}) [{', '.join(SOURCES)}]"
        )


def test_a_catalog_without_numeric_guidelines_gives_no_warnings(catalog):
    """A clinician's catalog may drop a guideline or give it no numbers: nothing to check, no crash."""
    plan = plan_dosage(catalog, bridge(catalog), hold_seconds=60, sessions_per_week=1)
    assert len(plan.warnings(catalog)) == 2
    without = dataclasses.replace(catalog, guidelines={})
    assert plan.warnings(without) == []
    wordy = {
        key: dataclasses.replace(catalog.guidelines[key], low=None, high=None)
        for key in ("hold_time", "sessions_per_week")
    }
    assert plan.warnings(dataclasses.replace(catalog, guidelines=wordy)) == []


def test_the_default_sessions_a_week_is_the_top_of_the_weekly_guideline(catalog):
    """The default is a constant (read at import); the guideline is content: they must not drift apart."""
    assert weekly_goal(catalog)[1] == DEFAULT_SESSIONS_PER_WEEK


def test_a_weekly_guideline_with_no_upper_end_warns_in_words(catalog):
    """A guideline of "at least 2 a week" (a stand-in with no ``high``: the schema asks for both ends,
    an object made otherwise may not) still warns, and the warning reads, rather than failing on None."""
    weekly = catalog.guidelines["sessions_per_week"]
    open_ended = dataclasses.make_dataclass("OpenEnded", ["low", "high", "title", "sources"])(
        2, None, weekly.title, weekly.sources
    )
    guidelines = {**catalog.guidelines, "sessions_per_week": open_ended}
    plan = plan_dosage(catalog, bridge(catalog), sessions_per_week=1)
    (warning,) = plan.warnings(dataclasses.replace(catalog, guidelines=guidelines))
    assert str(warning) == (
        f"sessions per week 1 is below the guideline of at least 2 ({WEEKLY_TITLE}) [{', '.join(SOURCES)}]"
    )


@pytest.mark.parametrize("value", [1, 14, 2.0])
def test_sessions_per_week_within_the_bounds_are_whole_numbers(value):
    result = check_sessions_per_week(value)
    assert result == value and type(result) is int


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "sessions_per_week: 0 is outside the range 1-14 sessions a week"),
        (15, "sessions_per_week: 15 is outside the range 1-14 sessions a week"),
        (2.5, "sessions_per_week: expected a whole number of sessions, got 2.5"),
        (True, "sessions_per_week: expected a whole number of sessions, got True"),
        ("3", "sessions_per_week: expected a whole number of sessions, got '3'"),
        (math.inf, "sessions_per_week: expected a whole number of sessions, got inf"),
        (math.nan, "sessions_per_week: expected a whole number of sessions, got nan"),
        pytest.param(
            10**400,
            f"sessions_per_week: {10**400} is outside the range 1-14 sessions a week",
            id="400 digits",
        ),
    ],
)
def test_impossible_sessions_per_week_are_refused_by_name(catalog, value, message):
    with pytest.raises(DosageError) as info:
        plan_dosage(catalog, bridge(catalog), sessions_per_week=value)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hold_seconds": 4}, "hold_seconds: 4 is outside the safe range 5-120 seconds"),
        ({"hold_seconds": 121}, "hold_seconds: 121 is outside the safe range 5-120 seconds"),
        ({"repetitions": 21}, "repetitions: 21 is outside the safe range 1-20 repetitions"),
        ({"repetitions": math.inf}, "repetitions: expected a whole number of repetitions, got inf"),
    ],
)
def test_impossible_doses_are_refused_by_name(catalog, kwargs, message):
    with pytest.raises(DosageError) as info:
        plan_dosage(catalog, bridge(catalog), **kwargs)
    assert str(info.value) == message


def test_the_safe_bounds_themselves_are_accepted(catalog):
    for hold, reps in ((5, 1), (120, 20)):
        (item,) = plan_dosage(catalog, bridge(catalog), hold_seconds=hold, repetitions=reps).routine.items
        assert (item.hold_seconds, item.repetitions) == (hold, reps)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("18:00", time(18, 0)), (" 7:05 ", time(7, 5)), ("0:00", time(0, 0)), ("23:59", time(23, 59))],
)
def test_a_time_of_day_is_read_as_24_hour_hh_mm(typed, expected):
    assert parse_time_of_day(typed) == expected


@pytest.mark.parametrize("bad", ["7pm", "24:00", "18:60", "123:00", "18:5", "18:000", "", None, 1800])
def test_anything_else_is_refused_naming_the_field(bad):
    with pytest.raises(ValueError, match=f"^{re.escape(f'time: expected HH:MM (24-hour), got {bad!r}')}$"):
        parse_time_of_day(bad)
