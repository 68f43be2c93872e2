"""The public launcher (``python -m iliopsoas_lib.server``) on the wire, as a stranger on the link meets it.

Against the repository's voila.json: every text response gzipped, content-hashed files cached as immutable
and the page never cached, permessage-deflate on the kernel websocket, malformed URLs answered 4xx with no
traceback in the log, no kernel DELETE, the websocket still refusing code and foreign origins, and a
Chromium visit that asks no host but ours.

Against a copy of voila.json with a small cap (in a temporary folder): the busy page when the cap is
reached, and the bounded abuse test of issue 13 (200 page loads, 20 at a time, loopback only): kernels
never above the cap, memory under the cap's budget, a real visitor answered within 3 s during the flood,
and memory back after (pages that never connected are culled).
"""

from __future__ import annotations

import gzip
import http.client
import json
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import psutil  # ipykernel's own dependency: present wherever a kernel runs
import pytest
import websocket
from playwright.sync_api import Browser, Page, Request, expect

from iliopsoas_lib.server.ports import free_port

from .conftest import ROOT, serve
from .test_dashboard import open_dashboard

IMMUTABLE = "public, max-age=31536000, immutable"
KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]{36})"')
BUSY = "Busy right now"
#: A visitor's kernel holds about 59 MB (measured); its budget leaves room for its page's widgets.
KERNEL_MB = 50
KERNEL_BUDGET_MB = 80
#: The server process itself (about 100 MB idle) and what rendering a burst of pages adds to it.
SERVER_BUDGET_MB = 300


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    log: Path


def server_pid(port: int) -> int:
    """The launcher's process: the child of this test process started with ``--port <port>``."""
    for child in psutil.Process().children():
        if any(str(port) in part for part in child.cmdline()):
            return child.pid
    raise LookupError(f"no server process on port {port}")


def launcher(port: int) -> list[str]:
    return ["iliopsoas_lib.server", "--port", str(port)]


def ready_url(port: int) -> str:
    """A static file: asking for the page to see if the server is up would take a kernel (two on a retry)."""
    return f"http://127.0.0.1:{port}/voila/static/voila.js"


@pytest.fixture(scope="module")
def server(server_logs: Path) -> Iterator[Server]:
    """The launcher exactly as scripts/start.sh runs it: from the repository root, reading its voila.json."""
    port = free_port()
    log = server_logs / "public-server.log"
    with serve(launcher(port), ready_url(port), log):
        yield Server(f"http://127.0.0.1:{port}/", server_pid(port), log)


@contextmanager
def capped_server(
    folder: Path, log: Path, max_kernels: int, pool: int, **kernel_traits: float
) -> Iterator[Server]:
    """The launcher run in ``folder`` on a copy of voila.json with a small cap (and short timeouts)."""
    config = json.loads((ROOT / "voila.json").read_text())
    config["Voila"]["notebook_path"] = str(ROOT / "notebooks" / "dashboard.ipynb")
    config["VoilaConfiguration"]["default_pool_size"] = pool
    config["VoilaKernelManager"]["fill_delay"] = 1
    config["PublicKernelManager"].update(max_kernels=max_kernels, **kernel_traits)
    (folder / "voila.json").write_text(json.dumps(config))
    port = free_port()
    with serve(launcher(port), ready_url(port), log, cwd=folder):
        server = Server(f"http://127.0.0.1:{port}/", server_pid(port), log)
        wait_until(lambda: kernel_count(server) >= pool, timeout=90)  # the pool is up
        yield server


