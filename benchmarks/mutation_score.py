"""Mutation score of the model: how many small deliberate bugs the model's tests catch, per module.

mutmut 3.8.1 (``pip install -e .[mutation]``) copies the package to ``mutants/``, makes every mutant of
the four model modules (timer, routine, session log, dosage; configured in ``pyproject.toml`` under
``[tool.mutmut]``) and runs the model's tests against each. A mutant no test fails on is a change in
behaviour nobody would notice, unless it is *equivalent* (it cannot change behaviour at all):
``benchmarks/MUTATION.md`` lists those, each with its reason, and this script says which survivors it
does not list. Every mutant counts; none is sampled.

Not part of the README's test command: it takes minutes, not seconds.
Run: python benchmarks/mutation_score.py [--max-children N] [--keep]
Writes benchmarks/results/mutation.json and prints the per-module table.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
JUDGED = ROOT / "benchmarks" / "MUTATION.md"
MODULES = ("timer", "routine", "session_log", "dosage")
GOAL = 0.90

#: mutmut's exit codes per mutant (mutmut.stats.status_by_exit_code), folded to what the score needs.
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped"}
STATUS |= dict.fromkeys((36, 24, -24, 152, 255), "timeout")
STATUS |= dict.fromkeys((-11, -9), "segfault")
STATUS |= {37: "caught by type check", None: "not checked", 2: "interrupted"}
#: A mutant is detected when a test failed, the tests hung, or the run crashed because of it.
DETECTED = ("killed", "timeout", "segfault", "caught by type check")


def mutmut_command() -> list[str]:
    """The ``mutmut`` beside this interpreter: mutmut warns against ``python -m mutmut``."""
    beside = Path(sys.executable).with_name("mutmut")
    found = str(beside) if beside.exists() else shutil.which("mutmut")
    if found is None:
        sys.exit("mutmut is not installed: pip install -e '.[mutation]'")
    return [found]


def run_mutmut(max_children: int | None, keep: bool) -> float:
    """Run every mutant from scratch (unless ``keep``), so the score reflects today's code and tests."""
    if not keep:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    command = [*mutmut_command(), "run"]
    if max_children:
        command += ["--max-children", str(max_children)]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True)
    return time.perf_counter() - start


def statuses(module: str) -> dict[str, str]:
    """Each mutant of ``iliopsoas_lib/<module>.py`` and its status, from mutmut's meta file."""
    meta = ROOT / "mutants" / "iliopsoas_lib" / f"{module}.py.meta"
    if not meta.exists():
        sys.exit(f"{meta} is missing: did mutmut run?")
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return {name: STATUS.get(code, "suspicious") for name, code in codes.items()}


def judged_equivalent() -> set[str]:
    """Mutant names that MUTATION.md judges equivalent (each in backticks at the start of a table row)."""
    if not JUDGED.exists():
        return set()
    return set(re.findall(r"^\|\s*`([^`]+__mutmut_\d+)`", JUDGED.read_text(encoding="utf-8"), re.M))


def score(counts: Counter[str]) -> dict[str, object]:
    total = sum(counts.values()) - counts["skipped"]
    detected = sum(counts[s] for s in DETECTED)
    return {
        "mutants": total,
        "detected": detected,
        **{status.replace(" ", "_"): counts[status] for status in sorted(counts)},
        "score": round(detected / total, 4) if total else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, help="parallel mutant runs (mutmut: one per core)")
    parser.add_argument("--keep", action="store_true", help="reuse mutants/ and results of an earlier run")
    parser.add_argument("--report-only", action="store_true", help="read mutants/ without running mutmut")
    args = parser.parse_args()
    seconds = None if args.report_only else run_mutmut(args.max_children, args.keep)

    per_module = {module: statuses(module) for module in MODULES}
    equivalent = judged_equivalent()
    survivors = sorted(
        name for found in per_module.values() for name, status in found.items() if status not in DETECTED
    )
    table = {module: score(Counter(found.values())) for module, found in per_module.items()}
    overall = score(Counter(status for found in per_module.values() for status in found.values()))
    unjudged = [name for name in survivors if name not in equivalent]
    stale = sorted(equivalent - set(survivors))

    print(f"{'module':14s} {'mutants':>8s} {'detected':>9s} {'survived':>9s} {'no tests':>9s} {'score':>7s}")
    for module, row in [*table.items(), ("all four", overall)]:
        print(
            f"{module:14s} {row['mutants']:8d} {row['detected']:9d} {row.get('survived', 0):9d} "
            f"{row.get('no_tests', 0):9d} {row['score']:7.1%}"
        )
    verdict = "met" if overall["score"] is not None and overall["score"] >= GOAL else "NOT met"
    print(f"goal: at least {GOAL:.0%} of every mutant detected: {verdict}")
    judged = len(survivors) - len(unjudged)
    print(f"survivors: {len(survivors)}, judged equivalent in {JUDGED.name}: {judged}")
    for name in unjudged:
        print(f"  not judged: {name}  (mutmut show {name})")
    for name in stale:
        print(f"  judged but no longer surviving (update {JUDGED.name}): {name}")

    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "mutation.json"
    out.write_text(
        json.dumps(
            {
                "tool": "mutmut 3.8.1",
                "modules": {f"iliopsoas_lib/{m}.py": row for m, row in table.items()},
                "overall": overall,
                "goal": GOAL,
                "survivors": survivors,
                "survivors_not_judged": unjudged,
                "seconds": None if seconds is None else round(seconds, 1),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
