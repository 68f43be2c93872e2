"""A JupyterHub on loopback, set up as docs/deploy.md tells a hub admin, for tests/browser/test_jupyterhub.py
and benchmarks/bench_hub.py.

Only what a laptop cannot have is swapped: the login (JupyterHub's DummyAuthenticator with one password)
and the spawner (SimpleLocalProcessSpawner, each user's home a folder under the test's temporary folder).
Everything else is the project's: the hub loads deploy/jupyterhub/jupyterhub_config.py the way the guide
says (``exec`` at the end of the admin's own config), each user's server reads
deploy/jupyterhub/jupyter_server_config.json (through ``JUPYTER_CONFIG_DIR``, where a hub would use
/etc/jupyter), notebooks are copied into the homes that should have them (the guide's step 4), and the proxy
is configurable-http-proxy from npm.

The admin's own settings are written before the project's lines, as a real hub config would have them:
the environment variable that points servers at their Jupyter config and a service with an API token (the
test's hands on the hub API). If the project's lines replaced them instead of adding to them, the servers
would lose their config and the token would stop working.

The hub runs with the system's PATH, not this virtual environment's, as a hub started by its full path
(from systemd, say) would: a bare ``python3`` there is not the hub's Python, which is what a culler must
not rely on.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from iliopsoas_lib.server.ports import free_ports

from .conftest import ROOT

#: The JupyterHub the hub test is pinned to (pyproject.toml's test extra); the single-user side must have
#: the same major.minor (pyproject.toml's hub extra).
HUB_VERSION = "6.1.1"
PROXY = ROOT / ".cache" / "npm" / "node_modules" / ".bin" / "configurable-http-proxy"
PROJECT_HUB_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
SERVER_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyter_server_config.json"
PASSWORD = "stretch-every-day"
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
#: The test's one change to the project's culler: cull after 15 s idle, look every 5 s, and only named
#: servers, so the users' own servers stay up while a test clicks through them; an idle named server shows
#: the culler at work.
FAST_CULLER = ("--timeout=15", "--cull-every=5", "--cull-default-servers=False")


def missing_hub_tools() -> str | None:
    """Why the hub cannot be started here (a wrong or missing pin), or None when it can."""
    try:
        version = importlib.metadata.version("jupyterhub")
    except importlib.metadata.PackageNotFoundError:
        return f"jupyterhub is not installed: pip install -e '.[test]' (it pins jupyterhub=={HUB_VERSION})"
    if version != HUB_VERSION:
        return f"jupyterhub {version} is installed, the test pins {HUB_VERSION}: pip install -e '.[test]'"
    try:
        importlib.metadata.version("jupyterhub-idle-culler")
    except importlib.metadata.PackageNotFoundError:
        return "jupyterhub-idle-culler is not installed: pip install -e '.[test]'"
    if not PROXY.exists():
        return f"{PROXY} is missing: run scripts/test.sh, which installs configurable-http-proxy from npm"
    return None


@dataclass
class LocalHub:
    """A running hub: its public URL, the users' homes and the API token of the admin's test service."""

    url: str
    folder: Path
    token: str
    log: Path
    process: subprocess.Popen
    #: Seconds from starting the hub's process until its /hub/health answered.
    start_seconds: float

    def home(self, user: str) -> Path:
        return self.folder / "homes" / user

    def api(self, method: str, path: str, body: dict | None = None) -> tuple[int, Any]:
        """Call the hub's REST API with the test service's token; returns (status, decoded JSON or None)."""
        request = urllib.request.Request(
            f"{self.url}hub/api/{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                payload = response.read()
                return response.status, json.loads(payload) if payload else None
        except urllib.error.HTTPError as error:
            return error.code, None

    def user_server_processes(self, user: str) -> list[psutil.Process]:
        """The user's running server and its kernels (found by their folder: the user's home)."""
        home = str(self.home(user))
        found = []
        for child in psutil.Process(self.process.pid).children(recursive=True):
            with suppress(psutil.Error):
                if child.cwd().startswith(home):
                    found.append(child)
        return found

    def servers(self, user: str) -> dict[str, dict]:
        """The user's active servers by name ("" is the default one), as the hub reports them."""
        status, model = self.api("GET", f"users/{user}")
        if status != 200:
            raise RuntimeError(f"the hub API answered {status} for users/{user}")
        return model["servers"]

    def wait_for(self, condition, what: str, timeout: float) -> float:
        """Poll ``condition()`` until true; returns the seconds it took. Raises TimeoutError with ``what``."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the hub exited with code {self.process.returncode}:\n{_log_errors(self.log)}"
                )
            if condition():
                return time.monotonic() - start
            time.sleep(0.25)
        raise TimeoutError(f"{what}: not within {timeout} s; see {self.log}")


def _test_config(folder: Path, ports: dict[str, int], token: str, culler_args: Sequence[str]) -> str:
    jupyter_config = folder / "jupyter-config"
    return f"""\
