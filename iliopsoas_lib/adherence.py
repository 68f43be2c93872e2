"""A patient's downloaded session log held against their plan, for the consultation.

A patient downloads their log from the dashboard as CSV and brings it (or sends it) to the clinic. The
clinician reads it here and sees, week by week since the plan started, how many sessions were done
against the plan's sessions a week: the weeks that met it, those that did not, and the current streak.

Nothing is stored: the CSV is read in memory, through the session log's own import
(:meth:`SessionLog.from_csv`), so a review refuses exactly what the dashboard's upload refuses (bad
dates, durations, unknown stretches, formula cells made inert, the row cap) with the same one-line
message naming the line and what is wrong. The weekly counts and the streak are
:func:`~iliopsoas_lib.weekly_frequency.weekly_counts` with the plan's target as the goal, so the review and
the patient's own chart never disagree on how a week or a streak is counted.

Weeks are ISO weeks (Monday to Sunday), from the week the plan started to the week of ``today``; the
week under way is shown but never counted as missed, since it is not over. ``today`` is always passed
in: nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from .limits import SESSIONS_PER_WEEK
from .session_log import SessionLog, SessionLogError
from .weekly_frequency import WeekCount, monday_of, weekly_counts


class HasSessionsPerWeek(Protocol):
    """A plan that says how often: a :class:`~iliopsoas_lib.dosage.DosagePlan`, for instance."""

    sessions_per_week: int


def read_log(
    data: bytes | str,
    name: str = "upload",
    *,
    known_stretches: Collection[str] | None = None,
    today: date | None = None,
) -> SessionLog:
    """A downloaded CSV log, read in memory with the session log's own checks.

    Bytes are decoded as UTF-8 (a spreadsheet's byte order mark is allowed). Any problem raises
    :class:`~iliopsoas_lib.session_log.SessionLogError` with one message naming the file, the line and
    what is wrong; nothing is read in part.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise SessionLogError(
                name, None, f"not a text (UTF-8) CSV file (byte {error.start + 1} cannot be read)"
            ) from None
    return SessionLog.from_csv(data, name, known_stretches=known_stretches, today=today)


def _target(plan: HasSessionsPerWeek | int) -> int:
    target = plan if isinstance(plan, int) else getattr(plan, "sessions_per_week", None)
    refusal = "the plan's sessions a week must be a whole number from {low} to {high}, got {value!r}"
    return SESSIONS_PER_WEEK.check(target, "sessions_per_week", refusal)


@dataclass(frozen=True)
class AdherenceReview:
    """How a log measures up to a plan of ``target`` sessions a week, from ``start`` to ``today``.

    ``weeks``, ``streak`` and ``target`` are what the weekly chart draws
    (:func:`iliopsoas_lib.figures.adherence.adherence_chart`).
    """

    target: int
    start: date
    today: date
    weeks: tuple[WeekCount, ...]
    streak: int
    sessions_in_plan: int
    sessions_before_start: int

    @property
    def this_week(self) -> WeekCount:
        return self.weeks[-1]

    @property
    def finished_weeks(self) -> tuple[WeekCount, ...]:
        """The weeks that are over (all but the week of ``today``)."""
        return self.weeks[:-1]

    @property
    def weeks_met(self) -> tuple[WeekCount, ...]:
        """Weeks with at least the planned sessions, the week under way included once it has them."""
        return tuple(w for w in self.weeks if w.met)

    @property
    def missed_weeks(self) -> tuple[WeekCount, ...]:
        """Finished weeks with fewer sessions than planned (the week under way is not missed yet)."""
        return tuple(w for w in self.finished_weeks if not w.met)

    @property
    def sessions_per_week(self) -> float:
        """The average over the finished weeks (over the week under way when none has finished)."""
        weeks = self.finished_weeks or self.weeks
        return sum(w.count for w in weeks) / len(weeks)

    def table(self) -> str:
        """One row a week, as a fixed-width table for a notebook or a printout."""
        lines = [f"week starting  sessions  plan {self.target} a week"]
        for week in self.weeks:
            if week is self.this_week:
                verdict = "met" if week.met else "under way"
            else:
                verdict = "met" if week.met else f"missed ({self.target - week.count} short)"
            lines.append(f"{week.monday.isoformat()}     {week.count:>8}  {verdict}")
        return "\n".join(lines)

    def summary_lines(self) -> list[str]:
        """The review in a few short sentences, the same in the notebook and the clinicians' panel."""
        finished = len(self.finished_weeks)
        met_finished = finished - len(self.missed_weeks)
        streak_unit = "week" if self.streak == 1 else "weeks"
        this = self.this_week
        lines = [
            f"Plan: {self.target} session{'s' if self.target != 1 else ''} a week, "
            f"started {self.start.isoformat()}.",
            f"Sessions since the plan started: {self.sessions_in_plan}, "
            f"on average {self.sessions_per_week:.1f} a week.",
            f"Finished weeks that met the plan: {met_finished} of {finished}.",
            f"Streak: {self.streak} {streak_unit} in a row meeting the plan.",
        ]
        if self.missed_weeks:
            missed = ", ".join(w.monday.isoformat() for w in self.missed_weeks)
            lines.append(f"Weeks missed (week starting): {missed}.")
        else:
            lines.append("No week missed.")
        lines.append(f"This week so far: {this.count} of {self.target}.")
        if before := self.sessions_before_start:
            plural = "s" if before != 1 else ""
            lines.append(f"Not counted: {before} session{plural} from before the plan started.")
        return lines

    def summary(self) -> str:
        return "\n".join(self.summary_lines())


def review_adherence(
    log: SessionLog, plan: HasSessionsPerWeek | int, *, start: date, today: date
) -> AdherenceReview:
    """Sessions a week against the plan, from the week of ``start`` to the week of ``today``.

    ``plan`` is a :class:`~iliopsoas_lib.dosage.DosagePlan` (or anything with ``sessions_per_week``) or
    just the number. Sessions before ``start`` or after ``today`` are left out, so a streak never reaches
    back before the plan.
    """
    target = _target(plan)
    if start > today:
        raise ValueError(f"the plan starts on {start.isoformat()}, after today ({today.isoformat()})")
    in_plan = [s for s in log if start <= s.date <= today]
    weeks = (monday_of(today) - monday_of(start)).days // 7 + 1
    counts = weekly_counts(in_plan, weeks, today, goal_low=target, goal_high=target)
    before = sum(1 for s in log if s.date < start)
    return AdherenceReview(target, start, today, counts.weeks, counts.streak, len(in_plan), before)


__all__ = ["AdherenceReview", "HasSessionsPerWeek", "read_log", "review_adherence"]
