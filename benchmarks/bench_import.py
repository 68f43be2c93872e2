"""How long `import iliopsoas_lib` (and loading the catalog) takes, against a baseline in the same run.

Each figure is the median of N fresh interpreters. The baseline is `import json` (an interpreter that
imports almost nothing), so the ratio says how much the package adds over starting Python at all.
Goal: importing the package under 0.3 s. Run: python benchmarks/bench_import.py [--runs N]
Writes benchmarks/results/import.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
CASES = {
    "baseline: python -c 'import json'": "import json",
    "import iliopsoas_lib": "import iliopsoas_lib",
    "import + load_catalog()": "import iliopsoas_lib as il; il.load_catalog()",
    "import + build_routine + timer": (
        "import iliopsoas_lib as il; c = il.load_catalog(); "
        "who = il.Abilities(good_balance=True, has_bed=True, conditions=()); "
        "il.RoutineTimer(il.build_routine(c, who))"
    ),
}
GOAL_SECONDS = 0.3


def wall_time(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    medians = {
        name: statistics.median(wall_time(code) for _ in range(args.runs)) for name, code in CASES.items()
    }
    baseline = medians["baseline: python -c 'import json'"]
    added = medians["import iliopsoas_lib"] - baseline
    print(f"median of {args.runs} fresh interpreters each (seconds, ratio to the baseline)")
    for name, seconds in medians.items():
        print(f"  {name:40s} {seconds:6.3f} s  {seconds / baseline:5.2f}x")
    verdict = "met" if medians["import iliopsoas_lib"] < GOAL_SECONDS else "NOT met"
    print(f"import iliopsoas_lib adds {added * 1000:.0f} ms over a bare interpreter")
    print(f"goal: import under {GOAL_SECONDS} s: {verdict}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "import.json"
    out.write_text(
        json.dumps(
            {
                "runs": args.runs,
                "median_seconds": medians,
                "baseline_ratio": {k: v / baseline for k, v in medians.items()},
                "goal_seconds": GOAL_SECONDS,
            },
            indent=2,
        )
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
