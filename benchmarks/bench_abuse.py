"""A flood of page loads against the public launcher: does the kernel cap hold, and what does it cost?

    python benchmarks/bench_abuse.py                          # 1000 loads, 50 at a time, the shipped cap
    python benchmarks/bench_abuse.py --loads 400 --cap 20     # smaller

Loopback only, and it stops by itself. The launcher (``python -m iliopsoas_lib.server``) runs in a temporary
folder on a copy of the repository's voila.json with the cap, pool and unconnected-kernel timeout given here.
Plain HTTP GETs of the page (a bot, a link preview: no websocket ever) come from ``--concurrency`` threads;
meanwhile a sampler reads the server's kernel processes and the resident memory of its whole process tree,
and ``--visitors`` real visits in headless Chromium, spread over the flood, time how long until the visitor
sees the dashboard or the busy page. After the flood it waits for the kernels whose page never connected to be
culled and reads the memory again.

Figures (printed and written to benchmarks/results/abuse.json), never asserted: kernels max against the cap,
RSS max against the cap's budget, answers (200 / 503 / errors) with p50/p95 times of each, the visitors'
times, and kernels and RSS after the cull.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil  # ipykernel's own dependency

from iliopsoas_lib.server.ports import free_port

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "abuse.json"
CHROMIUM = os.environ.get("ILIOPSOAS_CHROMIUM", "/usr/bin/chromium")
BUSY = "Busy right now"


def start_server(folder: Path, args: argparse.Namespace) -> tuple[subprocess.Popen, str]:
    config = json.loads((ROOT / "voila.json").read_text())
    config["Voila"]["notebook_path"] = str(ROOT / "notebooks" / "dashboard.ipynb")
    config["VoilaConfiguration"]["default_pool_size"] = args.pool
    config["PublicKernelManager"].update(
        max_kernels=args.cap, unconnected_timeout=args.unconnected_timeout, unconnected_check_interval=2
    )
    (folder / "voila.json").write_text(json.dumps(config))
    port = free_port()
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "iliopsoas_lib.server", "--port", str(port)],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            # a static file, not the page: asking for the page would take a kernel
            urllib.request.urlopen(url + "voila/static/voila.js", timeout=2).close()
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        raise RuntimeError(f"the server did not answer: see {folder / 'server.log'}")
    return proc, url


def kernels(pid: int) -> list[psutil.Process]:
    """The server's kernel processes, counted as tests/browser/test_public_server.py counts them: not a
    zombie awaiting reaping, not a kernel's own forked child."""
    found = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel_launcher" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            pass
    pids = {kernel.pid for kernel in found}
    return [kernel for kernel in found if kernel.ppid() not in pids]


def tree_rss_mb(pid: int) -> float:
    root = psutil.Process(pid)
    total = 0
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += process.memory_info().rss
    return total / 2**20


def wait_for_pool(pid: int, pool: int, timeout: float = 120) -> None:
    """Until the pool's kernels have run the page (each holds most of its memory by then)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        procs = kernels(pid)
        if len(procs) >= pool and all(p.memory_info().rss > 45 * 2**20 for p in procs):
            return
        time.sleep(0.5)


class Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.kernels_max, self.rss_max_mb = pid, 0, 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.kernels_max = max(self.kernels_max, len(kernels(self.pid)))
                self.rss_max_mb = max(self.rss_max_mb, tree_rss_mb(self.pid))
            except psutil.Error:
                pass
            time.sleep(0.1)


def load(url: str) -> tuple[int, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return status, time.monotonic() - started


def visit(url: str) -> dict:
    """One visitor in Chromium: seconds until the dashboard or the busy page is on screen, and which."""
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        try:
            page = browser.new_page()
            started = time.monotonic()
            page.goto(url, wait_until="commit", timeout=60_000)
            answer = page.locator(f"body[data-voila='voila'], h1:has-text('{BUSY}')").first
            answer.wait_for(state="attached", timeout=60_000)
            seconds = time.monotonic() - started
            got = "busy" if page.locator(f"h1:has-text('{BUSY}')").count() else "dashboard"
            return {"seconds": round(seconds, 2), "got": got}
        finally:
            browser.close()


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=1000, help="page loads in all")
    parser.add_argument("--concurrency", type=int, default=50, help="page loads at a time")
    parser.add_argument("--cap", type=int, help="max_kernels (default: voila.json's)")
    parser.add_argument("--pool", type=int, default=4, help="preheated pool size")
    parser.add_argument("--unconnected-timeout", type=float, default=20, help="seconds (voila.json: 60)")
    parser.add_argument("--visitors", type=int, default=3, help="Chromium visits during the flood (0: none)")
    args = parser.parse_args()
    if args.cap is None:
        args.cap = json.loads((ROOT / "voila.json").read_text())["PublicKernelManager"]["max_kernels"]

    with tempfile.TemporaryDirectory(prefix="bench-abuse-") as tmp:
        proc, url = start_server(Path(tmp), args)
        try:
            wait_for_pool(proc.pid, args.pool)
            before_mb = tree_rss_mb(proc.pid)
            sampler = Sampler(proc.pid)
            sampler.start()
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=args.concurrency) as crowd:
                futures = [crowd.submit(load, url) for _ in range(args.loads)]
                visits = []
                for _ in range(args.visitors):
                    time.sleep(2)
                    visits.append(visit(url))
                results = [future.result() for future in futures]
            flood_s = time.monotonic() - started
            sampler.stop.set()
            sampler.join()
            cull_started = time.monotonic()
            kept = args.pool + sum(v["got"] == "dashboard" for v in visits)  # their pages connected
            while len(kernels(proc.pid)) > kept and time.monotonic() - cull_started < 300:
                time.sleep(1)
            cull_s = time.monotonic() - cull_started
            time.sleep(2)
            after = {"kernels": len(kernels(proc.pid)), "rss_mb": round(tree_rss_mb(proc.pid))}
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()

    times = {status: [t for s, t in results if s == status] for status in {s for s, _ in results}}
    figures = {
        "settings": {
            "loads": args.loads,
            "concurrency": args.concurrency,
            "cap": args.cap,
            "pool": args.pool,
            "unconnected_timeout_s": args.unconnected_timeout,
            "cpus": os.cpu_count(),
        },
        "flood_s": round(flood_s, 1),
        "answers": {str(status): len(values) for status, values in sorted(times.items())},
        "p50_s": {str(status): percentile(values, 0.5) for status, values in sorted(times.items())},
        "p95_s": {str(status): percentile(values, 0.95) for status, values in sorted(times.items())},
        "refused": len(times.get(503, [])),
        "kernels_max": sampler.kernels_max,
        "rss_before_mb": round(before_mb),
        "rss_max_mb": round(sampler.rss_max_mb),
        "visitors": visits,
        "after_cull": {**after, "seconds_to_cull": round(cull_s, 1)},
        "load_average": os.getloadavg(),
    }
    print(json.dumps(figures, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
