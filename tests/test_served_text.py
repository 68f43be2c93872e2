"""Long fixed text as a cached file (iliopsoas_lib.widgets.served_text) and the server's route for it."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
from pathlib import Path

import pytest
import tornado.httpclient
import tornado.web

from iliopsoas_lib.server.caching import IMMUTABLE
from iliopsoas_lib.server.handlers import ServedTextHandler
from iliopsoas_lib.widgets import served_text
from iliopsoas_lib.widgets.browser_code import FILES_URL_ENV
from iliopsoas_lib.widgets.served_text import MIN_LENGTH, TEXTS_DIR_ENV, served_html

CARD = "<h3>Glute bridge</h3><p>" + "Lie on your back with your knees bent. " * 30 + "</p>"
PLACEHOLDER = re.compile(r'<div class="ilio-include" data-include="(/iliopsoas/texts/([0-9a-f]{20})\.html)"')


@pytest.fixture()
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The environment the public server gives its kernels."""
    monkeypatch.setenv(FILES_URL_ENV, "/iliopsoas/")
    monkeypatch.setenv(TEXTS_DIR_ENV, str(tmp_path))
    return tmp_path


def test_without_the_server_the_markup_travels_with_the_widget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FILES_URL_ENV, raising=False)
    monkeypatch.delenv(TEXTS_DIR_ENV, raising=False)
    assert served_html(CARD) == CARD


def test_under_the_server_long_markup_becomes_a_file_named_by_its_digest(served: Path) -> None:
    placeholder = served_html(CARD)
    _path, digest = PLACEHOLDER.match(placeholder).groups()
    assert digest == hashlib.sha256(CARD.encode()).hexdigest()[:20]
    assert (served / f"{digest}.html").read_text(encoding="utf-8") == CARD
    assert len(placeholder) < len(CARD) / 5
    assert served_html(CARD) == placeholder and len(os.listdir(served)) == 1  # written once
    short = "<p>" + "x" * (MIN_LENGTH - 10) + "</p>"
    assert served_html(short) == short  # a request would cost more than it saves


def test_a_full_folder_loses_its_least_recently_used_files_first(
    served: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(served_text, "MAX_FILES", 10)
    texts = [CARD + f"<p>{n}</p>" for n in range(10)]
    names = [PLACEHOLDER.match(served_html(t)).group(2) for t in texts]
    for age, name in enumerate(names):  # the first written is the oldest...
        os.utime(served / f"{name}.html", (1000 + age, 1000 + age))
    served_html(texts[0])  # ...until it is used again
    served_html(CARD + "<p>new</p>")
    left = {p.stem for p in served.glob("*.html")}
    assert names[0] in left and names[1] not in left and len(left) == 10


def test_a_write_that_fails_sends_the_markup_itself(served: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(served_text.tempfile, "mkstemp", full_disk)
    assert served_html(CARD) == CARD
    assert list(served.iterdir()) == []


def test_a_folder_that_is_gone_sends_the_markup_itself(served: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEXTS_DIR_ENV, str(served / "gone"))
    assert served_html(CARD) == CARD


def fetch_from(folder: Path, path: str) -> tornado.httpclient.HTTPResponse:
    """GET ``path`` from a tornado app with the server's route for served texts, on a free port."""

    async def scenario() -> tornado.httpclient.HTTPResponse:
        app = tornado.web.Application(
            [(r"/iliopsoas/texts/([0-9a-f]{20})\.html", ServedTextHandler, {"folder": str(folder)})]
        )
        server = app.listen(0, "127.0.0.1")
        port = next(iter(server._sockets.values())).getsockname()[1]
        try:
            client = tornado.httpclient.AsyncHTTPClient()
            return await client.fetch(f"http://127.0.0.1:{port}{path}", raise_error=False)
        finally:
            server.stop()

    return asyncio.run(scenario())


def test_the_server_serves_a_text_once_immutable_and_only_what_its_name_says(served: Path) -> None:
    path, digest = PLACEHOLDER.match(served_html(CARD)).groups()
    answer = fetch_from(served, path)
    assert answer.code == 200 and answer.body.decode() == CARD
    assert answer.headers["Cache-Control"] == IMMUTABLE
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    (served / f"{digest}.html").write_text("<p>changed</p>", encoding="utf-8")  # no longer what it names
    assert fetch_from(served, path).code == 404
    assert fetch_from(served, "/iliopsoas/texts/" + "0" * 20 + ".html").code == 404
    assert fetch_from(served, "/iliopsoas/texts/../../etc/passwd").code == 404
