"""Widget code travels with the widget, or comes as a cached file where the public server serves it."""

from __future__ import annotations

import hashlib

import pytest

import iliopsoas_lib as il
from iliopsoas_lib.widgets.browser_code import (
    WIDGET_FILES,
    WIDGET_FILES_ENV,
    BrowserCode,
    BrowserStyle,
    stylesheet_html,
)
from iliopsoas_lib.widgets.timer_view import TimerView

TIMER_JS = WIDGET_FILES / "timer_view.js"
TIMER_CSS = WIDGET_FILES / "timer_view.css"


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def test_in_a_notebook_the_widget_carries_its_own_code(monkeypatch: pytest.MonkeyPatch, catalog) -> None:
    monkeypatch.delenv(WIDGET_FILES_ENV, raising=False)
    timer = TimerView(il.build_routine(catalog, il.Abilities()))
    assert timer._esm == TIMER_JS.read_text(encoding="utf-8")
    assert timer._css == TIMER_CSS.read_text(encoding="utf-8")
    assert stylesheet_html(TIMER_CSS).startswith("<style>")


def test_on_the_public_server_the_widget_sends_a_loader_naming_its_files_by_content(
    monkeypatch: pytest.MonkeyPatch, catalog
) -> None:
    monkeypatch.setenv(WIDGET_FILES_ENV, "/iliopsoas/widgets/")
    timer = TimerView(il.build_routine(catalog, il.Abilities()))
    assert f'"/iliopsoas/widgets/{digest(TIMER_JS)}/timer_view.js"' in timer._esm
    assert f'"/iliopsoas/widgets/{digest(TIMER_CSS)}/timer_view.css"' in timer._esm
    assert timer._css == ""
    assert len(timer._esm) < 400 < len(TIMER_JS.read_text(encoding="utf-8"))
    assert stylesheet_html(TIMER_CSS) == (
        f'<link rel="stylesheet" href="/iliopsoas/widgets/{digest(TIMER_CSS)}/timer_view.css">'
    )


def test_a_url_that_is_not_a_path_on_our_site_is_never_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a root-relative path: the page must never be told to fetch code from another host."""
    code, style = BrowserCode(TIMER_JS, TIMER_CSS), BrowserStyle(TIMER_CSS)

    class Holder:
        esm, css = code, style

    for value in ("https://cdn.example/", "//cdn.example/", "", "  "):
        monkeypatch.setenv(WIDGET_FILES_ENV, value)
        assert Holder().esm == TIMER_JS.read_text(encoding="utf-8"), value
        assert Holder().css == TIMER_CSS.read_text(encoding="utf-8"), value
