"""The shared link on a phone: the dashboard against a plain Voilà one-button page, with Chromium throttled
as Lighthouse's mobile preset is. Figures printed and written to benchmarks/results/phone.json, never
asserted.

    python benchmarks/bench_phone.py                     # medians of 5 visits each, then Lighthouse
    python benchmarks/bench_phone.py --runs 3 --no-lighthouse

In one run, each page served on loopback by its own server:
- the dashboard by ``python -m iliopsoas_lib.server`` (voila.json's settings, as the README starts it);
- a notebook of one button (a click changes its label) by ``python -m voila`` under Voilà's defaults.

Chromium (Debian's) is throttled through the DevTools protocol: 1.6 Mbps down, 750 kbps up, 150 ms
round trip (``Network.emulateNetworkConditions``) and a CPU 4x slower (``Emulation.setCPUThrottlingRate``).
Each visit is a fresh browser context, so a first visit has an empty cache; the repeat visit reloads
the page in the same context. Figures:
- ``page_usable_s``: from asking for the page until it takes its first click (the dashboard's first
  health question; for the plain page, the same as ``start_usable_s``).
- ``start_usable_s``: from asking for the page until Start is usable. For the dashboard, a person must
  answer the health questions first: the script answers "No" to each and ticks every ability as soon as
  they are on screen, then waits for Start to be enabled, clicks it, and stops the clock when the timer
  says it is running. For the plain page: its button visible and enabled, and a click changes its label.
- ``first_visit_bytes`` / ``repeat_visit_bytes``: HTTP bytes on the wire (``Network.loadingFinished``'s
  ``encodedDataLength``: headers and compressed bodies) plus the websocket frames until the page is
  usable. CDP gives frames after permessage-deflate is undone, so each direction's frames are compressed
  again here as permessage-deflate does it (raw deflate, one stream per direction kept across messages,
  each message flushed): the bytes the frames take on the wire, give or take a few bytes of framing.
- ``widget_state_bytes``: the websocket frame that answers the page's ``request_states`` (every widget
  model's state), uncompressed.
- ``timer_ws_bytes_per_s`` / ``timer_ws_messages_per_s``: websocket traffic while the dashboard's timer
  runs untouched (``--timer-seconds``); for the plain page, while it sits idle.
- Lighthouse 12.2.3 (npm, installed into .cache/npm when missing) mobile performance and accessibility
  scores, with ``CHROME_PATH=/usr/bin/chromium``: one run each, as figures.

Goals (issue 12): Start usable in at most 0.35x plain Voilà's time; first visit at most 1.6 MB; repeat
visit at most 15 KB; widget state at most 50 KB; a running timer at most 1 KB/s.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from iliopsoas_lib.server.ports import free_port  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from tests.browser.test_dashboard import CATALOG, PHONE  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "phone.json"
NPM_PREFIX = ROOT / ".cache" / "npm"
LIGHTHOUSE = NPM_PREFIX / "node_modules" / "lighthouse" / "cli" / "index.js"
LIGHTHOUSE_VERSION = "12.2.3"
#: Lighthouse's mobile preset, as the DevTools protocol takes it (bytes per second, milliseconds).
NETWORK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6e6 / 8,
    "uploadThroughput": 750e3 / 8,
}
CPU_SLOWDOWN = 4
USABLE_TIMEOUT = 180_000  # ms: a throttled first visit of a heavy page can take a long while
PLAIN = {
    "cells": [
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": (
                "import ipywidgets as widgets\n"
                "button = widgets.Button(description='Start')\n"
                "button.on_click(lambda b: setattr(b, 'description', 'Started'))\n"
                "button"
            ),
        }
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


class Wire:
    """Counts what crosses the network for one page, through the DevTools protocol."""

    def __init__(self, page: Page) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.http = 0
        self.frames: list[tuple[float, int]] = []
        self.state_bytes = 0
        # permessage-deflate with context takeover: one raw-deflate stream per direction
        self.deflate = {
            "sent": zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS),
            "received": zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS),
        }
        self.cdp.send("Network.enable")
        self.cdp.send("Network.emulateNetworkConditions", NETWORK)
        self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        self.cdp.on("Network.loadingFinished", self._loaded)
        self.cdp.on("Network.webSocketFrameReceived", lambda event: self._frame(event, "received"))
        self.cdp.on("Network.webSocketFrameSent", lambda event: self._frame(event, "sent"))

    def _loaded(self, event: dict[str, Any]) -> None:
        self.http += int(event.get("encodedDataLength", 0))

    def _frame(self, event: dict[str, Any], direction: str) -> None:
        response = event["response"]
        data = response.get("payloadData", "")
        raw = base64.b64decode(data) if response.get("opcode") == 2 else data.encode()
        stream = self.deflate[direction]
        wire = len(stream.compress(raw) + stream.flush(zlib.Z_SYNC_FLUSH)) - 4  # the tail RFC 7692 drops
        self.frames.append((time.monotonic(), wire))
        if b"update_states" in raw:
            self.state_bytes = max(self.state_bytes, len(raw))

    def reset(self) -> None:
        self.http, self.frames = 0, []

    @property
    def total(self) -> int:
        return self.http + sum(size for _, size in self.frames)

    def rate(self, seconds: float) -> tuple[float, float]:
        """Websocket bytes and messages per second over the last ``seconds``."""
        since = time.monotonic() - seconds
        recent = [size for at, size in self.frames if at >= since]
        return sum(recent) / seconds, len(recent) / seconds


def make_dashboard_usable(page: Page) -> float:
    """Answer as a quick person would, as soon as the page lets them, then press Start. Returns the
    moment (monotonic) the page first took an answer: when it became usable at all."""
    interactive = 0.0
    for screening in CATALOG.screenings.values():
        group = page.get_by_role("group", name=screening.question, exact=True)
        group.get_by_label("No", exact=True).check(timeout=USABLE_TIMEOUT)
        interactive = interactive or time.monotonic()
    for box in page.locator(".ilio-questions input[type=checkbox]").all():
        box.check(timeout=USABLE_TIMEOUT)
    start = page.locator(".ilio-timer-toggle")
    expect(start).to_be_enabled(timeout=USABLE_TIMEOUT)
    start.click()
    expect(page.locator(".ilio-timer")).to_have_attribute("data-status", "running", timeout=USABLE_TIMEOUT)
    return interactive


def make_plain_usable(page: Page) -> float:
    button = page.get_by_role("button", name="Start")
    expect(button).to_be_enabled(timeout=USABLE_TIMEOUT)
    button.click()
    expect(page.get_by_role("button", name="Started")).to_be_visible(timeout=USABLE_TIMEOUT)
    return time.monotonic()


def one_visit(browser: Browser, url: str, dashboard: bool, timer_seconds: float) -> dict[str, float]:
    """A first visit (empty cache) until Start is usable, the running timer's traffic, then a repeat."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        wire = Wire(page)
        began = time.monotonic()
        page.goto(url, timeout=USABLE_TIMEOUT)
        interactive = (make_dashboard_usable if dashboard else make_plain_usable)(page) - began
        usable = time.monotonic() - began
        first, state = wire.total, wire.state_bytes
        page.wait_for_timeout(1000)  # let the start settle, then the timer runs untouched
        wire.frames.clear()
        page.wait_for_timeout(timer_seconds * 1000)
        ws_bytes, ws_messages = wire.rate(timer_seconds)
        if dashboard and page.locator(".ilio-timer").get_attribute("data-status") != "running":
            raise RuntimeError("the timer stopped before the measure ended: use a shorter --timer-seconds")
        wire.reset()
        page.reload(timeout=USABLE_TIMEOUT)
        ready = ".ilio-timer-countdown" if dashboard else ".widget-button"
        expect(page.locator(ready).first).to_be_visible(timeout=USABLE_TIMEOUT)
        page.wait_for_timeout(2000)  # the widget state and the kernel's first messages
        repeat = wire.total
    finally:
        context.close()
    return {
        "page_usable_s": round(interactive, 2),
        "start_usable_s": round(usable, 2),
        "first_visit_bytes": first,
        "repeat_visit_bytes": repeat,
        "widget_state_bytes": state,
        "timer_ws_bytes_per_s": round(ws_bytes, 1),
        "timer_ws_messages_per_s": round(ws_messages, 2),
    }


