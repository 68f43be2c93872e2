"""Widget code travels with the widget, or comes as a cached file where the public server serves it."""

from __future__ import annotations

import hashlib

import pytest

import iliopsoas_lib as il
from iliopsoas_lib.figures.pictures import pose_png
from iliopsoas_lib.widgets.browser_code import (
    FILES_URL_ENV,
    SERVED_FOLDERS,
    BrowserCode,
    BrowserStyle,
    picture_src,
    stylesheet_html,
)
from iliopsoas_lib.widgets.timer_widget import TimerView

WIDGETS, _types = SERVED_FOLDERS["widgets"]
TIMER_JS = WIDGETS / "timer_widget.js"
TIMER_CSS = WIDGETS / "timer_widget.css"


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def test_in_a_notebook_the_widget_carries_its_own_code(monkeypatch: pytest.MonkeyPatch, catalog) -> None:
    monkeypatch.delenv(FILES_URL_ENV, raising=False)
    timer = TimerView(il.build_routine(catalog, il.Abilities()))
    assert timer._esm == TIMER_JS.read_text(encoding="utf-8")
    assert timer._css == TIMER_CSS.read_text(encoding="utf-8")
    assert stylesheet_html(TIMER_CSS).startswith("<style>")


def test_on_the_public_server_the_widget_sends_a_loader_naming_its_files_by_content(
    monkeypatch: pytest.MonkeyPatch, catalog
) -> None:
    monkeypatch.setenv(FILES_URL_ENV, "/iliopsoas/")
    timer = TimerView(il.build_routine(catalog, il.Abilities()))
    assert f'"/iliopsoas/widgets/{digest(TIMER_JS)}/timer_widget.js"' in timer._esm
    assert f'"/iliopsoas/widgets/{digest(TIMER_CSS)}/timer_widget.css"' in timer._esm
    assert timer._css == ""
    assert len(timer._esm) < 400 < len(TIMER_JS.read_text(encoding="utf-8"))
    assert stylesheet_html(TIMER_CSS) == (
        f'<link rel="stylesheet" href="/iliopsoas/widgets/{digest(TIMER_CSS)}/timer_widget.css">'
    )


def test_a_url_that_is_not_a_path_on_our_site_is_never_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a root-relative path: the page must never be told to fetch code from another host."""
    code, style = BrowserCode(TIMER_JS, TIMER_CSS), BrowserStyle(TIMER_CSS)

    class Holder:
        esm, css = code, style

    for value in ("https://cdn.example/", "//cdn.example/", "", "  "):
        monkeypatch.setenv(FILES_URL_ENV, value)
        assert Holder().esm == TIMER_JS.read_text(encoding="utf-8"), value
        assert Holder().css == TIMER_CSS.read_text(encoding="utf-8"), value


def test_a_pre_drawn_picture_is_linked_and_a_clinicians_own_travels_inline(
    monkeypatch: pytest.MonkeyPatch, catalog
) -> None:
    stored = pose_png(catalog.stretch("glute_bridge"))
    other = b"\x89PNG not one of ours"
    monkeypatch.delenv(FILES_URL_ENV, raising=False)
    assert picture_src(stored).startswith("data:image/png;base64,")
    monkeypatch.setenv(FILES_URL_ENV, "/iliopsoas/")
    src = picture_src(stored)
    assert src.startswith("/iliopsoas/pictures/") and src.endswith(".png")
    folder, _types = SERVED_FOLDERS["pictures"]
    assert (folder / src.rsplit("/", 1)[-1]).read_bytes() == stored
    assert picture_src(other).startswith("data:image/png;base64,")
