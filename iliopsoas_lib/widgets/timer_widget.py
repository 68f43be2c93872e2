"""The routine timer on screen: a thin anywidget view over :class:`~iliopsoas_lib.timer.RoutineTimer`.

The kernel hands over the plan; the browser plays it. On every change (a new routine, a command) the
kernel puts the model's :class:`~iliopsoas_lib.timer.TimerPlan` into one synced trait, ``plan``: where
the timer is, the phases ahead with their words and lengths, and the cue times. The browser side
(``timer_widget.js``) counts down from its own monotonic clock, redraws, speaks each phase change in an
ARIA live region and schedules the cue tones ahead with Web Audio, with no message per tick: nothing
crosses the websocket while nothing changes, and a late network, a dimmed screen or a lost kernel never
stops a hold. It tells the kernel when the routine ends (the plan then counts one more ``finished``
routine, which the dashboard's log follows through :func:`~iliopsoas_lib.widgets.common.follow`) and
keeps its position in the browser's local storage, sending it back once after a reload (``restore``).

A pause or resume made in the browser carries the position the person saw, and the model takes that
position: so a pause made while the connection was down (sent when it returns) still agrees with the
page.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from ..limits import finite_number
from ..presentation.text import timer_display, timer_plan_display
from ..presentation.tones import cue_tones
from ..routine import Routine
from ..timer import Clock, MonotonicClock, RoutineDone, RoutineTimer, TimerEvent
from .answer_memory import POSITION_KEY
from .browser_code import BrowserCode, BrowserStyle
from .patient_text import NOTHING_TO_TIME

_HERE = Path(__file__).parent
#: Seconds a kept place waits for its routine (the answers' restore builds it at once).
KEPT_PLACE_WAITS = 10.0
COMMANDS = ("toggle", "start", "pause", "resume", "skip", "back", "reset", "tick", "restore")
#: Commands that may carry the browser's own position (index, elapsed) for the model to take.
POSITIONED = {"pause": False, "resume": True}


class TimerView(anywidget.AnyWidget):
    """Large countdown, phase and side, next up, time left, progress, controls, keys, sound, live region."""

    _esm = BrowserCode(_HERE / "timer_widget.js", _HERE / "timer_widget.css")
    _css = BrowserStyle(_HERE / "timer_widget.css")

    plan = traitlets.Dict().tag(sync=True)
    announcement = traitlets.Unicode("").tag(sync=True)
    announcements = traitlets.Int(0).tag(sync=True)
    tones = traitlets.Dict().tag(sync=True)
    sound_on = traitlets.Bool(True).tag(sync=True)

    def __init__(self, routine: Routine, clock: Clock | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.clock = clock or MonotonicClock()
        self.tones = cue_tones()
        self._finished = 0  # routines finished on this page: published in the plan (``finished``)
        self._version = 0  # counts plans sent, so two equal plans still reach the browser as a change
        self._answered = 0  # the browser's number of the last message handled, echoed in the plan
        #: A kept place given before its routine is built (a reload: :meth:`take_kept_place`), as
        #: (signature, index, elapsed, running, clock time it came): the next routine takes it or drops it.
        self._waiting: tuple[str, int, float, bool, float] | None = None
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
        self._take_waiting_place()
        if routine.items:
            self._say(f"Timer ready: {len(routine.items)} stretches, press Start when you are in place.")
        else:  # the routine's own reason: answer the questions, see a clinician first, or none fits
            self._say(f"{NOTHING_TO_TIME}. {routine.empty_message}")
        self.refresh()

    def command(self, name: str) -> None:
        """Run one control command, as a click or key in the browser does.

        ``tick`` only catches the model up with its clock: the browser sends it once, when its own
        countdown reaches the end, and the model confirms (or corrects) that from the kernel's clock.
        """
        if name not in COMMANDS or name == "restore":
            raise ValueError(f"unknown timer command {name!r}; known: {', '.join(COMMANDS[:-1])}")
        if name == "tick":
            self.timer.update()
        else:
            getattr(self.timer, name)()
        self.refresh()

    def restore(self, index: int, elapsed: float, running: bool) -> None:
        """Take a position the browser kept (``elapsed`` seconds into phase ``index``) and send the plan."""
        self.timer.restore(index, elapsed, running)
        self.refresh()

    def take_kept_place(self, kept: dict[str, Any]) -> None:
        """The place this browser kept (timer_widget.js writes it under :data:`POSITION_KEY`), handed over
        by the answer memory as a reload puts the answers back (``AnswerMemory.kept``).

        It comes before the routine those answers rebuild: that routine takes it, so a returning page
        gets one plan, already at the person's place. The browser still asks (``restore``) when a plan
        comes from the top, so nothing depends on this; junk is ignored.
        """
        try:
            place = json.loads(kept["kept"][POSITION_KEY])
            signature, status, index = place["signature"], place["status"], place["index"]
            numbers = (place["elapsed"], place["saved"], kept["now"])
        except Exception:  # junk of any kind (too deep, not JSON, not a record): nothing to take
            return
        if not (isinstance(signature, str) and status in ("running", "paused")):
            return
        if isinstance(index, bool) or not isinstance(index, int) or not all(map(finite_number, numbers)):
            return
        elapsed = float(place["elapsed"])
        behind = max(0.0, (float(kept["now"]) - float(place["saved"])) / 1000)
        running = status == "running"
        self._waiting = (signature, index, elapsed + (behind if running else 0.0), running, self.clock.now())
        if signature == self.timer.signature:  # the routine is there already: take it now
            self._take_waiting_place()
            self.refresh()

    def _take_waiting_place(self) -> None:
        waiting, self._waiting = self._waiting, None  # only the next routine may take it
        if waiting is None or waiting[0] != self.timer.signature:
            return
        _signature, index, elapsed, running, came = waiting
        if self.clock.now() - came > KEPT_PLACE_WAITS:  # the restore's routine did not come: too late
            return
        if running:
            elapsed += max(0.0, self.clock.now() - came)
        with contextlib.suppress(ValueError):  # a place that does not fit: the routine from the top
            self.timer.restore(index, elapsed, running)

    @property
    def view(self) -> dict[str, object]:
        """What the timer shows at the clock's *now*, as plain values (for Python readers and tests).

        A routine with no stretch is "done" before it starts; the timer says there is nothing to time
        (and why: the routine's own message) rather than "Done", which would read as a finished session.
        """
        view = timer_display(self.timer.state())
        if not self.routine.items:
            view |= {"title": NOTHING_TO_TIME, "detail": self.routine.empty_message, "next_up": ""}
        return view

    def refresh(self) -> None:
        """Put the model's plan from this moment into the synced ``plan`` trait (one message)."""
        plan = timer_plan_display(self.timer.plan())
        if not self.routine.items:
            words = {"title": NOTHING_TO_TIME, "detail": self.routine.empty_message, "next_up": ""}
            phases = plan["phases"]
            assert isinstance(phases, list)  # timer_plan_display's shape: a list of dicts, never empty
            phases[0] |= words
        self._version += 1
        self.plan = plan | {
            "empty": not self.routine.items,
            "version": self._version,
            "ack": self._answered,
            "finished": self._finished,
        }

    def _on_message(self, _widget: object, content: dict[str, Any], _buffers: object) -> None:
        """A command from the browser; junk (unknown names, bad positions) is ignored, never run."""
        name = content.get("command") if isinstance(content, dict) else None
        if not (isinstance(name, str) and name in COMMANDS):
            return
        number = content.get("seq")
        if isinstance(number, int) and not isinstance(number, bool):
            self._answered = number
        position = self._position(content)
        try:
            if name == "restore" and position is not None:
                self.restore(*position)
            elif name in POSITIONED and position is not None:
                self.restore(position[0], position[1], POSITIONED[name])
            elif name != "restore":
                self.command(name)
        except ValueError:  # a position that does not fit this routine: say where the model is
            self.refresh()

    def _position(self, content: dict[str, Any]) -> tuple[int, float, bool] | None:
        """The (index, elapsed, running) a message carries, if it is about this very routine."""
        index, elapsed = content.get("index"), content.get("elapsed")
        if content.get("signature") != self.timer.signature:
            return None
        if not isinstance(index, int) or isinstance(index, bool):
            return None
        if not finite_number(elapsed):
            return None
        return index, float(elapsed), content.get("running") is True

    def _on_event(self, event: TimerEvent) -> None:
        """The model's own events: a finished routine is counted, and the next plan sent says so."""
        if isinstance(event, RoutineDone):
            self._finished += 1

    def _say(self, message: str) -> None:
        self.announcement = message
        self.announcements += 1

    def __repr__(self) -> str:
        # Stable text for notebooks (nbval compares it): no model ids.
        minutes, seconds = divmod(round(self.routine.duration()), 60)
        count = len(self.routine.items)
        return f"Routine timer: {count} stretches, {minutes} min {seconds:02d} s, {self.timer.status}"


def routines_finished(plan: dict[str, Any]) -> int:
    """How many routines the timer whose ``plan`` this is has finished on this page: what a view that
    answers a finished routine follows (``follow(timer, "plan", view, value_of=routines_finished)``)."""
    finished = plan.get("finished", 0)
    return finished if isinstance(finished, int) else 0


def timer_view(routine: Routine, clock: Clock | None = None) -> TimerView:
    """The timer widget for ``routine``: display it in a cell, then press Start (or Space)."""
    return TimerView(routine, clock)
