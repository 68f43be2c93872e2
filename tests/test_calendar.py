"""Calendars that keep their time (issue 14, item 3).

A plan's sessions are at a wall time in a named zone (DTSTART with a TZID and the zone's VTIMEZONE),
so 18:00 stays 18:00 every week across a daylight-saving change in two independent readers: the Python
``recurring-ical-events`` and the npm ``node-ical`` (run with node; scripts/test.sh installs it into
.cache/npm). A floating time is what went wrong before: the ``ics`` package read it as UTC and node-ical
moved it by an hour after the US clock change. The first session is never in the past (an injected
clock), a reminder is a VALARM when asked, and weekday lists are read strictly.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

import iliopsoas_lib as il
from iliopsoas_lib.documents.calendar_plan import make_calendar, parse_weekdays, resolve_zone
from iliopsoas_lib.routine import ABILITY_FIELDS

ROOT = Path(__file__).resolve().parents[1]
NODE_ICAL = ROOT / ".cache" / "npm" / "node_modules" / "node-ical"
ABLE = il.Abilities(**dict.fromkeys(ABILITY_FIELDS, True), conditions=frozenset())
ABLE_FLAGS = ("--can-kneel", "--good-balance", "--can-get-to-floor", "--bed", "--table", "--no-conditions")

#: node-ical reads the file and expands the weekly rule; each session is printed as the zone node-ical
#: found on DTSTART and the local wall time there (Intl, so node's own time zone data, not Python's).
NODE_SCRIPT = r"""
const ical = require(process.argv[2]);
const data = ical.sync.parseFile(process.argv[3]);
const event = Object.values(data).find((e) => e.type === "VEVENT");
const zone = event.start.tz;
const wall = new Intl.DateTimeFormat("en-CA", {
  timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});
const show = (d) => {
  const p = Object.fromEntries(wall.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
};
const range = {from: new Date(Date.UTC(2000, 0, 1)), to: new Date(Date.UTC(2100, 0, 1))};
const sessions = ical.expandRecurringEvent(event, range).map((s) => show(s.start));
console.log(JSON.stringify({zone, sessions, alarms: (event.alarms || []).length}));
"""


@pytest.fixture(scope="module")
def catalog():
    return il.load_catalog()


@pytest.fixture(scope="module")
def routine(catalog):
    return il.build_routine(catalog, ABLE, only=["hip_flexor_bed"])


def calendar_of(ics: bytes) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def python_sessions(ics: bytes, zone: str) -> list[str]:
    """Each session's local wall time in ``zone`` as recurring-ical-events expands the file."""
    found = recurring_ical_events.of(Calendar.from_ical(ics)).between(date(2000, 1, 1), date(2100, 1, 1))
    starts = sorted(event["DTSTART"].dt for event in found)
    return [start.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") for start in starts]


def node_sessions(ics: bytes, tmp_path: Path) -> dict:
    """What node-ical reads in the file: the zone, each session's local wall time, the alarms."""
    node = shutil.which("node")
    if node is None or not (NODE_ICAL / "package.json").exists():
        pytest.fail(f"node and {NODE_ICAL} are needed: run scripts/test.sh (it installs node-ical from npm)")
    (tmp_path / "plan.ics").write_bytes(ics)
    (tmp_path / "read.cjs").write_text(NODE_SCRIPT)
    done = subprocess.run(
        [node, str(tmp_path / "read.cjs"), str(NODE_ICAL), str(tmp_path / "plan.ics")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# -- the wall time across a daylight-saving change, in two readers -----------------------------------

# Each plan crosses its zone's clock change (US: 1 Nov 2026, 14 Mar 2027; EU: 25 Oct 2026, 28 Mar 2027).
DST_PLANS = [
    ("America/New_York", date(2026, 10, 19)),
    ("America/New_York", date(2027, 3, 1)),
    ("Europe/Berlin", date(2026, 10, 12)),
    ("Europe/Berlin", date(2027, 3, 15)),
]


@pytest.mark.parametrize(("zone", "start"), DST_PLANS)
def test_two_readers_give_the_same_wall_time_every_week_across_the_clock_change(
    routine, tmp_path, zone, start
) -> None:
    now = datetime.combine(start, time(9, 15), tzinfo=ZoneInfo(zone))
    ics = make_calendar(routine, weekdays="MO TH", start=start, at=time(18, 0), weeks=4, tz=zone, now=now)

    in_python = python_sessions(ics, zone)
    assert len(in_python) == 8 and {wall[-5:] for wall in in_python} == {"18:00"}
    weekdays = {date.fromisoformat(wall[:10]).weekday() for wall in in_python}
    assert weekdays == {0, 3}
    # The plan really crosses the change: the sessions are at two different UTC offsets.
    offsets = {
        datetime.combine(date.fromisoformat(w[:10]), time(18), ZoneInfo(zone)).utcoffset() for w in in_python
    }
    assert len(offsets) == 2, offsets

    in_node = node_sessions(ics, tmp_path)
    assert in_node["zone"] == zone
    assert in_node["sessions"] == in_python


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "Asia/Kolkata"])
def test_start_has_a_tzid_and_the_calendar_the_zones_vtimezone(routine, zone) -> None:
    """Not a floating time: the `ics` reading problem was a DTSTART with neither TZID nor VTIMEZONE."""
    now = datetime(2026, 10, 19, 9, 15, tzinfo=ZoneInfo(zone))
    ics = make_calendar(routine, weekdays="MO,TH", at=time(18, 0), weeks=6, tz=zone, now=now)
    calendar, event = calendar_of(ics)
    assert event["DTSTART"].params["TZID"] == zone
    assert f"DTSTART;TZID={zone}:20261019T180000" in ics.decode()
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert vtimezone["TZID"] == zone
    # The VTIMEZONE alone (as a reader without zone data uses it) gives the right offset for every session.
    own = vtimezone.to_tz()
    for start in recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2028, 1, 1)):
        local = start["DTSTART"].dt.replace(tzinfo=None)
        assert local.replace(tzinfo=own).utcoffset() == local.replace(tzinfo=ZoneInfo(zone)).utcoffset()


