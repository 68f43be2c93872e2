"""The session log: saving without loss, CSV import/export, every kind of bad input, weekly counts."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from iliopsoas_lib.session_log import Session, SessionLog, SessionLogError
from iliopsoas_lib.weekly_frequency import example_log, weekly_counts, weekly_goal


@pytest.fixture
def log() -> SessionLog:
    log = SessionLog()
    log.log_session(date(2026, 11, 16), ["standing_hip_flexor", "glute_bridge"], 612, "felt good")
    log.log_session(date(2026, 11, 18), ["glute_bridge"], 300)
    log.log_session(date(2026, 11, 23), ["hip_flexor_bed"])
    return log


def test_sessions_stay_in_date_order(log):
    log.log_session(date(2026, 11, 17), ["glute_bridge"])
    assert [s.date.day for s in log] == [16, 17, 18, 23]


def test_save_and_load_round_trip(tmp_path, log):
    path = log.save(tmp_path / "sub" / "session_log.json")
    assert SessionLog.load(path).sessions == log.sessions
    # No temp file left; the lock file that one writer at a time holds stays (hidden) beside the log.
    assert sorted(p.name for p in path.parent.iterdir()) == [".session_log.json.lock", "session_log.json"]


@pytest.mark.parametrize("failing", ["os.fsync", "os.replace"])
def test_a_save_that_fails_midway_leaves_the_earlier_file_whole(tmp_path, log, monkeypatch, failing):
    path = log.save(tmp_path / "session_log.json")
    before = path.read_bytes()
    log.log_session(date(2026, 11, 25), ["glute_bridge"], 300, "never reaches the disk")

    def fail(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(failing, fail)  # after the new text is written to the temp file, before the swap
    with pytest.raises(OSError, match="No space left"):
        log.save(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".session_log.json.lock", "session_log.json"]
    assert len(SessionLog.load(path)) == 3


def test_missing_file_is_an_empty_log(tmp_path):
    assert len(SessionLog.load(tmp_path / "none.json")) == 0


def test_default_path_is_in_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert SessionLog.default_path() == tmp_path / "iliopsoas-explainer" / "session_log.json"


def test_csv_round_trip_and_merge(log):
    text = log.to_csv()
    assert text.splitlines()[:2] == [
        "date,stretches,duration_seconds,note",
        "2026-11-16,standing_hip_flexor;glute_bridge,612,felt good",
    ]
    assert SessionLog.from_csv(text).sessions == log.sessions
    other = SessionLog()
    other.log_session(date(2026, 11, 1), ["glute_bridge"])
    assert other.import_csv(text) == 3
    assert other.import_csv(text) == 0  # duplicates are skipped
    assert len(other) == 4


def test_csv_with_bom_and_crlf():
    text = "\ufeffdate,stretches,duration_seconds,note\r\n2026-11-02,glute_bridge,,\r\n"
    assert SessionLog.from_csv(text).sessions == (Session(date(2026, 11, 2), ("glute_bridge",)),)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "2026-11-16,glute_bridge,0,\n2026-02-30,glute_bridge,0,\n",
            "up.csv, line 3: date: '2026-02-30' is not a date",
        ),
        (
            "16/11/2026,glute_bridge,0,\n",
            "up.csv, line 2: date: '16/11/2026' is not a date (expected YYYY-MM-DD)",
        ),
        ("2026-11-16,glute_bridge,0\n", "up.csv, line 2: expected 4 columns, got 3"),
        ("2026-11-16,,0,\n", "up.csv, line 2: no stretches given"),
        ("2026-11-16,glute_bridge,-4,\n", "up.csv, line 2: duration_seconds must be 0 or more"),
        ("2026-11-16,glute_bridge,ten,\n", "up.csv, line 2: duration_seconds 'ten' is not a number"),
    ],
)
def test_bad_csv_rows_name_the_line_and_change_nothing(log, body, message):
    before = log.sessions
    with pytest.raises(SessionLogError) as info:
        log.import_csv("date,stretches,duration_seconds,note\n" + body, source="up.csv")
    assert message in str(info.value)
    assert log.sessions == before


def test_wrong_header_and_empty_file(log):
    with pytest.raises(SessionLogError, match=r"up.csv, line 1: expected the header date,stretches"):
        log.import_csv("day,what\n2026-11-16,glute_bridge\n", source="up.csv")
    with pytest.raises(SessionLogError, match="the file is empty"):
        log.import_csv("", source="up.csv")
    assert len(log) == 3


def test_truncated_log_file_is_reported_and_left_unchanged(tmp_path, log):
    path = log.save(tmp_path / "session_log.json")
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    cut = path.read_bytes()
    with pytest.raises(SessionLogError) as info:
        SessionLog.load(path)
    assert info.value.line is not None and "not valid JSON, the file may be truncated" in str(info.value)
    assert f"line {info.value.line}" in str(info.value)
    assert path.read_bytes() == cut


def test_bad_entry_names_the_session_and_line(tmp_path, log):
    path = log.save(tmp_path / "session_log.json")
    text = path.read_text().replace('"2026-11-18"', '"2026-13-01"')
    path.write_text(text)
    before = path.read_bytes()
    with pytest.raises(SessionLogError) as info:
        SessionLog.load(path)
    expected_line = next(n for n, line in enumerate(text.splitlines(), 1) if "2026-13-01" in line)
    assert info.value.line == expected_line
    assert "session #2, field 'date': '2026-13-01' is not a date" in str(info.value)
    assert path.read_bytes() == before


def test_other_json_is_not_a_log(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(SessionLogError, match="not a session log"):
        SessionLog.load(path)
    path.write_text('{"format": "iliopsoas-session-log", "version": 9, "sessions": []}')
    with pytest.raises(SessionLogError, match="version 9 is not supported"):
        SessionLog.load(path)


def test_recover_moves_the_broken_file_aside(tmp_path):
    path = tmp_path / "session_log.json"
    path.write_bytes(b'{"format": "iliopsoas-sess')
    fresh, backup = SessionLog.recover(path)
    assert len(fresh) == 0 and not path.exists()
    assert (
        backup.name == "session_log.corrupt-1.json" and backup.read_bytes() == b'{"format": "iliopsoas-sess'
    )
    path.write_bytes(b"{")
    assert SessionLog.recover(path)[1].name == "session_log.corrupt-2.json"


def test_session_validation():
    with pytest.raises(ValueError, match="at least one stretch"):
        Session(date(2026, 1, 1), ())
    with pytest.raises(ValueError, match="duration_seconds must be a number >= 0"):
        Session(date(2026, 1, 1), ("glute_bridge",), -1)


def test_weekly_counts_across_the_year_boundary():
    # 2026 has an ISO week 53 (28 Dec 2026 - 3 Jan 2027).
    assert date(2026, 12, 28).isocalendar()[:2] == (2026, 53)
    log = SessionLog()
    for day in (
        date(2026, 12, 22),
        date(2026, 12, 24),
        date(2026, 12, 28),
        date(2027, 1, 2),
        date(2027, 1, 3),
        date(2027, 1, 5),
    ):
        log.log_session(day, ["glute_bridge"])
    counts = weekly_counts(log, weeks=3, today=date(2027, 1, 6))
    assert [(w.label, w.monday, w.count, w.met) for w in counts.weeks] == [
        ("2026-W52", date(2026, 12, 21), 2, True),
        ("2026-W53", date(2026, 12, 28), 3, True),
        ("2027-W01", date(2027, 1, 4), 1, False),
    ]
    assert counts.streak == 2  # this week is under way and not yet met: count from last week
    assert "2026-W53  2026-12-28         3  yes" in counts.table()
    assert counts.table().endswith("streak: 2 weeks")


def test_streak_includes_this_week_once_met_and_reaches_beyond_the_window():
    log = SessionLog()
    start = date(2026, 9, 7)  # a Monday
    for week in range(10):
        for day in (0, 2):
            log.log_session(start + timedelta(weeks=week, days=day), ["glute_bridge"])
    counts = weekly_counts(log, weeks=4, today=start + timedelta(weeks=9, days=3))
    assert counts.streak == 10 and len(counts.weeks) == 4
    log.log_session(start + timedelta(weeks=20), ["glute_bridge"])  # after today: ignored
    assert weekly_counts(log, weeks=4, today=start + timedelta(weeks=9, days=3)).weeks[-1].count == 2


def test_a_missed_week_breaks_the_streak_and_more_than_three_still_meets():
    log = SessionLog()
    for day in (
        date(2026, 11, 2),
        date(2026, 11, 3),
        date(2026, 11, 4),
        date(2026, 11, 5),
        date(2026, 11, 23),
        date(2026, 11, 24),
    ):
        log.log_session(day, ["glute_bridge"])
    counts = weekly_counts(log, weeks=4, today=date(2026, 11, 25))
    assert [w.count for w in counts.weeks] == [4, 0, 0, 2]
    assert counts.weeks[0].met and counts.streak == 1


def test_weeks_must_be_positive(log):
    with pytest.raises(ValueError, match="weeks must be a whole number of at least 1"):
        weekly_counts(log, weeks=0, today=date(2026, 11, 23))


@given(
    days=st.lists(st.integers(-200, 30), max_size=60),
    weeks=st.integers(1, 30),
    today=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
)
def test_counts_add_up_to_the_sessions_in_the_window(days, weeks, today):
    log = SessionLog([Session(today + timedelta(days=d), ("glute_bridge",)) for d in days])
    counts = weekly_counts(log, weeks, today)
    first = counts.weeks[0].monday
    in_window = sum(1 for s in log if first <= s.date <= today)
    assert sum(w.count for w in counts.weeks) == in_window
    assert all(w.count >= 0 for w in counts.weeks) and len(counts.weeks) == weeks
    assert counts.weeks[-1].monday <= today < counts.weeks[-1].monday + timedelta(days=7)
    assert all(w.monday.weekday() == 0 for w in counts.weeks)


# -- what a mutation run showed no test pinned down ---------------------------------------------------

HEADER = "date,stretches,duration_seconds,note\n"
V1_FIXTURE = DATA / "session_log_v1.json"


def test_a_stored_version_1_log_still_loads_and_saves_byte_for_byte():
    """A log saved by version 1 must load after any change, and saving it again must write the same
    bytes: a format change that orphans every saved log fails here, not on a patient's machine."""
    log = SessionLog.load(V1_FIXTURE)
    assert log.sessions == (
        Session(
            date(2026, 11, 16),
            ("standing_hip_flexor", "glute_bridge"),
            612.5,
            'felt good, "easy" on the left; café after',
        ),
        Session(date(2026, 11, 18), ("glute_bridge",), 300.0),
        Session(date(2026, 11, 23), ("hip_flexor_bed",), 0.0),
    )
    assert log.to_json() == V1_FIXTURE.read_text(encoding="utf-8")


