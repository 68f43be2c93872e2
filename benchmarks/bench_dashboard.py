"""How fast and how heavy is the shared dashboard? Figures, printed and written to JSON, never asserted.

    python benchmarks/bench_dashboard.py                  # 5 runs, 20 then 40 concurrent visitors
    python benchmarks/bench_dashboard.py --visitors 20    # one crowd size only

All in one run on this machine, each figure with its baseline from the same run:

1. Time-to-interactive in headless Chromium (median of ``--runs``): the dashboard as configured by
   voila.json (preheated pool) against a trivial widget notebook served by plain Voilà without
   preheating, and that trivial notebook preheated under the dashboard's own voila.json (what those
   settings give any one-widget page: the part of the time that is Voilà's front end, not ours).
   "Interactive" = the page's widget is on screen (the timer's countdown has text; the trivial
   notebook's slider is visible). Visits are spaced by ``--gap`` seconds so the pool can refill,
   as it would between visitors arriving one by one.
2. Memory of one more visitor's kernel (RSS and PSS from /proc, after the dashboard cell has run) against
   a bare kernel and against a kernel that has shown one ipywidgets slider (what plain Voilà's trivial
   notebook costs).
3. N visitors arriving at once on loopback, with an HTTP and websocket client (Chromium itself would
   take the 2 cores): GET the page, open its kernel's websocket, wait for kernel_info_reply. p50/p95
   and errors, against one visitor measured the same way on the same fresh server; and the same crowd
   on the trivial notebook with a pool sized to the burst, to tell the dashboard's share from Voilà's.

Goals (issue #5): dashboard <= 0.5x plain Voilà time; memory per visitor <= 1.2x a bare kernel;
40 visitors with p95 <= 3x a single visitor and no error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "dashboard.json"
CHROMIUM_ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run"]
TRIVIAL = {
    "cells": [
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": "import ipywidgets as widgets\nwidgets.IntSlider(description='x')",
        }
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def dashboard_settings_without_notebook() -> str:
    """The repository's voila.json for another notebook: the same server settings (pool refill delay,
    culling, file rules), so a baseline differs from the dashboard only in the notebook."""
    settings = json.loads((ROOT / "voila.json").read_text())
    settings["Voila"].pop("notebook_path", None)
    return json.dumps(settings)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def voila(args: list[str], cwd: Path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server, closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "voila", f"--port={port}", *args],
        cwd=cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("Voilà did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def chromium_tti(url: str, selector: str, runs: int, gap: float) -> list[float]:
    from playwright.sync_api import sync_playwright

    args = CHROMIUM_ARGS + (["--no-sandbox"] if os.geteuid() == 0 else [])
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for _ in range(runs):
            time.sleep(gap)
            context = browser.new_context()
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_selector(selector, timeout=180_000)
            times.append(time.perf_counter() - start)
            context.close()
        browser.close()
    return times


def memory_of(pid: int) -> dict[str, float]:
    rss = int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1))
    pss = int(re.search(r"^Pss:\s+(\d+)", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M).group(1))
    return {"rss_mb": rss / 1024, "pss_mb": pss / 1024}


def kernel_memory(code: str) -> dict[str, float]:
    """Start a fresh kernel, run ``code``, measure the kernel process."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3", cwd=str(ROOT / "notebooks"))
    try:
        if code:
            reply = client.execute_interactive(code, timeout=120, output_hook=lambda _msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"kernel code failed: {reply['content']}")
        time.sleep(1.0)
        return memory_of(manager.provisioner.process.pid)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def one_visit(url: str) -> float:
    """GET the page, connect to its kernel, get kernel_info: the page is usable from here on."""
    import websocket

    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as response:
        page = response.read().decode()
    found = re.search(r'kernelId": "([0-9a-f-]+)"', page)
    if found is None:  # say what came instead, so an error in the crowd can be told apart
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).strip()
        raise RuntimeError(f"no kernel id in the page ({len(page)} bytes): {text[:300]!r}")
    kernel_id = found.group(1)
    ws = websocket.create_connection(
        url.replace("http", "ws", 1) + f"api/kernels/{kernel_id}/channels", timeout=300
    )
    try:
        msg_id = uuid.uuid4().hex
        ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "kernel_info_request",
                        "username": "bench",
                        "session": uuid.uuid4().hex,
                        "version": "5.3",
                        "date": "",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": {},
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        while True:
            reply = json.loads(ws.recv())
            if (
                reply.get("parent_header", {}).get("msg_id") == msg_id
                and reply["msg_type"] == "kernel_info_reply"
            ):
                return time.perf_counter() - start
    finally:
        ws.close()


