"""The dashboard on a JupyterHub: how long the hub takes to start, a user's server to spawn, and a person to
get from the login form to a drawn dashboard. Figures printed and written to benchmarks/results/hub.json,
never asserted.

    python benchmarks/bench_hub.py              # medians of 3 rounds
    python benchmarks/bench_hub.py --runs 5

Each round starts a fresh hub exactly as tests/browser/test_jupyterhub.py does (tests/browser/local_hub.py:
JupyterHub pinned from PyPI, configurable-http-proxy from npm, the project's hub config loaded as
docs/deploy.md says, a dummy login and SimpleLocalProcessSpawner), on loopback, then:
- ``hub_start_s``: from starting the hub's process until ``/hub/health`` answers (the proxy is up too).
- ``first_spawn_s``: the hub's first spawn, asked for through the API, until the hub says the server is
  ready (a Jupyter server with Voilà's extension, no page yet).
- ``login_to_dashboard_s``: in headless Chromium (Debian's), from clicking "Sign in" as a user with no server
  yet until the dashboard's timer shows its time: login, spawn, redirects and Voilà running the notebook
  in a new kernel (the server extension has no preheated pool).
- ``dashboard_on_running_server_s``: the same user opens the dashboard again in a new tab: only Voilà's
  page (a new kernel runs the notebook again).
- ``user_server_rss_mb``: resident memory of that user's server and its kernels with one dashboard open
  (a figure for sizing a hub: memory per user).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "hub.json"
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, expect, sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.local_hub import HUB_VERSION, PASSWORD, LocalHub, local_hub  # noqa: E402
from tests.browser.test_dashboard import PHONE  # noqa: E402

READY = 180_000  # ms


def one_round(browser: Browser, folder: Path) -> dict[str, float]:
    with local_hub(folder, with_notebooks=("first", "visitor")) as hub:
        figures = {"hub_start_s": hub.start_seconds}
        assert hub.api("POST", "users/first")[0] == 201
        asked = time.monotonic()
        assert hub.api("POST", "users/first/server")[0] in (201, 202)
        hub.wait_for(lambda: hub.servers("first").get("", {}).get("ready"), "first spawn", 180)
        figures["first_spawn_s"] = time.monotonic() - asked
        figures.update(visit(browser, hub))
    return {key: round(value, 2) for key, value in figures.items()}


def visit(browser: Browser, hub: LocalHub) -> dict[str, float]:
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{hub.url}hub/login")
        page.locator("#username_input").fill("visitor")
        page.locator("#password_input").fill(PASSWORD)
        clicked = time.monotonic()
        page.locator("#login_submit").click()
        expect(page.locator(".ilio-timer-countdown")).not_to_be_empty(timeout=READY)
        login = time.monotonic() - clicked
        processes = hub.user_server_processes("visitor")  # the server and the one page's kernel
        rss_mb = sum(p.memory_info().rss for p in processes) / 2**20
        again = context.new_page()
        opened = time.monotonic()
        again.goto(f"{hub.url}user/visitor/")
        expect(again.locator(".ilio-timer-countdown")).not_to_be_empty(timeout=READY)
        return {
            "login_to_dashboard_s": login,
            "dashboard_on_running_server_s": time.monotonic() - opened,
            "user_server_rss_mb": rss_mb,
        }
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rounds: list[dict[str, float]] = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory(prefix="bench-hub-") as tmp:
        as_root = ["--no-sandbox"] if os.geteuid() == 0 else []
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *as_root])
        try:
            for run in range(args.runs):
                rounds.append(one_round(browser, Path(tmp) / f"round-{run}"))
                print(f"round {run + 1}: {json.dumps(rounds[-1])}", flush=True)
        finally:
            browser.close()
    median = {key: round(statistics.median(r[key] for r in rounds), 2) for key in rounds[0]}
    results: dict[str, Any] = {
        "jupyterhub": HUB_VERSION,
        "runs": args.runs,
        "median": median,
        "rounds": rounds,
        "machine": "2 cores, loopback; hub, proxy, user servers and Chromium on the same machine",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nmedian of {args.runs} rounds (JupyterHub {HUB_VERSION}):")
    for key, value in median.items():
        print(f"  {key:32s} {value:8.2f}")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