def test_missing_duration_and_note_default_to_none_given():
    text = json.dumps({**LOG_HEAD, "sessions": [{"date": "2026-11-16", "stretches": ["glute_bridge"]}]})
    (session,) = SessionLog.from_json(text).sessions
    assert (session.duration_seconds, session.note) == (0.0, "")


LOG_HEAD = {"format": "iliopsoas-session-log", "version": 1}


def json_log(*entries: object, **top: object) -> str:
    """A pretty-printed log as ``save`` writes it, so each session's "date" starts a line."""
    return json.dumps({**LOG_HEAD, "sessions": list(entries), **top}, indent=2)


GOOD = {"date": "2026-11-16", "stretches": ["glute_bridge"], "duration_seconds": 60, "note": ""}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "other"}', 'session_log.json, line 1: not a session log (expected "format": '),
        ("[1, 2]", "session_log.json, line 1: not a session log"),
        (
            '{"format": "iliopsoas-session-log", "version": "1"}',
            "session_log.json, line 1: log version '1' is not supported (expected 1)",
        ),
        (json_log(GOOD, backup=[], goal=3), "session_log.json: unknown field(s) backup, goal"),
        ('{"format": "iliopsoas-session-log", "version": 1}', 'session_log.json: "sessions" must be a list'),
        (json_log(GOOD, "2026-11-17"), "session_log.json: session #2 is not an object"),
        (  # no date, so no line of its own: never the line of the next session's date
            json_log({"stretches": ["glute_bridge"]}, GOOD),
            "session_log.json: session #1, field 'date': None is not a date (expected YYYY-MM-DD)",
        ),
        (
            json_log(GOOD, {**GOOD, "mood": "ok", "duration": 3}),
            "session_log.json, line 14: session #2: unknown field(s) duration, mood",
        ),
        (
            json_log({**GOOD, "stretches": "glute_bridge"}),
            "session_log.json, line 6: session #1, field 'stretches': expected a list of ids",
        ),
        (
            json_log({**GOOD, "stretches": ["glute_bridge", 7]}),
            "session_log.json, line 6: session #1, field 'stretches': expected a list of ids",
        ),
        (
            json_log({**GOOD, "date": 20261116}),
            "session_log.json, line 6: session #1, field 'date': 20261116 is not a date (expected YYYY-MM",
        ),
        (
            json_log({**GOOD, "date": "20261116"}),  # Python 3.11 reads this; the log never writes it
            "session_log.json, line 6: session #1, field 'date': '20261116' is not a date",
        ),
        (
            json_log(GOOD, {**GOOD, "stretches": []}),
            "session_log.json, line 14: session #2: a session needs at least one stretch id (a tuple of ids)",
        ),
        (
            json_log({**GOOD, "duration_seconds": -1}),
            "session_log.json, line 6: session #1: duration_seconds must be a number >= 0, got -1",
        ),
        (  # a file may hold an integer too long to be a float: refused by name, not an OverflowError
            json_log({**GOOD, "duration_seconds": 10**400}),
            "session_log.json, line 6: session #1: duration_seconds must be a number >= 0, got 1000",
        ),
        (
            json_log({**GOOD, "note": None}),
            "session_log.json, line 6: session #1: note must be text, got None",
        ),
    ],
)
def test_a_log_that_is_not_exactly_version_1_is_refused_with_where(text, message):
    """Nothing is guessed: a string of stretches is not split into letters, a field this version does not
    know is not silently dropped by the next save, and each message names the session and its line."""
    with pytest.raises(SessionLogError) as info:
        SessionLog.from_json(text)
    assert str(info.value).startswith(message)


