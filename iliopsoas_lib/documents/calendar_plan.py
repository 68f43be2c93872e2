"""The weekly plan as a calendar file (RFC 5545 .ics): sessions on chosen weekdays at a chosen time for
N weeks, as one event with a weekly recurrence rule, so a calendar app shows (and moves) them together.

Made with icalendar. The event's UID and time stamp derive from the plan itself, not from the clock or a
random number, so the same plan gives the same file (stable tests, and re-importing updates the event
instead of duplicating it).

The description starts with what to do if a warning sign appears (the red flags' action, on one line,
since a phone's notification often shows only the first line) and ends with the signs themselves.
Each stretch's line uses the routine's own dose, so the calendar and the handout never disagree.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta

from ..catalog import Catalog
from ..dosage import DEFAULT_SESSIONS_PER_WEEK
from ..routine import EmptyRoutineError, Routine
from ..text import dosage_text, minutes_text

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def check_weekdays(weekdays: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Weekdays as RFC 5545 codes (MO..SU), in week order, each once; a clear error otherwise."""
    items = weekdays.split(",") if isinstance(weekdays, str) else list(weekdays)
    codes = [str(day).strip().upper()[:2] for day in items if str(day).strip()]
    unknown = [day for day in codes if day not in WEEKDAYS]
    if unknown or not codes:
        raise ValueError(f"weekdays: expected some of {','.join(WEEKDAYS)}, got {weekdays!r}")
    if len(set(codes)) != len(codes):
        raise ValueError(f"weekdays: each day once, got {weekdays!r}")
    return tuple(sorted(codes, key=WEEKDAYS.index))


def spread_weekdays(sessions_per_week: int) -> tuple[str, ...]:
    """Weekdays for ``sessions_per_week`` sessions, spread over the week from Monday, so that rest days
    fall between stretching days (2 -> MO, TH; 3 -> MO, WE, FR). More than 7 gives every day: a
    calendar holds one session a day."""
    count = max(1, min(len(WEEKDAYS), sessions_per_week))
    return tuple(WEEKDAYS[i * len(WEEKDAYS) // count] for i in range(count))


#: The default sessions a week (the handout's and the plan's too), spread: MO, WE, FR.
DEFAULT_WEEKDAYS = spread_weekdays(DEFAULT_SESSIONS_PER_WEEK)


def first_session(start: date, weekdays: tuple[str, ...]) -> date:
    """The first chosen weekday on or after ``start``."""
    for offset in range(7):
        day = start + timedelta(days=offset)
        if WEEKDAYS[day.weekday()] in weekdays:
            return day
    raise AssertionError("unreachable: weekdays is not empty")


def describe(routine: Routine, catalog: Catalog | None = None) -> str:
    """The event's text: the red flags' action first, the stretches with their dose, then the signs."""
    if catalog is None:
        from ..catalog import load_catalog

        catalog = load_catalog()
    flags = list(catalog.red_flags.values())
    lines = [" ".join(f"If you notice a warning sign (listed below): {f.action}" for f in flags)]
    lines.append(f"Iliopsoas stretches, about {minutes_text(routine.duration())}. Warm up first.")
    for n, item in enumerate(routine.items, 1):
        lines.append(
            f"{n}. {item.stretch.name}: {dosage_text(item.hold_seconds, item.repetitions, item.per_side)}"
        )
        lines.append(f"   If it hurts: {item.stretch.on_pain.text}")
    lines.append("Stretch to a gentle pull, never into pain.")
    for f in flags:
        lines += [f"{f.title}:", *[f"- {sign}" for sign in f.sign_texts]]
    return "\n".join(lines)


def make_calendar(
    routine: Routine,
    *,
    weekdays: str | tuple[str, ...] | list[str] = DEFAULT_WEEKDAYS,
    start: date,
    at: time = time(18, 0),
    weeks: int = 6,
    catalog: Catalog | None = None,
) -> bytes:
    """An .ics file with the routine on ``weekdays`` at ``at`` (local, floating time) for ``weeks``.

    ``catalog`` gives the red flags for the description (the built-in content when None). An empty
    routine raises :class:`~iliopsoas_lib.routine.EmptyRoutineError` with the routine's own reason.
    """
    from icalendar import Calendar, Event

    days = check_weekdays(weekdays)
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 52:
        raise ValueError(f"weeks: expected a whole number 1-52, got {weeks!r}")
    if not routine.items:
        raise EmptyRoutineError(
            f"the routine has no stretches: nothing to put in a calendar. {routine.empty_message}"
        )
    begin = datetime.combine(first_session(start, days), at)
    description = describe(routine, catalog)

    calendar = Calendar()
    calendar.add("prodid", "-//iliopsoas explainer//weekly stretch plan//EN")
    calendar.add("version", "2.0")
    event = Event()
    digest = hashlib.sha256(f"{begin.isoformat()}|{days}|{weeks}|{description}".encode()).hexdigest()[:24]
    event.add("uid", f"{digest}@iliopsoas-explainer")
    event.add("dtstamp", datetime.combine(start, time(0, 0), tzinfo=UTC))
    event.add("summary", "Iliopsoas stretches")
    event.add("dtstart", begin)
    event.add("duration", timedelta(seconds=round(routine.duration())))
    event.add("rrule", {"freq": "weekly", "byday": list(days), "count": weeks * len(days)})
    event.add("description", description)
    calendar.add_component(event)
    return calendar.to_ical()
