"""What a fresh `pip install` of the project weighs, and whether what it installs works.

Builds the wheel from this tree (not an editable install), then for each case makes a fresh venv with
`python3.11 -m venv` and installs the wheel into it:

- ``before``: the core plus the dashboard extra plus nbval, which is what a plain `pip install .` brought
  before the dependencies were split (the issue measured 122 packages, 475 MB);
- ``core``: a plain `pip install iliopsoas_lib-*.whl`, what a clinician wanting the command line gets;
- ``dashboard``: `pip install 'iliopsoas_lib-*.whl[dashboard]'`, the notebooks and the dashboard.

Each case reports the venv's size (`du -sm`), its package count and the install's wall time. In the core
venv every command-line path a clinician uses is run (template, list, validate, handout, calendar, link,
slides); in the dashboard venv `iliopsoas serve` is started on a free port from an unrelated folder and
GET / must return the dashboard page. Goal: the core at most 40 % of the 475 MB measured before.

Run: python benchmarks/bench_install.py [--skip-before] [--keep]. Writes benchmarks/results/install.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from iliopsoas_lib.server.ports import free_port

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PYTHON = shutil.which("python3.11") or "python3"
ISSUE_BEFORE_MB = 475  # the issue's measurement of the old `pip install .`
GOAL_SHARE = 0.40
DASHBOARD_ONLY = ("jupyterlab", "voila", "nbval", "pytest", "ipywidgets")


def run(args: list[str | Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], check=True, text=True, capture_output=True)


def build_wheel(out: Path) -> Path:
    run([PYTHON, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, ROOT])
    return next(out.glob("iliopsoas_lib-*.whl"))


def size_mb(folder: Path) -> int:
    return int(run(["du", "-sm", folder]).stdout.split()[0])


def install(venv: Path, requirements: list[str]) -> dict[str, object]:
    """A fresh venv with ``requirements`` installed: its size, package count and install time."""
    run([PYTHON, "-m", "venv", venv])
    bare = size_mb(venv)
    start = time.perf_counter()
    run([venv / "bin" / "pip", "install", "-q", *requirements])
    seconds = time.perf_counter() - start
    packages = json.loads(run([venv / "bin" / "pip", "list", "--format=json"]).stdout)
    names = sorted(p["name"].lower() for p in packages)
    return {
        "requirements": " ".join(r.rsplit("/", 1)[-1] for r in requirements),
        "size_mb": size_mb(venv),
        "bare_venv_mb": bare,
        "packages": len(names),
        "install_seconds": round(seconds, 1),
        "dashboard_packages_present": [n for n in DASHBOARD_ONLY if n in names],
    }


def cli_checks(venv: Path, work: Path) -> dict[str, bool]:
    """Every command-line path a clinician uses, run in the core venv from an unrelated folder."""
    cli = str(venv / "bin" / "iliopsoas")
    answers = ["--no-conditions", "--good-balance", "--bed"]
    commands = {
        "--help": [cli, "--help"],
        "template": [cli, "template", "-o", "my_clinic.toml"],
        "list": [cli, "list"],
        "validate": [cli, "validate", "my_clinic.toml"],
        "handout": [cli, "handout", *answers, "-o", "handout.pdf"],
        "calendar": [cli, "calendar", *answers, "--tz", "Europe/Berlin", "-o", "plan.ics"],
        "link": [cli, "link", *answers, "--dashboard-url", "https://example.org/"],
        "slides": [cli, "slides", str(ROOT / "notebooks" / "03_stretches.ipynb"), "-o", "slides.html"],
    }
    results = {}
    for name, command in commands.items():
        done = subprocess.run(command, cwd=work, capture_output=True, text=True)
        results[name] = done.returncode == 0
        if done.returncode:
            print(f"  FAILED iliopsoas {name}: {done.stderr.strip()[-300:]}")
    results["handout is a PDF"] = (work / "handout.pdf").read_bytes()[:5] == b"%PDF-"
    results["calendar is iCalendar"] = (work / "plan.ics").read_text().startswith("BEGIN:VCALENDAR")
    return results


def serve_check(venv: Path, work: Path, timeout: float = 90) -> dict[str, object]:
    """`iliopsoas serve` from an unrelated folder: seconds to a page that holds the dashboard."""
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(venv / "bin" / "iliopsoas"), "serve", "--port", str(port)],
        cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    page = ""
    try:
        while time.perf_counter() - start < timeout and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as answer:
                    page = answer.read().decode("utf-8", "replace")
                break
            except OSError:
                time.sleep(0.5)
        seconds = time.perf_counter() - start
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    return {"serves_dashboard": "widget-view+json" in page, "seconds_to_page": round(seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-before", action="store_true", help="skip the old install (saves minutes)")
    parser.add_argument("--keep", action="store_true", help="keep the venvs (printed) for a look")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-install-"))
    try:
        wheel = build_wheel(tmp / "wheel")
        print(f"wheel: {wheel.name} ({wheel.stat().st_size // 1024} KB)")
        cases = {"core": [str(wheel)], "dashboard": [f"{wheel}[dashboard]"]}
        if not args.skip_before:
            cases = {"before": [f"{wheel}[dashboard]", "nbval>=0.11"], **cases}
        figures: dict[str, dict] = {}
        for name, requirements in cases.items():
            venv = tmp / name
            figures[name] = install(venv, requirements)
            work = tmp / f"{name}-work"
            work.mkdir()
            if name == "core":
                figures[name]["cli"] = cli_checks(venv, work)
            if name == "dashboard":
                figures[name]["serve"] = serve_check(venv, work)
            case = figures[name]
            print(f"{name:10s} {case['size_mb']:5d} MB  {case['packages']:4d} packages  "
                  f"install {case['install_seconds']} s  ({case['requirements']})")
        core = figures["core"]
        share = core["size_mb"] / ISSUE_BEFORE_MB
        cli_ok = all(core["cli"].values())
        verdict = "met" if share <= GOAL_SHARE else "NOT met"
        print(f"core: {share:.0%} of the {ISSUE_BEFORE_MB} MB measured before "
              f"(goal: at most {GOAL_SHARE:.0%}): {verdict}")
        print(f"core command line: {'every path works' if cli_ok else 'FAILED'} {core['cli']}")
        print(f"core holds none of jupyterlab/voila/nbval/pytest/ipywidgets: "
              f"{not core['dashboard_packages_present']}")
        print(f"dashboard extra: iliopsoas serve answers with the dashboard: {figures['dashboard']['serve']}")
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / "install.json"
        out.write_text(json.dumps({
            "python": run([PYTHON, "--version"]).stdout.strip(),
            "issue_before_mb": ISSUE_BEFORE_MB,
            "goal_share": GOAL_SHARE,
            "core_share_of_before": round(share, 3),
            "cases": figures,
        }, indent=2) + "\n")
        print(f"wrote {out.relative_to(ROOT)}")
    finally:
        if args.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
