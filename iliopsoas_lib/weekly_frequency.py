"""How many sessions each week, against the weekly goal of the guidelines, and the streak.

The goal is the ``sessions_per_week`` guideline of the catalog (``guidelines.toml``: "at least 2-3 times a
week"), read here for the weekly chart, the log's summary and the streak, so editing the guideline moves
all of them together with the clinicians' warnings (dosage.py reads the same guideline).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING

from .session_log import Session, SessionLog

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from .catalog import Catalog

#: The guideline that sets the weekly goal.
WEEKLY_GUIDELINE = "sessions_per_week"


@dataclass(frozen=True)
class WeekCount:
    """Sessions in one ISO week (Monday to Sunday) and whether that met the goal."""

    year: int
    week: int
    monday: date
    count: int
    met: bool

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"


@dataclass(frozen=True)
class WeeklyCounts:
    """Counts for consecutive ISO weeks (oldest first), the goal band, and the current streak."""

    weeks: tuple[WeekCount, ...]
    goal_low: int
    goal_high: int
    streak: int

    @property
    def this_week(self) -> WeekCount:
        return self.weeks[-1]

    def table(self) -> str:
        """A fixed-width table for notebooks: one row per week, then the streak."""
        lines = ["week      monday      sessions  goal met"]
        for w in self.weeks:
            lines.append(f"{w.label}  {w.monday.isoformat()}  {w.count:>8}  {'yes' if w.met else 'no'}")
        unit = "week" if self.streak == 1 else "weeks"
        lines.append(f"goal: {self.goal_low}-{self.goal_high} sessions a week; streak: {self.streak} {unit}")
        return "\n".join(lines)


def monday_of(day: date) -> date:
    """The Monday of ``day``'s ISO week: the one way weeks are counted (the weekly chart, the review)."""
    return day - timedelta(days=day.weekday())


def weekly_goal(catalog: Catalog | None = None) -> tuple[int, int]:
    """The weekly goal as whole sessions (low, high), from the catalog's ``sessions_per_week`` guideline
    (the built-in catalog when None). A fractional bound is rounded inwards (2.5-3 -> 3-3): a week meets
    the goal with whole sessions."""
    if catalog is None:
        return _builtin_weekly_goal()
    guideline = catalog.guidelines.get(WEEKLY_GUIDELINE)
    if guideline is None or guideline.low is None or guideline.high is None:
        raise ValueError(
            f"the catalog has no weekly goal: its guideline {WEEKLY_GUIDELINE!r} needs low and high"
        )
    low = math.ceil(guideline.low)
    return low, max(low, math.floor(guideline.high))


@cache
def _builtin_weekly_goal() -> tuple[int, int]:
    """The built-in catalog's goal, read once per process as the built-in content is: a view redrawing
    the chart on every logged session then pays 0.4 ms, not the 9 ms of building a catalog each time."""
    from .catalog import load_catalog

    return weekly_goal(load_catalog())


def weekly_counts(
    log: SessionLog | Iterable[Session],
    weeks: int,
    today: date,
    goal_low: int | None = None,
    goal_high: int | None = None,
    *,
    catalog: Catalog | None = None,
) -> WeeklyCounts:
    """Sessions per ISO week for the ``weeks`` weeks ending with the week of ``today``.

    The goal is the guideline's (:func:`weekly_goal` of ``catalog``, the built-in one when None) unless
    ``goal_low`` or ``goal_high`` set it (a plan's own number, as the adherence review does). A week
    meets the goal with at least ``goal_low`` sessions (the guideline is "at least 2-3 times a week", so
    more is fine). The streak counts weeks in a row that met it, back from this week; while this week is
    still under way and not yet met, it counts from last week, since the week is not over. Sessions
    after ``today`` are ignored. ``today`` is always passed in: nothing here reads the clock.
    """
    if goal_low is None or goal_high is None:
        guideline_low, guideline_high = weekly_goal(catalog)
        goal_low = guideline_low if goal_low is None else goal_low
        goal_high = guideline_high if goal_high is None else goal_high
    if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
        raise ValueError(f"weeks must be a whole number of at least 1, got {weeks!r}")
    if not 1 <= goal_low <= goal_high:
        raise ValueError(f"goal must satisfy 1 <= goal_low <= goal_high, got {goal_low}-{goal_high}")
    per_monday = Counter(monday_of(s.date) for s in log if s.date <= today)
    this_monday = monday_of(today)
    rows = []
    for back in range(weeks - 1, -1, -1):
        monday = this_monday - timedelta(weeks=back)
        year, week, _ = monday.isocalendar()
        count = per_monday.get(monday, 0)
        rows.append(WeekCount(year, week, monday, count, count >= goal_low))
    monday = this_monday if per_monday.get(this_monday, 0) >= goal_low else this_monday - timedelta(weeks=1)
    streak = 0
    while per_monday.get(monday, 0) >= goal_low:
        streak += 1
        monday -= timedelta(weeks=1)
    return WeeklyCounts(tuple(rows), goal_low, goal_high, streak)


def example_log(today: date, weeks: int = 8, seed: int = 4) -> SessionLog:
    """A made-up history for demonstrations and teaching: 0-4 sessions a week for ``weeks`` weeks.

    Seeded, so a notebook that shows it prints the same table on every run (nbval compares it).
    """
    import random

    rng = random.Random(seed)
    stretches = ("standing_hip_flexor", "glute_bridge", "hip_flexor_bed")
    log = SessionLog()
    monday = monday_of(today)
    for back in range(weeks - 1, -1, -1):
        week_start = monday - timedelta(weeks=back)
        days = sorted(rng.sample(range(7), rng.choice((0, 1, 2, 2, 3, 3, 4))))
        for day in days:
            when = week_start + timedelta(days=day)
            if when <= today:
                log.log_session(when, stretches, duration_seconds=rng.choice((540, 600, 660)))
    return log


__all__ = [
    "WEEKLY_GUIDELINE",
    "WeekCount",
    "WeeklyCounts",
    "example_log",
    "monday_of",
    "weekly_counts",
    "weekly_goal",
]
