"""The dashboard says what is true where it runs (issue 16, point 4).

On a shared link nothing a visitor types is stored on the server. With the operator's per-user store on
(a JupyterHub user's own server, ``ILIOPSOAS_SAVE_LOG=1``) the log IS kept on the server, in the user's
own data folder, and the page must say so, and how to have it deleted, since the page offers no delete
button. One switch decides both what is saved and what the page says.
"""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest
import textstat

import iliopsoas_lib as il
from iliopsoas_lib.widgets import app as app_module
from iliopsoas_lib.widgets import patient_text as words
from iliopsoas_lib.widgets.app import SAVE_LOG_ENV, Dashboard

TODAY = date(2026, 11, 18)
LIBRARY = Path(il.__file__).parent


def intro_of(app: Dashboard) -> str:
    """The plain text of the page's first block (title, intro, what the iliopsoas is)."""
    return html.unescape(
        re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", app.children[0].value, flags=re.S))
    )


@pytest.fixture
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder in place of the user's: the store, when on, writes there only."""
    saved = tmp_path / "iliopsoas-explainer" / "session_log.json"
    monkeypatch.setattr(il.SessionLog, "default_path", staticmethod(lambda: saved))
    return saved


def test_the_page_says_nothing_is_stored_when_the_store_is_off(data_folder, monkeypatch, catalog) -> None:
    monkeypatch.delenv(SAVE_LOG_ENV, raising=False)
    app = Dashboard(catalog, today=lambda: TODAY)
    shown = intro_of(app)
    assert words.intro_text(saved_on_server=False) in shown
    assert "Nothing you type here is kept on our server" in shown
    assert "kept on our server, in a folder" not in shown
    assert app.log_view.path is None


def test_the_page_says_the_log_is_kept_in_the_users_folder_when_the_store_is_on(
    data_folder, monkeypatch, catalog
) -> None:
    monkeypatch.setenv(SAVE_LOG_ENV, "1")
    app = Dashboard(catalog, today=lambda: TODAY)
    shown = intro_of(app)
    assert words.intro_text(saved_on_server=True) in shown
    assert "Your log is kept on our server, in a folder that is yours" in shown
    assert "deleted" in shown  # the page has no delete button: it says whom to ask
    assert "Nothing you type here is kept" not in shown
    assert app.log_view.path == data_folder  # and it is true: the log view saves there


@pytest.mark.parametrize("value", ["0", "", "yes", "true"])
def test_only_the_one_setting_turns_the_store_and_the_words_on(
    data_folder, monkeypatch, catalog, value
) -> None:
    monkeypatch.setenv(SAVE_LOG_ENV, value)
    assert app_module.log_saved_on_server() is False
    app = Dashboard(catalog, today=lambda: TODAY)
    assert app.log_view.path is None and "Nothing you type here is kept" in intro_of(app)


def test_a_page_that_cannot_use_an_unreadable_saved_log_does_not_claim_to_keep_it(
    data_folder, monkeypatch, catalog
) -> None:
    data_folder.parent.mkdir(parents=True)
    data_folder.write_text("{ not a log")
    monkeypatch.setenv(SAVE_LOG_ENV, "1")
    app = Dashboard(catalog, today=lambda: TODAY)
    assert app.log_view.path is None  # this page will not save over the broken file ...
    assert "Nothing you type here is kept" in intro_of(app)  # ... so it says to download instead


@pytest.mark.parametrize("saved", [False, True])
def test_both_intros_read_at_grade_7_or_below(saved: bool) -> None:
    said = words.intro_text(saved_on_server=saved)
    assert textstat.flesch_kincaid_grade(said) <= 7.0, said


def test_the_switchs_name_is_written_once_in_the_library() -> None:
    """One place decides: a second copy of the name could drift and make the page say one thing while
    the store does another."""
    copies = [
        (path.relative_to(LIBRARY), line)
        for path in LIBRARY.rglob("*.py")
        for line in path.read_text().splitlines()
        if f'"{SAVE_LOG_ENV}"' in line or f"'{SAVE_LOG_ENV}'" in line
    ]
    assert len(copies) == 1, copies