def crowd(url: str, visitors: int) -> dict[str, object]:
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(visitors)

    def visit() -> None:
        barrier.wait()
        try:
            elapsed = one_visit(url)
            with lock:
                times.append(elapsed)
        except Exception as error:  # counted and reported, never hidden
            with lock:
                errors.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=visit) for _ in range(visitors)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()
    return {
        "visitors": visitors,
        "p50_s": statistics.median(times) if times else None,
        "p95_s": times[max(0, round(0.95 * len(times)) - 1)] if times else None,
        "max_s": times[-1] if times else None,
        "errors": len(errors),
        "error_examples": errors[:3],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--gap", type=float, default=6.0, help="seconds between single visits")
    parser.add_argument("--visitors", type=int, nargs="*", default=[20, 40])
    parser.add_argument("--pool-wait", type=float, default=2.0, help="seconds per pooled kernel to fill")
    parser.add_argument("--skip-single", action="store_true", help="only the crowds (skips 1. and 2.)")
    args = parser.parse_args()
    results: dict[str, object] = {"machine": {"cpus": os.cpu_count()}}
    if args.skip_single and RESULTS.exists():  # keep the earlier single-visitor figures
        results = {**json.loads(RESULTS.read_text()), **results}

    if not args.skip_single:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            (folder / "trivial.ipynb").write_text(json.dumps(TRIVIAL))
            with voila(["trivial.ipynb", "--VoilaConfiguration.preheat_kernel=False"], folder) as url:
                plain = chromium_tti(url, ".widget-slider", args.runs, args.gap)
            # The same trivial notebook served with the dashboard's own settings (voila.json) and a pool
            # big enough that every visit gets a preheated kernel: what those settings give any page.
            # The dashboard's time beside it is its own cost; the rest is Voilà's front end.
            (folder / "voila.json").write_text(dashboard_settings_without_notebook())
            pool = args.runs + 1
            with voila(["trivial.ipynb", f"--VoilaConfiguration.default_pool_size={pool}"], folder) as url:
                time.sleep(args.gap + args.pool_wait * pool)
                preheated_trivial = chromium_tti(url, ".widget-slider", args.runs, args.gap)
        with voila([], ROOT) as url:
            dash = chromium_tti(url, ".ilio-timer-countdown:not(:empty)", args.runs, args.gap)
        tti = {
            "plain_voila_trivial_s": plain,
            "dashboard_s": dash,
            "preheated_trivial_s": preheated_trivial,
            "plain_median_s": statistics.median(plain),
            "preheated_trivial_median_s": statistics.median(preheated_trivial),
            "dashboard_median_s": statistics.median(dash),
            "ratio": statistics.median(dash) / statistics.median(plain),
            "preheated_trivial_ratio": statistics.median(preheated_trivial) / statistics.median(plain),
            "goal_ratio": 0.5,
        }
        results["time_to_interactive"] = tti
        print(
            f"time to interactive (median of {args.runs}, Chromium): plain Voilà trivial "
            f"{tti['plain_median_s']:.2f} s, dashboard {tti['dashboard_median_s']:.2f} s, "
            f"ratio {tti['ratio']:.2f} (goal <= 0.5); trivial notebook preheated "
            f"{tti['preheated_trivial_median_s']:.2f} s, ratio {tti['preheated_trivial_ratio']:.2f}"
        )

        bare = kernel_memory("")
        widget = kernel_memory("import ipywidgets as w\nw.IntSlider()")
        visitor = kernel_memory("from iliopsoas_lib.widgets import dashboard\nd = dashboard()")
        memory = {
            "bare_kernel": bare,
            "trivial_widget_kernel": widget,
            "dashboard_kernel": visitor,
            "ratio_rss_vs_bare": visitor["rss_mb"] / bare["rss_mb"],
            "ratio_rss_vs_trivial_widget": visitor["rss_mb"] / widget["rss_mb"],
            "goal_ratio": 1.2,
        }
        results["memory"] = memory
        print(
            f"kernel memory RSS: bare {bare['rss_mb']:.0f} MB, trivial widget {widget['rss_mb']:.0f} MB, "
            f"dashboard visitor {visitor['rss_mb']:.0f} MB (PSS {visitor['pss_mb']:.0f} MB); ratio vs bare "
            f"{memory['ratio_rss_vs_bare']:.2f}, "
            f"vs trivial widget {memory['ratio_rss_vs_trivial_widget']:.2f}"
            " (goal <= 1.2)"
        )

    crowds = []
    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp)
        (trivial / "trivial.ipynb").write_text(json.dumps(TRIVIAL))
        (trivial / "voila.json").write_text(dashboard_settings_without_notebook())  # same server settings
        for n in args.visitors:
            # The dashboard as configured (pool of 4) and with the pool sized to the burst: the two
            # options a server has; then the trivial notebook with a pool sized to the burst.
            # +1: the single-visitor probe takes one kernel first.
            sized = [f"--VoilaConfiguration.default_pool_size={n + 1}"]
            setups = [
                ("dashboard", "voila.json (4)", [], ROOT, 4),
                ("dashboard", n + 1, sized, ROOT, n + 1),
                ("trivial", n + 1, ["trivial.ipynb", "--VoilaConfiguration.preheat_kernel=True", *sized],
                 trivial, n + 1),
            ]
            for notebook, pool, extra, cwd, kernels in setups:
                with voila(extra, cwd) as url:
                    # let the pool fill, as on a server that has been up a while (~1.2 s CPU per kernel)
                    time.sleep(args.gap + args.pool_wait * kernels)
                    single = one_visit(url)
                    time.sleep(args.gap)
                    result = crowd(url, n)
                result.update(notebook=notebook, pool=pool, single_visitor_s=single)
                result["p95_ratio_vs_single"] = result["p95_s"] / single if result["p95_s"] else None
                crowds.append(result)
                print(
                    f"{n} visitors at once, {notebook}, pool {pool} (HTTP+websocket): "
                    f"p50 {result['p50_s']:.2f} s, p95 {result['p95_s']:.2f} s, single visitor "
                    f"{single:.2f} s, p95/single {result['p95_ratio_vs_single']:.1f} (goal <= 3), "
                    f"errors {result['errors']}"
                )
    results["concurrent"] = crowds

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