def test_compact_json_names_the_session_without_a_line():
    """One-line JSON (not as saved) has no line per session: the message says which session only."""
    compact = json.dumps({**LOG_HEAD, "sessions": [GOOD, {**GOOD, "note": 1}]})
    with pytest.raises(SessionLogError) as info:
        SessionLog.from_json(compact, "x.json")
    assert str(info.value) == "x.json: session #2: note must be text, got 1"
    assert (info.value.source, info.value.line) == ("x.json", None)


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "true"])
def test_durations_json_allows_but_a_log_cannot_export_are_refused(bad):
    text = json_log(GOOD).replace('"duration_seconds": 60', f'"duration_seconds": {bad}')
    with pytest.raises(SessionLogError, match=r"line 6: session #1: duration_seconds must be a number"):
        SessionLog.from_json(text)


def test_errors_say_where_with_or_without_a_line():
    assert str(SessionLogError("up.csv", 4, "bad")) == "up.csv, line 4: bad"
    error = SessionLogError("up.csv", None, "bad")
    assert str(error) == "up.csv: bad" and (error.source, error.line, error.reason) == ("up.csv", None, "bad")


def test_load_names_the_file_it_read(tmp_path):
    path = tmp_path / "session_log.json"
    path.write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(SessionLogError) as info:
        SessionLog.load(path)
    assert str(info.value).startswith(f"{path}, line 1: not a session log")
    path.write_text('{\n"format": ', encoding="utf-8")
    with pytest.raises(SessionLogError) as info:
        SessionLog.load(path)
    assert str(info.value).startswith(f"{path}, line 2: not valid JSON, the file may be truncated (")
    path.write_bytes(b'{"format": "\xff"}')
    with pytest.raises(SessionLogError) as info:
        SessionLog.load(path)
    assert str(info.value) == (
        "session_log.json: not UTF-8 text (invalid start byte); the file was left as it is"
    )
    assert info.value.line is None and path.read_bytes() == b'{"format": "\xff"}'


def test_a_log_is_read_as_utf8_whatever_the_locale(tmp_path, monkeypatch):
    """A hand-edited log may hold raw UTF-8 ("café"). On a machine whose locale is not UTF-8 (Windows'
    cp1252) it must still read as written, not as the locale would guess. The locale is simulated where
    Python picks the encoding for a text file opened without one."""
    path = tmp_path / "session_log.json"
    path.write_text(json_log({**GOOD, "note": "café"}).replace("\\u00e9", "é"), encoding="utf-8")
    monkeypatch.setattr(io, "text_encoding", lambda encoding, stacklevel=2: encoding or "cp1252")
    assert "café" not in path.read_text()  # the simulation works: without an encoding, "cafÃ©"
    assert SessionLog.load(path).sessions[0].note == "café"


def test_save_and_load_use_the_data_folder_by_default(monkeypatch, tmp_path, log):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "deep" / "data"))  # two folders to create
    written = log.save()
    assert written == tmp_path / "deep" / "data" / "iliopsoas-explainer" / "session_log.json"
    assert SessionLog.load().sessions == log.sessions


def test_the_temporary_file_is_hidden_beside_the_target(tmp_path, log, monkeypatch):
    """Written beside the target (same file system, so the swap is atomic) and hidden from the folder."""
    swaps = []
    monkeypatch.setattr("os.replace", lambda src, dst: swaps.append((Path(src), Path(dst))))
    target = tmp_path / "session_log.json"
    log.save(target)
    ((temp, swapped_to),) = swaps
    assert swapped_to == target and temp.parent == tmp_path
    assert temp.name.startswith(".session_log.json.") and temp.name.endswith(".tmp")
    assert SessionLog.from_json(temp.read_text(encoding="utf-8")).sessions == log.sessions