c = get_config()
# The admin's own settings, written before the project's lines.
c.JupyterHub.bind_url = "http://127.0.0.1:{ports["public"]}/"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{ports["hub"]}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{ports["proxy_api"]}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(folder / "homes")!r} + "/{{username}}"
c.Spawner.cmd = [{str(Path(sys.executable).parent / "jupyterhub-singleuser")!r}]
c.Spawner.args = {["--allow-root"] if os.geteuid() == 0 else []!r}  # CI runs as root
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.env_keep.extend(["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"])
c.Spawner.environment = {{"JUPYTER_CONFIG_DIR": {str(jupyter_config)!r}}}
c.JupyterHub.allow_named_servers = True
c.JupyterHub.services = [{{"name": "hub-test", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [
    {{
        "name": "hub-test",
        "scopes": ["admin:users", "admin:servers", "list:users", "read:users"],
        "services": ["hub-test"],
    }}
]

# The project's lines, as docs/deploy.md says.
exec(open({str(PROJECT_HUB_CONFIG)!r}).read())

# The test's one change to them: a culler that acts within seconds.
for service in c.JupyterHub.services:
    if service["name"] == "idle-culler":
        service["command"] = [a for a in service["command"] if not a.startswith("--timeout")]
        service["command"] += {list(culler_args)!r}
"""


@contextmanager
def local_hub(
    folder: Path,
    with_notebooks: Sequence[str],
    culler_args: Sequence[str] = FAST_CULLER,
    timeout: float = 180,
) -> Iterator[LocalHub]:
    """Start the hub in ``folder``; the homes of ``with_notebooks`` get a copy of notebooks/ first.

    When the block ends the hub is stopped (it stops the proxy, the culler and every user's server), and any
    process it started that is still there after 30 s is killed by its PID.
    """
    problem = missing_hub_tools()
    if problem:
        raise RuntimeError(problem)
    (folder / "jupyter-config").mkdir(parents=True)
    shutil.copy(SERVER_CONFIG, folder / "jupyter-config" / "jupyter_server_config.json")
    for user in with_notebooks:
        shutil.copytree(
            ROOT / "notebooks",
            folder / "homes" / user / "notebooks",
            ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
        )
    ports = dict(zip(("public", "hub", "proxy_api"), free_ports(3), strict=True))
    token = secrets.token_hex(16)
    config = folder / "jupyterhub_config.py"
    config.write_text(_test_config(folder, ports, token, culler_args))
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    env.update(PATH=SYSTEM_PATH, PYTHONUNBUFFERED="1")
    url = f"http://127.0.0.1:{ports['public']}/"
    log = folder / "jupyterhub.log"
    with log.open("w") as out:
        launched = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=folder,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_healthy(f"{url}hub/health", timeout, process, log)
            started = time.monotonic() - launched
            yield LocalHub(
                url=url, folder=folder, token=token, log=log, process=process, start_seconds=started
            )
        finally:
            _stop(process)


def _wait_until_healthy(url: str, timeout: float, process: subprocess.Popen, log: Path) -> None:
    """Wait for a 200 from the hub's health check through the proxy (the proxy answers 404 until the hub
    has added its own route). A failure carries the hub's own last error: CI keeps the test's output, not
    its temporary folder."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the hub exited with code {process.returncode} before it was healthy:\n{_log_errors(log)}"
            )
        with suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
            if response.status == 200:
                return
        time.sleep(0.2)
    raise TimeoutError(f"the hub was not healthy at {url} within {timeout} s:\n{_log_errors(log)}")


def _log_errors(log: Path, lines: int = 20) -> str:
    """The hub's error lines and what follows each (its tracebacks), last ``lines`` of them; the proxy's
    404s while the hub starts are left out."""
    kept: list[str] = []
    in_error = False
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("[E "):
            in_error = True
        elif line.startswith("[") or "[ConfigProxy]" in line:
            in_error = False
        if in_error:
            kept.append(line)
    return "\n".join(kept[-lines:]) or f"(no error lines in {log})"


def _stop(process: subprocess.Popen) -> None:
    """Stop the hub, then kill by PID whatever it started that outlived it (servers, kernels, proxy)."""
    try:
        started = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        started = []
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    _, alive = psutil.wait_procs(started, timeout=5)
    for child in alive:
        with suppress(psutil.NoSuchProcess):
            child.kill()
