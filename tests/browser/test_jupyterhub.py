"""The hub path end to end: JupyterHub (pinned, from PyPI) with configurable-http-proxy (npm) on loopback,
set up as docs/deploy.md says, with only the login and the spawner swapped for local ones (tests/browser/
local_hub.py). Users log in in Chromium, land on the dashboard and log sessions; a log survives a restart of
its owner's server and stays out of another user's reach; a home without the notebooks gets a clear page;
the idle culler, run with the hub's own Python, culls.

The first tests need no hub: they run the project's hub lines on top of an admin's configuration, the way
the guide says, and check they add to it rather than replace it.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

import iliopsoas_lib as il

from .conftest import ROOT
from .local_hub import PASSWORD, PROJECT_HUB_CONFIG, LocalHub, local_hub, missing_hub_tools
from .test_dashboard import PHONE, ready_routine

READY = 180_000  # ms: a spawn plus a cold Voilà render on a busy 2-core CI machine
WITH_NOTEBOOKS = ("alice", "bob")
MISSING = "The dashboard's notebooks are not in your home folder yet."
EXEC_PROJECT_LINES = f"exec(open({str(PROJECT_HUB_CONFIG)!r}).read())\n"


def load_hub_config(folder: Path, admin_lines: str, times: int = 1) -> Config:
    """The configuration a hub would load from an admin's file ending with the guide's line(s)."""
    (folder / "jupyterhub_config.py").write_text(
        "c = get_config()\n" + admin_lines + EXEC_PROJECT_LINES * times
    )
    return PyFileConfigLoader("jupyterhub_config.py", str(folder)).load_config()


def applied(config: Config, section: str, key: str, default):
    """A setting as the hub would see it: an appended or updated value applied to the trait's default."""
    value = config[section].get(key, default)
    return value.get_value(default) if hasattr(value, "get_value") else value


def test_the_project_lines_add_to_an_admins_config_and_replace_none_of_it(tmp_path: Path) -> None:
    config = load_hub_config(
        tmp_path,
        'c.Spawner.environment = {"TZ": "Europe/Oslo"}\n'
        'c.JupyterHub.services = [{"name": "grader", "url": "http://127.0.0.1:9999"}]\n'
        'c.JupyterHub.load_roles = [{"name": "grader", "scopes": ["list:users"], "services": ["grader"]}]\n',
    )
    assert applied(config, "Spawner", "environment", {}) == {"TZ": "Europe/Oslo", "ILIOPSOAS_SAVE_LOG": "1"}
    services = applied(config, "JupyterHub", "services", [])
    assert [s["name"] for s in services] == ["grader", "idle-culler"]
    assert [r["name"] for r in applied(config, "JupyterHub", "load_roles", [])] == ["grader", "idle-culler"]
    # The culler runs with the hub's own interpreter, which has jupyterhub-idle-culler, not a bare python3.
    assert services[1]["command"][:3] == [sys.executable, "-m", "jupyterhub_idle_culler"]


def test_the_project_lines_run_twice_or_on_a_hub_that_culls_add_no_second_culler(tmp_path: Path) -> None:
    twice = load_hub_config(tmp_path, "", times=2)
    assert [s["name"] for s in applied(twice, "JupyterHub", "services", [])] == ["idle-culler"]
    assert [r["name"] for r in applied(twice, "JupyterHub", "load_roles", [])] == ["idle-culler"]
    assert applied(twice, "Spawner", "environment", {}) == {"ILIOPSOAS_SAVE_LOG": "1"}

    own = ["/opt/hub/bin/python", "-m", "jupyterhub_idle_culler", "--timeout=600"]
    culls = load_hub_config(tmp_path, f'c.JupyterHub.services = [{{"name": "cull", "command": {own!r}}}]\n')
    assert applied(culls, "JupyterHub", "services", []) == [{"name": "cull", "command": own}]
    assert applied(culls, "JupyterHub", "load_roles", []) == []


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalHub]:
    problem = missing_hub_tools()
    if problem:  # a pin that did not install, or the proxy missing: fail loudly, never skip
        pytest.fail(problem)
    with local_hub(tmp_path_factory.mktemp("hub"), with_notebooks=WITH_NOTEBOOKS) as running:
        print(f"\nhub: answered in {running.start_seconds:.1f} s; its log: {running.log}")
        # An idle server for the culler test, started first so its idle time runs while the others click.
        assert running.api("POST", "users/carol")[0] == 201
        assert running.api("POST", "users/carol/servers/idle")[0] in (201, 202)
        yield running


