"""The production stack, started by its own script: nginx in front of two dashboard workers.

``scripts/serve_public.sh`` runs here exactly as an operator runs it (free ports, ``WORKERS=2``), and every
check goes through nginx: compression, immutable caching of hashed files, security headers, only the
dashboard's routes, no kernel DELETE, per-address limits, and two visitors on two different workers (the
routing cookie picks each one's worker) who each get a working dashboard with their own kernel and log,
in a Chromium that records every request it sends. Without the real workers: the config the script
writes sends a visitor whose worker is full to another, and the site file for a real server is valid.
"""

from __future__ import annotations

import gzip
import http.server
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from iliopsoas_lib.prescription import prescription_url
from iliopsoas_lib.routine import Abilities, build_routine
from iliopsoas_lib.server.ports import free_port
from iliopsoas_lib.widgets import patient_text as words

from .conftest import ROOT, wait_for_http
from .test_dashboard import CATALOG, PHONE, READY, open_dashboard, ready_routine

DEPLOY = ROOT / "deploy" / "nginx"
IMMUTABLE = "public, max-age=31536000, immutable"
KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]{36})"')


@dataclass(frozen=True)
class Stack:
    url: str  # nginx, e.g. http://127.0.0.1:PORT/
    workers: tuple[str, ...]  # the workers' own addresses (host:port), in routing-cookie order w0, w1


@pytest.fixture(scope="module")
def stack(server_logs: Path) -> Iterator[Stack]:
    port = free_port()
    env = {**os.environ, "PORT": str(port), "WORKERS": "2", "PYTHONUNBUFFERED": "1"}  # its own run folder
    log = server_logs / "nginx-stack.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "serve_public.sh")], env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            line = wait_for_line(log, "nginx in front of 2 workers", proc, timeout=240)
            workers = tuple(re.findall(r"127\.0\.0\.1:\d+", line.split("workers", 1)[1]))
            assert len(workers) == 2, line
            wait_for_http(url + "voila/static/voila.js", timeout=10, proc=proc)
            yield Stack(url, workers)
        finally:
            proc.send_signal(signal.SIGTERM)  # as a service manager stops it
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                raise
    assert proc.returncode == 0, log.read_text()[-2000:]
    for address in (f"127.0.0.1:{port}", *workers):  # nginx and both workers are gone
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://{address}/voila/static/voila.js", timeout=5)