def test_a_failed_save_whose_temp_file_is_already_gone_still_reports_the_failure(tmp_path, log, monkeypatch):
    def vanish(src, dst):
        Path(src).unlink()
        raise OSError(5, "I/O error")

    monkeypatch.setattr("os.replace", vanish)
    with pytest.raises(OSError, match="I/O error"):  # not FileNotFoundError from the clean-up
        log.save(tmp_path / "session_log.json")


# -- sessions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"date": datetime(2026, 11, 16, 8, 0)},
            "date must be a datetime.date (a day, not a time), got datetime.datetime(2026, 11, 16, 8, 0)",
        ),
        ({"date": "2026-11-16"}, "date must be a datetime.date (a day, not a time), got '2026-11-16'"),
        ({"stretches": "glute_bridge"}, "a session needs at least one stretch id (a tuple of ids)"),
        ({"stretches": ("a;b",)}, "stretch ids must be non-empty and contain no ';': ('a;b',)"),
        ({"stretches": ("glute_bridge", "  ")}, "stretch ids must be non-empty and contain no ';'"),
        ({"duration_seconds": math.inf}, "duration_seconds must be a number >= 0, got inf"),
        ({"duration_seconds": math.nan}, "duration_seconds must be a number >= 0, got nan"),
        ({"duration_seconds": True}, "duration_seconds must be a number >= 0, got True"),
        ({"duration_seconds": "60"}, "duration_seconds must be a number >= 0, got '60'"),
        ({"duration_seconds": 10**400}, "duration_seconds must be a number >= 0, got 1000"),
        ({"note": None}, "note must be text, got None"),
    ],
)
def test_a_session_that_could_not_be_exported_is_refused(kwargs, message):
    """What a session holds must survive a CSV and a JSON round trip, so anything that could not is
    refused when it is made: a datetime (exported with a time, unreadable, and not comparable with a
    day in the weekly counts), an id with the CSV's separator, an endless or boolean duration, a non-text
    note."""
    fields = {"date": date(2026, 11, 16), "stretches": ("glute_bridge",), **kwargs}
    with pytest.raises(ValueError) as info:
        Session(**fields)
    assert str(info.value).startswith(message)


def test_a_session_is_normalised_and_its_boundaries_accepted():
    session = Session(date(2026, 11, 16), [" glute_bridge ", "hip_flexor_bed"], 0, "  as typed  ")
    assert session.stretches == ("glute_bridge", "hip_flexor_bed") and session.note == "  as typed  "
    assert session.duration_seconds == 0.0 and type(session.duration_seconds) is float
    assert Session(date(2026, 11, 16), ("x",), 1e9).duration_seconds == 1e9


def test_same_day_sessions_keep_the_order_they_were_logged_in():
    day = date(2026, 11, 16)
    log = SessionLog([Session(day, ("z_first",)), Session(day, ("a_second",)), Session(day - ONE, ("x",))])
    assert [s.stretches[0] for s in log] == ["x", "z_first", "a_second"]  # by date only, then as given
    log.add(Session(day, ("b_third",)))
    log.add(Session(day - ONE, ("y",)))
    assert [s.stretches[0] for s in log] == ["x", "y", "z_first", "a_second", "b_third"]
    assert repr(log) == "SessionLog(5 sessions)" and len(log) == 5


def test_log_session_defaults_and_returns_what_it_logged():
    log = SessionLog()
    session = log.log_session(date(2026, 11, 16), iter(["glute_bridge"]))
    assert session == Session(date(2026, 11, 16), ("glute_bridge",), 0.0, "") and log.sessions == (session,)


def test_iterating_is_safe_while_the_log_changes(log):
    for session in log:
        log.add(session)  # iterates over a snapshot: no endless loop
    assert len(log) == 6


# -- CSV --------------------------------------------------------------------------------------------

ONE = timedelta(days=1)


def test_csv_export_is_exact():
    log = SessionLog()
    log.log_session(date(2026, 11, 16), ["standing_hip_flexor", "glute_bridge"], 600.5, 'said "ok", then')
    log.log_session(date(2026, 11, 17), ["glute_bridge"], 1612.3456, "line one\r\nline two")
    log.log_session(date(2026, 11, 18), ["glute_bridge"], 86399.25)
    log.log_session(date(2026, 11, 19), ["glute_bridge"], 60, "an old Mac's\rline break")
    assert log.to_csv() == (
        "date,stretches,duration_seconds,note\r\n"
        '2026-11-16,standing_hip_flexor;glute_bridge,600.5,"said ""ok"", then"\r\n'
        '2026-11-17,glute_bridge,1612.3456,"line one\r\nline two"\r\n'
        "2026-11-18,glute_bridge,86399.25,\r\n"
        '2026-11-19,glute_bridge,60,"an old Mac\'s\rline break"\r\n'
    )
    assert SessionLog.from_csv(log.to_csv()).sessions == log.sessions


def test_blank_lines_anywhere_are_skipped_not_the_end_of_the_file():
    text = HEADER + "\n2026-11-16,glute_bridge,60,\n\n , , ,\n,,,\n2026-11-18,a;;b ; c,,\n\n"
    log = SessionLog.from_csv(text)
    assert [(s.date.day, s.stretches) for s in log] == [(16, ("glute_bridge",)), (18, ("a", "b", "c"))]


def test_a_csv_with_old_mac_line_ends_is_read():
    text = HEADER.replace("\n", "\r") + "2026-11-16,x,1,\r2026-11-17,y,,a note\r"
    assert [(s.stretches, s.note) for s in SessionLog.from_csv(text)] == [(("x",), ""), (("y",), "a note")]


