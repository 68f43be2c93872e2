"""The weekly plan as a calendar file (RFC 5545 .ics): sessions on chosen weekdays at a chosen time for
N weeks, as one event with a weekly recurrence rule, so a calendar app shows (and moves) them together.

Made with icalendar. The event's UID and time stamp derive from the plan itself, not from the clock or a
random number, so the same plan gives the same file (stable tests, and re-importing updates the event
instead of duplicating it).

Times keep their wall time: the sessions are at ``at`` in a named IANA zone (the machine's by default),
written as DTSTART with a TZID plus the zone's VTIMEZONE covering the plan, so 18:00 stays 18:00 every
week across a daylight-saving change. A floating time (no zone) is read as UTC by some readers and moved
by an hour after a clock change by others. The first session is never in the past: the plan starts at
the first chosen weekday after ``now``. An optional reminder is a VALARM with a plain message.

The description starts with what to do if a warning sign appears (the red flags' action, on one line,
since a phone's notification often shows only the first line) and ends with the signs themselves.
Each stretch's line uses the routine's own dose, so the calendar and the handout never disagree.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from ..catalog import Catalog
from ..limits import (
    CALENDAR_WEEKS,
    DEFAULT_CALENDAR_WEEKS,
    DEFAULT_SESSION_TIME,
    DEFAULT_SESSIONS_PER_WEEK,
    REMINDER_MINUTES,
)
from ..presentation.text import dosage_text
from ..routine import EmptyRoutineError, Routine
from ..routine_words import minutes_text

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: Every word read as a day: the RFC 5545 code, the three-letter and the full English name, and the
#: common "tues", "thur", "thurs". Nothing else: "Monster" is not Monday, "TX" is not a day.
_DAY_WORDS = {
    **{code.lower(): code for code in WEEKDAYS},
    **{name[:3]: code for name, code in zip(_DAY_NAMES, WEEKDAYS, strict=True)},
    **{name: code for name, code in zip(_DAY_NAMES, WEEKDAYS, strict=True)},
    "tues": "TU",
    "thur": "TH",
    "thurs": "TH",
}
_WEEKDAYS_EXAMPLE = 'e.g. MO,TH or "Monday Thursday"'

#: What a phone shows when the reminder goes off: plain words, the event's text has the steps.
REMINDER_TEXT = "Time for your stretches. Open this event to see what to do."
#: Links in the time zone folder that are not places: never written into a plan.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


def parse_weekdays(text: str) -> tuple[str, ...]:
    """A typed list of days as RFC 5545 codes in week order: "MO,TH", "MO TH", "MO;TH", "Monday Thursday"
    and "mon, thu" all give ("MO", "TH").

    Days are separated by commas, semicolons, spaces or "and"; each is a code (MO), a three-letter
    (Mon) or a full English name (Monday), in any case. Anything else is refused with a ValueError
    naming the part it cannot read, so a typo never quietly drops a day (as "MO TH" once gave Monday only).
    """
    if not isinstance(text, str):
        raise ValueError(f"weekdays: expected text such as MO,TH, got {text!r}")
    words: list[str] = []
    for part in re.split(r"[,;]", text.strip().strip(",;").strip()):
        pieces = [w for w in re.split(r"\s+", part.strip()) if w and w.lower() not in ("and", "&")]
        if not pieces and text.strip(" \t\n,;"):
            raise ValueError(f"weekdays: an empty part between commas in {text!r}; {_WEEKDAYS_EXAMPLE}")
        words += pieces
    if not words:
        raise ValueError(f"weekdays: expected some of {','.join(WEEKDAYS)}, got nothing; {_WEEKDAYS_EXAMPLE}")
    unread = [word for word in words if word.lower() not in _DAY_WORDS]
    if unread:
        bad = ", ".join(repr(word) for word in unread)
        raise ValueError(
            f"weekdays: expected some of {','.join(WEEKDAYS)} or day names, cannot read {bad} "
            f"in {text!r}; {_WEEKDAYS_EXAMPLE}"
        )
    codes = [_DAY_WORDS[word.lower()] for word in words]
    twice = sorted({code for code in codes if codes.count(code) > 1}, key=WEEKDAYS.index)
    if twice:
        raise ValueError(
            f"weekdays: each day once, got {', '.join(twice)} twice in {text!r}; {_WEEKDAYS_EXAMPLE}"
        )
    return tuple(sorted(codes, key=WEEKDAYS.index))


def check_weekdays(weekdays: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Weekdays as RFC 5545 codes (MO..SU), in week order, each once; a clear error otherwise.

    Text is read by :func:`parse_weekdays`; a list (the panel's chosen days) is read item by item by the
    same rules, so both refuse the same things.
    """
    if isinstance(weekdays, str):
        return parse_weekdays(weekdays)
    items = [str(day).strip() for day in weekdays]
    if any(not item or re.search(r"[\s,;]", item) for item in items):
        raise ValueError(f"weekdays: expected one day per item, got {list(weekdays)!r}; {_WEEKDAYS_EXAMPLE}")
    return parse_weekdays(",".join(items))


@cache
def _zone_names() -> dict[str, str]:
    """Every IANA zone name this machine knows, by its lower-case spelling (names are matched without
    regard to case, and written as the database spells them, which other readers expect)."""
    return {name.lower(): name for name in available_timezones() - _NOT_ZONES}


def time_zone_names() -> tuple[str, ...]:
    """The zone names to offer a clinician (for the panel's time zone field), sorted."""
    return tuple(sorted(_zone_names().values()))