def wait_for_line(log: Path, words: str, proc: subprocess.Popen, timeout: float) -> str:
    """The line of the script's output that says it is serving (printed once nginx and workers are up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if words in line:
                return line
        if proc.poll() is not None:
            raise RuntimeError(
                f"serve_public.sh exited with code {proc.returncode}: {log.read_text()[-2000:]}"
            )
        time.sleep(0.3)
    raise TimeoutError(f"serve_public.sh did not say {words!r} within {timeout} s")


def fetch(url: str, method: str = "GET", cookie: str = "") -> tuple[int, dict[str, str], bytes]:
    """One request as a browser sends it (gzip accepted); the status, headers and raw (still gzipped) body."""
    headers = {"Accept-Encoding": "gzip"} | ({"Cookie": cookie} if cookie else {})
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def body_text(headers: dict[str, str], body: bytes) -> str:
    return (gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body).decode()


def test_page_and_scripts_are_compressed_hashed_files_immutable_and_headers_secure(stack: Stack) -> None:
    status, headers, body = fetch(stack.url)
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    page = body_text(headers, body)
    assert "application/vnd.jupyter.widget-view+json" in page, page[-1000:]  # the dashboard, run
    assert len(body) < len(page) * 0.7  # a small page (about 2.5 KB): gzip takes it to about 55 %

    policy = headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives["default-src"] == ["'self'"] and directives["frame-ancestors"] == ["'none'"]
    ours = urlsplit(stack.url).netloc
    for sources in directives.values():
        for source in sources:  # keywords, data:/blob:, and our own websocket origin: no other host
            assert source.startswith("'") or source in ("data:", "blob:") or urlsplit(source).netloc == ours
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'self'" not in policy and "report-uri" not in policy  # one policy: ours
    assert re.search(r"iliopsoas_worker=w[01]; Path=/; HttpOnly; SameSite=Lax", headers["Set-Cookie"])

    # The page's own script and stylesheet (frontend/), named by their content: immutable, kept by nginx.
    files = re.findall(r'(?:src|href)="(/voila/templates/iliopsoas/static/page\.\w{12}\.(?:js|css))"', page)
    assert sorted(f.rsplit(".", 1)[1] for f in files) == ["css", "js"], page[:1500]
    for path in files:
        first = fetch(stack.url.rstrip("/") + path, cookie="iliopsoas_worker=w0")
        status, headers, _ = again = fetch(stack.url.rstrip("/") + path, cookie="iliopsoas_worker=w0")
        assert (status, headers["Content-Encoding"], headers["Cache-Control"]) == (200, "gzip", IMMUTABLE)
        assert "Set-Cookie" not in headers and headers["X-Content-Type-Options"] == "nosniff"
        assert first[0] == 200 and again[1]["X-Cache-Status"] == "HIT"  # the workers serve it once
    # Voilà's own scripts (for its error pages and other templates) keep their versioned folder.
    static = re.search(r'"fullStaticUrl": "(/voila/static/v-[0-9a-f]+)"', page).group(1)
    status, headers, _ = fetch(stack.url.rstrip("/") + static + "/voila.js")
    assert (status, headers["Content-Encoding"], headers["Cache-Control"]) == (200, "gzip", IMMUTABLE)
    status, headers, _ = fetch(stack.url + "voila/static/voila.js")  # the same file unversioned: ask again
    assert (status, headers["Cache-Control"]) == (200, "no-cache")

    # The widget extensions' entry scripts, named in the page's settings with a hash in their names.
    load, name = re.search(
        r'"load": "(static/remoteEntry\.[0-9a-f]{8,}\.js)", "name": "([^"]+)"', page
    ).groups()
    first = fetch(f"{stack.url}voila/labextensions/{name}/{load}", cookie="iliopsoas_worker=w0")
    again = fetch(f"{stack.url}voila/labextensions/{name}/{load}", cookie="iliopsoas_worker=w0")
    assert first[0] == again[0] == 200 and first[1]["Cache-Control"] == IMMUTABLE
    assert again[1]["X-Cache-Status"] == "HIT"  # kept by nginx: the workers serve it once


def test_kernel_delete_is_refused_and_nothing_but_the_dashboard_is_forwarded(stack: Stack) -> None:
    _, headers, body = fetch(stack.url, cookie="iliopsoas_worker=w0")
    (kernel,) = set(KERNEL_ID.findall(body_text(headers, body)))
    model = f"{stack.url}api/kernels/{kernel}"
    assert fetch(model, "DELETE", cookie="iliopsoas_worker=w0")[0] == 403
    assert fetch(model, "DELETE")[0] == 403
    status, _, body = fetch(model, cookie="iliopsoas_worker=w0")
    assert status == 200 and kernel in body.decode()  # still there
    # With the other worker's cookie (or none), nginx still finds the kernel: it asks every worker.
    assert fetch(model, cookie="iliopsoas_worker=w1")[0] == 200
    refused = {
        "api/kernels": "GET",
        "api/sessions": "GET",
        "api/contents": "GET",
        f"api/kernels/{kernel}/restart": "POST",
        f"voila/api/shutdown/{kernel}": "POST",
        "voila/tree": "GET",
        "voila/files/voila.json": "GET",
        "voila/render/notebooks/01_anatomy.ipynb": "GET",
        "voila/api/themes/light": "GET",
        "logout": "GET",
        "login": "GET",
        "favicon.ico": "GET",
        "voila/templates/iliopsoas/static/%2e%2e/conf.json": "GET",
        "voila/static/../../voila.json": "GET",
    }
    for path, method in refused.items():
        status, headers, body = fetch(stack.url + path, method)
        assert status == 404, (path, status)
        assert "Traceback" not in body.decode() and "nginx" not in body.decode()
        assert "Content-Security-Policy" in headers


def record_requests(context: BrowserContext, host: str) -> list[str]:
    """Every request the browser sends goes through here; one for another host is recorded and stopped."""
    sent: list[str] = []

    def handle(route: Route) -> None:
        url = route.request.url
        sent.append(url)
        if urlsplit(url).netloc != host:
            route.abort()
        else:
            route.continue_()

    context.route("**/*", handle)
    return sent


def worker_holding(stack: Stack, kernel: str) -> list[int]:
    """Which workers hold a kernel, asked directly (not through nginx)."""
    return [
        index
        for index, address in enumerate(stack.workers)
        if fetch(f"http://{address}/api/kernels/{kernel}")[0] == 200
    ]


def kernel_of(page: Page) -> str:
    (kernel,) = set(KERNEL_ID.findall(page.content()))
    return kernel


def test_two_visitors_on_two_workers_each_get_a_working_dashboard_and_their_own_log(
    browser: Browser, stack: Stack, tmp_path: Path
) -> None:
    host = urlsplit(stack.url).netloc
    contexts: list[BrowserContext] = []
    try:
        pages, sent, sockets, violations = [], [], [], []
        for worker in ("w0", "w1"):
            context = browser.new_context(viewport=PHONE)
            contexts.append(context)
            context.add_cookies([{"name": "iliopsoas_worker", "value": worker, "url": stack.url}])
            sent.append(record_requests(context, host))
            page = context.new_page()
            page.on("websocket", lambda ws: sockets.append(ws.url))
            page.on(
                "console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else 0
            )
            pages.append(open_dashboard(page, stack.url))
        alice, bob = pages

        kernels = [kernel_of(alice), kernel_of(bob)]
        assert [worker_holding(stack, k) for k in kernels] == [[0], [1]], "one kernel on each worker"
        served_by = [
            next(c["value"] for c in context.cookies(stack.url) if c["name"] == "iliopsoas_worker")
            for context in contexts
        ]
        assert served_by == ["w0", "w1"]  # the page's own cookie names the worker that served it

        ready_routine(alice, "has_bed")
        ready_routine(bob, "good_balance")
        for _ in range(2):
            alice.locator(".ilio-log-button").click()
        expect(alice.locator(".ilio-week-summary")).to_contain_text("Sessions logged in all: 2")
        bob.locator(".ilio-log-button").click()
        expect(bob.locator(".ilio-week-summary")).to_contain_text("Sessions logged in all: 1")
        expect(alice.locator(".ilio-week-summary")).to_contain_text("Sessions logged in all: 2")
        with alice.expect_download() as download:  # a data: download still works under the policy
            alice.locator(".ilio-download-link").click()
        saved = tmp_path / "log.csv"
        download.value.save_as(saved)
        assert len(saved.read_text().strip().splitlines()) == 3  # header and Alice's two sessions

        assert {urlsplit(s).netloc for s in sockets} == {host}  # each page's websocket reached its kernel
        assert {urlsplit(s).path for s in sockets} == {f"/api/kernels/{k}/channels" for k in kernels}
        for requests in sent:
            assert any(re.search(r"/static/page\.[0-9a-f]{12}\.js$", url) for url in requests)  # recorded
            foreign = [url for url in requests if urlsplit(url).netloc != host]
            assert foreign == [], f"requests to another host: {foreign}"
        assert violations == [], violations
    finally:
        for context in contexts:
            context.close()


def test_a_patient_link_reaches_the_dashboard_through_nginx_and_nothing_else_of_the_query_does(
    browser: Browser, stack: Stack
) -> None:
    """nginx passes on the link's plan (and drops ?template= and ?theme=, which would skip the pool)."""
    routine = build_routine(CATALOG, Abilities(has_bed=True, conditions=frozenset()), only=["hip_flexor_bed"])
    link = prescription_url(routine, stack.url, sessions_per_week=3) + "&template=lab&theme=dark"
    page = browser.new_context(viewport=PHONE).new_page()
    try:
        page.goto(link, timeout=READY)
        expect(page.locator(".ilio-link-opened")).to_have_text(words.LINK_OPENED, timeout=READY)
        expect(page.locator(".ilio-dose-choice")).to_have_count(0)  # the plan's dose, not a choice
    finally:
        page.context.close()


