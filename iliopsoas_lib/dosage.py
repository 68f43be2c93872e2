"""A dosage plan (hold, repetitions, sessions a week) -> minutes, and a check against the guidelines.

Clinicians decide doses; the guidelines (hold time, sessions a week: guidelines.toml) are advice, not
law. So a value outside the guideline gives a *warning* that names the guideline and its source, while a
value outside what is physically sensible (the bounds in limits.py) is an error, as everywhere else.

The plan's routine is the dosed routine: the handout, the calendar and the timer take it, so a changed
dose reaches all of them. The time of day of a planned session is read here too (:func:`parse_time_of_day`),
once for the command line and the clinicians' panel.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import time

from .catalog import Catalog
from .limits import DEFAULT_SESSIONS_PER_WEEK, SESSIONS_PER_WEEK, DosageError
from .routine import DoseKind, Routine, RoutineItem, check_dose, check_hold_seconds, check_repetitions


@dataclass(frozen=True)
class DosageWarning:
    """A value outside a guideline: what, the guideline's range, its sources, and the stretches it is for
    (none for a value of the whole plan, such as sessions a week)."""

    field: str
    value: float
    low: float
    #: None for a guideline with no upper end ("at least 2 a week").
    high: float | None
    guideline: str
    sources: tuple[str, ...]
    #: Written after each number ("s" gives "hold 40 s ... 20-30 s"); empty when the field names it.
    unit: str = ""
    #: The names of the stretches with this value, in routine order.
    stretches: tuple[str, ...] = ()

    def __str__(self) -> str:
        side = "below" if self.value < self.low else "above"
        unit = f" {self.unit}" if self.unit else ""
        names = f" for {_and_list(self.stretches)}" if self.stretches else ""
        band = f"{self.low:g}-{self.high:g}" if self.high is not None else f"at least {self.low:g}"
        return (
            f"{self.field} {self.value:g}{unit}{names} is {side} the guideline of "
            f"{band}{unit} ({self.guideline}) [{', '.join(self.sources)}]"
        )


def _and_list(names: tuple[str, ...]) -> str:
    """("A", "B", "C") -> "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def warnings_text(warnings: list[DosageWarning]) -> str:
    """The warnings as one message for a clinician ("" when there are none): the words the clinicians'
    panel shows and the command line prints, written here once so the two never differ."""
    if not warnings:
        return ""
    return "Check: " + "; ".join(map(str, warnings)) + ". Your call as the clinician."


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
        """Every hold and the weekly frequency checked against the catalog's guidelines.

        One warning per hold value outside the guideline, shortest first, naming every stretch held that
        long: with a dose per stretch, the clinician must see which stretch each warning is about.
        """
        found = []
        hold = catalog.guidelines.get("hold_time")
        if hold is not None and hold.low is not None and hold.high is not None:
            for value in sorted({item.hold_seconds for item in self.routine.items}):
                if not hold.low <= value <= hold.high:
                    names = tuple(i.stretch.name for i in self.routine.items if i.hold_seconds == value)
                    found.append(
                        DosageWarning(
                            "hold",
                            value,
                            hold.low,
                            hold.high,
                            hold.title,
                            tuple(hold.sources),
                            unit="s",
                            stretches=names,
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
    """A whole number of sessions within the bounds (limits.SESSIONS_PER_WEEK), or a DosageError
    naming the field."""
    return SESSIONS_PER_WEEK.check(value, "sessions_per_week")


def plan_dosage(
    catalog: Catalog,
    routine: Routine | None = None,
    *,
    hold_seconds: int | None = None,
    repetitions: int | None = None,
    sessions_per_week: int = DEFAULT_SESSIONS_PER_WEEK,
    dosage: Mapping[str, Mapping[str, int]] | None = None,
    reasons: Mapping[str, str] | None = None,
) -> DosagePlan:
    """Apply a hold and repetitions to every stretch of ``routine`` and plan
    ``sessions_per_week``. Unsafe values raise DosageError; unusual ones give warnings.

    ``None`` keeps each stretch's dose as ``routine`` has it (so planning a planned routine again keeps
    its dose), and the routine's choices, answers and gaps are kept: only the doses change. ``dosage``
    sets a dose per stretch id on top (``{"glute_bridge": {"repetitions": 5}}``), and ``reasons`` says
    why, by stretch id: the reason of each item whose dose changes here (a changed dose without one has
    none, since an earlier reason explained another dose).
    """
    sessions = check_sessions_per_week(sessions_per_week)
    hold = check_hold_seconds(hold_seconds) if hold_seconds is not None else None
    reps = check_repetitions(repetitions) if repetitions is not None else None
    if routine is None:  # nothing is assumed: there is no "default person" whose routine could be dosed
        raise DosageError("plan_dosage needs a routine: build one from the person's answers (build_routine)")
    per_stretch = _per_stretch(routine, dosage)
    why = dict(reasons or {})
    items = []
    for item in routine.items:
        own = per_stretch.get(item.stretch.id, {})
        new_hold = own.get("hold_seconds", hold)
        new_reps = own.get("repetitions", reps)
        items.append(_redosed(item, new_hold, new_reps, why.get(item.stretch.id, "")))
    return DosagePlan(replace(routine, items=tuple(items)), sessions)


def _per_stretch(
    routine: Routine, dosage: Mapping[str, Mapping[str, int]] | None
) -> dict[str, dict[str, int]]:
    """Per-stretch doses checked: each for a stretch of the routine, each value within the safe bounds."""
    ids = [item.stretch.id for item in routine.items]
    out: dict[str, dict[str, int]] = {}
    for stretch_id, dose in (dosage or {}).items():
        if stretch_id not in ids:
            raise KeyError(f"dosage for {stretch_id!r}, not in this routine; in it: {', '.join(ids)}")
        checked = check_dose(stretch_id, dose)
        if checked:
            out[stretch_id] = checked
    return out


def _redosed(item: RoutineItem, hold: int | None, reps: int | None, reason: str = "") -> RoutineItem:
    """``item`` with a new hold or count; a changed dose is the clinician's, citing no source, and
    carries the reason given for it."""
    new_hold = item.hold_seconds if hold is None else hold
    new_reps = item.repetitions if reps is None else reps
    if (new_hold, new_reps) == (item.hold_seconds, item.repetitions):
        # the same dose: a new reason only replaces the reason of a dose that is already the clinician's
        if reason and item.dose_kind is DoseKind.CLINICIAN:
            return replace(item, reason=reason.strip())
        return item
    return replace(
        item,
        hold_seconds=new_hold,
        repetitions=new_reps,
        dose_kind=DoseKind.CLINICIAN,
        dose_sources=(),
        reason=reason.strip(),
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