def resolve_zone(name: str) -> ZoneInfo:
    """The zone called ``name`` (an IANA name such as Europe/Berlin, any case), or a ValueError saying
    it is unknown, with the nearest known names as a hint."""
    key = name.strip() if isinstance(name, str) else ""
    canonical = _zone_names().get(key.lower())
    if canonical is None:
        near = difflib.get_close_matches(key, _zone_names().values(), n=2, cutoff=0.75)
        hint = f"did you mean {' or '.join(near)}?" if near else "use a name such as Europe/Berlin"
        raise ValueError(f"tz: unknown time zone {name!r}; {hint} (a name from the IANA time zone list)")
    return ZoneInfo(canonical)


def local_zone_name() -> str:
    """The machine's IANA zone name (from TZ, /etc/timezone, the /etc/localtime link and the other
    places tzlocal knows), or "UTC" when none is set or it names no known zone."""
    import tzlocal

    try:
        name = tzlocal.get_localzone_name()
    except (LookupError, ValueError, OSError):  # a TZ or a config file naming no zone
        return "UTC"
    return _zone_names().get(name.lower(), "UTC") if name else "UTC"


def check_reminder(minutes: object) -> int:
    """The reminder as whole minutes before each session, 0 for none; a clear error otherwise."""
    refusal = "reminder: expected whole minutes {low}-{high} before each session (0 for none), got {value!r}"
    return REMINDER_MINUTES.check(minutes, "reminder", refusal)


def parse_reminder(text: str) -> int:
    """Typed minutes ("15") as :func:`check_reminder` accepts them; the same message for anything else."""
    stripped = text.strip() if isinstance(text, str) else ""
    return check_reminder(int(stripped) if stripped.isascii() and stripped.isdigit() else text)


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


def first_event(
    weekdays: tuple[str, ...], at: time, zone: ZoneInfo, now: datetime, start: date | None = None
) -> datetime:
    """The first session: on a chosen weekday, on or after ``start``, at ``at`` in ``zone``, and after
    ``now`` (a plan made at 09:15 for 07:30 starts on the next chosen day, never "today at 07:30").

    A ``start`` already gone is moved up to ``now``'s day in the zone, for the same reason.
    """
    today = now.astimezone(zone).date()
    day = max(start, today) if start is not None else today
    for offset in range(8):  # today's slot may be gone: the same weekday comes again 7 days on
        candidate = datetime.combine(day + timedelta(days=offset), at.replace(tzinfo=None), tzinfo=zone)
        if WEEKDAYS[candidate.weekday()] in weekdays and candidate > now:
            return candidate
    raise AssertionError("unreachable: weekdays is not empty")


def make_calendar(
    routine: Routine,
    *,
    weekdays: str | tuple[str, ...] | list[str] = DEFAULT_WEEKDAYS,
    start: date | None = None,
    at: time = DEFAULT_SESSION_TIME,
    weeks: int = DEFAULT_CALENDAR_WEEKS,
    catalog: Catalog | None = None,
    tz: str | None = None,
    reminder: int = 0,
    now: datetime | None = None,
) -> bytes:
    """An .ics file with the routine on ``weekdays`` at ``at`` for ``weeks``, in the zone ``tz``.

    ``tz`` is an IANA name (None: the machine's zone, see :func:`local_zone_name`); the sessions keep
    that wall time across clock changes. ``reminder`` is minutes before each session for a VALARM (0:
    none). ``now`` (an aware datetime; the real time when None) and ``start`` (a day; today when None)
    decide the first session, which is never before ``now``. ``catalog`` gives the red flags for the
    description (the built-in content when None). An empty routine raises
    :class:`~iliopsoas_lib.routine.EmptyRoutineError` with the routine's own reason.
    """
    from icalendar import Alarm, Calendar, Event

    days = check_weekdays(weekdays)
    weeks = CALENDAR_WEEKS.check(weeks, "weeks", "weeks: expected a whole number {low}-{high}, got {value!r}")
    zone = resolve_zone(local_zone_name() if tz is None else tz)
    minutes = check_reminder(reminder)
    if now is None:
        now = datetime.now(zone)
    elif not isinstance(now, datetime) or now.utcoffset() is None:
        raise ValueError(f"now: expected a time with its zone (an aware datetime), got {now!r}")
    if not routine.items:
        raise EmptyRoutineError(
            f"the routine has no stretches: nothing to put in a calendar. {routine.empty_message}"
        )
    begin = first_event(days, at, zone, now, start)
    description = describe(routine, catalog)

    calendar = Calendar()
    calendar.add("prodid", "-//iliopsoas explainer//weekly stretch plan//EN")
    calendar.add("version", "2.0")
    event = Event()
    plan = f"{begin.isoformat()}|{zone.key}|{days}|{weeks}|{description}"
    event.add("uid", f"{hashlib.sha256(plan.encode()).hexdigest()[:24]}@iliopsoas-explainer")
    event.add("dtstamp", datetime.combine(now.astimezone(zone).date(), time(0, 0), tzinfo=UTC))
    event.add("summary", "Iliopsoas stretches")
    event.add("dtstart", begin)  # with TZID=zone (UTC is written as such, with a Z)
    event.add("duration", timedelta(seconds=round(routine.duration())))
    event.add("rrule", {"freq": "weekly", "byday": list(days), "count": weeks * len(days)})
    event.add("description", description)
    if minutes:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", REMINDER_TEXT)
        alarm.add("trigger", timedelta(minutes=-minutes))
        event.add_component(alarm)
    calendar.add_component(event)
    # The zone's rules from the day before the first session to a year after the last (a patient may
    # extend the series in their app), daylight-saving changes included; put before the event.
    calendar.add_missing_timezones(
        begin.date() - timedelta(days=1), begin.date() + timedelta(weeks=weeks, days=366)
    )
    return calendar.to_ical()