def test_header_may_differ_in_case_and_spaces_only():
    assert len(SessionLog.from_csv(" Date , STRETCHES,duration_seconds ,Note\n2026-11-16,x,,\n")) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "upload, line 1: the file is empty; expected the header date,stretches,duration_seconds,note"),
        (
            "date;stretches\n",
            "upload, line 1: expected the header date,stretches,duration_seconds,note, got date;stretches",
        ),
        ("a,b\n", "upload, line 1: expected the header date,stretches,duration_seconds,note, got a,b"),
        (HEADER + "2026-11-16,x,inf,\n", "upload, line 2: duration_seconds must be 0 or more, got 'inf'"),
        (HEADER + "2026-11-16,x,nan,\n", "upload, line 2: duration_seconds must be 0 or more, got 'nan'"),
        (HEADER + "\n\n2026-11-16,x,1,\n2026-11-17,x\n", "upload, line 5: expected 4 columns, got 2"),
        (HEADER + "2026-11-16,x,1,\n20261117,x,1,\n", "upload, line 3: date: '20261117' is not a date"),
        (
            HEADER + "2026-11-16,x,1," + "n" * 140_000 + "\n",
            "upload, line 2: not a readable CSV (field larger than field limit (131072))",
        ),
    ],
)
def test_bad_csv_names_the_default_source_and_line(text, message):
    with pytest.raises(SessionLogError) as info:
        SessionLog.from_csv(text)
    assert str(info.value) == message or str(info.value).startswith(message + " (")
    log = SessionLog()
    with pytest.raises(SessionLogError) as info:
        log.import_csv(text)
    assert str(info.value).startswith(message) and len(log) == 0


def test_importing_a_duplicate_first_does_not_drop_the_rest(log):
    """Already-logged sessions are skipped one for one; the rows after them still come in."""
    known = log.sessions[0]
    new = Session(date(2026, 11, 30), ("glute_bridge",), 60.0)
    text = SessionLog([known, new, known]).to_csv()  # the same session twice, logged once here
    assert log.import_csv(text) == 2
    assert log.sessions.count(known) == 2 and new in log.sessions
    assert log.import_csv(text) == 0  # everything in it is now in the log, as often as it is there


# -- properties: for every log, not just the examples above -----------------------------------------

# Ids as a session keeps them (stripped, no ';'); any other character, CR and LF included, may appear.
ids = (
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=";"), min_size=1, max_size=10)
    .map(str.strip)
    .filter(bool)
)
sessions = st.builds(
    Session,
    date=st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    stretches=st.lists(ids, min_size=1, max_size=3).map(tuple),
    duration_seconds=st.one_of(st.integers(0, 86_400), st.floats(0, 86_400, allow_nan=False)),
    note=st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
)


@settings(max_examples=15, deadline=None)
@given(items=st.lists(sessions, max_size=6))
def test_any_log_survives_a_csv_and_a_json_round_trip(items):
    log = SessionLog(items)
    assert SessionLog.from_csv(log.to_csv()).sessions == log.sessions
    assert SessionLog.from_json(log.to_json()).sessions == log.sessions


pool = st.lists(sessions, min_size=1, max_size=3, unique=True)


@settings(max_examples=12, deadline=None)
@given(data=st.data(), choices=pool)
def test_importing_merges_like_a_multiset_and_twice_adds_nothing(data, choices):
    """Sessions are drawn from a small pool so that repeats, in the log, in the file or both, are common."""
    have = data.draw(st.lists(st.sampled_from(choices), max_size=4))
    incoming = data.draw(st.lists(st.sampled_from(choices), max_size=4))
    log = SessionLog(list(have))
    text = SessionLog(list(incoming)).to_csv()
    assert log.import_csv(text) == sum((Counter(incoming) - Counter(have)).values())
    assert Counter(log.sessions) == Counter(have) | Counter(incoming)
    assert log.import_csv(text) == 0
    assert [s.date for s in log] == sorted(s.date for s in log)


# -- weekly counts ----------------------------------------------------------------------------------


def test_the_weekly_table_says_no_for_a_missed_week_and_uses_the_default_goal():
    log = SessionLog([Session(date(2026, 11, d), ("glute_bridge",)) for d in (2, 4, 10, 23)])
    counts = weekly_counts(log, weeks=4, today=date(2026, 11, 25))
    assert (counts.goal_low, counts.goal_high, counts.streak) == (2, 3, 0)
    assert counts.this_week.monday == date(2026, 11, 23)
    assert counts.table() == (
        "week      monday      sessions  goal met\n"
        "2026-W45  2026-11-02         2  yes\n"
        "2026-W46  2026-11-09         1  no\n"
        "2026-W47  2026-11-16         0  no\n"
        "2026-W48  2026-11-23         1  no\n"
        "goal: 2-3 sessions a week; streak: 0 weeks"
    )


def with_weekly_goal(catalog, low: float, high: float):
    """The catalog with another weekly goal in its guidelines (as an edited guidelines.toml would give)."""
    weekly = dataclasses.replace(catalog.guidelines["sessions_per_week"], low=low, high=high)
    return dataclasses.replace(catalog, guidelines={**catalog.guidelines, "sessions_per_week": weekly})


ONE_A_WEEK = SessionLog([Session(date(2026, 11, d), ("glute_bridge",)) for d in (4, 11, 18, 25)])


def test_the_weekly_goal_and_the_streak_follow_the_catalogs_guideline(catalog):
    """Issue 15: the goal was 2-3 in code whatever guidelines.toml said; now the guideline sets it."""
    assert weekly_goal(catalog) == (2, 3)
    one_or_two = with_weekly_goal(catalog, 1, 2)
    counts = weekly_counts(ONE_A_WEEK, weeks=4, today=date(2026, 11, 25), catalog=one_or_two)
    assert (counts.goal_low, counts.goal_high, counts.streak) == (1, 2, 4)
    assert all(w.met for w in counts.weeks)
    assert counts.table().endswith("goal: 1-2 sessions a week; streak: 4 weeks")
    assert weekly_counts(ONE_A_WEEK, weeks=4, today=date(2026, 11, 25), catalog=catalog).streak == 0