def fetch(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(
        url, method=method, headers={"Accept-Encoding": "gzip", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def text_of(headers: dict, body: bytes) -> str:
    return (gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body).decode()


def kernel_processes(server: Server) -> list[psutil.Process]:
    """The server's kernels: each ipykernel process it started, not the children a kernel forks.

    A process forked by a kernel (a subprocess between its fork and its exec) shows the kernel's own
    command line for a moment; counted as a kernel, it would look like a kernel beyond the cap.
    """
    kernels = []
    for child in psutil.Process(server.pid).children(recursive=True):
        # An exited kernel the server has not reaped yet is a zombie: no memory, no kernel.
        with suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel_launcher" in " ".join(child.cmdline()):
                kernels.append(child)
    pids = {kernel.pid for kernel in kernels}
    return [kernel for kernel in kernels if kernel.ppid() not in pids]


def describe_processes(server: Server) -> list[str]:
    """Every process under the server, one line each: what a failed count is read against."""
    lines = []
    for child in psutil.Process(server.pid).children(recursive=True):
        with suppress(psutil.Error):
            lines.append(f"{child.pid}<{child.ppid()} {child.status()} {' '.join(child.cmdline())[-60:]}")
    return lines


def kernel_count(server: Server) -> int:
    for _ in range(5):
        with suppress(psutil.NoSuchProcess, psutil.ZombieProcess):  # a kernel exiting while we look
            return len(kernel_processes(server))
    return len(kernel_processes(server))


def tree_rss_mb(server: Server) -> float:
    """Resident memory of the server and everything it started (its kernels), in MB."""
    total = 0
    root = psutil.Process(server.pid)
    for process in [root, *root.children(recursive=True)]:
        with suppress(psutil.Error):  # a kernel exiting while we look
            total += process.memory_info().rss
    return total / 2**20


def wait_until(condition, timeout: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


# -- the launcher with the repository's voila.json -----------------------------------------------------------


def test_text_is_gzipped_hashed_files_immutable_and_the_page_never_cached(server: Server) -> None:
    status, headers, body = fetch(server.url)
    assert status == 200 and headers.get("Content-Encoding") == "gzip", headers
    page = text_of(headers, body)
    assert "no-store" in headers["Cache-Control"], "the page holds the visitor's kernel id: never cached"
    styles = re.findall(r'href="(/voila/templates/iliopsoas/static/page\.[0-9a-f]{12}\.css)"', page)
    scripts = re.findall(r'src="(/voila/[^"]+\.js[^"]*)"', page)
    assert styles and scripts, page[:2000]
    for path in [*styles, *scripts]:
        status, headers, _ = fetch(server.url + path.lstrip("/"))
        assert status == 200 and headers.get("Content-Encoding") == "gzip", (path, headers)
        assert headers.get("Cache-Control") == IMMUTABLE, (path, headers)
    # Voilà's webpack chunks load from the versioned folder the page names, cached as immutable
    static = json.loads(re.search(r'"fullStaticUrl": ("[^"]+")', page).group(1))
    assert re.fullmatch(r"/voila/static/v-[0-9a-f]{16}", static)
    status, headers, _ = fetch(f"{server.url}{static.lstrip('/')}/5764.voila.js")
    assert status == 200 and headers["Cache-Control"] == IMMUTABLE and headers["Content-Encoding"] == "gzip"
    # the same chunk under the unversioned folder is revalidated: its name is no hash
    status, headers, _ = fetch(server.url + "voila/static/5764.voila.js")
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    # labextension entry points, named with their hash: immutable (Voilà sent every one no-cache)
    config = json.loads(
        re.search(
            r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S
        ).group(1)
    )
    for extension in config["federated_extensions"]:
        load = extension["load"].removeprefix("./")
        status, headers, _ = fetch(f"{server.url}voila/labextensions/{extension['name']}/{load}")
        assert status == 200 and headers["Cache-Control"] == IMMUTABLE, (extension, headers)
        assert headers["Content-Encoding"] == "gzip", (extension, headers)
    name = config["federated_extensions"][0]["name"]
    status, headers, _ = fetch(f"{server.url}voila/labextensions/{name}/package.json")
    assert status == 200 and headers["Cache-Control"] == "no-cache", headers  # no hash: revalidated


def kernel_websocket(server: Server, **options) -> tuple[str, websocket.WebSocket]:
    _, headers, body = fetch(server.url)
    kernel = KERNEL_ID.search(text_of(headers, body)).group(1)
    url = server.url.replace("http", "ws") + f"api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}"
    return kernel, websocket.create_connection(url, timeout=10, **options)


def test_the_kernel_websocket_negotiates_permessage_deflate(server: Server) -> None:
    _, ws = kernel_websocket(server, header=["Sec-WebSocket-Extensions: permessage-deflate"])
    try:
        assert "permessage-deflate" in ws.getheaders().get("sec-websocket-extensions", "")
    finally:
        ws.close()


def jupyter_message(msg_type: str, content: dict) -> str:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "username": "",
        "session": uuid.uuid4().hex,
        "version": "5.3",
        "date": "2026-01-01T00:00:00Z",
    }
    return json.dumps(
        {
            "header": header,
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
    )


def replies(ws: websocket.WebSocket, seconds: float) -> list[str]:
    types, deadline = [], time.monotonic() + seconds
    ws.settimeout(0.5)
    while time.monotonic() < deadline:
        try:
            message = ws.recv()
        except websocket.WebSocketTimeoutException:
            continue
        if isinstance(message, str):
            types.append(json.loads(message)["header"]["msg_type"])
    return types


def test_the_websocket_still_refuses_code_and_foreign_origins(server: Server, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    _, ws = kernel_websocket(server)
    try:
        ws.send(
            jupyter_message(
                "execute_request", {"code": f"open({str(marker)!r}, 'w').close()", "silent": False}
            )
        )
        ws.send(jupyter_message("complete_request", {"code": "import o", "cursor_pos": 8}))
        ws.send(jupyter_message("kernel_info_request", {}))
        seen = replies(ws, 3)
    finally:
        ws.close()
    assert "kernel_info_reply" in seen  # the channel works...
    assert (
        "execute_reply" not in seen and "complete_reply" not in seen and not marker.exists()
    )  # ...code does not
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        kernel_websocket(server, origin="http://evil.example")
    assert refused.value.status_code == 403


MALFORMED = [
    "logout",
    "login",
    "voila/templates/../x",
    "voila/templates/lab/static/../../../../etc/passwd",
    "voila/templates/no-such-template/static/x.css",
    "voila/labextensions/../x",
    "voila/api/themes/../../x",
    "api/kernels/00000000-0000-0000-0000-000000000000/channels",
    "voila/files/voila.json",
    "voila/render/notebooks/01_anatomy.ipynb",
    "notebooks/dashboard.ipynb",
]


def test_malformed_urls_get_4xx_and_leave_no_traceback(server: Server) -> None:
    host = server.url.split("/")[2]
    for path in MALFORMED:
        connection = http.client.HTTPConnection(host, timeout=30)
        try:
            connection.request("GET", "/" + path)  # sent as is, "../" and all, as a bot sends it
            status = connection.getresponse().status
        finally:
            connection.close()
        assert 400 <= status < 500, (path, status)
    log = server.log.read_text()
    assert "Traceback" not in log and "Uncaught exception" not in log, log[-3000:]


def test_template_and_theme_from_the_url_are_ignored(server: Server) -> None:
    """Overrides are off: the project template and the light theme whatever the URL says, and no 500.

    (That such a URL still takes a preheated kernel is tested on the handler in tests/test_server.py.)
    """
    for query in ("?template=../../etc", "?template=reveal", "?theme=../../x", "?theme=dark"):
        status, headers, body = fetch(server.url + query)
        page = text_of(headers, body)
        assert status == 200 and "/voila/templates/iliopsoas/static/page." in page, query
        assert '"jupyterLabTheme": "light"' in page, query
        assert "application/vnd.jupyter.widget-view+json" in page, query  # the dashboard itself
    assert "Traceback" not in server.log.read_text()


def test_a_visitor_cannot_delete_a_kernel(server: Server) -> None:
    _, headers, body = fetch(server.url)
    kernel = KERNEL_ID.search(text_of(headers, body)).group(1)
    assert fetch(f"{server.url}api/kernels/{kernel}")[0] == 200  # the page reads its kernel's model
    # XSRF guards browsers only: a script sets cookie and header to one value (plain Voilà: 204).
    forged = {"Cookie": "_xsrf=forged", "X-XSRFToken": "forged"}
    for method, path in (("DELETE", f"api/kernels/{kernel}"), ("POST", f"voila/api/shutdown/{kernel}")):
        status, _, _ = fetch(server.url + path, method=method, headers=forged)
        assert status in (403, 404, 405), (method, path, status)
    assert fetch(f"{server.url}api/kernels/{kernel}")[0] == 200, "the kernel is still there"


def test_a_visit_asks_no_host_but_ours_and_fetches_no_icon_font(page: Page, server: Server) -> None:
    hosts: list[str] = []
    fetched: list[str] = []

    def record(request: Request) -> None:
        if not request.url.startswith(("data:", "blob:")):
            hosts.append(request.url.split("/")[2])
            fetched.append(request.url.split("?")[0])

    page.on("request", record)
    open_dashboard(page, server.url)
    page.wait_for_load_state("networkidle")
    assert hosts and set(hosts) == {server.url.split("/")[2]}, set(hosts)
    # No glyph of an icon font is drawn, so the browser never fetches one (78 KB of Font Awesome).
    fonts = [url for url in fetched if url.endswith((".woff2", ".woff", ".ttf", ".eot"))]
    assert not fonts, fonts


def test_the_widgets_code_comes_as_cached_files_named_by_their_content(page: Page, server: Server) -> None:
    """Each widget's script and style are fetched from us once, compressed and immutable: the page's
    widget state carries only a loader (issue 12's 50 KB budget), and a stale or made-up URL is a 404."""
    from iliopsoas_lib.widgets.browser_code import SERVED_FOLDERS, file_digest

    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    open_dashboard(page, server.url)
    expect(page.locator(".ilio-timer-toggle")).to_be_visible()
    names = {url.rsplit("/", 1)[-1] for url in fetched if "/iliopsoas/widgets/" in url}
    assert {"timer_widget.js", "timer_widget.css", "choice_questions.js", "dashboard.css"} <= names, names
    # The page's styles apply: the dashboard's own stylesheet came as a file and took effect.
    assert page.locator(".ilio-dashboard").evaluate("e => getComputedStyle(e).maxWidth") != "none"

    timer = SERVED_FOLDERS["widgets"][0] / "timer_widget.js"
    url = f"{server.url}iliopsoas/widgets/{file_digest(timer)}/timer_widget.js"
    status, headers, body = fetch(url)
    assert status == 200 and text_of(headers, body) == timer.read_text(encoding="utf-8")
    assert headers["Content-Encoding"] == "gzip" and "immutable" in headers["Cache-Control"]
    assert headers["Content-Type"].startswith("text/javascript")
    right = file_digest(timer)
    for wrong in (
        f"widgets/{'0' * 12}/timer_widget.js",
        f"widgets/{right}/app.py",
        f"widgets/{right}/..%2fapp.py",
        f"pictures/{right}/timer_widget.js",
        f"data/{right}/timer_widget.js",
    ):
        assert fetch(f"{server.url}iliopsoas/{wrong}")[0] == 404, wrong


# -- a small cap ---------------------------------------------------------------------------------------------


def test_beyond_the_cap_a_visitor_gets_the_busy_page_at_once(
    browser: Browser, server_logs: Path, tmp_path: Path
) -> None:
    with capped_server(tmp_path, server_logs / "public-server-busy.log", max_kernels=3, pool=1) as server:
        # Page loads that never connect, one after another, until the cap is reached (the pool's refill
        # holds one of the three kernels).
        statuses = []
        while 503 not in statuses and len(statuses) < 5:
            started = time.monotonic()
            status, headers, body = fetch(server.url)
            statuses.append(status)
        assert statuses[-1] == 503 and set(statuses[:-1]) == {200} and kernel_count(server) == 3, statuses
        assert status == 503 and headers["Retry-After"] == "60", (status, headers)
        assert "no-store" in headers["Cache-Control"]
        assert time.monotonic() - started < 3, "the busy page is sent at once, never after a wait"
        assert "Please try again in a minute." in text_of(headers, body)
        page = browser.new_page()
        try:
            page.goto(server.url)
            expect(page.get_by_role("heading", name=BUSY)).to_be_visible()
            expect(page.get_by_role("link", name="Try again")).to_be_visible()
        finally:
            page.close()
        assert kernel_count(server) == 3


@dataclass
class Flood:
    """Page loads fired by threads, and what a sampler saw of the server meanwhile."""

    statuses: list[int] = field(default_factory=list)
    kernels_max: int = 0
    rss_max_mb: float = 0.0
    #: The processes under the server when the most kernels were counted.
    at_max: list[str] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)

    def sample(self, server: Server) -> None:
        while not self.done.is_set():
            count = kernel_count(server)
            if count > self.kernels_max:
                self.kernels_max = count
                with suppress(psutil.Error):
                    self.at_max = describe_processes(server)
            self.rss_max_mb = max(self.rss_max_mb, tree_rss_mb(server))
            time.sleep(0.1)

    def load(self, url: str) -> None:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                response.read()
                self.statuses.append(response.status)
        except urllib.error.HTTPError as error:
            self.statuses.append(error.code)
        except OSError:
            self.statuses.append(0)
