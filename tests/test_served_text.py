"""Long fixed text as a cached file (iliopsoas_lib.widgets.served_text) and the server's route for it."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import tornado.httpclient
import tornado.web

from iliopsoas_lib.server.caching import IMMUTABLE
from iliopsoas_lib.server.handlers import ServedTextHandler
from iliopsoas_lib.widgets import served_text
from iliopsoas_lib.widgets.browser_code import FILES_URL_ENV
from iliopsoas_lib.widgets.served_text import MIN_LENGTH, TEXTS_DIR_ENV, TEXTS_ROUTE, served_html

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


def test_a_full_folder_keeps_its_files_and_sends_new_text_itself(
    served: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page may be showing (or a pooled kernel may hold) any file already there: none is ever removed;
    past the cap new text simply travels with the page."""
    monkeypatch.setattr(served_text, "MAX_FILES", 3)
    texts = [CARD + f"<p>{n}</p>" for n in range(3)]
    placeholders = [served_html(t) for t in texts]
    assert all(PLACEHOLDER.match(p) for p in placeholders)
    assert served_html(CARD + "<p>one more</p>") == CARD + "<p>one more</p>"
    assert served_html(texts[0]) == placeholders[0]  # a text already there is still served
    assert len(list(served.glob("*.html"))) == 3


def test_a_write_that_fails_sends_the_markup_itself(served: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(served_text.tempfile, "mkstemp", full_disk)
    assert served_html(CARD) == CARD
    assert list(served.iterdir()) == []
    monkeypatch.undo()
    monkeypatch.setenv(FILES_URL_ENV, "/iliopsoas/")
    monkeypatch.setenv(TEXTS_DIR_ENV, str(served))

    def half_written(handle, mode):  # the disk fills up half way through the file
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(served_text.os, "fdopen", half_written)
    assert served_html(CARD) == CARD
    assert list(served.iterdir()) == [], "no temporary file is left behind"


def test_a_folder_that_is_gone_sends_the_markup_itself(served: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEXTS_DIR_ENV, str(served / "gone"))
    assert served_html(CARD) == CARD


def test_a_base_url_the_page_would_not_fetch_sends_the_markup_itself(
    served: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's script fetches only what SERVED_URL matches: any other placeholder would stay empty."""
    monkeypatch.setenv(FILES_URL_ENV, "/user/%40alice/iliopsoas/")
    assert served_html(CARD) == CARD
    script = (Path(__file__).resolve().parents[1] / "frontend" / "src" / "includes.js").read_text()
    in_js = re.search(r"const INCLUDE = /\^(.*)\$/;", script).group(1).replace("\\/", "/")
    assert in_js == served_text.SERVED_URL.pattern  # the kernel and the page agree on what is fetched


def fetch_from(folder: Path, path: str) -> tornado.httpclient.HTTPResponse:
    """GET ``path`` from a tornado app with the server's route for served texts, on a free port."""

    async def scenario() -> tornado.httpclient.HTTPResponse:
        app = tornado.web.Application(  # the launcher's own route pattern
            [("/iliopsoas/" + TEXTS_ROUTE, ServedTextHandler, {"folder": str(folder)})]
        )
        server = app.listen(0, "127.0.0.1")
        port = next(iter(server._sockets.values())).getsockname()[1]
        try:
            client = tornado.httpclient.AsyncHTTPClient()
            return await client.fetch(f"http://127.0.0.1:{port}{path}", raise_error=False)
        finally:
            server.stop()

    # In a thread of its own: in the full run, Playwright keeps an event loop running in this thread.
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, scenario()).result()


def test_the_server_serves_a_text_once_immutable_and_only_what_its_name_says(served: Path) -> None:
    path, digest = PLACEHOLDER.match(served_html(CARD)).groups()
    answer = fetch_from(served, path)
    assert answer.code == 200 and answer.body.decode() == CARD
    assert answer.headers["Cache-Control"] == IMMUTABLE
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Content-Security-Policy"].startswith("sandbox;")  # opened alone: inert
    (served / f"{digest}.html").write_text("<p>changed</p>", encoding="utf-8")  # no longer what it names
    assert fetch_from(served, path).code == 404
    assert fetch_from(served, "/iliopsoas/texts/" + "0" * 20 + ".html").code == 404  # never written
    assert fetch_from(served, "/iliopsoas/texts/" + digest[:19] + "G.html").code == 404  # not a digest


def answered(catalog, yes: frozenset[str] = frozenset()):
    """A dashboard answered as a visitor would: "yes" to ``yes``, "no" to the rest; a bed at home."""
    from iliopsoas_lib.widgets.app import Dashboard

    app = Dashboard(catalog)
    app.picker.health.answers = {q: "yes" if q in yes else "no" for q in app.picker.health.ids}
    app.picker.boxes["has_bed"].value = True
    return app


def test_nothing_a_visitor_answered_or_logged_and_no_warning_goes_to_a_file(served: Path, catalog) -> None:
    """Under the public server: the cards, an empty log's chart, the glossary and the references come as
    files; the warning signs, the timer's reminder, the routine's list (this visitor's answers, health
    notes, reasons) and a chart with sessions always travel with the page. The files are the same
    whatever a visitor answered, so a file says nothing about anyone."""
    plain = answered(catalog)
    files = set(served.glob("*.html"))
    app = answered(catalog, frozenset({"osteoporosis_or_falls"}))
    note = "Keep a wall or chair within reach"  # the health note for this visitor's "yes"
    assert app.cards.children and note in app.picker.summary.value and note not in plain.picker.summary.value
    assert set(served.glob("*.html")) == files, "an answer changed what is written"
    by_class = {tuple(w._dom_classes): w for w in app.children if hasattr(w, "value")}
    inline = [by_class[("ilio-red-flags-box",)], by_class[("ilio-timer-reminder",)], app.picker.summary]
    served_parts = [by_class[("ilio-glossary",)], by_class[("ilio-references",)], app.log_view.chart]
    assert all("data-include" not in part.value for part in inline)
    assert all(PLACEHOLDER.search(part.value) for part in served_parts)
    for card in app.cards.children:  # the stretch's name on the page, its words in a file
        assert card.value.startswith("<h3") and PLACEHOLDER.search(card.value)
    app.log_view.log_button.click()  # now the chart is this visitor's own
    assert "data-include" not in app.log_view.chart.value and "ilio-week-chart" in app.log_view.chart.value
    assert set(served.glob("*.html")) == files, "logging wrote a file"
    empty = answered(catalog, frozenset({"hip_surgery"}))
    assert not empty.cards.children and "data-include" not in empty.picker.summary.value  # see a doctor