def test_without_a_catalog_the_goal_is_the_built_in_guidelines(catalog, monkeypatch, request):
    """The log view and the notebooks pass no catalog: an edited built-in guideline still reaches them
    (read once per process, as the built-in content is: a new process stands in for the edit here)."""
    import iliopsoas_lib.catalog
    from iliopsoas_lib import weekly_frequency

    monkeypatch.setattr(iliopsoas_lib.catalog, "load_catalog", lambda: with_weekly_goal(catalog, 1, 1))
    weekly_frequency._builtin_weekly_goal.cache_clear()
    request.addfinalizer(weekly_frequency._builtin_weekly_goal.cache_clear)
    counts = weekly_counts(ONE_A_WEEK, weeks=4, today=date(2026, 11, 25))
    assert (counts.goal_low, counts.goal_high, counts.streak) == (1, 1, 4)


def test_a_weekly_goal_in_part_sessions_is_rounded_inwards_and_one_without_numbers_is_refused(catalog):
    assert weekly_goal(with_weekly_goal(catalog, 1.5, 3.5)) == (2, 3)
    assert weekly_goal(with_weekly_goal(catalog, 2.5, 2.7)) == (3, 3)
    wordy = with_weekly_goal(catalog, None, None)
    with pytest.raises(ValueError, match="the catalog has no weekly goal: its guideline 'sessions_per_week'"):
        weekly_counts(ONE_A_WEEK, weeks=2, today=date(2026, 11, 25), catalog=wordy)


def test_a_week_at_the_goal_exactly_meets_it_and_one_week_is_singular():
    log = SessionLog([Session(date(2026, 11, d), ("glute_bridge",)) for d in (16, 17, 23)])
    counts = weekly_counts(log, weeks=2, today=date(2026, 11, 29), goal_low=2, goal_high=2)
    assert [(w.count, w.met) for w in counts.weeks] == [(2, True), (1, False)]
    assert counts.streak == 1 and counts.table().endswith("goal: 2-2 sessions a week; streak: 1 week")


def test_a_goal_of_one_counts_an_empty_week_as_missed():
    log = SessionLog([Session(date(2026, 11, 18), ("glute_bridge",))])
    counts = weekly_counts(log, weeks=3, today=date(2026, 11, 25), goal_low=1, goal_high=1)
    assert [w.met for w in counts.weeks] == [False, True, False] and counts.streak == 1
    assert weekly_counts(log, 1, date(2026, 11, 18), goal_low=1).streak == 1  # a session on today counts
    assert weekly_counts(log, 1, date(2026, 11, 17), goal_low=1).streak == 0  # one after today does not


def test_week_labels_have_two_digits():
    counts = weekly_counts(SessionLog(), weeks=1, today=date(2026, 2, 4))
    week = counts.this_week
    assert (week.label, week.year, week.week) == ("2026-W06", 2026, 6)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weeks": True}, "weeks must be a whole number of at least 1, got True"),
        ({"weeks": 1.0}, "weeks must be a whole number of at least 1, got 1.0"),
        ({"weeks": 0}, "weeks must be a whole number of at least 1, got 0"),
        ({"goal_low": 0, "goal_high": 3}, "goal must satisfy 1 <= goal_low <= goal_high, got 0-3"),
        ({"goal_low": 3, "goal_high": 2}, "goal must satisfy 1 <= goal_low <= goal_high, got 3-2"),
    ],
)
def test_weekly_counts_refuses_a_bad_window_or_goal(kwargs, message):
    with pytest.raises(ValueError) as info:
        weekly_counts(SessionLog(), **{"weeks": 2, "today": date(2026, 11, 25), **kwargs})
    assert str(info.value) == message


def test_the_smallest_window_and_goal_are_accepted():
    counts = weekly_counts(SessionLog(), weeks=1, today=date(2026, 11, 25), goal_low=1, goal_high=1)
    assert len(counts.weeks) == 1 and (counts.goal_low, counts.goal_high) == (1, 1)


def test_the_example_log_is_the_same_every_run():
    """Notebook 05 prints it and nbval compares the print, so it is pinned here in full."""
    today = date(2026, 11, 25)
    log = example_log(today)
    assert example_log(today).sessions == log.sessions
    assert [(s.date.isoformat(), s.duration_seconds) for s in log] == EXAMPLE_SESSIONS
    assert all(s.stretches == ("standing_hip_flexor", "glute_bridge", "hip_flexor_bed") for s in log)
    assert all(s.date <= today and s.note == "" for s in log)
    assert example_log(today, seed=5).sessions != log.sessions
    assert min(s.date for s in example_log(today, weeks=2)) >= date(2026, 11, 16)
    assert example_log(date(2026, 11, 24)).sessions[-1].date == date(2026, 11, 24)  # today is included


def test_the_example_log_has_0_to_4_sessions_a_week_mostly_2_or_3():
    """The made-up history teaches streaks, so it must hold weeks that miss the goal and weeks that meet it:
    every count from 0 to 4, with 2 and 3 (the goal) drawn about twice as often as each other count."""
    today = date(2026, 11, 29)  # a Sunday: every week in the window is complete
    counts = Counter(w.count for w in weekly_counts(example_log(today, weeks=350), 350, today).weeks)
    assert set(counts) == {0, 1, 2, 3, 4}
    rare = max(counts[0], counts[1], counts[4])
    assert min(counts[2], counts[3]) > 1.5 * rare


EXAMPLE_SESSIONS = [
    *((f"2026-10-{day:02d}", 540.0) for day in (7, 13, 15, 18, 21, 23, 28, 30)),
    ("2026-10-31", 600.0),
    ("2026-11-02", 660.0),
    ("2026-11-10", 600.0),
    ("2026-11-11", 600.0),
    ("2026-11-13", 660.0),
    ("2026-11-15", 660.0),
    ("2026-11-16", 660.0),
    ("2026-11-18", 600.0),
    ("2026-11-21", 660.0),
    ("2026-11-22", 540.0),
    ("2026-11-24", 600.0),
]


# -- two kernels, one file: every save re-reads and merges under a lock (issue 13, point 3) ---------

