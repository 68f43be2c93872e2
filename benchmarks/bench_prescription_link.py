"""What the prescription link costs a visitor: the kernel's import, and pooled pages with and without it.

    python benchmarks/bench_prescription_link.py              # 3 pages of each kind
    python benchmarks/bench_prescription_link.py --pages 5

1. **Import.** A preheated kernel needs the page's query string, which Voilà hands over on a websocket after
   the page is asked for. ``voila.utils.wait_for_request`` does it, but importing it imports Voilà and
   jupyter_server; the dashboard uses the websockets client alone. Each import is timed in a fresh Python
   (CPU seconds, user + system, the median of three).
2. **Pages.** The launcher (``python -m iliopsoas_lib.server``, the repository's voila.json: a pool of 4)
   on a free loopback port; each page is fetched by HTTP once the pool is full again, alternating a plain
   page and one with ``?rx=``, and timed to its last byte. A pooled page with a link waits for the request's
   round trip to the kernel and the plan being applied; a plain one waits for the same round trip.

Figures (printed and written to benchmarks/results/prescription_link.json), never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from iliopsoas_lib.prescription import PrescribedDose, Prescription
from iliopsoas_lib.server.ports import free_port

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "prescription_link.json"
PLAN = Prescription((PrescribedDose("glute_bridge", 10, 8), PrescribedDose("hip_flexor_bed", 45, 3)), 2)
LINK = f"?rx={PLAN.code()}"


def import_cpu(statement: str, runs: int = 3) -> float:
    """CPU seconds (user + system) a fresh Python spends on ``statement``: the median of ``runs``."""
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", statement], check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


def wait_for(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("gave up waiting")
        time.sleep(0.5)


def page_seconds(url: str) -> tuple[float, str]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as response:
        body = response.read().decode()
    return time.perf_counter() - start, body


def pages(count: int) -> dict[str, list[float]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "server.log"
        with log.open("w") as out:
            server = subprocess.Popen(
                [sys.executable, "-m", "iliopsoas_lib.server", f"--port={port}"],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            try:
                times: dict[str, list[float]] = {"plain": [], "link": []}
                for n in range(2 * count):
                    filled = log.read_text().count("is filled with")
                    wait_for(lambda f=filled: log.read_text().count("is filled with") >= max(f, 1), 180)
                    time.sleep(5)  # the refilled kernel has run the notebook and waits for its visitor
                    kind = "link" if n % 2 else "plain"
                    seconds, body = page_seconds(url + (LINK if kind == "link" else ""))
                    assert "application/vnd.jupyter.widget-view+json" in body
                    times[kind].append(round(seconds, 3))
                    print(f"{kind:5} page {seconds:6.2f} s")
                    wait_for(lambda f=filled: log.read_text().count("is filled with") > f, 180)
                pooled = log.read_text().count("Using pre-heated kernel")
                times["pooled_pages"] = [pooled]
                return times
            finally:
                server.terminate()
                server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=3, help="pages of each kind (plain, with a link)")
    args = parser.parse_args()
    imports = {
        "voila.utils (wait_for_request)": import_cpu("from voila.utils import wait_for_request"),
        "websockets.sync.client": import_cpu("from websockets.sync.client import connect"),
        "python alone": import_cpu("pass"),
    }
    for name, seconds in imports.items():
        print(f"import {name:32} {seconds:5.2f} s CPU")
    times = pages(args.pages)
    figures = {
        "machine": {"cpus": os.cpu_count(), "load_1min": round(os.getloadavg()[0], 2)},
        "import_cpu_seconds": imports,
        "page_seconds": times,
        "page_median_seconds": {k: statistics.median(v) for k, v in times.items() if k != "pooled_pages"},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures["page_median_seconds"]), f"-> {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
