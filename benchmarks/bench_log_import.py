"""How long importing a session-log CSV takes, by rows, against a baseline in the same run.

The baseline is reading the same text with the csv module alone (the least any import must do), so the
ratio says how much checking and merging add. The session log before the linear import (commit
``bdd52da``, read from git when the history is there) runs in the same process for comparison: its
``SessionLog.add`` scanned the whole list for every row, so an import took time in the square of the rows.

Rows are what an export holds: oldest first, back from a fixed "today", as many a day as keep every date
after 2000 (two a day up to the cap), so only the row cap can refuse a file.
Run: python benchmarks/bench_log_import.py [--runs N] [--before-rows 27499]
Writes benchmarks/results/log_import.json.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from iliopsoas_lib.session_log import MAX_ROWS, SessionLog, SessionLogError  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
BEFORE_COMMIT = "bdd52da"  # the last commit with the quadratic SessionLog.add
TODAY = date(2026, 12, 1)
SIZES = (1_000, 2_500, 5_000, MAX_ROWS)
STRETCHES = ("standing_hip_flexor", "glute_bridge", "hip_flexor_bed")


def export_text(rows: int) -> str:
    """A CSV as the dashboard exports it: ``rows`` sessions, oldest first, all dated 2000 or later."""
    per_day = max(2, -(-rows // 9_000))
    out = io.StringIO()
    out.write("date,stretches,duration_seconds,note\r\n")
    for n in range(rows - 1, -1, -1):
        day = TODAY - timedelta(days=n // per_day)
        out.write(f"{day.isoformat()},{';'.join(STRETCHES)},{540 + n % 3 * 60},\r\n")
    return out.getvalue()


def before_module() -> ModuleType | None:
    """session_log.py as it was before the fix, or None where git or that commit is not there."""
    try:
        source = subprocess.run(
            ["git", "show", f"{BEFORE_COMMIT}:iliopsoas_lib/session_log.py"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    folder = Path(tempfile.mkdtemp())
    path = folder / "session_log_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("session_log_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--before-rows", type=int, default=0, help="also time the old import on this many rows (27499: slow)"
    )
    args = parser.parse_args()
    before = before_module()
    figures: dict[str, dict[str, float]] = {}
    print(f"median of {args.runs} runs, seconds (and ratio to reading the same CSV with the csv module)")
    heads = ("baseline", "now", "ratio", "before", "ratio", "before/now")
    print(f"{'rows':>7} " + " ".join(f"{h:>9}" for h in heads))
    for rows in SIZES:
        text = export_text(rows)
        baseline = seconds(lambda text=text: list(csv.reader(io.StringIO(text, newline=""))), args.runs)
        now = seconds(lambda text=text: SessionLog().import_csv(text, today=TODAY), args.runs)
        row = {"baseline_s": baseline, "now_s": now, "now_ratio": now / baseline}
        old = ""
        if before is not None:
            then = seconds(lambda text=text: before.SessionLog().import_csv(text), args.runs)
            row |= {"before_s": then, "before_ratio": then / baseline, "speedup": then / now}
            old = f"{then:9.3f} {then / baseline:6.1f}x {then / now:9.1f}x"
        figures[str(rows)] = row
        print(f"{rows:>7} {baseline:9.4f} {now:9.4f} {now / baseline:6.1f}x {old}")

    # Past the cap: the import is refused, and how soon matters (a visitor's kernel is busy meanwhile).
    over = export_text(27_499)
    refused_after = seconds(lambda: _refused(over), args.runs)
    figures["27499 (over the cap)"] = {"now_refused_s": refused_after}
    print(f"  27499 rows, over the {MAX_ROWS} cap: refused after {refused_after:.4f} s")
    if before is not None and args.before_rows:
        text = export_text(args.before_rows)
        then = seconds(lambda: before.SessionLog().import_csv(text), 1)
        figures[f"{args.before_rows} (before, once)"] = {"before_s": then}
        print(f"  {args.before_rows} rows before the fix (imported, once): {then:.2f} s")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "log_import.json"
    out.write_text(
        json.dumps({"runs": args.runs, "before_commit": BEFORE_COMMIT, "rows": figures}, indent=2) + "\n"
    )
    print(f"wrote {out}")


def _refused(text: str) -> None:
    try:
        SessionLog().import_csv(text, today=TODAY)
    except SessionLogError:
        return
    raise AssertionError("a file over the row cap was imported")


if __name__ == "__main__":
    main()
