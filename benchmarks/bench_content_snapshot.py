"""What the content snapshot saves a dashboard visitor's kernel: memory and time, with it and without it.

A dashboard kernel shows only the built-in content. With the snapshot it reads content validated in
advance; without it (``catalog._read_snapshot`` made to find nothing, as when the snapshot is stale) it
validates the files with pydantic, which it then imports and builds a schema for. Each case runs in a
fresh Python process, as a kernel does, several times; the medians are reported:

- ``catalog``: ``load_catalog()`` alone, timed from before the import of ``iliopsoas_lib``;
- ``dashboard``: the dashboard built as ``notebooks/dashboard.ipynb`` builds it (memory only: its time is
  mostly ipywidgets and the stored pictures, the same either way).

Memory is the process's peak resident size (``ru_maxrss``); the saving is the difference of medians.
``read``: reading the snapshot alone in a fresh process, the reviewable JSON against a pickle of the same
objects (the snapshot's former form), first read (types resolved, schema fingerprinted) and again; then
validating the files as a kernel without the snapshot does (importing pydantic included). Timed inside
one process, these are steadier than the whole-process times on a busy machine.
Run: python benchmarks/bench_content_snapshot.py [--runs N] [--cases catalog dashboard]
Writes benchmarks/results/content_snapshot.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"

#: Run first in the child: makes the snapshot unusable, so the built-in files are validated.
WITHOUT = "import iliopsoas_lib.catalog as c; c._read_snapshot = lambda *args, **kwargs: None\n"
CASES = {
    "catalog": "from iliopsoas_lib import load_catalog\nload_catalog()\n",
    "dashboard": "from iliopsoas_lib.widgets import dashboard\ndashboard()\n",
}
MEASURE = """
import resource, sys, time
start = time.perf_counter()
{setup}{body}
seconds = time.perf_counter() - start
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "pydantic" in sys.modules)
"""


def run_once(body: str, snapshot: bool) -> tuple[float, float, bool]:
    """Seconds, peak MB and whether pydantic was imported, in a fresh process."""
    code = MEASURE.format(setup="" if snapshot else WITHOUT, body=body)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the measured code failed:\n{done.stderr[-2000:]}")
    seconds, kilobytes, pydantic = done.stdout.split()[-3:]
    return float(seconds), int(kilobytes) / 1024, pydantic == "True"


READ = """
import pickle, time
import iliopsoas_lib.catalog as c
folder = c._data_folder(); texts = c._builtin_bytes(folder)
start = time.perf_counter(); content = c._read_snapshot(folder, texts); first = time.perf_counter() - start
assert content is not None, "the snapshot is stale: run scripts/make_content_snapshot.py"
start = time.perf_counter(); c._read_snapshot(folder, texts); again = time.perf_counter() - start
data = pickle.dumps(content, protocol=5)
start = time.perf_counter(); pickle.loads(data); pickled = time.perf_counter() - start
start = time.perf_counter(); c._validate_builtin(texts); validated = time.perf_counter() - start
print(first, again, pickled, validated)
"""


def measure_read(runs: int) -> dict[str, float]:
    """Median seconds to read the JSON snapshot (first and second time) and a pickle of the same content."""
    samples = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", READ], cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"the measured code failed:\n{done.stderr[-2000:]}")
        samples.append([float(x) for x in done.stdout.split()[-4:]])
    first, again, pickled, validated = (statistics.median(column) for column in zip(*samples, strict=True))
    return {"json_first_s": first, "json_again_s": again, "pickle_s": pickled, "validate_s": validated}


def measure(runs: int, cases: list[str]) -> dict[str, dict[str, float | bool]]:
    """Median seconds and peak MB of each case with and without the snapshot, and the savings."""
    results: dict[str, dict[str, float | bool]] = {}
    for name in cases:
        body = CASES[name]
        row: dict[str, float | bool] = {}
        for snapshot in (True, False):
            samples = [run_once(body, snapshot) for _ in range(runs)]
            label = "with" if snapshot else "without"
            row[f"{label}_s"] = statistics.median(s for s, _, _ in samples)
            row[f"{label}_mb"] = statistics.median(mb for _, mb, _ in samples)
            row[f"{label}_imports_pydantic"] = any(p for _, _, p in samples)
        row["saved_s"] = float(row["without_s"]) - float(row["with_s"])
        row["saved_mb"] = float(row["without_mb"]) - float(row["with_mb"])
        results[name] = row
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    args = parser.parse_args()
    results = measure(args.runs, args.cases)
    read = measure_read(args.runs)
    for name, row in results.items():
        print(
            f"{name:9}  with snapshot {row['with_s'] * 1000:6.0f} ms {row['with_mb']:6.1f} MB   "
            f"without {row['without_s'] * 1000:6.0f} ms {row['without_mb']:6.1f} MB   "
            f"saved {row['saved_s'] * 1000:5.0f} ms {row['saved_mb']:5.1f} MB   "
            f"(pydantic imported: with {row['with_imports_pydantic']}, "
            f"without {row['without_imports_pydantic']})"
        )
    print(
        f"read      JSON snapshot {read['json_first_s'] * 1000:.0f} ms "
        f"(again {read['json_again_s'] * 1000:.0f} ms), "
        f"a pickle of the same content {read['pickle_s'] * 1000:.0f} ms, "
        f"validating the files instead (pydantic imported then) {read['validate_s'] * 1000:.0f} ms"
    )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "content_snapshot.json"
    figures = {"runs": args.runs, "cases": results, "read": read}
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