SAVING_PROCESS = """
import os, sys, time
from datetime import date
from iliopsoas_lib.session_log import SessionLog

path, tag, rounds, hang = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "hang"
log = SessionLog.load(path)  # read once, as a kernel does when its page is built
if hang:  # stop inside the save, after the new text is written and before the swap, and wait to be killed
    real_fsync = os.fsync

    def fsync_then_hang(fd):
        real_fsync(fd)
        print("writing", flush=True)
        time.sleep(120)

    os.fsync = fsync_then_hang
print("ready", flush=True)
sys.stdin.readline()  # both start saving together
for n in range(rounds):
    log.log_session(date(2026, 11, 20), ["glute_bridge"], 60, f"{tag}-{n}")
    log.save(path)
print("done", flush=True)
"""


def saving_process(path: Path, tag: str, rounds: int, hang: bool = False) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", SAVING_PROCESS, str(path), tag, str(rounds), "hang" if hang else "run"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def notes(path: Path) -> Counter:
    return Counter(s.note for s in SessionLog.load(path))


def test_two_kernels_saving_in_turn_never_lose_a_session(tmp_path, log):
    path = log.save(tmp_path / "session_log.json")
    first, second = SessionLog.load(path), SessionLog.load(path)  # two tabs of one person
    first.log_session(date(2026, 11, 25), ["glute_bridge"], 60, "tab one")
    first.save(path)
    second.log_session(date(2026, 11, 25), ["glute_bridge"], 60, "tab two")
    second.save(path)  # before the fix: wrote its own copy whole, and "tab one" was gone
    assert notes(path) == Counter({"felt good": 1, "": 2, "tab one": 1, "tab two": 1})
    first.save(path)  # a stale copy with nothing new takes nothing away
    assert len(SessionLog.load(path)) == 5
    assert [s.note for s in first][-2:] == ["tab one", "tab two"]  # the saver now holds what the file holds


def test_the_same_session_logged_in_two_tabs_is_kept_twice(tmp_path):
    """Two clicks of "Log a session today" in two tabs are two sessions, even though they are equal."""
    path = tmp_path / "session_log.json"
    first, second = SessionLog.load(path), SessionLog.load(path)
    for tab in (first, second):
        tab.log_session(date(2026, 11, 25), ["glute_bridge"], 600)
        tab.save(path)
    assert len(SessionLog.load(path)) == 2


def test_sync_brings_in_what_another_kernel_saved_and_keeps_what_is_not_saved_yet(tmp_path, log):
    path = log.save(tmp_path / "session_log.json")
    preheated = SessionLog.load(path)  # built before the visitor came
    preheated.log_session(date(2026, 11, 24), ["glute_bridge"], note="not saved yet")
    log.log_session(date(2026, 11, 25), ["glute_bridge"], note="saved elsewhere")
    log.save(path)
    assert preheated.sync(path) == 1
    assert [s.note for s in preheated][-2:] == ["not saved yet", "saved elsewhere"]
    assert preheated.sync(path) == 0  # nothing new: nothing added twice
    preheated.save(path)
    assert notes(path)["not saved yet"] == 1 and notes(path)["saved elsewhere"] == 1


def test_a_log_not_read_from_the_file_merges_like_an_import(tmp_path, log):
    """A log made in memory and saved over an existing file adds what the file lacks (as an import does)
    instead of writing over it."""
    path = log.save(tmp_path / "session_log.json")
    other = SessionLog([log.sessions[0], Session(date(2026, 11, 26), ("glute_bridge",))])
    other.save(path)
    assert len(SessionLog.load(path)) == 4


def test_saving_over_a_file_that_became_unreadable_refuses_and_keeps_the_session(tmp_path, log):
    path = log.save(tmp_path / "session_log.json")
    tab = SessionLog.load(path)
    path.write_text('{"format": "iliopsoas-sess', encoding="utf-8")  # broken by something else
    tab.log_session(date(2026, 11, 25), ["glute_bridge"], note="keep me")
    with pytest.raises(SessionLogError, match="not valid JSON"):
        tab.save(path)
    assert path.read_text(encoding="utf-8") == '{"format": "iliopsoas-sess'  # never written over
    assert tab.sessions[-1].note == "keep me"
    log.save(path.with_name("fixed.json"))
    os.replace(path.with_name("fixed.json"), path)  # someone repairs it: the next save brings the session in
    tab.save(path)
    assert notes(path)["keep me"] == 1 and len(SessionLog.load(path)) == 4


def test_two_processes_saving_at_once_lose_nothing(tmp_path, log):
    path = log.save(tmp_path / "session_log.json")
    procs = [saving_process(path, tag, 25) for tag in ("left", "right")]
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out.strip() == "done"
    saved = notes(path)
    assert all(saved[f"{tag}-{n}"] == 1 for tag in ("left", "right") for n in range(25))
    assert len(SessionLog.load(path)) == 3 + 50
    assert not list(tmp_path.glob("*.tmp"))


def test_writers_killed_mid_save_leave_the_file_whole_and_their_temp_files_are_cleaned(tmp_path, log):
    path = log.save(tmp_path / "session_log.json")
    before = path.read_bytes()
    for _ in range(3):
        proc = saving_process(path, "killed", 1, hang=True)
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "writing"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stdin.close()
    assert path.read_bytes() == before  # the swap never happened
    left = list(tmp_path.glob(".session_log.json.*.tmp"))
    assert len(left) == 3
    long_ago = time.time() - 120
    for temp in left:
        os.utime(temp, (long_ago, long_ago))
    fresh = tmp_path / ".session_log.json.fresh.tmp"  # seconds old: could belong to a live writer
    fresh.write_text("{}")
    log.log_session(date(2026, 11, 26), ["glute_bridge"], note="after the kills")
    log.save(path)  # not blocked: a killed writer's lock goes with it
    assert sorted(p.name for p in tmp_path.glob("*.tmp")) == [fresh.name]
    assert notes(path)["after the kills"] == 1 and len(SessionLog.load(path)) == 4


def test_loading_cleans_stale_temp_files_too(tmp_path, log):
    path = log.save(tmp_path / "session_log.json")
    stale = tmp_path / ".session_log.json.abc.tmp"
    stale.write_text("half a log")
    long_ago = time.time() - 120
    os.utime(stale, (long_ago, long_ago))
    assert len(SessionLog.load(path)) == 3 and not stale.exists()