def test_a_flood_from_one_address_gets_the_plain_busy_page(stack: Stack) -> None:
    """Runs last: it spends this address's page allowance. HEAD costs the workers nothing."""
    statuses = [fetch(stack.url, "HEAD")[0] for _ in range(30)]
    assert 429 in statuses and statuses.count(429) >= 15, statuses
    status, headers, body = fetch(stack.url)
    assert status == 429 and headers["Retry-After"] == "60"
    text = body_text(headers, body)
    assert "Wait one minute" in text and "nginx" not in text
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert fetch(stack.url + "voila/static/voila.js")[0] == 200  # the scripts have their own allowance


def test_the_site_file_for_a_real_server_is_valid_nginx(tmp_path: Path) -> None:
    """deploy/nginx/site.conf.example, as an operator installs it in Debian's nginx (which has gzip on)."""
    conf = tmp_path / "etc"
    shutil.copytree(DEPLOY / "iliopsoas", conf / "iliopsoas")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    openssl = (
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
    )
    subprocess.run([*openssl, "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    site = (DEPLOY / "site.conf.example").read_text()
    for placeholder, value in {
        "/etc/letsencrypt/live/stretch.example.org/fullchain.pem": cert,
        "/etc/letsencrypt/live/stretch.example.org/privkey.pem": key,
        "/var/cache/nginx/iliopsoas": tmp_path / "cache",
        "/etc/nginx/iliopsoas": conf / "iliopsoas",
    }.items():
        assert placeholder in site
        site = site.replace(placeholder, str(value))
    (conf / "sites-enabled").mkdir()
    (conf / "sites-enabled" / "iliopsoas").write_text(site)
    temp = "".join(
        f"{kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (conf / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ gzip on; access_log off; {temp} include sites-enabled/*; }}\n"
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    check = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf / "nginx.conf")], capture_output=True
    )
    assert check.returncode == 0, check.stderr.decode()


