"""The session log: completed stretching sessions, and how many weeks met the 2-3 times a week goal.

A log is an in-memory object first. In the shared dashboard it never touches the disk (a visitor's
log lives in their kernel and their own CSV download); on a person's own machine it can be saved as
one JSON file in their data folder.

Nothing a person logged may be lost, so:
- saving writes a temporary file beside the target and swaps it in with ``os.replace`` (atomic);
- loading a broken file raises :class:`SessionLogError` with the line and never modifies the file;
- importing a CSV checks every row before adding any, so a bad upload changes nothing;
- :meth:`SessionLog.recover` moves a broken file aside (never deletes it) so a fresh log can start.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

FORMAT = "iliopsoas-session-log"
VERSION = 1
CSV_HEADER = ("date", "stretches", "duration_seconds", "note")
APP_NAME = "iliopsoas-explainer"


class SessionLogError(ValueError):
    """A log file or CSV that cannot be read. ``source`` and ``line`` say where (line may be None)."""

    def __init__(self, source: str, line: int | None, message: str):
        self.source, self.line, self.reason = source, line, message
        where = f"{source}, line {line}" if line else source
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, order=True)
class Session:
    """One completed session: the day and the stretches done (ids from the catalog)."""

    date: date
    stretches: tuple[str, ...]
    duration_seconds: float = 0.0
    note: str = ""

    def __post_init__(self) -> None:
        # A datetime is a date too, but it would be written as "2026-11-16T08:00:00", which no import
        # reads back, and compared with a plain day it raises: a session is on a day, nothing finer.
        if not isinstance(self.date, date) or isinstance(self.date, datetime):
            raise ValueError(f"date must be a datetime.date (a day, not a time), got {self.date!r}")
        if isinstance(self.stretches, str) or not self.stretches:
            raise ValueError("a session needs at least one stretch id (a tuple of ids)")
        object.__setattr__(self, "stretches", tuple(str(s).strip() for s in self.stretches))
        if any(not s or ";" in s for s in self.stretches):
            raise ValueError(f"stretch ids must be non-empty and contain no ';': {self.stretches!r}")
        # Infinity or NaN (which JSON files may hold) could be logged but never exported, and a bool is
        # not a duration: the same rule as the CSV import, so whatever is logged can be written out.
        duration = self.duration_seconds
        if (
            isinstance(duration, bool)
            or not isinstance(duration, int | float)
            or not 0 <= duration < math.inf
        ):
            raise ValueError(f"duration_seconds must be a number >= 0, got {duration!r}")
        object.__setattr__(self, "duration_seconds", float(duration))
        if not isinstance(self.note, str):
            raise ValueError(f"note must be text, got {self.note!r}")


@dataclass
class SessionLog:
    """Completed sessions in date order, with CSV import/export and optional atomic saving."""

    _sessions: list[Session] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sessions = sorted(self._sessions, key=lambda s: s.date)

    @property
    def sessions(self) -> tuple[Session, ...]:
        return tuple(self._sessions)

    def __len__(self) -> int:
        return len(self._sessions)

    def __iter__(self) -> Iterator[Session]:
        return iter(tuple(self._sessions))

    def __repr__(self) -> str:
        return f"SessionLog({len(self)} sessions)"

    def add(self, session: Session) -> None:
        """Insert in date order; sessions on the same day keep the order they were added in."""
        index = next((i for i, s in enumerate(self._sessions) if s.date > session.date), len(self._sessions))
        self._sessions.insert(index, session)

    def log_session(
        self, day: date, stretches: Iterable[str], duration_seconds: float = 0.0, note: str = ""
    ) -> Session:
        session = Session(day, tuple(stretches), duration_seconds, note)
        self.add(session)
        return session

    # -- CSV ------------------------------------------------------------------------------------

    def to_csv(self) -> str:
        """The log as CSV, one session a row, which :meth:`from_csv` reads back to the same sessions.

        Rows end with CRLF as RFC 4180 says: with a bare LF the csv module leaves a field holding a lone
        CR (a note pasted from an old Mac file) unquoted, and reading the file back would split it.
        """
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for s in self._sessions:
            writer.writerow([s.date.isoformat(), ";".join(s.stretches), _number(s.duration_seconds), s.note])
        return out.getvalue()

    @classmethod
    def from_csv(cls, text: str, source: str = "upload") -> SessionLog:
        return cls(list(_parse_csv(text, source)))

    def import_csv(self, text: str, source: str = "upload") -> int:
        """Merge a CSV into this log, skipping sessions already in it. All rows or none: on error
        the log is unchanged. Returns how many sessions were added."""
        incoming = _parse_csv(text, source)
        have = Counter(self._sessions)
        added = 0
        for session in incoming:
            if have[session]:
                have[session] -= 1
                continue
            self.add(session)
            added += 1
        return added

    # -- file -----------------------------------------------------------------------------------

    @staticmethod
    def default_path() -> Path:
        """The log file in the person's data folder (per platform conventions, via platformdirs)."""
        import platformdirs

        return platformdirs.user_data_path(APP_NAME) / "session_log.json"

    def to_json(self) -> str:
        entries = [
            {
                "date": s.date.isoformat(),
                "stretches": list(s.stretches),
                "duration_seconds": s.duration_seconds,
                "note": s.note,
            }
            for s in self._sessions
        ]
        return json.dumps({"format": FORMAT, "version": VERSION, "sessions": entries}, indent=2) + "\n"

    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the log atomically: a crash mid-write leaves the previous file whole."""
        target = Path(path) if path is not None else self.default_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(self.to_json())
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> SessionLog:
        """Read a saved log. A missing file is an empty log; a broken one raises and is left as it is."""
        source = Path(path) if path is not None else cls.default_path()
        if not source.exists():
            return cls()
        try:
            text = source.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise SessionLogError(
                source.name, None, f"not UTF-8 text ({exc.reason}); the file was left as it is"
            ) from None
        return cls.from_json(text, str(source))

    @classmethod
    def from_json(cls, text: str, source: str = "session_log.json") -> SessionLog:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SessionLogError(
                source, exc.lineno, f"not valid JSON, the file may be truncated ({exc.msg})"
            ) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise SessionLogError(source, 1, f'not a session log (expected "format": "{FORMAT}")')
        if data.get("version") != VERSION:
            raise SessionLogError(
                source, 1, f"log version {data.get('version')!r} is not supported (expected {VERSION})"
            )
        # What this version does not know would be dropped by the next save: refuse it instead.
        unknown = set(data) - {"format", "version", "sessions"}
        if unknown:
            raise SessionLogError(source, None, f"unknown field(s) {', '.join(sorted(unknown))}")
        entries = data.get("sessions")
        if not isinstance(entries, list):
            raise SessionLogError(source, None, '"sessions" must be a list')
        # The n-th '"date"' line belongs to the n-th session that has a date: one without (or a value that
        # is no object) has no line to name, rather than the next session's line.
        date_lines = iter(_entry_lines(text))
        sessions = []
        for number, entry in enumerate(entries, 1):
            if not isinstance(entry, dict):
                raise SessionLogError(source, None, f"session #{number} is not an object")
            line = next(date_lines, None) if "date" in entry else None
            unknown = set(entry) - {"date", "stretches", "duration_seconds", "note"}
            if unknown:
                raise SessionLogError(
                    source, line, f"session #{number}: unknown field(s) {', '.join(sorted(unknown))}"
                )
            day = _parse_date(entry.get("date"), source, line, f"session #{number}, field 'date'")
            stretches = entry.get("stretches")
            if not isinstance(stretches, list) or not all(isinstance(s, str) for s in stretches):
                raise SessionLogError(
                    source, line, f"session #{number}, field 'stretches': expected a list of ids"
                )
            try:
                sessions.append(
                    Session(day, tuple(stretches), entry.get("duration_seconds", 0.0), entry.get("note", ""))
                )
            except ValueError as exc:
                raise SessionLogError(source, line, f"session #{number}: {exc}") from None
        return cls(sessions)

    @classmethod
    def recover(cls, path: str | os.PathLike[str]) -> tuple[SessionLog, Path]:
        """Move a broken log aside as ``<name>.corrupt-N.json`` and return an empty log and the backup.

        The broken file is renamed, never rewritten, so whatever it held can still be rescued by hand.
        """
        source = Path(path)
        n = 1
        while (backup := source.with_name(f"{source.stem}.corrupt-{n}{source.suffix}")).exists():
            n += 1
        os.replace(source, backup)
        return cls(), backup


def _number(value: float) -> str:
    """Seconds as the shortest text that reads back as the same number: 600 -> "600", 600.5 -> "600.5".

    Not ``:g``, which keeps six digits and would export 1234567.5 s as "1.23457e+06".
    """
    return str(int(value)) if value.is_integer() else repr(value)


def _parse_date(value: object, source: str, line: int | None, where: str) -> date:
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise SessionLogError(
            source, line, f"{where}: {value!r} is not a date (expected YYYY-MM-DD)"
        ) from None


def _entry_lines(text: str) -> list[int]:
    """Line numbers where each session object starts (the lines of '"date"' keys), for messages."""
    return [number for number, line in enumerate(text.splitlines(), 1) if line.strip().startswith('"date"')]


def _csv_rows(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the line it ends on. The csv module's own errors (a field over its size
    limit, which a 1 MB upload can hold) become a SessionLogError, so such a file is refused with a
    message like any other bad upload instead of escaping as ``_csv.Error``."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SessionLogError(source, reader.line_num, f"not a readable CSV ({exc})") from None
        yield reader.line_num, row


def _parse_csv(text: str, source: str) -> list[Session]:
    rows = _csv_rows(text.removeprefix("\ufeff"), source)
    try:
        _, header = next(rows)
    except StopIteration:
        raise SessionLogError(
            source, 1, f"the file is empty; expected the header {','.join(CSV_HEADER)}"
        ) from None
    if tuple(h.strip().lower() for h in header) != CSV_HEADER:
        raise SessionLogError(
            source, 1, f"expected the header {','.join(CSV_HEADER)}, got {','.join(header)}"
        )
    sessions = []
    for line, row in rows:
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(CSV_HEADER):
            raise SessionLogError(source, line, f"expected {len(CSV_HEADER)} columns, got {len(row)}")
        day = _parse_date(row[0].strip(), source, line, "date")
        stretches = tuple(s.strip() for s in row[1].split(";") if s.strip())
        if not stretches:
            raise SessionLogError(source, line, "no stretches given (ids separated by ';')")
        try:
            duration = float(row[2]) if row[2].strip() else 0.0
        except ValueError:
            raise SessionLogError(source, line, f"duration_seconds {row[2]!r} is not a number") from None
        if not duration >= 0 or duration == float("inf"):
            raise SessionLogError(source, line, f"duration_seconds must be 0 or more, got {row[2]!r}")
        sessions.append(Session(day, stretches, duration, row[3]))
    return sessions


# -- weekly frequency -----------------------------------------------------------------------------


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


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_counts(
    log: SessionLog | Iterable[Session], weeks: int, today: date, goal_low: int = 2, goal_high: int = 3
) -> WeeklyCounts:
    """Sessions per ISO week for the ``weeks`` weeks ending with the week of ``today``.

    A week meets the goal with at least ``goal_low`` sessions (the guideline is "at least 2-3 times a
    week", so more is fine). The streak counts weeks in a row that met it, back from this week; while
    this week is still under way and not yet met, it counts from last week, since the week is not over.
    Sessions after ``today`` are ignored. ``today`` is always passed in: nothing here reads the clock.
    """
    if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
        raise ValueError(f"weeks must be a whole number of at least 1, got {weeks!r}")
    if not 1 <= goal_low <= goal_high:
        raise ValueError(f"goal must satisfy 1 <= goal_low <= goal_high, got {goal_low}-{goal_high}")
    per_monday = Counter(_monday(s.date) for s in log if s.date <= today)
    this_monday = _monday(today)
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
    monday = _monday(today)
    for back in range(weeks - 1, -1, -1):
        week_start = monday - timedelta(weeks=back)
        days = sorted(rng.sample(range(7), rng.choice((0, 1, 2, 2, 3, 3, 4))))
        for day in days:
            when = week_start + timedelta(days=day)
            if when <= today:
                log.log_session(when, stretches, duration_seconds=rng.choice((540, 600, 660)))
    return log
