"""What a running timer costs on the wire: websocket messages and bytes per second. Printed and written
to benchmarks/results/timer_wire.json, never asserted.

    python benchmarks/bench_timer_wire.py              # 10 s of a running routine, after a 2 s settle
    python benchmarks/bench_timer_wire.py --seconds 30 --label before

Serves the dashboard from the repository root with the project's launcher (as the browser tests do),
answers the health questions in headless Chromium, presses Start and records every websocket frame (both
directions) with Playwright while the routine runs and nobody touches the page; then, for scale, what one
press of Pause costs (frame sizes as Playwright reports them: uncompressed). Goal (issue #12): at most
1 KB/s.
The result file keeps one entry per ``--label`` so a "before" and an "after" sit side by side.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import WebSocket, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from iliopsoas_lib.server.ports import free_port  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from tests.browser.test_dashboard import PHONE, READY, ready_routine  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "timer_wire.json"


def measure(seconds: float, settle: float) -> dict[str, float]:
    """Frames and bytes per second on the page's websockets while the timer runs untouched."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    frames: list[tuple[float, str, int]] = []
    recording = False

    def on_socket(ws: WebSocket) -> None:
        def note(direction: str):
            def record(payload: str | bytes) -> None:
                if recording:
                    size = len(payload.encode() if isinstance(payload, str) else payload)
                    frames.append((time.monotonic(), direction, size))

            return record

        ws.on("framesent", note("sent"))
        ws.on("framereceived", note("received"))

    with (
        tempfile.TemporaryDirectory() as logs,
        serve(["iliopsoas_lib.server", "--port", str(port)], url, Path(logs) / "v.log"),
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--no-sandbox"])
        page = browser.new_context(viewport=PHONE).new_page()
        page.on("websocket", on_socket)
        page.goto(url)
        page.locator(".ilio-timer-countdown").wait_for(timeout=READY)
        ready_routine(page)
        page.locator(".ilio-timer-toggle").click()
        page.wait_for_selector(".ilio-timer[data-status=running]")
        page.wait_for_timeout(settle * 1000)
        recording = True
        start = time.monotonic()
        page.wait_for_timeout(seconds * 1000)
        recording = False
        span = time.monotonic() - start
        status = page.locator(".ilio-timer").get_attribute("data-status")
        # One command for scale: what a press of Pause costs (the page's message and the new plan).
        idle = len(frames)
        recording = True
        page.locator(".ilio-timer-toggle").click()
        page.wait_for_timeout(2000)
        recording = False
        command = frames[idle:]
        browser.close()
    if status != "running":
        raise RuntimeError(f"the timer was {status!r} at the end, not running: use a shorter --seconds")
    frames = frames[:idle]
    sent = [s for _, d, s in frames if d == "sent"]
    received = [s for _, d, s in frames if d == "received"]
    return {
        "seconds": round(span, 2),
        "messages_per_second": round(len(frames) / span, 2),
        "bytes_per_second": round((sum(sent) + sum(received)) / span, 1),
        "sent_messages": len(sent),
        "received_messages": len(received),
        "sent_bytes": sum(sent),
        "received_bytes": sum(received),
        "one_pause_messages": len(command),
        "one_pause_bytes": sum(size for _, _, size in command),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--settle", type=float, default=2.0)
    parser.add_argument("--label", default="now")
    args = parser.parse_args()
    figures = measure(args.seconds, args.settle)
    figures["goal_bytes_per_second"] = 1024
    print(json.dumps({args.label: figures}, indent=2))
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[args.label] = figures
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
