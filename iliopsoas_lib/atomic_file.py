"""Saving a file so that nothing in it is lost: an atomic swap, one writer at a time, no stale leftovers.

The session log's safety rests on these (see session_log.py for why a lock file and JSON): a save writes
a temporary file beside the target and swaps it in with ``os.replace``, so a crash mid-write leaves the
previous file whole; writers take turns under ``flock`` on a lock file beside the target, which the
system releases when a writer dies; and a temporary file a killed writer left behind is removed later.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: A temporary file older than this beside the target belongs to a writer that died mid-save.
STALE_TEMP_SECONDS = 60


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """What changes whenever the file is replaced or rewritten (each save swaps in a new inode)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


def write_atomically(target: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temp_files(target: Path) -> None:
    """Remove temporary files a killed writer left beside the log (only old ones: a live writer's is
    seconds old). They hold a copy of some log, never the only one: the swap had not happened."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    try:
        for temp in target.parent.glob(f".{target.name}.*.tmp"):
            try:
                if temp.stat().st_mtime < cutoff:
                    temp.unlink()
            except FileNotFoundError:
                pass  # another kernel removed it first
    except OSError:
        pass  # tidying is a courtesy: a folder that cannot be listed must not stop a load or a save


@contextmanager
def locked(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``.<name>.lock`` beside the log while reading, merging and writing it.

    The lock file is never removed (removing it would let two writers lock two different files). The
    system releases the lock when the process ends, however it ends.
    """
    with open(target.with_name(f".{target.name}.lock"), "a+b") as handle:
        _lock(handle.fileno())
        try:
            yield
        finally:
            _unlock(handle.fileno())


if sys.platform == "win32":  # pragma: no cover - Windows, where a person may keep their own log
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # waits up to 10 s, then raises OSError

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


__all__ = ["STALE_TEMP_SECONDS", "file_stamp", "locked", "remove_stale_temp_files", "write_atomically"]
