"""The routine timer on screen: a thin anywidget view over :class:`~iliopsoas_lib.timer.RoutineTimer`.

The browser side (``timer_view.js``) draws, listens for clicks and keys, plays cue tones and speaks each
phase change through an ARIA live region. It sends a "tick" four times a second while running; the
kernel answers every tick by asking the model for the state at the monotonic clock's *now*. So the time
shown never drifts, however late a tick arrives: it is always computed, never counted.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from ..routine import Routine
from ..text import timer_display
from ..timer import Clock, Countdown, MonotonicClock, PhaseStarted, RoutineDone, RoutineTimer, TimerEvent
from ..tones import cue_urls
from .patient_text import NOTHING_TO_TIME

_HERE = Path(__file__).parent
COMMANDS = ("toggle", "start", "pause", "resume", "skip", "back", "reset", "tick")


class TimerView(anywidget.AnyWidget):
    """Large countdown, phase and side, next up, time left, progress, controls, keys, sound, live region."""

    _esm = _HERE / "timer_view.js"
    _css = _HERE / "timer_view.css"

    view = traitlets.Dict().tag(sync=True)
    announcement = traitlets.Unicode("").tag(sync=True)
    announcements = traitlets.Int(0).tag(sync=True)
    sounds = traitlets.Dict().tag(sync=True)
    sound_on = traitlets.Bool(True).tag(sync=True)

    def __init__(self, routine: Routine, clock: Clock | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.clock = clock or MonotonicClock()
        self.sounds = cue_urls()
        self._done_callbacks: list[Callable[[RoutineDone], None]] = []
        self.timer: RoutineTimer
        self._unsubscribe: Callable[[], None] | None = None
        self.set_routine(routine)
        self.on_msg(self._on_message)

    def set_routine(self, routine: Routine) -> None:
        """Show a new routine (e.g. after the person changes their answers), starting from the top.

        The same stretches and doses again (an answer or a sessions-a-week change that leaves the routine
        as it was) change nothing: a timer in the middle of a hold keeps going.
        """
        if routine == getattr(self, "routine", None):
            return
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.routine = routine
        self.timer = RoutineTimer(routine, self.clock)
        self._unsubscribe = self.timer.subscribe(self._on_event)
        if routine.items:
            self._say(f"Timer ready: {len(routine.items)} stretches, press Start when you are in place.")
        else:  # the routine's own reason: answer the questions, see a clinician first, or none fits
            self._say(f"{NOTHING_TO_TIME}. {routine.empty_message}")
        self.refresh()

    def on_done(self, callback: Callable[[RoutineDone], None]) -> None:
        """Call ``callback`` when the routine finishes (e.g. to offer logging the session)."""
        self._done_callbacks.append(callback)

    def command(self, name: str) -> None:
        """Run one control command, as a click or key in the browser does."""
        if name not in COMMANDS:
            raise ValueError(f"unknown timer command {name!r}; known: {', '.join(COMMANDS)}")
        if name == "tick":
            self.timer.update()
        else:
            getattr(self.timer, name)()
        self.refresh()

    def refresh(self) -> None:
        """Copy the model's state at this moment into the synced view state.

        A routine with no stretch is "done" before it starts; the timer says there is nothing to time
        (and why: the routine's own message) rather than "Done", which would read as a finished session.
        """
        view = timer_display(self.timer.state())
        if not self.routine.items:
            view |= {"title": NOTHING_TO_TIME, "detail": self.routine.empty_message, "next_up": ""}
        self.view = view

    def _on_message(self, _widget: object, content: dict[str, Any], _buffers: object) -> None:
        name = content.get("command") if isinstance(content, dict) else None
        if isinstance(name, str) and name in COMMANDS:
            self.command(name)

    def _on_event(self, event: TimerEvent) -> None:
        if isinstance(event, PhaseStarted):
            self._say(event.message)
            self._cue("done" if event.phase.kind.value == "done" else "phase")
        elif isinstance(event, Countdown):
            self._cue("count")
        elif isinstance(event, RoutineDone):
            for callback in self._done_callbacks:
                callback(event)

    def _say(self, message: str) -> None:
        self.announcement = message
        self.announcements += 1

    def _cue(self, name: str) -> None:
        self.send({"cue": name})

    def __repr__(self) -> str:
        # Stable text for notebooks (nbval compares it): no model ids, no tone data.
        minutes, seconds = divmod(round(self.routine.duration()), 60)
        count = len(self.routine.items)
        return f"Routine timer: {count} stretches, {minutes} min {seconds:02d} s, {self.timer.status}"


def timer_view(routine: Routine, clock: Clock | None = None) -> TimerView:
    """The timer widget for ``routine``: display it in a cell, then press Start (or Space)."""
    return TimerView(routine, clock)
