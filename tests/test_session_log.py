"""The session log: saving without loss, CSV import/export, every kind of bad input, weekly counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iliopsoas_lib.session_log import Session, SessionLog, SessionLogError, weekly_counts


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
    assert sorted(p.name for p in path.parent.iterdir()) == ["session_log.json"]  # no temp file left


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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["session_log.json"]  # no temp file left
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