def test_utc_plan_is_written_in_utc_not_floating(routine) -> None:
    now = datetime(2026, 11, 25, 9, 15, tzinfo=UTC)
    _, event = calendar_of(make_calendar(routine, weekdays="MO", at=time(18, 0), tz="UTC", now=now))
    assert event["DTSTART"].dt == datetime(2026, 11, 30, 18, 0, tzinfo=UTC)


def test_the_same_plan_gives_the_same_file(routine) -> None:
    now = datetime(2026, 11, 25, 9, 15, tzinfo=ZoneInfo("Europe/Berlin"))
    made = [make_calendar(routine, tz="Europe/Berlin", reminder=10, now=now) for _ in range(2)]
    assert made[0] == made[1]


# -- the time zone ------------------------------------------------------------------------------------


def test_zone_names_are_checked_and_written_as_the_database_spells_them() -> None:
    assert resolve_zone("europe/berlin").key == "Europe/Berlin"
    assert resolve_zone(" America/New_York ").key == "America/New_York"
    with pytest.raises(ValueError, match=r"tz: unknown time zone 'Europe/Berln'.*Europe/Berlin") as info:
        resolve_zone("Europe/Berln")
    assert "\n" not in str(info.value)
    for bad in ("Mars/Base", "", "../../etc/passwd", "localtime"):
        with pytest.raises(ValueError, match="tz: unknown time zone"):
            resolve_zone(bad)


# -- the reminder -------------------------------------------------------------------------------------


def test_reminder_is_a_display_alarm_when_asked_and_absent_otherwise(routine, tmp_path) -> None:
    now = datetime(2026, 11, 25, 9, 15, tzinfo=ZoneInfo("Europe/Berlin"))
    ics = make_calendar(routine, tz="Europe/Berlin", reminder=15, now=now)
    _, event = calendar_of(ics)
    (alarm,) = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(minutes=-15) and "TRIGGER:-PT15M" in ics.decode()
    assert str(alarm["DESCRIPTION"]).startswith("Time for your stretches")
    assert node_sessions(ics, tmp_path)["alarms"] == 1
    for reminder in ({}, {"reminder": 0}):
        _, event = calendar_of(make_calendar(routine, tz="Europe/Berlin", now=now, **reminder))
        assert not event.walk("VALARM")


@pytest.mark.parametrize("reminder", [-5, 1441, 2.5, True, "15"])
def test_a_reminder_out_of_range_is_refused(routine, reminder) -> None:
    with pytest.raises(ValueError, match=r"reminder: expected whole minutes 0-1440"):
        make_calendar(routine, tz="UTC", reminder=reminder)


# -- the first session is never in the past -----------------------------------------------------------

