"""The routine timer: a pure state machine over a routine's phases, driven by an injected clock.

Nothing here sleeps or reads the wall clock. A view calls :meth:`RoutineTimer.update` whenever it
likes (a browser ``Play`` widget, an asyncio task, a test); the timer works out where it is from the
clock alone. It keeps an *anchor* (the clock time at which the current phase started, shifted by
pauses) and never adds up tick intervals, so ticks that arrive late or not at all cannot make it drift.

Queries (``remaining_in_phase``, ``progress`` ...) are pure: they compute the position for ``now``
without changing state. :meth:`update` commits the position and emits events to subscribers.

A player with a clock of its own (the browser) asks for :meth:`RoutineTimer.plan`: the position and
everything ahead, cue times included, so it can play until the next command without asking again; and
gives a position back with :meth:`RoutineTimer.restore` (a reloaded page, a pause made offline).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from .limits import finite_number
from .routine import Phase, PhaseKind, Routine

COUNTDOWN_FROM = 3


class Clock(Protocol):
    """Anything with a ``now()`` in seconds that never goes backwards."""

    def now(self) -> float: ...


class MonotonicClock:
    """The real clock: :func:`time.monotonic`, immune to wall-clock changes."""

    def now(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock that moves only when told to, for tests and for deterministic notebook output."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError(f"a monotonic clock cannot go back (advance by {seconds})")
        self._now += seconds
        return self._now


class TimerStatus(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"


@dataclass(frozen=True)
class PhaseStarted:
    """A new phase is now current (after a tick, skip, back or start)."""

    phase: Phase
    message: str


@dataclass(frozen=True)
class Countdown:
    """``seconds_left`` (3, 2 or 1) whole seconds remain in a hold."""

    phase: Phase
    seconds_left: int


@dataclass(frozen=True)
class RoutineDone:
    """The last phase ended. ``finished_at`` is the exact clock time, however late the tick was."""

    finished_at: float


@dataclass(frozen=True)
class StatusChanged:
    status: TimerStatus


TimerEvent = PhaseStarted | Countdown | RoutineDone | StatusChanged


class CueName(StrEnum):
    """The three sounds of a routine: a phase begins, a hold counts down, the routine is over."""

    PHASE = "phase"
    COUNT = "count"
    DONE = "done"


@dataclass(frozen=True)
class Cue:
    """A sound due ``at`` seconds after the moment a :class:`TimerPlan` was made."""

    at: float
    name: CueName


@dataclass(frozen=True)
class TimerPlan:
    """Where the timer is at one moment and everything that follows, for a player with its own clock.

    A browser that holds this plan can count down, announce each phase and schedule every cue without
    asking anyone, until the next command: the model stays the one source of the timeline, and the
    player only adds its own elapsed time. ``phases`` runs from the current phase (``index`` in the whole
    timeline) to the done phase; ``cues`` are given only while running (a paused timer makes no sound).
    ``signature`` names the routine's timeline, so a stored position is only ever applied to the same one.
    """

    status: TimerStatus
    index: int
    elapsed: float
    phases: tuple[Phase, ...]
    cues: tuple[Cue, ...]
    total: float
    signature: str


Listener = Callable[[TimerEvent], None]


@dataclass(frozen=True)
class TimerState:
    """Everything a view shows, read at one instant so the numbers agree with each other."""

    status: TimerStatus
    phase: Phase
    next_phase: Phase | None
    remaining_in_phase: float
    remaining_overall: float
    elapsed_overall: float
    progress: float


class RoutineTimer:
    """Walks a routine's phases: start, pause, resume, skip, back, reset.

    ``clock`` defaults to :class:`MonotonicClock`. Every method that depends on time takes an optional
    ``now``; when omitted the clock is read. Listeners added with :meth:`subscribe` receive
    :class:`PhaseStarted`, :class:`Countdown` (3-2-1 before a hold ends), :class:`RoutineDone` and
    :class:`StatusChanged` events.
    """

    def __init__(self, routine: Routine | Sequence[Phase], clock: Clock | None = None) -> None:
        self.phases: tuple[Phase, ...] = routine.phases() if isinstance(routine, Routine) else tuple(routine)
        if not self.phases or self.phases[-1].kind is not PhaseKind.DONE:
            raise ValueError("a timeline must end with a DONE phase (use Routine.phases())")
        self.clock: Clock = clock or MonotonicClock()
        self.total = self.phases[-1].start
        self.signature = timeline_signature(self.phases)
        self._listeners: list[Listener] = []
        self._reset_state()

    def _reset_state(self) -> None:
        self._status = TimerStatus.READY
        self._index = 0
        self._anchor = 0.0  # clock time at which the current phase (re)started; valid when running
        self._held = 0.0  # elapsed in the current phase while not running
        self._counted = COUNTDOWN_FROM + 1  # smallest countdown number already emitted for this phase
        self.finished_at: float | None = None
        if self.phases[0].kind is PhaseKind.DONE:
            self._status = TimerStatus.DONE

    # -- events -----------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every event; returns a function that unsubscribes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _emit(self, events: list[TimerEvent]) -> list[TimerEvent]:
        for event in events:
            for listener in list(self._listeners):
                listener(event)
        return events

    # -- pure queries -----------------------------------------------------------------------------

    def _now(self, now: float | None) -> float:
        return self.clock.now() if now is None else now

    def _position(self, now: float) -> tuple[int, float]:
        """(phase index, seconds elapsed in it) at ``now``, without changing anything."""
        if self._status is not TimerStatus.RUNNING:
            return self._index, self._held
        index, elapsed = self._index, max(0.0, now - self._anchor)
        last = len(self.phases) - 1
        while index < last and elapsed >= self.phases[index].duration:
            elapsed -= self.phases[index].duration
            index += 1
        return index, (0.0 if index == last else elapsed)

    @property
    def status(self) -> TimerStatus:
        return self._status

    def phase(self, now: float | None = None) -> Phase:
        return self.phases[self._position(self._now(now))[0]]

    def next_phase(self, now: float | None = None) -> Phase | None:
        index = self._position(self._now(now))[0]
        return self.phases[index + 1] if index + 1 < len(self.phases) else None

    def remaining_in_phase(self, now: float | None = None) -> float:
        index, elapsed = self._position(self._now(now))
        return max(0.0, self.phases[index].duration - elapsed)

    def elapsed_overall(self, now: float | None = None) -> float:
        index, elapsed = self._position(self._now(now))
        return min(self.total, self.phases[index].start + elapsed)

    def remaining_overall(self, now: float | None = None) -> float:
        return max(0.0, self.total - self.elapsed_overall(now))

    def progress(self, now: float | None = None) -> float:
        """Share of the routine's time done, 0 to 1."""
        return 1.0 if self.total == 0 else self.elapsed_overall(now) / self.total

    def state(self, now: float | None = None) -> TimerState:
        now = self._now(now)
        index, elapsed = self._position(now)
        phase = self.phases[index]
        done_so_far = min(self.total, phase.start + elapsed)
        return TimerState(
            status=self._status,
            phase=phase,
            next_phase=self.phases[index + 1] if index + 1 < len(self.phases) else None,
            remaining_in_phase=max(0.0, phase.duration - elapsed),
            remaining_overall=max(0.0, self.total - done_so_far),
            elapsed_overall=done_so_far,
            progress=1.0 if self.total == 0 else done_so_far / self.total,
        )

    def plan(self, now: float | None = None) -> TimerPlan:
        """The position at ``now`` and the phases and cues ahead, without changing anything.

        Cue times follow the model's own events: a phase cue at each phase start (the done cue at the
        end), and a count cue at 3, 2 and 1 s before each hold ends (those that fit in the hold). Only
        cues still to come are listed; the cue of the phase already under way is the player's to sound.
        """
        index, elapsed = self._position(self._now(now))
        ahead = self.phases[index:]
        cues: list[Cue] = []
        if self._status is TimerStatus.RUNNING:
            start = -elapsed
            for phase in ahead:
                if phase.index != index:
                    name = CueName.DONE if phase.kind is PhaseKind.DONE else CueName.PHASE
                    cues.append(Cue(start, name))
                if phase.kind is PhaseKind.HOLD:
                    for number in range(min(COUNTDOWN_FROM, math.ceil(phase.duration)), 0, -1):
                        at = start + phase.duration - number
                        if at > 0:
                            cues.append(Cue(at, CueName.COUNT))
                start += phase.duration
        return TimerPlan(self._status, index, elapsed, ahead, tuple(cues), self.total, self.signature)

    # -- commands ---------------------------------------------------------------------------------

    def update(self, now: float | None = None) -> list[TimerEvent]:
        """Catch up with the clock: move past finished phases and emit what happened.

        After a late tick that crossed several phases only the phase now current is announced;
        a countdown is emitted once per number, and only the latest one when several were missed.
        """
        if self._status is not TimerStatus.RUNNING:
            return []
        now = self._now(now)
        events: list[TimerEvent] = []
        index, elapsed = self._position(now)
        if index != self._index:
            self._anchor = self._anchor_of(index)
            self._index = index
            self._counted = COUNTDOWN_FROM + 1
            events += self._enter_phase()
        phase = self.phases[self._index]
        if self._status is TimerStatus.RUNNING and phase.kind is PhaseKind.HOLD:
            remaining = phase.duration - elapsed
            if 0 < remaining <= COUNTDOWN_FROM:
                number = math.ceil(remaining)
                if number < self._counted:
                    self._counted = number
                    events.append(Countdown(phase, number))
        return self._emit(events)

    def _anchor_of(self, index: int) -> float:
        """The exact clock time at which phase ``index`` began, from the current anchor."""
        return self._anchor + sum(p.duration for p in self.phases[self._index : index])

    def _enter_phase(self) -> list[TimerEvent]:
        phase = self.phases[self._index]
        events: list[TimerEvent] = [PhaseStarted(phase, phase.describe())]
        if phase.kind is PhaseKind.DONE:
            self._status = TimerStatus.DONE
            self.finished_at = self._anchor
            events += [StatusChanged(TimerStatus.DONE), RoutineDone(self._anchor)]
        return events

    def start(self, now: float | None = None) -> list[TimerEvent]:
        """Start from the current phase (the first, unless skip/back moved it before starting)."""
        if self._status is not TimerStatus.READY:
            return []
        now = self._now(now)
        self._status = TimerStatus.RUNNING
        self._anchor = now - self._held
        phase = self.phases[self._index]
        return self._emit([StatusChanged(TimerStatus.RUNNING), PhaseStarted(phase, phase.describe())])

    def pause(self, now: float | None = None) -> list[TimerEvent]:
        if self._status is not TimerStatus.RUNNING:
            return []
        now = self._now(now)
        events = self.update(now)
        if self._status is not TimerStatus.RUNNING:
            return events
        self._held = max(0.0, now - self._anchor)
        self._status = TimerStatus.PAUSED
        return events + self._emit([StatusChanged(TimerStatus.PAUSED)])

    def resume(self, now: float | None = None) -> list[TimerEvent]:
        if self._status is not TimerStatus.PAUSED:
            return []
        self._anchor = self._now(now) - self._held
        self._status = TimerStatus.RUNNING
        return self._emit([StatusChanged(TimerStatus.RUNNING)])

    def toggle(self, now: float | None = None) -> list[TimerEvent]:
        """Start, pause or resume: what one button or the space bar does."""
        if self._status is TimerStatus.READY:
            return self.start(now)
        if self._status is TimerStatus.RUNNING:
            return self.pause(now)
        return self.resume(now)

    def skip(self, now: float | None = None) -> list[TimerEvent]:
        """Go to the start of the next phase. Skipping the last one finishes the routine."""
        return self._jump(+1, now)

    def back(self, now: float | None = None) -> list[TimerEvent]:
        """Go to the start of the previous phase (or restart the first). From done, back is paused."""
        return self._jump(-1, now)

    def _jump(self, step: int, now: float | None) -> list[TimerEvent]:
        now = self._now(now)
        events = self.update(now)
        last = len(self.phases) - 1
        target = min(last, max(0, self._index + step))
        if step > 0 and self._status is TimerStatus.DONE:
            return events
        if self._status is TimerStatus.DONE:
            self._status = TimerStatus.PAUSED
            self.finished_at = None
            events += self._emit([StatusChanged(TimerStatus.PAUSED)])
        self._index, self._held, self._anchor = target, 0.0, now
        self._counted = COUNTDOWN_FROM + 1
        return events + self._emit(self._enter_phase())

    def restore(
        self, index: int, elapsed: float, running: bool, now: float | None = None
    ) -> list[TimerEvent]:
        """Take a position a player kept (a reloaded page, a pause made while the kernel was away).

        ``elapsed`` is the time already spent in phase ``index``; a running timer carries on from there
        at ``now`` and catches up at once if that is past the phase's end (a page closed for a while).
        A position outside the timeline is refused rather than guessed at.
        """
        last = len(self.phases) - 1
        if not (isinstance(index, int) and not isinstance(index, bool) and 0 <= index < last):
            raise ValueError(f"phase index must be 0-{last - 1} to restore, got {index!r}")
        if not (finite_number(elapsed) and elapsed >= 0):
            raise ValueError(f"elapsed time must be a finite number of seconds >= 0, got {elapsed!r}")
        now = self._now(now)
        self.finished_at = None
        self._index, self._counted = index, COUNTDOWN_FROM + 1
        self._status = TimerStatus.RUNNING if running else TimerStatus.PAUSED
        if running:
            self._anchor, self._held = now - elapsed, 0.0
        else:
            self._anchor, self._held = now, min(float(elapsed), self.phases[index].duration)
        phase = self.phases[index]
        events = self._emit([StatusChanged(self._status), PhaseStarted(phase, phase.describe())])
        return events + self.update(now)

    def reset(self) -> list[TimerEvent]:
        """Back to the first phase, not started."""
        self._reset_state()
        return self._emit([StatusChanged(self._status)])


def timeline_signature(phases: Sequence[Phase]) -> str:
    """A short name for a timeline: the same stretches, sides, kinds and durations give the same name.

    Words are left out on purpose (a reworded cue is still the same routine to time).
    """
    parts = (f"{p.kind.value}|{p.duration:g}|{p.stretch_id}|{p.side or ''}|{p.repetition}" for p in phases)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
