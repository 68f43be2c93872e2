"""The routine timer, driven by a fake clock: commands, events, and properties that keep it honest."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import iliopsoas_lib as il
from iliopsoas_lib.routine import ABILITY_FIELDS, Gaps, PhaseKind
from iliopsoas_lib.timer import Countdown, FakeClock, PhaseStarted, RoutineDone, StatusChanged, TimerStatus

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
    clock = FakeClock(100.0)
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
    timer = il.RoutineTimer(nothing, FakeClock())
    assert nothing.items == () and timer.status is TimerStatus.DONE and timer.progress() == 1


def test_fake_clock_refuses_to_go_back():
    with pytest.raises(ValueError, match="cannot go back"):
        FakeClock().advance(-1)


# -- properties -------------------------------------------------------------------------------------

commands = st.lists(
    st.tuples(st.sampled_from(["tick", "pause", "resume", "skip", "back"]), st.floats(0, 40)), max_size=40
)


@settings(max_examples=50, deadline=None)  # no deadline: a busy machine must not fail a logic test
@given(script=commands)
def test_remaining_is_never_negative_and_progress_in_range(short, script):
    """What a view shows (progress bar, "next up", time left) is read from one state: it stays in range
    and agrees with the queries and with the timeline at every step of any script of commands."""
    clock, timer, _ = make(short)
    phases = short.phases()
    timer.start()
    for command, wait in script:
        clock.advance(wait)
        getattr(timer, "update" if command == "tick" else command)()
        state = timer.state()
        assert state.remaining_in_phase >= 0 and state.remaining_overall >= 0
        assert 0 <= state.progress <= 1
        assert state.remaining_in_phase <= state.phase.duration
        phase = state.phase
        assert state.status is timer.status and phase == timer.phase() == phases[phase.index]
        after = phases[phase.index + 1] if phase.kind is not PhaseKind.DONE else None
        assert state.next_phase == timer.next_phase() == after
        assert phase.start <= state.elapsed_overall <= phase.end
        assert state.remaining_in_phase == pytest.approx(phase.end - state.elapsed_overall, abs=1e-9)
        assert state.remaining_in_phase == timer.remaining_in_phase()
        assert state.remaining_overall == pytest.approx(55 - state.elapsed_overall, abs=1e-9)
        assert state.remaining_overall == timer.remaining_overall()
        assert state.progress == pytest.approx(state.elapsed_overall / 55) == timer.progress()
        assert state.elapsed_overall == timer.elapsed_overall()


@settings(deadline=None)
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


@settings(deadline=None)
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
    clock = FakeClock(0.0)
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


# -- what a mutation run showed no test pinned down ---------------------------------------------------


class NoClock:
    """A clock that must not be read: every call below passes ``now`` itself."""

    def now(self) -> float:
        raise AssertionError("the timer read its clock although it was given now")


def test_every_method_takes_now_instead_of_the_clock(short):
    """The model is clock-injected: a view (or a test) may pass the time and the clock is never read."""
    timer = il.RoutineTimer(short, NoClock())
    assert timer.start(now=1000.0)[0] == StatusChanged(TimerStatus.RUNNING)
    assert timer.update(now=1007.0)[0].phase.index == 1
    assert (timer.phase(1007.0).index, timer.next_phase(1007.0).index) == (1, 2)
    assert (timer.remaining_in_phase(1007.0), timer.elapsed_overall(1007.0)) == (8.0, 7.0)
    assert (timer.remaining_overall(1007.0), timer.progress(1007.0)) == (48.0, 7 / 55)
    assert timer.state(1007.0).elapsed_overall == 7.0
    assert timer.pause(now=1009.0) == [StatusChanged(TimerStatus.PAUSED)]
    assert timer.resume(now=2000.0) == [StatusChanged(TimerStatus.RUNNING)]
    assert timer.remaining_in_phase(2001.0) == 5.0  # 2 s held before the pause, 1 s after
    assert timer.toggle(now=2001.0) == [StatusChanged(TimerStatus.PAUSED)]
    assert timer.toggle(now=2100.0) == [StatusChanged(TimerStatus.RUNNING)]
    assert [e.phase.index for e in timer.skip(now=2100.0)] == [2]
    assert [e.phase.index for e in timer.back(now=2101.0)] == [1]
    assert timer.remaining_in_phase(2103.0) == 8.0  # back restarts the phase at the time given
    fresh = il.RoutineTimer(short, NoClock())
    assert fresh.toggle(now=5.0)[0] == StatusChanged(TimerStatus.RUNNING) and fresh.elapsed_overall(6.0) == 1


def test_a_timer_runs_a_hand_made_timeline_and_refuses_one_without_an_end(short):
    hold = short.phases()[1]
    done = short.phases()[-1]
    timer = il.RoutineTimer([hold, done], FakeClock())
    assert timer.phases == (hold, done) and timer.total == done.start
    for phases in ([], [hold], (done, hold)):
        with pytest.raises(ValueError) as info:
            il.RoutineTimer(phases, FakeClock())
        assert str(info.value) == "a timeline must end with a DONE phase (use Routine.phases())"


def test_a_timeline_that_starts_with_a_hold_counts_down_too():
    hold = il.Phase(PhaseKind.HOLD, 5.0, 0.0, "bridge", "Glute bridge", None, 1, 1)
    timer = il.RoutineTimer([hold, il.Phase(PhaseKind.DONE, 0.0, 5.0)], FakeClock())
    timer.start(now=0.0)
    assert timer.update(now=2.5) == [Countdown(hold, 3)]
    assert timer.update(now=2.6) == []  # still 3: said once
    assert timer.update(now=3.5) == [Countdown(hold, 2)]


def test_the_default_clocks(short):
    assert isinstance(il.RoutineTimer(short).clock, il.MonotonicClock)
    before = time.monotonic()
    reading = il.MonotonicClock().now()
    assert before <= reading <= time.monotonic()
    clock = FakeClock()
    assert clock.now() == 0.0 and clock.advance(0) == 0.0 and clock.advance(2.5) == 2.5 == clock.now()
    assert FakeClock(7).now() == 7.0
    with pytest.raises(ValueError) as info:
        clock.advance(-0.5)
    assert str(info.value) == "a monotonic clock cannot go back (advance by -0.5)"


def test_a_tick_exactly_at_a_phase_end_is_already_in_the_next_phase(short):
    clock, timer, _ = make(short)
    timer.start()
    clock.advance(5.0)  # get ready lasts exactly 5 s
    assert timer.phase().index == 1 and timer.remaining_in_phase() == 10.0
    clock.advance(9.5)
    assert timer.remaining_in_phase() == 0.5 and timer.next_phase().kind is PhaseKind.SWITCH_SIDE
    clock.advance(0.5)
    assert timer.phase().index == 2 and timer.remaining_in_phase() == 3.0


def test_the_countdown_starts_exactly_three_seconds_before_a_hold_ends(short):
    clock, timer, _ = make(short)
    timer.start()
    clock.advance(5 + 6.9)
    assert timer.update() == [PhaseStarted(short.phases()[1], short.phases()[1].describe())]
    clock.advance(0.1)  # exactly 3.0 s left
    assert timer.update() == [Countdown(short.phases()[1], 3)]


def test_a_countdown_is_armed_again_after_skip_or_back_into_a_hold(short):
    clock, timer, _ = make(short)
    timer.start()
    timer.skip()
    counts = []
    for _ in range(20):
        clock.advance(0.5)
        counts += [e.seconds_left for e in timer.update() if isinstance(e, Countdown)]
    assert counts == [3, 2, 1] and timer.phase().kind is PhaseKind.SWITCH_SIDE
    timer.back()  # the same hold again: its countdown is heard again
    clock.advance(7.5)
    assert timer.update() == [Countdown(short.phases()[1], 3)]


def test_commands_return_what_they_did_and_listeners_hear_the_same(short):
    clock, timer, heard = make(short)
    phases = short.phases()
    assert timer.finished_at is None
    assert timer.start() == [
        StatusChanged(TimerStatus.RUNNING),
        PhaseStarted(phases[0], "Get ready: Standing hip flexor stretch"),
    ]
    assert timer.start() == [] and timer.resume() == []  # already running
    assert timer.pause() == [StatusChanged(TimerStatus.PAUSED)] and timer.pause() == []
    assert timer.resume() == [StatusChanged(TimerStatus.RUNNING)]
    clock.advance(60)  # past the end, no tick: back() first notices the end, then steps back
    ended = [
        PhaseStarted(phases[-1], "Routine complete. Well done."),
        StatusChanged(TimerStatus.DONE),
        RoutineDone(155.0),
    ]
    assert timer.back() == [
        *ended,
        StatusChanged(TimerStatus.PAUSED),
        PhaseStarted(phases[-2], "Hold: Standing hip flexor stretch, right hip, 2 of 2"),
    ]
    assert timer.finished_at is None and timer.status is TimerStatus.PAUSED
    assert timer.skip() == [*ended[:2], RoutineDone(160.0)]  # finished when skipped, not when planned
    assert timer.skip() == [] and timer.update() == [] and timer.pause() == []  # nothing after the end
    assert timer.reset() == [StatusChanged(TimerStatus.READY)] and timer.finished_at is None
    assert heard == [
        e
        for e in (
            StatusChanged(TimerStatus.RUNNING),
            PhaseStarted(phases[0], "Get ready: Standing hip flexor stretch"),
            StatusChanged(TimerStatus.PAUSED),
            StatusChanged(TimerStatus.RUNNING),
            *ended,
            StatusChanged(TimerStatus.PAUSED),
            PhaseStarted(phases[-2], "Hold: Standing hip flexor stretch, right hip, 2 of 2"),
            PhaseStarted(phases[-1], "Routine complete. Well done."),
            StatusChanged(TimerStatus.DONE),
            RoutineDone(160.0),
            StatusChanged(TimerStatus.READY),
        )
    ]


def test_a_tick_that_finishes_the_routine_during_pause_leaves_it_done(short):
    clock, timer, _ = make(short)
    timer.start()
    clock.advance(56)
    events = timer.pause()
    assert [type(e) for e in events] == [PhaseStarted, StatusChanged, RoutineDone]
    assert timer.status is TimerStatus.DONE and timer.finished_at == 155.0


def test_back_at_the_first_phase_restarts_it(short):
    clock, timer, _ = make(short)
    timer.start()
    clock.advance(3)
    assert [e.phase.index for e in timer.back()] == [0]
    assert timer.remaining_in_phase() == 5.0 and timer.status is TimerStatus.RUNNING


def test_an_empty_timeline_is_done_and_its_state_says_so(catalog):
    timer = il.RoutineTimer(il.build_routine(catalog), FakeClock())
    assert timer.reset() == [StatusChanged(TimerStatus.DONE)]
    state = timer.state()
    assert (state.status, state.next_phase, state.progress) == (TimerStatus.DONE, None, 1.0)
    assert (state.remaining_in_phase, state.remaining_overall, state.elapsed_overall) == (0.0, 0.0, 0.0)


def test_unsubscribing_twice_is_harmless(short):
    _clock, timer, _ = make(short)
    heard: list = []
    stop = timer.subscribe(heard.append)
    stop()
    stop()
    timer.start()
    assert heard == []


# -- the plan a browser plays, and a position it gives back -------------------------------------------


def emitted_cues(timer: il.RoutineTimer, clock: FakeClock, step: float = 0.125) -> list[tuple[float, str]]:
    """(seconds from now, cue name) of every sound the model's own events call for, ticked every
    ``step`` seconds to the end: what a browser playing the plan must reproduce without any tick."""
    start, out = clock.now(), []
    while timer.status is TimerStatus.RUNNING:
        clock.advance(step)
        for event in timer.update():
            if isinstance(event, Countdown):
                out.append((clock.now() - start, "count"))
            elif isinstance(event, PhaseStarted):
                out.append((clock.now() - start, "done" if event.phase.kind is PhaseKind.DONE else "phase"))
    return out


@pytest.mark.parametrize("into", [0.0, 2.3, 7.5, 13.2, 15.0, 54.9])
def test_a_plan_lists_the_phases_ahead_and_exactly_the_cues_the_model_would_emit(short, into) -> None:
    clock, timer, _ = make(short)
    timer.start()
    clock.advance(into)
    timer.update()  # what has been sounded by now is in the past, for the model and for the plan
    plan = timer.plan()
    index = timer.phase().index
    assert (plan.status, plan.index, plan.total) == (TimerStatus.RUNNING, index, 55)
    assert plan.elapsed == pytest.approx(into - timer.phases[index].start)
    assert plan.phases == timer.phases[index:] and plan.phases[-1].kind is PhaseKind.DONE
    assert all(cue.at > 0 for cue in plan.cues)
    expected = emitted_cues(timer, clock)
    assert [cue.name.value for cue in plan.cues] == [name for _, name in expected]
    for cue, (at, _) in zip(plan.cues, expected, strict=True):
        assert at - 0.125 - 1e-9 <= cue.at <= at + 1e-9  # the tick that emitted it came at most one step late


def test_a_plan_is_a_pure_query(short) -> None:
    clock, timer, events = make(short)
    timer.start()
    clock.advance(20)
    before = len(events)
    first = timer.plan()
    assert timer.plan() == first and len(events) == before  # nothing committed, nothing emitted
    assert first.index == 3 and first.elapsed == pytest.approx(2)  # 5 + 10 + 3 = 18 s before this hold
    assert timer.plan(now=clock.now() + 1).elapsed == pytest.approx(3)


def test_a_paused_ready_or_done_plan_stays_where_it_is_and_makes_no_sound(short) -> None:
    clock, timer, _ = make(short)
    ready = timer.plan()
    assert (ready.status, ready.index, ready.elapsed, ready.cues) == (TimerStatus.READY, 0, 0, ())
    timer.start()
    clock.advance(8)
    timer.pause()
    clock.advance(100)
    paused = timer.plan()
    assert (paused.status, paused.index, paused.cues) == (TimerStatus.PAUSED, 1, ())
    assert paused.elapsed == pytest.approx(3)
    timer.resume()
    clock.advance(60)
    timer.update()
    done = timer.plan()
    assert (done.status, done.phases, done.cues) == (TimerStatus.DONE, timer.phases[-1:], ())


def test_a_hold_shorter_than_the_countdown_counts_only_what_fits():
    phases = (
        il.Phase(PhaseKind.HOLD, 2.0, 0.0, stretch_id="x", stretch_name="X", index=0),
        il.Phase(PhaseKind.DONE, 0.0, 2.0, index=1),
    )
    clock = FakeClock(0)
    timer = il.RoutineTimer(phases, clock)
    timer.start()
    assert [(c.at, c.name.value) for c in timer.plan(now=0.5).cues] == [(0.5, "count"), (1.5, "done")]


def test_the_signature_names_the_timeline_not_the_words(catalog, short) -> None:
    same = il.build_routine(
        catalog,
        EVERYTHING,
        only=["standing_hip_flexor"],
        hold_seconds=10,
        repetitions=2,
        gaps=Gaps(get_ready=5, switch_side=3, rest=4),
    )
    longer = il.build_routine(
        catalog, EVERYTHING, only=["standing_hip_flexor"], hold_seconds=11, repetitions=2, gaps=short.gaps
    )
    signature = il.RoutineTimer(short).signature
    assert il.RoutineTimer(same).signature == signature and len(signature) == 16
    assert il.RoutineTimer(longer).signature != signature
    reworded = tuple(
        il.Phase(p.kind, p.duration, p.start, p.stretch_id, "Another name", p.side, p.repetition,
                 p.repetitions, p.index, "another cue")
        for p in short.phases()
    )  # fmt: skip
    assert il.RoutineTimer(reworded).signature == signature


def test_restore_running_takes_the_same_position_as_running_there(short) -> None:
    clock, timer, events = make(short)
    walked = il.RoutineTimer(short, FakeClock(100.0))
    walked.start()
    walked.clock.advance(26.5)  # 5 + 10 + 3 + 8.5: the second hold, 1.5 s left
    events.clear()
    timer.restore(3, 8.5, running=True)
    assert timer.status is TimerStatus.RUNNING and timer.state() == walked.state()
    assert [type(e) for e in events] == [StatusChanged, PhaseStarted, Countdown]  # 2 s left: "2" due now
    assert events[0].status is TimerStatus.RUNNING and events[-1].seconds_left == 2
    clock.advance(1.5)
    walked.clock.advance(1.5)
    assert timer.state() == walked.state() and timer.phase().kind is PhaseKind.REST


def test_restore_paused_holds_there(short) -> None:
    clock, timer, _ = make(short)
    timer.start()
    clock.advance(40)
    timer.restore(1, 4.0, running=False)
    clock.advance(30)
    plan = timer.plan()
    assert (plan.status, plan.index, plan.elapsed) == (TimerStatus.PAUSED, 1, 4.0)
    timer.resume()
    clock.advance(1)
    assert timer.remaining_in_phase() == pytest.approx(5)


def test_restore_past_the_end_finishes_at_the_exact_time(short) -> None:
    _, timer, events = make(short)
    timer.restore(0, 60.0, running=True, now=200.0)  # a page closed for a minute: 55 s routine, 5 s ago
    assert timer.status is TimerStatus.DONE and timer.finished_at == 195.0
    assert isinstance(events[-1], RoutineDone) and events[-1].finished_at == 195.0


@pytest.mark.parametrize(
    ("index", "elapsed", "words"),
    [(-1, 0.0, "phase index"), (8, 0.0, "phase index"), (True, 0.0, "phase index"), ("1", 0.0, "phase index"),
     (1, -0.5, "elapsed"), (1, float("nan"), "elapsed"), (1, float("inf"), "elapsed"), (1, "3", "elapsed"),
     pytest.param(1, 10**400, "elapsed", id="400 digits")],
)  # fmt: skip
def test_restore_refuses_a_position_outside_the_timeline(short, index, elapsed, words) -> None:
    _, timer, events = make(short)
    with pytest.raises(ValueError, match=words):
        timer.restore(index, elapsed, running=True)
    assert timer.status is TimerStatus.READY and events == []
