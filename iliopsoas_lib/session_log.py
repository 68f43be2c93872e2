"""The session log: completed stretching sessions, kept so that none is ever lost.

How many weeks met the weekly goal is counted in weekly_frequency.py; the atomic, locked file writing
this log's saves rest on is in atomic_file.py.

A log is an in-memory object first. In the shared dashboard it never touches the disk (a visitor's
log lives in their kernel and their own CSV download); on a person's own machine it can be saved as
one JSON file in their data folder.

Nothing a person logged may be lost, so:
- saving writes a temporary file beside the target and swaps it in with ``os.replace`` (atomic);
- every save re-reads the file and merges under a lock, so two kernels sharing one file (two tabs of
  one person, with the dashboard's server-side store on) never wipe each other's sessions, and
  :meth:`SessionLog.sync` brings in what others saved (a preheated kernel holds no stale copy);
- temporary files left by a writer that was killed mid-save are removed by the next save or load;
- loading a broken file raises :class:`SessionLogError` with the line and never modifies the file,
  and a save over a file that became unreadable refuses (the new session stays in memory);
- importing a CSV checks every row before adding any, so a bad upload changes nothing; it checks dates,
  durations, the number of rows and (when given the catalog's ids) the stretches, and runs in linear time;
- :meth:`SessionLog.recover` moves a broken file aside (never deletes it) so a fresh log can start.

Why a lock file and JSON rather than sqlite3: the file stays the readable, hand-rescuable JSON that
version 1 wrote (load, recover and the stored fixture unchanged), and a merge needs only "read, add
what is new, swap in" done by one writer at a time, which ``flock`` on a small lock file beside the
log gives (released by the system when a writer dies, so a killed kernel never blocks the others).

CSV cells are treated as hostile both ways (OWASP's CSV injection rule): a text cell that a spreadsheet
would run as a formula (starting with ``= + - @``, a tab or a carriage return) is written with a
leading ``'``, which spreadsheets show as text, and reading takes exactly that quote off again, so a
note survives export and import unchanged. A formula in a hand-made file is kept as plain text.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import os
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from .atomic_file import file_stamp, locked, remove_stale_temp_files, write_atomically
from .limits import finite_number

FORMAT = "iliopsoas-session-log"
VERSION = 1
CSV_HEADER = ("date", "stretches", "duration_seconds", "note")
APP_NAME = "iliopsoas-explainer"

#: Rows one CSV import may hold, and sessions one log may hold: about 27 years of daily sessions, far
#: beyond any real log and small enough (about 1 MB of CSV) that an import never stalls a kernel.
MAX_ROWS = 10_000
MAX_SESSIONS = 10_000
#: The earliest day an import accepts: older dates are typing mistakes, not sessions of this app.
EARLIEST = date(2000, 1, 1)
#: The longest session an import accepts. Longer is a mistake (or ``1e308``), never a stretching session.
MAX_DURATION_SECONDS = 24 * 60 * 60
#: What a spreadsheet takes as the start of a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CAP_WORDS = f"A session log holds at most {MAX_SESSIONS:,} (about 27 years of daily sessions)"


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
        if not (finite_number(duration) and duration >= 0):
            raise ValueError(f"duration_seconds must be a number >= 0, got {duration!r}")
        object.__setattr__(self, "duration_seconds", float(duration))
        if not isinstance(self.note, str):
            raise ValueError(f"note must be text, got {self.note!r}")


def _day(session: Session) -> date:
    return session.date


@dataclass
class SessionLog:
    """Completed sessions in date order, with CSV import/export and optional atomic, merging saves.

    A log read from a file (or saved to one) remembers that file and what it held then (``_base``), so
    the next save can tell the sessions added here (everything beyond ``_base``) from those another
    kernel added to the file meanwhile, and keep both.
    """

    _sessions: list[Session] = field(default_factory=list)
    _path: Path | None = field(default=None, init=False, repr=False, compare=False)
    _base: Counter[Session] = field(default_factory=Counter, init=False, repr=False, compare=False)
    _stamp: tuple[int, int, int] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._sessions = sorted(self._sessions, key=_day)

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
        bisect.insort_right(self._sessions, session, key=_day)

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
            stretches = _inert(";".join(s.stretches))
            writer.writerow([s.date.isoformat(), stretches, _number(s.duration_seconds), _inert(s.note)])
        return out.getvalue()

    @classmethod
    def from_csv(
        cls,
        text: str,
        source: str = "upload",
        *,
        known_stretches: Collection[str] | None = None,
        today: date | None = None,
    ) -> SessionLog:
        return cls(_parse_csv(text, source, known_stretches, today))

    def import_csv(
        self,
        text: str,
        source: str = "upload",
        *,
        known_stretches: Collection[str] | None = None,
        today: date | None = None,
    ) -> int:
        """Merge a CSV into this log, skipping sessions already in it. All rows or none: on error
        the log is unchanged. Returns how many sessions were added.

        ``known_stretches`` (the catalog's ids; the log itself does not know the catalog) refuses any
        other id; ``today`` refuses dates more than a day ahead (a day of slack for time zones). Each
        row is looked up in a multiset of the log and the new ones are merged in one stable sort, so an
        import takes time in proportion to the rows, not their square.
        """
        incoming = _parse_csv(text, source, known_stretches, today)
        have = Counter(self._sessions)
        new = []
        for session in incoming:
            if have[session]:
                have[session] -= 1
            else:
                new.append(session)
        if len(self._sessions) + len(new) > MAX_SESSIONS:
            plural = "s" if len(new) != 1 else ""
            raise SessionLogError(
                source,
                None,
                f"with these {len(new):,} new session{plural} the log would hold "
                f"{len(self._sessions) + len(new):,}. {_CAP_WORDS}",
            )
        # Stable: a day's sessions keep their order, the new ones after those already here, as add() does.
        self._sessions = sorted([*self._sessions, *new], key=_day)
        return len(new)

    # -- file -----------------------------------------------------------------------------------

    @staticmethod
    def default_path() -> Path:
        """The log file in the person's data folder (per platform conventions, via platformdirs)."""
        import platformdirs

        return platformdirs.user_data_path(APP_NAME) / "session_log.json"

    def to_json(self) -> str:
        return _json_text(self._sessions)

    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Merge this log into the file and write the result atomically; this log then holds it too.

        Under a lock beside the file: re-read it, keep everything in it, add the sessions logged here
        since this log last read or wrote it, and swap the result in. A crash mid-write leaves the
        previous file whole; a file that cannot be read is never written over (SessionLogError), and
        the sessions logged here stay in this log for a later save or a download.
        """
        target = Path(path) if path is not None else self.default_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        with locked(target):
            remove_stale_temp_files(target)
            disk, _stamp = _read_file(target)
            merged = self._merged_with(disk, target)
            write_atomically(target, _json_text(merged))
            self._sessions = merged
            self._remember(target, Counter(merged), file_stamp(target))
        return target

    def sync(self, path: str | os.PathLike[str] | None = None) -> int:
        """Bring in what other kernels saved to the file since this log last read it; return how many
        sessions came in. Sessions logged here and not saved yet are kept. Cheap when nothing changed
        (the file's identity, size and time are compared first), so a view may call it on every redraw.
        """
        target = Path(path) if path is not None else self.default_path()
        if self._path == target and self._stamp is not None and file_stamp(target) == self._stamp:
            return 0
        disk, stamp = _read_file(target)
        before = len(self._sessions)
        self._sessions = self._merged_with(disk, target)
        self._remember(target, Counter(disk), stamp)
        return len(self._sessions) - before

    def _merged_with(self, disk: list[Session], target: Path) -> list[Session]:
        """The file's sessions, plus those read from it earlier that it lost, plus those logged here
        since: never fewer than either side holds. Equal sessions are counted, not collapsed (two
        tabs may log the same routine on the same day). A log that never read this file shares with it
        only what both hold, as an import would."""
        on_disk = Counter(disk)
        base = self._base if self._path == target else Counter(self._sessions) & on_disk
        seen: Counter[Session] = Counter()
        lost, pending = [], []
        for session in self._sessions:
            seen[session] += 1
            if seen[session] > base[session]:
                pending.append(session)  # logged here, not yet in the file
            elif seen[session] > on_disk[session]:
                lost.append(session)  # was in the file when this log read it, and is gone from it now
        return sorted([*disk, *lost, *pending], key=_day)

    def _remember(self, path: Path, base: Counter[Session], stamp: tuple[int, int, int] | None) -> None:
        self._path, self._base, self._stamp = path, base, stamp

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> SessionLog:
        """Read a saved log. A missing file is an empty log; a broken one raises and is left as it is.

        The log remembers the file, so a later :meth:`save` there merges instead of overwriting.
        """
        source = Path(path) if path is not None else cls.default_path()
        remove_stale_temp_files(source)
        sessions, stamp = _read_file(source)
        log = cls(sessions)
        log._remember(source, Counter(sessions), stamp)
        return log

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


def _json_text(sessions: Iterable[Session]) -> str:
    entries = [
        {
            "date": s.date.isoformat(),
            "stretches": list(s.stretches),
            "duration_seconds": s.duration_seconds,
            "note": s.note,
        }
        for s in sessions
    ]
    return json.dumps({"format": FORMAT, "version": VERSION, "sessions": entries}, indent=2) + "\n"


def _read_file(source: Path) -> tuple[list[Session], tuple[int, int, int] | None]:
    """The sessions in a saved log and the stamp of the very file read; a missing file holds none."""
    try:
        with source.open("rb") as handle:
            info = os.fstat(handle.fileno())
            data = handle.read()
    except FileNotFoundError:
        return [], None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SessionLogError(
            source.name, None, f"not UTF-8 text ({exc.reason}); the file was left as it is"
        ) from None
    sessions = list(SessionLog.from_json(text, str(source)).sessions)
    return sessions, (info.st_ino, info.st_size, info.st_mtime_ns)


def _formula_like(cell: str) -> bool:
    """Whether a spreadsheet would run the cell, or it is such a cell with quotes already put before it."""
    return cell.lstrip("'").startswith(FORMULA_START)


def _inert(cell: str) -> str:
    """A text cell as exported: one ``'`` before anything a spreadsheet would run (shown as text)."""
    return "'" + cell if _formula_like(cell) else cell


def _as_written(cell: str) -> str:
    """A text cell as imported: the one quote :func:`_inert` added comes off, nothing else changes.

    Only a quote followed by what :func:`_inert` would have quoted is taken off, so "'hello" in an
    older export stays as it is, and ``_as_written(_inert(x)) == x`` for every text.
    """
    return cell[1:] if cell.startswith("'") and _formula_like(cell[1:]) else cell


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


def _parse_csv(
    text: str, source: str, known_stretches: Collection[str] | None = None, today: date | None = None
) -> list[Session]:
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
    known = frozenset(known_stretches) if known_stretches is not None else None
    latest = today + timedelta(days=1) if today is not None else None
    sessions: list[Session] = []
    for line, row in rows:
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(sessions) == MAX_ROWS:
            raise SessionLogError(source, line, f"more than {MAX_ROWS:,} sessions in one file. {_CAP_WORDS}")
        if len(row) != len(CSV_HEADER):
            raise SessionLogError(source, line, f"expected {len(CSV_HEADER)} columns, got {len(row)}")
        day = _parse_date(row[0].strip(), source, line, "date")
        if day < EARLIEST:
            raise SessionLogError(source, line, f"date: {day} is before {EARLIEST}, too early for this log")
        if latest is not None and day > latest:
            raise SessionLogError(source, line, f"date: {day} is more than a day after today ({today})")
        stretches = tuple(s.strip() for s in _as_written(row[1]).split(";") if s.strip())
        if not stretches:
            raise SessionLogError(source, line, "no stretches given (ids separated by ';')")
        unknown = next((s for s in stretches if s not in known), None) if known is not None else None
        if unknown is not None:
            raise SessionLogError(source, line, f"stretches: {unknown!r} is not a stretch this page knows")
        try:
            duration = float(row[2]) if row[2].strip() else 0.0
        except ValueError:
            raise SessionLogError(source, line, f"duration_seconds {row[2]!r} is not a number") from None
        if not duration >= 0 or duration == float("inf"):
            raise SessionLogError(source, line, f"duration_seconds must be 0 or more, got {row[2]!r}")
        if duration > MAX_DURATION_SECONDS:
            raise SessionLogError(
                source,
                line,
                f"duration_seconds: {row[2].strip()} is more than 24 hours ({MAX_DURATION_SECONDS} seconds)",
            )
        sessions.append(Session(day, stretches, duration, _as_written(row[3])))
    return sessions
