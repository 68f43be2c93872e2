"""Fixtures for tests that drive Debian's Chromium (via pytest-playwright) against local servers.

Never ``playwright install``: the browser is /usr/bin/chromium from Debian's package, which
scripts/test.sh installs when it is missing. Servers are started on a free loopback port and
stopped after the session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("ILIOPSOAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-gpu",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium headless; as root it needs --no-sandbox."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test.sh, which installs Debian's chromium")
    args = list(CHROMIUM_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": args, "headless": True}


def wait_for_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers, even if with an error status
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"no answer from {url} within {timeout} s")


@contextmanager
def serve(
    args: list[str],
    ready_url: str,
    log: Path,
    timeout: float = 90,
    cwd: Path = ROOT,
    program: tuple[str, ...] = (sys.executable, "-m"),
) -> Iterator[None]:
    """Run a server command (a list of arguments after ``program``, by default this Python's ``-m``)
    until the block ends, its output in ``log``."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen([*program, *args], cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            wait_for_http(ready_url, timeout, proc)
            yield
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def server_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("server-logs")
    yield path
    if os.environ.get("CI"):
        for log in path.glob("*.log"):  # leave the tail of every server log in CI output
            print(
                f"\n--- {log.name} (tail) ---\n"
                + "\n".join(log.read_text(errors="replace").splitlines()[-30:])
            )


def have_chromium() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None
