"""Serve the dashboard to the public on this machine: nginx in front of several dashboard workers.

Run by scripts/serve_public.sh (which sets up .venv and installs nginx when missing). It starts
``WORKERS`` workers (default 2) on free loopback ports, each ``python -m iliopsoas_lib.server`` from the
repository root (so each reads voila.json), writes nginx.conf from deploy/nginx/nginx.conf.template
into a run folder, and runs nginx in front on ``PORT`` (default 8080). Ctrl+C or SIGTERM stops nginx,
then the workers (which stop their kernels). Settings come from the environment, like scripts/start.sh:

    PORT=8080 WORKERS=2 scripts/serve_public.sh
    RUN_DIR=/tmp/stack   keep the config, logs and cache there (default: a temporary folder, removed)

Why a small Python program and not a shell script: the workers need free ports, the config needs the
worker list written in three places, and every child must be stopped even when one fails to start.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from iliopsoas_lib.server.ports import free_ports

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy" / "nginx"
#: A cheap URL that a worker answers once it is up (the page itself would take a kernel).
READY_PATH = "/voila/static/voila.js"
#: How long a worker may take to start (it also preheats its pool of kernels in the background).
START_TIMEOUT = 120.0


def worker_command(port: int) -> list[str]:
    """One worker: the project's launcher, which reads voila.json from the folder it starts in."""
    return [sys.executable, "-m", "iliopsoas_lib.server", "--port", str(port)]


def workers_block(addresses: Sequence[str], indent: str = "    ") -> str:
    """The worker-dependent part of the config: one upstream per worker, one for all, and routing.

    A new visitor is sent to a worker picked at random from the request's id (``split_clients``), and a
    cookie (set with the page, naming the worker that served it) keeps every later request of theirs on
    that worker, where their kernel lives. Open-source nginx has no ``sticky`` directive.
    """
    names = [f"w{i}" for i in range(len(addresses))]
    lines = [
        f"upstream {name} {{ server {address}; keepalive 8; }}"
        for name, address in zip(names, addresses, strict=True)
    ]
    lines.append("upstream dashboard_all_workers {")
    lines += [f"    server {address};" for address in addresses]
    lines += ["    keepalive 8;", "}"]
    share = f"{100 / len(names):.2f}%"
    lines.append('split_clients "${request_id}" $dashboard_new_worker {')
    lines += [f"    {share} {name};" for name in names[:-1]] + [f"    * {names[-1]};", "}"]
    lines.append("map $cookie_iliopsoas_worker $dashboard_worker {")
    lines += ["    default $dashboard_new_worker;"] + [f"    {name} {name};" for name in names] + ["}"]
    lines.append("map $upstream_addr $dashboard_served_by {")
    lines.append("    default $dashboard_worker;")
    for name, address in zip(names, addresses, strict=True):
        pattern = address.replace(".", r"\.")
        lines.append(f'    "~(^|\\s){pattern}$" {name};')
    lines.append("}")
    return "\n".join(indent + line for line in lines)


def render_config(run_dir: Path, port: int, addresses: Sequence[str], as_root: bool) -> str:
    """nginx.conf for the local stack, from the template."""
    fields = {
        "{{user}}": "user nobody nogroup;" if as_root else "# (not root: nginx runs as this user)",
        "{{run_dir}}": str(run_dir),
        "{{port}}": str(port),
        "{{workers}}": workers_block(addresses),
    }
    text = (DEPLOY / "nginx.conf.template").read_text()
    for field, value in fields.items():
        text = text.replace(field, value)
    return text


def others_can_reach(folder: Path) -> bool:
    """Whether an unprivileged user (nginx's worker, when started as root) can get into ``folder``."""
    return all(part.stat().st_mode & stat.S_IXOTH for part in (folder, *folder.parents))


def prepare_run_dir(run_dir: Path, config: str, as_root: bool) -> Path:
    """Write nginx.conf and the shared iliopsoas/ snippets into the run folder; return the config path."""
    run_dir.mkdir(parents=True, exist_ok=True)
    run_dir.chmod(0o755)  # nginx's worker (nobody, when started as root) reads the error pages
    shutil.copytree(DEPLOY / "iliopsoas", run_dir / "iliopsoas", dirs_exist_ok=True)
    writable = [run_dir / "cache", *(run_dir / "tmp" / name for name in ("client_body", "proxy"))]
    writable += [run_dir / "tmp" / name for name in ("fastcgi", "uwsgi", "scgi")]
    for folder in writable:
        folder.mkdir(parents=True, exist_ok=True)
        if as_root:
            shutil.chown(folder, "nobody", "nogroup")
    path = run_dir / "nginx.conf"
    path.write_text(config)
    return path


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with code {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"no answer from {url} within {timeout:.0f} s")


def stop(procs: Sequence[subprocess.Popen], timeout: float = 20.0) -> None:
    """SIGTERM every child (nginx first, so no new visitor arrives), then wait; kill what lingers."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + timeout
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _raise_on_term(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    port = int(os.environ.get("PORT", "8080"))
    count = int(os.environ.get("WORKERS", "2"))
    if count < 1:
        raise SystemExit("serve_public: WORKERS must be at least 1")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("serve_public: nginx is missing (apt-get install nginx)")
    keep = "RUN_DIR" in os.environ
    run_dir = Path(os.environ["RUN_DIR"]) if keep else Path(tempfile.mkdtemp(prefix="iliopsoas-stack-"))
    run_dir = run_dir.resolve()
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    signal.signal(signal.SIGTERM, _raise_on_term)

    run_dir.mkdir(parents=True, exist_ok=True)
    if as_root and not others_can_reach(run_dir.parent):
        raise SystemExit(
            f"serve_public: nginx's worker (user nobody) cannot reach {run_dir}: pick another RUN_DIR"
        )

    worker_ports = free_ports(count, exclude={port})  # nginx takes its port only later
    addresses = [f"127.0.0.1:{p}" for p in worker_ports]
    config = prepare_run_dir(run_dir, render_config(run_dir, port, addresses, as_root), as_root)
    options = ["-p", str(run_dir), "-c", str(config), "-e", str(run_dir / "error.log")]  # no system paths
    check = subprocess.run([nginx, "-t", "-q", *options], capture_output=True)
    if check.returncode != 0:
        sys.stderr.write(check.stderr.decode())
        raise SystemExit(f"serve_public: nginx rejected {config}")

    procs: list[subprocess.Popen] = []
    try:
        for index, worker_port in enumerate(worker_ports):
            log = (run_dir / f"worker-{index}.log").open("w")
            procs.append(
                subprocess.Popen(
                    worker_command(worker_port),
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # Ctrl+C reaches this program only, which stops them in order
                )
            )
        for proc, address in zip(procs, addresses, strict=True):
            wait_until_up(f"http://{address}{READY_PATH}", proc)
        nginx_proc = subprocess.Popen([nginx, *options], start_new_session=True)
        procs.insert(0, nginx_proc)
        wait_until_up(f"http://127.0.0.1:{port}{READY_PATH}", nginx_proc, timeout=20)
        print(
            f"The dashboard is served at http://127.0.0.1:{port}/ by nginx in front of {count} workers "
            f"({', '.join(addresses)}). Logs and config: {run_dir}. Ctrl+C stops everything.",
            flush=True,
        )
        while all(proc.poll() is None for proc in procs):
            time.sleep(0.5)
        failed = next(proc for proc in procs if proc.poll() is not None)
        print(f"serve_public: {failed.args[0]} stopped (code {failed.returncode}); stopping", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C must not cut the cleanup short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop(procs)
        if not keep:
            shutil.rmtree(run_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
