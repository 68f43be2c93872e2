"""A dosage plan (hold, repetitions, sessions a week) -> minutes, and a check against the guidelines.

Clinicians decide doses; the guidelines (hold 20-30 s, 2-3 sessions a week) are advice, not law. So a
value outside the guideline gives a *warning* that names the guideline and its source, while a value
outside what is physically sensible (the schema's bounds) is an error, as everywhere else.

The plan's routine is the dosed routine: the handout, the calendar and the timer take it, so a changed
dose reaches all of them. The time of day of a planned session is read here too (:func:`parse_time_of_day`),
once for the command line and the clinicians' panel.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import time

from .catalog import Catalog
from .routine import DosageError, DoseKind, Routine, RoutineItem, check_hold_seconds, check_repetitions

SESSIONS_BOUNDS = (1, 14)
#: Sessions a week when nobody has chosen: the top of the 2-3 guideline. One number for the plan, the
#: handout's tick-box chart and the calendar's weekdays, so their defaults never disagree.
DEFAULT_SESSIONS_PER_WEEK = 3


@dataclass(frozen=True)
class DosageWarning:
    """A value outside a guideline: what, the guideline's range, and its sources."""

    field: str
    value: float
    low: float
    high: float
    guideline: str
    sources: tuple[str, ...]
    #: Written after each number ("s" gives "hold 40 s ... 20-30 s"); empty when the field names it.
    unit: str = ""

    def __str__(self) -> str:
        side = "below" if self.value < self.low else "above"
        unit = f" {self.unit}" if self.unit else ""
        return (
            f"{self.field} {self.value:g}{unit} is {side} the guideline of {self.low:g}-{self.high:g}{unit} "
            f"({self.guideline}) [{', '.join(self.sources)}]"
        )


@dataclass(frozen=True)
class DosagePlan:
    """A routine's dose and how often it is done; the minutes follow from the routine's timeline."""

    routine: Routine
    sessions_per_week: int

    @property
    def minutes_per_session(self) -> float:
        return self.routine.duration() / 60

    @property
    def minutes_per_week(self) -> float:
        return self.minutes_per_session * self.sessions_per_week

    def warnings(self, catalog: Catalog) -> list[DosageWarning]:
        """Every hold and the weekly frequency checked against the catalog's guidelines."""
        found = []
        hold = catalog.guidelines.get("hold_time")
        if hold is not None and hold.low is not None and hold.high is not None:
            for value in sorted({item.hold_seconds for item in self.routine.items}):
                if not hold.low <= value <= hold.high:
                    found.append(
                        DosageWarning(
                            "hold", value, hold.low, hold.high, hold.title, tuple(hold.sources), unit="s"
                        )
                    )
        weekly = catalog.guidelines.get("sessions_per_week")
        # "at least 2-3 times a week": more is not a concern, fewer is
        if weekly is not None and weekly.low is not None and self.sessions_per_week < weekly.low:
            found.append(
                DosageWarning(
                    "sessions per week",
                    self.sessions_per_week,
                    weekly.low,
                    weekly.high,
                    weekly.title,
                    tuple(weekly.sources),
                )
            )
        return found

    def summary(self) -> str:
        """One line a clinician reads: time per session and per week."""
        return (
            f"{len(self.routine.items)} stretches: about {self.minutes_per_session:.1f} min a session, "
            f"{self.sessions_per_week} sessions a week = {self.minutes_per_week:.0f} min a week"
        )


def check_sessions_per_week(value: object) -> int:
    """A whole number of sessions within 1-14 a week, or a DosageError naming the field."""
    low, high = SESSIONS_BOUNDS
    # Infinity and NaN by name too: int() of them would raise an error that names no field.
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value != int(value)
    ):
        raise DosageError(f"sessions_per_week: expected a whole number of sessions, got {value!r}")
    if not low <= value <= high:
        raise DosageError(f"sessions_per_week: {value} is outside the range {low}-{high} sessions a week")
    return int(value)


def plan_dosage(
    catalog: Catalog,
    routine: Routine | None = None,
    *,
    hold_seconds: int | None = None,
    repetitions: int | None = None,
    sessions_per_week: int = DEFAULT_SESSIONS_PER_WEEK,
) -> DosagePlan:
    """Apply a hold and repetitions to every stretch of ``routine`` and plan
    ``sessions_per_week``. Unsafe values raise DosageError; unusual ones give warnings.

    ``None`` keeps each stretch's dose as ``routine`` has it (so planning a planned routine again keeps
    its dose), and the routine's choices, answers and gaps are kept: only the doses change.
    """
    sessions = check_sessions_per_week(sessions_per_week)
    hold = check_hold_seconds(hold_seconds) if hold_seconds is not None else None
    reps = check_repetitions(repetitions) if repetitions is not None else None
    if routine is None:  # nothing is assumed: there is no "default person" whose routine could be dosed
        raise DosageError("plan_dosage needs a routine: build one from the person's answers (build_routine)")
    base = routine
    items = tuple(_redosed(item, hold, reps) for item in base.items)
    return DosagePlan(replace(base, items=items), sessions)


def _redosed(item: RoutineItem, hold: int | None, reps: int | None) -> RoutineItem:
    """``item`` with a new hold or count; a changed dose is the clinician's, citing no source."""
    new_hold = item.hold_seconds if hold is None else hold
    new_reps = item.repetitions if reps is None else reps
    if (new_hold, new_reps) == (item.hold_seconds, item.repetitions):
        return item
    return replace(
        item, hold_seconds=new_hold, repetitions=new_reps, dose_kind=DoseKind.CLINICIAN, dose_sources=()
    )


_TIME_OF_DAY = re.compile(r"\s*(\d{1,2}):(\d{2})\s*")


def parse_time_of_day(text: object, where: str = "time") -> time:
    """'18:00' -> 18:00: the 24-hour HH:MM a planned session starts at, or a ValueError naming ``where``.

    One reader for every place a clinician types a time (the command line's ``--time``, the panel's
    field), so the same text is accepted or refused, with the same message, everywhere.
    """
    match = _TIME_OF_DAY.fullmatch(text) if isinstance(text, str) else None
    try:
        if match is None:
            raise ValueError
        return time(int(match.group(1)), int(match.group(2)))
    except ValueError:
        raise ValueError(f"{where}: expected HH:MM (24-hour), got {text!r}") from None