def medians(visits: list[dict[str, float]]) -> dict[str, float]:
    if not visits:
        raise RuntimeError("every visit failed: see the messages above")
    return {key: statistics.median(v[key] for v in visits) for key in visits[0]}


def ensure_lighthouse() -> Path:
    if not LIGHTHOUSE.exists():
        print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {NPM_PREFIX} (about a minute)", flush=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(NPM_PREFIX),
                "--no-audit",
                "--no-fund",
                "--silent",
                "-E",
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
        )
    return LIGHTHOUSE


def lighthouse(url: str) -> dict[str, float | None]:
    """Lighthouse's mobile performance and accessibility scores (0-100) for ``url``."""
    cli = ensure_lighthouse()
    flags = " ".join(["--headless=new", "--no-sandbox", *CHROMIUM_ARGS])
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        done = subprocess.run(
            [
                "node",
                str(cli),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                "--only-categories=performance,accessibility",
                f"--chrome-flags={flags}",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=600,
        )
        if not report.exists():
            print(f"lighthouse failed for {url}: {done.stderr[-800:]}", file=sys.stderr)
            return {"performance": None, "accessibility": None}
        categories = json.loads(report.read_text())["categories"]
    return {name: round(100 * (categories[name]["score"] or 0)) for name in ("performance", "accessibility")}


@contextmanager
def dashboard_server(logs: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with serve(["iliopsoas_lib.server", "--port", str(port)], url, logs / "dashboard.log", timeout=300):
        yield url


@contextmanager
def plain_server(logs: Path) -> Iterator[str]:
    """Plain Voilà under its defaults. Without a preheated kernel each GET runs the notebook first (longer
    than the tests' 2 s probe), so readiness is the port accepting connections."""
    folder = logs / "plain"
    folder.mkdir()
    (folder / "button.ipynb").write_text(json.dumps(PLAIN))
    port = free_port()
    args = [sys.executable, "-m", "voila", "button.ipynb", f"--port={port}", "--no-browser"]
    with (logs / "plain.log").open("w") as out:
        proc = subprocess.Popen(args, cwd=folder, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(
                            f"plain Voilà did not start: {(logs / 'plain.log').read_text()}"
                        ) from None
                    time.sleep(0.2)
            yield f"http://127.0.0.1:{port}/"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timer-seconds", type=float, default=10.0)
    parser.add_argument("--gap", type=float, default=12.0, help="seconds between visits (the pool refills)")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "throttling": {**NETWORK, "cpu_slowdown": CPU_SLOWDOWN},
        "runs": args.runs,
    }
    args_chromium = [*CHROMIUM_ARGS, "--no-sandbox"]
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        logs = Path(folder)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args_chromium, headless=True)
        for name, server, dashboard in (
            ("plain_voila", plain_server, False),
            ("dashboard", dashboard_server, True),
        ):
            with server(logs) as url:
                visits: list[dict[str, float]] = []
                failures: list[str] = []
                for _run in range(args.runs):
                    time.sleep(args.gap)  # the server's pool fills (and refills) between visitors
                    try:
                        visits.append(one_visit(browser, url, dashboard, args.timer_seconds))
                    except Exception as error:  # a failed visit is a figure too: counted, not hidden
                        failures.append(str(error).splitlines()[0] + " | " + str(error).splitlines()[-1])
                        print(f"{name} visit failed: {failures[-1]}", flush=True)
                        continue
                    print(f"{name} visit {len(visits)}: {json.dumps(visits[-1])}", flush=True)
                results[name] = {"median": medians(visits), "visits": visits, "failed_visits": failures}
                if not args.no_lighthouse:
                    time.sleep(args.gap)
                    results[name]["lighthouse"] = lighthouse(url)
        browser.close()
    dash, plain = results["dashboard"]["median"], results["plain_voila"]["median"]
    results["start_usable_ratio"] = round(dash["start_usable_s"] / plain["start_usable_s"], 2)
    results["page_usable_ratio"] = round(dash["page_usable_s"] / plain["start_usable_s"], 2)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)


def print_table(results: dict[str, Any]) -> None:
    goals = {
        "page_usable_s": "first answer taken",
        "start_usable_s": "<= 0.35x plain",
        "first_visit_bytes": "<= 1.6 MB",
        "repeat_visit_bytes": "<= 15 KB",
        "widget_state_bytes": "<= 50 KB",
        "timer_ws_bytes_per_s": "<= 1 KB/s",
        "timer_ws_messages_per_s": "",
    }
    print(f"\n{'median of ' + str(results['runs']):28s} {'plain Voilà':>14s} {'dashboard':>14s}  goal")
    for key, goal in goals.items():
        plain, dash = results["plain_voila"]["median"][key], results["dashboard"]["median"][key]
        print(f"{key:28s} {plain:14,.1f} {dash:14,.1f}  {goal}")
    for score in ("performance", "accessibility"):
        plain = results["plain_voila"].get("lighthouse", {}).get(score)
        dash = results["dashboard"].get("lighthouse", {}).get(score)
        print(f"{'lighthouse ' + score:28s} {plain!s:>14s} {dash!s:>14s}")
    print(f"Start usable: {results['start_usable_ratio']}x plain Voilà's time\n")


if __name__ == "__main__":
    main()
