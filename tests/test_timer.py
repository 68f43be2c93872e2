"""The routine timer, driven by a fake clock: commands, events, and properties that keep it honest."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import iliopsoas_lib as il
from iliopsoas_lib.routine import ABILITY_FIELDS, Gaps, PhaseKind
from iliopsoas_lib.timer import Countdown, PhaseStarted, RoutineDone, StatusChanged, TimerStatus

#: Someone who can do every stretch and answered "no" to every health question.
EVERYTHING = il.Abilities(**dict.fromkeys(ABILITY_FIELDS, True), conditions=frozenset())


@pytest.fixture(scope="module")
def short(catalog):
    """Standing stretch only, 2 x 10 s each side: 5 + 10 + 3 + 10 + 4 + 10 + 3 + 10 = 55 s.

    A routine is immutable, so one per module is safe.
    """
    return il.build_routine(
        catalog,
        EVERYTHING,
        only=["standing_hip_flexor"],
        hold_seconds=10,
        repetitions=2,
        gaps=Gaps(get_ready=5, switch_side=3, rest=4),
    )


def make(routine):
    clock = il.FakeClock(100.0)
    timer = il.RoutineTimer(routine, clock)
    events: list = []
    timer.subscribe(events.append)
    return clock, timer, events


def test_counts_down_through_phases(short):
    clock, timer, events = make(short)
    assert short.duration() == 55
    assert timer.status is TimerStatus.READY and timer.remaining_overall() == 55
    timer.start()
    assert timer.phase().kind is PhaseKind.GET_READY and timer.remaining_in_phase() == 5
    clock.advance(2)
    assert timer.remaining_in_phase() == 3 and timer.remaining_overall() == 53
    clock.advance(3.5)
    timer.update()
    phase = timer.phase()
    assert (phase.kind, phase.side, phase.repetition) == (PhaseKind.HOLD, "left", 1)
    assert timer.remaining_in_phase() == pytest.approx(9.5)
    assert timer.next_phase().kind is PhaseKind.SWITCH_SIDE
    assert timer.progress() == pytest.approx(5.5 / 55)
    assert [type(e) for e in events] == [StatusChanged, PhaseStarted, PhaseStarted]
    assert events[-1].message == "Hold: Standing hip flexor stretch, left hip, 1 of 2"


def test_countdown_three_two_one_before_a_hold_ends(short):
    clock, timer, events = make(short)
    timer.start()
    for _ in range(150):  # 15 s in 0.1 s ticks: get ready (5) + the first hold (10)
        clock.advance(0.1)
        timer.update()
    counts = [e.seconds_left for e in events if isinstance(e, Countdown)]
    assert counts == [3, 2, 1]
    assert all(e.phase.kind is PhaseKind.HOLD for e in events if isinstance(e, Countdown))


def test_a_missed_countdown_is_not_replayed(short):
    clock, timer, events = make(short)
    timer.start()
    clock.advance(5 + 10 - 1.5)  # one late tick lands with 1.5 s left
    timer.update()
    assert [e.seconds_left for e in events if isinstance(e, Countdown)] == [2]


def test_done_event_and_exact_finish_time(short):
    clock, timer, events = make(short)
    timer.start()
    clock.advance(500)  # one very late tick
    timer.update()
    assert timer.status is TimerStatus.DONE and timer.remaining_overall() == 0 and timer.progress() == 1
    assert timer.finished_at == 155.0
    assert isinstance(events[-1], RoutineDone) and events[-1].finished_at == 155.0
    assert [e.phase.kind for e in events if isinstance(e, PhaseStarted)][-1] is PhaseKind.DONE


def test_pause_holds_and_resume_continues(short):
    clock, timer, _ = make(short)
    timer.start()
    clock.advance(7)
    timer.pause()
    held = (timer.phase(), timer.remaining_in_phase(), timer.remaining_overall())
    clock.advance(1000)
    assert (timer.phase(), timer.remaining_in_phase(), timer.remaining_overall()) == held
    assert timer.update() == []
    timer.resume()
    clock.advance(1)
    assert timer.remaining_overall() == pytest.approx(held[2] - 1)


def test_skip_and_back(short):
    clock, timer, events = make(short)
    timer.start()
    clock.advance(2)
    timer.skip()
    assert timer.phase().index == 1 and timer.remaining_in_phase() == 10
    timer.skip()
    assert timer.phase().kind is PhaseKind.SWITCH_SIDE
    timer.back()
    assert timer.phase().index == 1 and timer.remaining_in_phase() == 10
    assert [e.phase.index for e in events if isinstance(e, PhaseStarted)] == [0, 1, 2, 1]


def test_skip_to_the_end_then_back(short):
    _clock, timer, _ = make(short)
    timer.start()
    for _ in range(len(timer.phases)):
        timer.skip()
    assert timer.status is TimerStatus.DONE
    timer.back()
    assert timer.status is TimerStatus.PAUSED and timer.phase().index == len(timer.phases) - 2


def test_skip_and_back_before_start_choose_where_to_begin(short):
    clock, timer, _ = make(short)
    timer.skip()
    assert timer.status is TimerStatus.READY and timer.phase().index == 1
    timer.start()
    clock.advance(1)
    assert timer.remaining_in_phase() == 9


def test_reset_and_toggle(short):
    clock, timer, _ = make(short)
    timer.toggle()
    assert timer.status is TimerStatus.RUNNING
    clock.advance(20)
    timer.toggle()
    assert timer.status is TimerStatus.PAUSED
    timer.toggle()
    assert timer.status is TimerStatus.RUNNING
    timer.reset()
    assert timer.status is TimerStatus.READY and timer.phase().index == 0 and timer.remaining_overall() == 55


def test_unsubscribe(short):
    _clock, timer, events = make(short)
    other: list = []
    stop = timer.subscribe(other.append)
    timer.start()
    stop()
    timer.skip()
    assert len(other) == 2 and len(events) == 3


def test_empty_routine_is_done_at_once(catalog):
    nothing = il.build_routine(catalog, il.Abilities(can_kneel=True, has_table=True, conditions=frozenset()))
    timer = il.RoutineTimer(nothing, il.FakeClock())
    assert nothing.items == () and timer.status is TimerStatus.DONE and timer.progress() == 1


def test_fake_clock_refuses_to_go_back():
    with pytest.raises(ValueError, match="cannot go back"):
        il.FakeClock().advance(-1)


# -- properties -------------------------------------------------------------------------------------

commands = st.lists(
    st.tuples(st.sampled_from(["tick", "pause", "resume", "skip", "back"]), st.floats(0, 40)), max_size=40
)


@given(script=commands)
def test_remaining_is_never_negative_and_progress_in_range(short, script):
    clock, timer, _ = make(short)
    timer.start()
    for command, wait in script:
        clock.advance(wait)
        getattr(timer, "update" if command == "tick" else command)()
        state = timer.state()
        assert state.remaining_in_phase >= 0 and state.remaining_overall >= 0
        assert 0 <= state.progress <= 1
        assert state.remaining_in_phase <= state.phase.duration


@given(before=st.floats(0, 54), paused_for=st.floats(0, 10_000))
def test_pausing_consumes_no_routine_time(short, before, paused_for):
    clock, timer, _ = make(short)
    timer.start()
    clock.advance(before)
    timer.update()
    remaining = timer.remaining_overall()
    timer.pause()
    clock.advance(paused_for)
    timer.update()
    timer.resume()
    assert timer.remaining_overall() == pytest.approx(remaining)


@given(start_at=st.floats(0, 54), paused=st.booleans())
def test_skip_then_back_returns_to_the_same_phase(short, start_at, paused):
    clock, timer, _ = make(short)
    timer.start()
    clock.advance(start_at)
    timer.update()
    if paused:
        timer.pause()
    here = timer.phase()
    if here.kind is PhaseKind.DONE:
        return
    timer.skip()
    timer.back()
    assert timer.phase() == here


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), max_late=st.floats(0.05, 2.0))
def test_randomly_late_ticks_never_drift(catalog, seed, max_late):
    routine = il.build_routine(catalog, EVERYTHING)
    rng = random.Random(seed)
    clock = il.FakeClock(0.0)
    timer = il.RoutineTimer(routine, clock)
    timer.start()
    ticks = 0
    while timer.status is not TimerStatus.DONE:
        clock.advance(0.25 + rng.uniform(0, max_late))  # a 250 ms tick, randomly late
        timer.update()
        ticks += 1
    assert abs(timer.finished_at - routine.duration()) <= 0.05
    assert clock.now() - routine.duration() <= 0.25 + max_late  # noticed within one tick
    assert ticks > 100