def log_in(page: Page, hub: LocalHub, user: str) -> None:
    """Log in on the hub's own login page, as a person does; the hub then starts the user's server."""
    page.goto(f"{hub.url}hub/login")
    page.locator("#username_input").fill(user)
    page.locator("#password_input").fill(PASSWORD)
    page.locator("#login_submit").click()


def expect_dashboard(page: Page) -> None:
    expect(page.locator(".ilio-timer-countdown")).not_to_be_empty(timeout=READY)


def saved_log(hub: LocalHub, user: str) -> il.SessionLog:
    return il.SessionLog.load(
        hub.home(user) / ".local" / "share" / "iliopsoas-explainer" / "session_log.json"
    )


def test_two_users_log_sessions_that_survive_a_restart_and_stay_their_own(
    browser: Browser, hub: LocalHub
) -> None:
    alice_ctx, bob_ctx = browser.new_context(viewport=PHONE), browser.new_context(viewport=PHONE)
    try:
        alice = alice_ctx.new_page()
        log_in(alice, hub, "alice")
        expect_dashboard(alice)
        assert "/user/alice/voila/render/notebooks/dashboard.ipynb" in alice.url
        assert "from iliopsoas_lib" not in alice.content(), "the notebook's source reached the page"
        ready_routine(alice, "has_bed")
        alice.locator(".ilio-log-button").click()
        expect(alice.locator(".ilio-log-view .ilio-message")).to_contain_text("Saved to session_log.json")
        expect(alice.locator(".ilio-week-summary")).to_contain_text("Sessions logged in all: 1")
        assert len(saved_log(hub, "alice")) == 1  # in her own home, where her server keeps it

        bob = bob_ctx.new_page()
        log_in(bob, hub, "bob")
        expect_dashboard(bob)
        expect(bob.locator(".ilio-week-summary")).to_contain_text("Sessions logged in all: 0")
        ready_routine(bob, "good_balance")
        bob.locator(".ilio-log-button").click()
        bob.locator(".ilio-log-button").click()
        expect(bob.locator(".ilio-week-summary")).to_contain_text("Sessions logged in all: 2")
        # Bob cannot reach Alice's server: not her dashboard, not her files.
        for path in ("iliopsoas", "voila/render/notebooks/dashboard.ipynb", "api/contents/.local/share"):
            response = bob.goto(f"{hub.url}user/alice/{path}")
            assert response is not None and response.status == 403, (path, response and response.status)
            expect(bob.locator(".ilio-timer")).to_have_count(0)
        assert len(saved_log(hub, "alice")) == 1 and len(saved_log(hub, "bob")) == 2

        # Alice stops and starts her server on the hub's home page; her log is read back from her home.
        alice.goto(f"{hub.url}hub/home", wait_until="networkidle")  # its script, which makes Stop work, is in
        alice.locator("#stop").click()
        expect(alice.locator("#start")).to_have_text("Start My Server", timeout=60_000)
        assert "" not in hub.servers("alice"), "her server is stopped"
        alice.locator("#start").click()
        expect_dashboard(alice)
        expect(alice.locator(".ilio-week-summary")).to_contain_text("Sessions logged in all: 1")
    finally:
        alice_ctx.close()
        bob_ctx.close()


def test_a_user_whose_home_has_no_notebooks_is_told_so_and_a_reload_finds_them(
    browser: Browser, hub: LocalHub
) -> None:
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        log_in(page, hub, "dora")  # the admin has not done step 4 for her yet
        expect(page.get_by_role("heading", level=1)).to_have_text("Not ready yet", timeout=READY)
        expect(page.locator("main")).to_contain_text(MISSING)
        expect(page.locator("main")).to_contain_text("Ask your hub admin to add them.")
        expect(page.locator("main")).to_contain_text("notebooks/dashboard.ipynb")
        assert page.url.endswith("/user/dora/iliopsoas")

        # The admin copies the notebooks now; the same page, reloaded, opens the dashboard.
        shutil.copytree(ROOT / "notebooks", hub.home("dora") / "notebooks")
        page.reload()
        expect_dashboard(page)
    finally:
        context.close()


def test_the_idle_culler_runs_with_the_hubs_python_and_stops_an_idle_server(hub: LocalHub) -> None:
    # Carol's server was started with the hub and nobody uses it: the culler must stop it (a pending server
    # is never culled, and a failed start would vanish without the culler's line in the log).
    hub.wait_for(lambda: "idle" not in hub.servers("carol"), "carol's idle server gone", 180)
    log = hub.log.read_text(errors="replace")
    assert "User carol:idle took" in log, "carol's server did start"
    assert "Culling server carol/idle" in log, "the culler stopped it"
    assert "No module named jupyterhub_idle_culler" not in log