BERLIN = ZoneInfo("Europe/Berlin")
WEDNESDAY_0915 = datetime(2026, 11, 25, 9, 15, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("weekdays", "at", "first"),
    [
        ("MO,WE,TH", time(7, 30), datetime(2026, 11, 26, 7, 30)),  # not "today at 07:30": tomorrow
        ("MO,WE", time(7, 30), datetime(2026, 11, 30, 7, 30)),  # the next chosen weekday
        ("MO,WE", time(18, 0), datetime(2026, 11, 25, 18, 0)),  # later today is still ahead
    ],
)
def test_first_session_is_never_in_the_past(routine, weekdays, at, first) -> None:
    ics = make_calendar(
        routine, weekdays=weekdays, start=date(2026, 11, 25), at=at, tz="Europe/Berlin", now=WEDNESDAY_0915
    )
    _, event = calendar_of(ics)
    assert event["DTSTART"].dt == first.replace(tzinfo=BERLIN)


def test_a_start_day_already_gone_moves_to_the_next_session(routine) -> None:
    _, event = calendar_of(
        make_calendar(routine, weekdays="FR", start=date(2026, 11, 1), tz="Europe/Berlin", now=WEDNESDAY_0915)
    )
    assert event["DTSTART"].dt == datetime(2026, 11, 27, 18, 0, tzinfo=BERLIN)
    # The clock may be in another zone: 08:30 UTC is 09:30 in Berlin, past a 09:20 session there.
    _, event = calendar_of(
        make_calendar(
            routine,
            weekdays="WE,SA",
            at=time(9, 20),
            tz="Europe/Berlin",
            now=datetime(2026, 11, 25, 8, 30, tzinfo=UTC),
        )
    )
    assert event["DTSTART"].dt == datetime(2026, 11, 28, 9, 20, tzinfo=BERLIN)
    with pytest.raises(ValueError, match="now: expected a time with its zone"):
        make_calendar(routine, tz="UTC", now=datetime(2026, 11, 25, 9, 15))


# -- weekday lists ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["MO,TH", "MO TH", "MO;TH", "Monday Thursday", "mon, thu", "th mo", "Monday and Thursday"]
)
def test_weekday_lists_are_read_as_both_days(text) -> None:
    assert parse_weekdays(text) == ("MO", "TH")


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("MO TX", "'TX'"),
        ("Funday", "'Funday'"),
        ("Monster", "'Monster'"),  # the first two letters of a word are not a day
        ("MO-FR", "'MO-FR'"),
        ("MO, , TH", None),
        ("", "nothing"),
        (" ; ", "nothing"),
        ("MO mon", "MO twice"),
    ],
)
def test_weekday_lists_it_cannot_read_are_refused_clearly(text, bad) -> None:
    with pytest.raises(ValueError) as info:
        parse_weekdays(text)
    message = str(info.value)
    assert message.startswith("weekdays: ") and "\n" not in message
    assert "e.g. MO,TH" in message  # an example of what works
    if bad:
        assert bad in message


def test_empty_parts_between_commas_are_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        parse_weekdays("MO,,TH")


# -- the command line ---------------------------------------------------------------------------------


def cli(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "iliopsoas_lib", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_cli_takes_a_zone_a_reminder_and_a_weekday_list(tmp_path) -> None:
    done = cli(
        "calendar", *ABLE_FLAGS, "--weekdays", "MO TH", "--tz", "America/New_York", "--reminder", "10",
        "-o", "plan.ics", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    _, event = calendar_of((tmp_path / "plan.ics").read_bytes())
    assert event["RRULE"]["BYDAY"] == ["MO", "TH"] and event["DTSTART"].params["TZID"] == "America/New_York"
    assert event["DTSTART"].dt > datetime.now(ZoneInfo("America/New_York"))  # the real clock: not past
    (alarm,) = event.walk("VALARM")
    assert alarm["TRIGGER"].dt == timedelta(minutes=-10)
    assert "America/New_York" in done.stdout  # the clinician sees which zone the times are in


def test_cli_uses_the_machines_zone_by_default(tmp_path) -> None:
    import os

    env = {**os.environ, "TZ": "Asia/Tokyo"}
    done = cli("calendar", *ABLE_FLAGS, "-o", "plan.ics", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    _, event = calendar_of((tmp_path / "plan.ics").read_bytes())
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert not event.walk("VALARM")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tz", "Mars/Base"], "tz: unknown time zone 'Mars/Base'"),
        (["--reminder", "5000"], "reminder: expected whole minutes 0-1440"),
        (["--reminder", "ten"], "reminder: expected whole minutes 0-1440"),
        (["--weekdays", "MO TX"], "'TX'"),
        (["--weekdays", "Funday"], "'Funday'"),
    ],
)
def test_cli_bad_calendar_input_exits_2_with_one_line(tmp_path, args, message) -> None:
    done = cli("calendar", *ABLE_FLAGS, *args, "-o", "plan.ics", cwd=tmp_path)
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert message in line
    assert not (tmp_path / "plan.ics").exists()