def load_serve_public():
    """scripts/serve_public.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("serve_public", ROOT / "scripts" / "serve_public.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_worker(status: int) -> http.server.ThreadingHTTPServer:
    """A stand-in worker whose page always answers ``status`` and names it (503: full, as the cap answers)."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(f"<p>worker answering {status}</p>".encode())

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize("statuses", [(503, 200), (503, 503)])
def test_a_visitor_whose_worker_is_full_is_served_by_another(statuses: tuple[int, int]) -> None:
    """The config the script writes, in front of stand-in workers: w0 is full (503), w1 has room or not."""
    serve_public = load_serve_public()
    workers = [fake_worker(status) for status in statuses]
    addresses = [f"127.0.0.1:{w.server_address[1]}" for w in workers]
    run_dir = Path(tempfile.mkdtemp(prefix="iliopsoas-failover-"))
    port = free_port()
    as_root = os.geteuid() == 0
    config = serve_public.prepare_run_dir(
        run_dir, serve_public.render_config(run_dir, port, addresses, as_root), as_root
    )
    nginx = subprocess.Popen(
        [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(run_dir), "-c", str(config)]
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/voila/static/x", timeout=10, proc=nginx)
        status, headers, body = fetch(f"http://127.0.0.1:{port}/", cookie="iliopsoas_worker=w0")
        if statuses[1] == 200:
            assert (status, body_text(headers, body)) == (200, "<p>worker answering 200</p>")
            assert "iliopsoas_worker=w1;" in headers["Set-Cookie"]  # from now on, to the worker that served
        else:  # every worker full: the last one's own busy page, not nginx's
            assert (status, body_text(headers, body)) == (503, "<p>worker answering 503</p>")
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        for worker in workers:
            worker.shutdown()
        shutil.rmtree(run_dir, ignore_errors=True)
