"""The bounds and defaults of every number a clinician sets, and the one check of a whole or finite number.

One place for each: the content schema, the routine builder, the dosage plan, the prescription link, the
clinicians' panel, the command line, the handout and the calendar all read these, so a bound or a default
never differs between them (and a help text or a number box shows the bound the check applies).

The bounds are what is physically sensible, not what the guidelines advise: a value outside them is an
error, while a value inside them but outside a guideline (``guidelines.toml``) only warns, since the
clinician decides. This module imports nothing from the package, so the schema can read it too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import time
from typing import Any, TypeGuard


class DosageError(ValueError):
    """A hold time, repetition count, gap or plan setting that is impossible or outside its bounds."""


@dataclass(frozen=True)
class Limit:
    """The bounds of a whole-number setting and the words its error uses.

    ``unit`` ends "expected a whole number of <unit>"; the range is named "<range_words> <low>-<high>
    <range_unit>" ("safe range 5-120 seconds", "range 1-14 sessions a week").
    """

    low: int
    high: int
    unit: str
    range_words: str = "safe range"
    range_unit: str = ""

    def check(self, value: object, where: str, refusal: str | None = None) -> int:
        """``value`` as an int within the bounds, or a DosageError naming ``where``.

        ``refusal`` replaces both messages for a setting that has always been refused in words of its
        own; it may use ``{value!r}``, ``{low}`` and ``{high}``.
        """
        number = _whole_number(value)
        if number is not None and self.low <= number <= self.high:
            return number
        if refusal is not None:
            raise DosageError(refusal.format(value=value, low=self.low, high=self.high))
        if number is None:
            raise DosageError(f"{where}: expected a whole number of {self.unit}, got {value!r}")
        unit = self.range_unit or self.unit
        raise DosageError(f"{where}: {value} is outside the {self.range_words} {self.low}-{self.high} {unit}")


def finite_number(value: Any) -> TypeGuard[int | float]:
    """Whether ``value`` is a real, finite number: no bool, no NaN or infinity, no integer too long to be
    a float.

    Every number from outside (a file, a cell, a page's message) is checked here before arithmetic:
    ``math.isfinite`` alone raises OverflowError on a 400-digit integer, which a JSON file can hold, and
    that error names no field. A bool is not a number of anything.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _whole_number(value: object) -> int | None:
    """``value`` as an int if it is a whole number (2 or 2.0), else None.

    Infinity and NaN are refused here by name: int() of them raises an error that names no field, which
    the command line and the dashboard would not show as a bad input. An int of any length is whole: the
    bounds then refuse it by name.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not finite_number(value):
        return None
    return int(value) if value == int(value) else None


#: How long one hold lasts, in seconds.
HOLD_SECONDS = Limit(5, 120, "seconds")
#: How many times a stretch is done (on each side, for a stretch done per side).
REPETITIONS = Limit(1, 20, "repetitions")
#: Sessions a week in a plan.
SESSIONS_PER_WEEK = Limit(1, 14, "sessions", range_words="range", range_unit="sessions a week")
#: Weeks in the calendar plan.
CALENDAR_WEEKS = Limit(1, 52, "weeks")
#: Weeks (rows) in the handout's tick-box chart.
HANDOUT_WEEKS = Limit(1, 26, "weeks")
#: The timer's gaps, in seconds: getting into position before the first hold, changing sides between
#: holds, resting between repetitions. A stretch's content and a clinician's gaps share these bounds.
GET_READY_SECONDS = Limit(3, 120, "seconds")
SWITCH_SIDE_SECONDS = Limit(2, 60, "seconds")
REST_SECONDS = Limit(0, 300, "seconds")
#: A calendar reminder, in minutes before each session (0: none; at most a day).
REMINDER_MINUTES = Limit(0, 24 * 60, "minutes")

#: Sessions a week when nobody has chosen: the top of the weekly guideline (guidelines.toml; a test keeps
#: them equal). A number here, not read from the catalog, because defaults are read at import and loading
#: the catalog then would slow every kernel start. One number for the plan, the handout's tick-box chart
#: and the calendar's weekdays, so their defaults never disagree.
DEFAULT_SESSIONS_PER_WEEK = 3
#: The clinicians' panel's hold for every stretch before a routine has any stretch to take it from.
DEFAULT_HOLD_SECONDS = 30
#: When a planned session starts, unless the clinician says otherwise.
DEFAULT_SESSION_TIME = time(18, 0)
#: Weeks in the calendar plan and in the handout's tick-box chart, unless the clinician says otherwise.
DEFAULT_CALENDAR_WEEKS = 6
DEFAULT_HANDOUT_WEEKS = 4

__all__ = [
    "CALENDAR_WEEKS",
    "DEFAULT_CALENDAR_WEEKS",
    "DEFAULT_HANDOUT_WEEKS",
    "DEFAULT_HOLD_SECONDS",
    "DEFAULT_SESSIONS_PER_WEEK",
    "DEFAULT_SESSION_TIME",
    "GET_READY_SECONDS",
    "HANDOUT_WEEKS",
    "HOLD_SECONDS",
    "REMINDER_MINUTES",
    "REPETITIONS",
    "REST_SECONDS",
    "SESSIONS_PER_WEEK",
    "SWITCH_SIDE_SECONDS",
    "DosageError",
    "Limit",
    "finite_number",
]