# -- CSV cells a spreadsheet would run (OWASP CSV injection) ----------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1", "-1", "@SUM(1+1)", "\tx", "\rx", "=1+1"]


def spreadsheet_cells(text: str) -> list[str]:
    """The cells a spreadsheet reads from a CSV, header and all."""
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


@pytest.mark.parametrize("note", FORMULAS)
def test_a_note_a_spreadsheet_would_run_is_exported_inert_and_reads_back_unchanged(note):
    log = SessionLog([Session(date(2026, 11, 16), ("glute_bridge",), 60, note)])
    text = log.to_csv()
    cells = spreadsheet_cells(text)
    assert cells[-1] == "'" + note  # a leading quote: the spreadsheet shows text, never a formula
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert SessionLog.from_csv(text).sessions == log.sessions  # the added quote, and only it, comes off


def test_a_stretch_id_a_spreadsheet_would_run_is_exported_inert_too():
    log = SessionLog([Session(date(2026, 11, 16), ("=cmd|' /C calc'!A0", "glute_bridge"), 60)])
    cells = spreadsheet_cells(log.to_csv())
    assert cells[5] == "'=cmd|' /C calc'!A0;glute_bridge"
    assert SessionLog.from_csv(log.to_csv()).sessions == log.sessions


@pytest.mark.parametrize("note", ["'", "'hello", "'=1+1", "''=x", "''", "it's -1", " =1"])
def test_notes_that_start_with_a_quote_survive_the_round_trip_exactly(note):
    log = SessionLog([Session(date(2026, 11, 16), ("glute_bridge",), 60, note)])
    assert SessionLog.from_csv(log.to_csv()).sessions == log.sessions
    cells = spreadsheet_cells(log.to_csv())
    assert not cells[-1].startswith(("=", "+", "-", "@", "\t", "\r"))


def test_a_hand_made_csv_with_a_formula_is_kept_as_text_and_exported_inert():
    text = HEADER + '2026-11-16,glute_bridge,60,"=HYPERLINK(""http://evil.example"")"\n'
    log = SessionLog.from_csv(text)
    assert log.sessions[0].note == '=HYPERLINK("http://evil.example")'  # a note, shown as text
    assert spreadsheet_cells(log.to_csv())[-1] == '\'=HYPERLINK("http://evil.example")'


# -- what an import checks: stretch ids, dates, durations, rows (all or nothing) ---------------------

KNOWN = frozenset({"glute_bridge", "hip_flexor_bed"})
DAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "2026-11-16,glute_bridge,60,\n2026-11-17,glute_bridge;rope_trick,60,\n",
            "up.csv, line 3: stretches: 'rope_trick' is not a stretch this page knows",
        ),
        (
            "2026-11-16,=cmd,60,\n",
            "up.csv, line 2: stretches: '=cmd' is not a stretch this page knows",
        ),
        (
            "9999-12-31,glute_bridge,60,\n",
            "up.csv, line 2: date: 9999-12-31 is more than a day after today (2026-11-25)",
        ),
        (
            "2026-11-27,glute_bridge,60,\n",
            "up.csv, line 2: date: 2026-11-27 is more than a day after today (2026-11-25)",
        ),
        (
            "1999-12-31,glute_bridge,60,\n",
            "up.csv, line 2: date: 1999-12-31 is before 2000-01-01, too early for this log",
        ),
        (
            "2026-11-16,glute_bridge,1e308,\n",
            "up.csv, line 2: duration_seconds: 1e308 is more than 24 hours (86400 seconds)",
        ),
        (
            "2026-11-16,glute_bridge,86400.5,\n",
            "up.csv, line 2: duration_seconds: 86400.5 is more than 24 hours (86400 seconds)",
        ),
        (
            "2026-11-16,glute_bridge,1e309,\n",
            "up.csv, line 2: duration_seconds must be 0 or more, got '1e309'",
        ),
    ],
)
def test_an_import_refuses_unknown_stretches_dates_out_of_range_and_absurd_durations(log, body, message):
    before = log.sessions
    with pytest.raises(SessionLogError) as info:
        log.import_csv(HEADER + body, source="up.csv", known_stretches=KNOWN, today=DAY)
    assert str(info.value).startswith(message)
    assert log.sessions == before


def test_the_edges_of_what_an_import_accepts(log):
    body = "2000-01-01,glute_bridge,0,\n2026-11-26,hip_flexor_bed,86400,\n"
    assert log.import_csv(HEADER + body, known_stretches=KNOWN, today=DAY) == 2
    assert SessionLog.from_csv(HEADER + "2026-11-16,any_id_at_all,60,\n").sessions[0].stretches == (
        "any_id_at_all",  # with no catalog given, ids are not checked
    )


def rows_text(rows: int, start: date = date(2001, 1, 1)) -> str:
    return HEADER + "".join(f"{start + timedelta(days=n // 2)},glute_bridge,60,\n" for n in range(rows))


def test_an_import_holds_at_most_ten_thousand_rows():
    log = SessionLog()
    with pytest.raises(SessionLogError) as info:
        log.import_csv(rows_text(10_001), source="big.csv")
    assert str(info.value) == (
        "big.csv, line 10002: more than 10,000 sessions in one file. "
        "A session log holds at most 10,000 (about 27 years of daily sessions)"
    )
    assert len(log) == 0
    assert log.import_csv(rows_text(10_000)) == 10_000


def test_an_import_that_would_make_the_log_too_long_is_refused(log):
    full = SessionLog.from_csv(rows_text(9_999))
    with pytest.raises(SessionLogError) as info:
        full.import_csv(log.to_csv(), source="more.csv")
    assert str(info.value) == (
        "more.csv: with these 3 new sessions the log would hold 10,002. "
        "A session log holds at most 10,000 (about 27 years of daily sessions)"
    )
    assert len(full) == 9_999
    assert full.import_csv(SessionLog([log.sessions[0]]).to_csv()) == 1
