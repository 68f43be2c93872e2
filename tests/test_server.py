"""The public server's logic without a server: the kernel cap, the culling of pages that never connect, the
fresh activity of a kernel handed out from the pool, the cache policy and the settings in voila.json.

Kernel starts are faked (no process): :class:`FakeKernel` stands in for a started kernel, and the base
class's start and shutdown are replaced by ones that fill and empty the kernel map, as the real ones do.
What the real server does on the wire is in tests/browser/test_public_server.py.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import textstat
from conftest import ROOT
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from voila.voila_kernel_manager import voila_kernel_manager_factory

from iliopsoas_lib.server import KernelCapReached, PublicKernelManager
from iliopsoas_lib.server.caching import IMMUTABLE, REVALIDATE, cache_control, static_digest
from iliopsoas_lib.server.handlers import busy_page
from iliopsoas_lib.server.launcher import SHARE

POOL_ENV = {"env": {"VOILA_PREHEAT": "True"}}
VISITOR_ENV = {"env": {"VOILA_PREHEAT": "False"}}


def run(scenario: Coroutine[Any, Any, None]) -> None:
    """``asyncio.run`` in a thread of its own: in the full test run the browser tests' Playwright keeps an
    event loop running in this thread, where ``asyncio.run`` refuses to start another."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, scenario).result()


class FakeKernel:
    def __init__(self) -> None:
        self.last_activity = utcnow()
        self.execution_state = "idle"


@pytest.fixture
def fake_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    """Starting a kernel puts a FakeKernel in the map after a short await; shutting it down removes it."""
    counter = iter(range(10_000))

    async def start_kernel(self: AsyncMappingKernelManager, **kwargs: Any) -> str:
        await asyncio.sleep(0.01)  # a start takes time: other requests run meanwhile
        kernel_id = f"k{next(counter)}"
        self._kernels[kernel_id] = FakeKernel()
        self._kernel_connections[kernel_id] = 0
        return kernel_id

    async def shutdown_kernel(self: AsyncMappingKernelManager, kernel_id: str, **kwargs: Any) -> None:
        self.remove_kernel(kernel_id)

    async def shutdown_all(self: AsyncMappingKernelManager, now: bool = False) -> None:
        for kernel_id in list(self._kernels):
            self.remove_kernel(kernel_id)

    monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", start_kernel)
    monkeypatch.setattr(AsyncMappingKernelManager, "shutdown_kernel", shutdown_kernel)
    monkeypatch.setattr(AsyncMappingKernelManager, "shutdown_all", shutdown_all)
    monkeypatch.setattr(AsyncMappingKernelManager, "initialize_culler", lambda self: None)


def manager(**traits: Any) -> PublicKernelManager:
    return PublicKernelManager(**{"room_poll_interval": 0.01, **traits})


# -- the cap ------------------------------------------------------------------------------------------


def test_a_visitor_beyond_the_cap_is_refused_at_once(fake_kernels: None) -> None:
    async def scenario() -> None:
        km = manager(max_kernels=2)
        await km.start_kernel(**VISITOR_ENV)
        await km.start_kernel(**VISITOR_ENV)
        assert km.kernel_count == 2 and not km.has_room()
        with pytest.raises(KernelCapReached):
            await asyncio.wait_for(km.start_kernel(**VISITOR_ENV), timeout=0.5)
        assert km.kernel_count == 2

    run(scenario())


def test_starts_in_flight_count_toward_the_cap(fake_kernels: None) -> None:
    """Twenty visitors at once with room for three: three kernels, seventeen refusals, never more."""

    async def scenario() -> None:
        km = manager(max_kernels=3)
        results = await asyncio.gather(
            *(km.start_kernel(**VISITOR_ENV) for _ in range(20)), return_exceptions=True
        )
        refused = [r for r in results if isinstance(r, KernelCapReached)]
        assert len(refused) == 17
        assert len(km._kernels) == 3

    run(scenario())


def test_page_requests_reserve_room_before_preparing_their_page(fake_kernels: None) -> None:
    """Twenty requests at once, room for two: eighteen busy pages at once, before any page is prepared."""

    async def scenario() -> None:
        km = manager(max_kernels=2)
        preparing = asyncio.Event()  # Voilà reads the notebook and sets up the page: takes a while

        async def request() -> str:
            with km.reserved_slot() as reserved:
                if not reserved:
                    return "busy"
                await preparing.wait()
                await km.start_kernel(**VISITOR_ENV)
                return "page"

        requests = [asyncio.create_task(request()) for _ in range(20)]
        await asyncio.sleep(0.05)
        assert sum(task.done() for task in requests) == 18  # refused without waiting for the others
        assert km.kernel_count == 2 and not km.has_room()
        preparing.set()
        assert sorted(await asyncio.gather(*requests)) == ["busy"] * 18 + ["page"] * 2
        assert len(km._kernels) == 2 and km._reserved == 0

    run(scenario())


def test_only_a_few_pages_are_prepared_at_once(fake_kernels: None) -> None:
    """On 2 cores sixty pages at once keep everyone waiting: beyond max_starting, the busy page."""

    async def scenario() -> None:
        km = manager(max_kernels=10, max_starting=2)
        with km.reserved_slot() as first, km.reserved_slot() as second:
            await km.start_kernel(**VISITOR_ENV)  # started, but its page is still being run and sent
            with km.reserved_slot() as third:
                assert (first, second, third) == (True, True, False) and km.has_room()
        with km.reserved_slot() as again:
            assert again  # both pages are sent

    run(scenario())


def test_a_request_that_fails_before_its_kernel_starts_gives_its_room_back(fake_kernels: None) -> None:
    async def scenario() -> None:
        km = manager(max_kernels=1)
        with pytest.raises(ValueError), km.reserved_slot() as reserved:
            assert reserved and not km.has_room()
            raise ValueError("the notebook could not be read")
        assert km.has_room() and km._reserved == 0

    run(scenario())


def test_a_pool_refill_waits_for_room_and_then_starts(fake_kernels: None) -> None:
    async def scenario() -> None:
        km = manager(max_kernels=1)
        first = await km.start_kernel(**VISITOR_ENV)
        refill = asyncio.create_task(km.start_kernel(**POOL_ENV))
        await asyncio.sleep(0.05)
        assert not refill.done() and refill in km._waiting_for_room
        await km.shutdown_kernel(first)
        kernel_id = await asyncio.wait_for(refill, timeout=1)
        assert list(km._kernels) == [kernel_id]

    run(scenario())


def test_a_waiting_refill_gives_up_when_the_server_stops(fake_kernels: None) -> None:
    async def scenario() -> None:
        km = manager(max_kernels=1)
        await km.start_kernel(**VISITOR_ENV)
        refill = asyncio.create_task(km.start_kernel(**POOL_ENV))
        await asyncio.sleep(0.05)
        await km.shutdown_all()
        with pytest.raises(KernelCapReached):
            await asyncio.wait_for(refill, timeout=1)
        assert km.kernel_count == 0

    run(scenario())


def test_no_cap_when_max_kernels_is_zero(fake_kernels: None) -> None:
    async def scenario() -> None:
        km = manager(max_kernels=0)
        for _ in range(5):
            await km.start_kernel(**VISITOR_ENV)
        assert km.has_room()

    run(scenario())


def _done(result: Any = None, error: BaseException | None = None) -> asyncio.Future:
    future = asyncio.get_running_loop().create_future()
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
    return future


def test_only_a_started_pooled_kernel_counts_as_ready(fake_kernels: None) -> None:
    """A visitor never waits on a pool entry still in its fill delay or waiting for room."""

    async def scenario() -> None:
        km = manager(max_kernels=1)
        km._pools = {}
        assert not km.has_ready_pooled_kernel("dashboard.ipynb")
        pending = asyncio.get_running_loop().create_future()
        km._pools["dashboard.ipynb"] = [pending]
        assert not km.has_ready_pooled_kernel("dashboard.ipynb")
        failed = _done(error=RuntimeError("kernel died"))
        failed.exception()  # retrieved: no "never retrieved" warning
        km._pools["dashboard.ipynb"] = [failed]
        assert not km.has_ready_pooled_kernel("dashboard.ipynb")
        km._pools["dashboard.ipynb"] = [_done({"kernel_id": "k9"})]
        assert km.has_ready_pooled_kernel("dashboard.ipynb")
        # the cap is reached, yet the ready pooled kernel can still be handed out
        await km.start_kernel(**VISITOR_ENV)
        assert not km.has_room() and km.has_ready_pooled_kernel("dashboard.ipynb")
        pending.cancel()

    run(scenario())


# -- culling pages that never connected ------------------------------------------------------------------


def test_kernels_whose_page_never_connected_are_culled_after_the_timeout(fake_kernels: None) -> None:
    async def scenario() -> None:
        km = manager(max_kernels=10, unconnected_timeout=60)
        km._pools = {}
        old = utcnow() - timedelta(seconds=61)
        ids = {name: await km.start_kernel(**VISITOR_ENV) for name in ("bot", "fresh", "visitor", "busy")}
        for name in ("bot", "visitor", "busy"):
            km._kernels[ids[name]].last_activity = old
        km._kernels[ids["busy"]].execution_state = "busy"  # its page is still being run
        km.notify_connect(ids["visitor"])
        km.notify_disconnect(ids["visitor"])  # connected once: the 20-minute idle cull is for it
        pooled = await km.start_kernel(**POOL_ENV)
        km._kernels[pooled].last_activity = old
        km._pools["dashboard.ipynb"] = [_done({"kernel_id": pooled})]

        assert await km.cull_unconnected() == [ids["bot"]]
        assert set(km._kernels) == {ids["fresh"], ids["visitor"], ids["busy"], pooled}

    run(scenario())


def test_a_pool_kernel_still_rendering_its_page_is_never_culled_as_unconnected(fake_kernels: None) -> None:
    """Under load a pool kernel can sit idle between cells of its page past the timeout; its pool task is
    not done, so its id is not in the pool yet. Culling it would hand a visitor a dead kernel."""

    async def scenario() -> None:
        km = manager(max_kernels=10, unconnected_timeout=60)
        rendering = await km.start_kernel(**POOL_ENV)
        km._kernels[rendering].last_activity = utcnow() - timedelta(seconds=90)
        km._pools = {"dashboard.ipynb": [asyncio.get_running_loop().create_future()]}  # not done yet
        assert await km.cull_unconnected() == []
        km.mark_handed_out(rendering)  # handed out: from now on its page must connect in time
        km._kernels[rendering].last_activity = utcnow() - timedelta(seconds=61)
        assert await km.cull_unconnected() == [rendering]
        km._pools["dashboard.ipynb"][0].cancel()

    run(scenario())


def test_a_kernel_handed_out_from_the_pool_gets_fresh_activity(fake_kernels: None) -> None:
    """Preheated long ago and handed out now: the culler must count its idle time from now."""

    class Pool(PublicKernelManager):
        async def get_rendered_notebook(self, notebook_name: str, **kwargs: Any) -> tuple:
            return None, [], self.pooled_id

    async def scenario() -> None:
        km = Pool(max_kernels=10, unconnected_timeout=60)
        km._pools = {}
        km.pooled_id = await km.start_kernel(**POOL_ENV)
        km._kernels[km.pooled_id].last_activity = utcnow() - timedelta(minutes=30)
        await km.get_rendered_notebook("dashboard.ipynb")
        assert (utcnow() - km._kernels[km.pooled_id].last_activity).total_seconds() < 5
        assert await km.cull_unconnected() == []

    run(scenario())


def test_voilas_own_pool_manager_gets_the_refreshing_handout() -> None:
    """Voilà builds its pool manager as a subclass of ours: its handout is the one that is wrapped."""
    pool_class = voila_kernel_manager_factory(PublicKernelManager, True, 4)
    assert issubclass(pool_class, PublicKernelManager)
    assert getattr(pool_class.get_rendered_notebook, "refreshes_activity", False)
    assert "get_rendered_notebook" in pool_class.__dict__


# -- caching -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/voila/labextensions/jupyterlab_pygments/static/remoteEntry.5cbb9d2323598fbda535.js",
        "/voila/labextensions/anywidget/static/2.3dbf81c0.js",
        "/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/704.6a820cc839aca480.js",
        "/voila/templates/iliopsoas/static/9834b82ad26e2a37583d.woff2",
    ],
)
def test_files_with_a_content_hash_in_their_name_are_immutable(path: str) -> None:
    assert cache_control(path) == IMMUTABLE


@pytest.mark.parametrize(
    "path",
    [
        "/voila/static/voila.js",
        "/voila/static/5764.voila.js",  # a webpack chunk id, not a hash: a new Voilà may reuse it
        "/voila/labextensions/anywidget/package.json",
        "/voila/labextensions/@voila-dashboards/widgets-manager8/static/style.js",
    ],
)
def test_files_without_a_hash_are_revalidated(path: str) -> None:
    assert cache_control(path) == REVALIDATE
    assert cache_control(path, versioned=True) == IMMUTABLE  # under the versioned folder or with ?v=


def test_the_static_digest_changes_when_a_file_changes(tmp_path: Path) -> None:
    (tmp_path / "voila.js").write_text("one")
    before = static_digest([str(tmp_path)])
    assert static_digest([str(tmp_path)]) == before
    (tmp_path / "voila.js").write_text("two!")
    assert static_digest([str(tmp_path)]) != before


# -- settings, template and busy page -------------------------------------------------------------------


def test_voila_json_selects_the_public_server_settings() -> None:
    config = json.loads((ROOT / "voila.json").read_text())
    voila = config["VoilaConfiguration"]
    assert voila["multi_kernel_manager_class"] == "iliopsoas_lib.server.kernels.PublicKernelManager"
    assert voila["template"] == "iliopsoas"
    assert voila["allow_template_override"] == voila["allow_theme_override"] == "NO"
    tornado = config["Voila"]["tornado_settings"]
    assert tornado["compress_response"] is True and tornado["websocket_compression_options"] == {}
    assert config["Voila"]["port_retries"] == 0  # a worker behind nginx must not move to another port
    assert 0 < config["PublicKernelManager"]["max_kernels"] * 59 < 24_000 / 4  # MB: well under the machine


def test_the_project_template_links_no_other_host() -> None:
    template = SHARE / "voila" / "templates" / "iliopsoas"
    assert json.loads((template / "conf.json").read_text())["base_template"] == "lab"
    for name in ("index.html.j2", "page.html"):
        markup = re.sub(r"\{#.*?#\}", "", (template / name).read_text(), flags=re.S)
        assert not re.search(r"(src|href)=\"(https?:)?//", markup), name
        assert "cdn" not in markup.lower(), name


def test_the_busy_page_is_plain_words_and_self_contained() -> None:
    page = busy_page().decode()
    assert "try again in a minute" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page) and "<script" not in page
    words = re.sub(r"<(style|title)[^>]*>.*?</\1>", " ", page, flags=re.S)
    words = re.sub(r"<[^>]+>", " ", words)
    assert textstat.flesch_kincaid_grade(" ".join(words.split())) <= 7.0


def test_a_template_or_theme_in_the_url_never_skips_the_preheated_pool() -> None:
    """Voilà's handler skips the pool when ``?template=`` or ``?theme=`` differ; the dashboard's does not."""
    from types import SimpleNamespace

    from voila.handler import VoilaHandler

    from iliopsoas_lib.server.handlers import DashboardHandler

    ready = SimpleNamespace(has_ready_pooled_kernel=lambda notebook: True)
    handler = SimpleNamespace(kernel_manager=ready, notebook_path="dashboard.ipynb")
    rendered = {"template": "iliopsoas", "theme": "light"}
    for template, theme in (("../../etc", None), ("reveal", None), (None, "dark"), (None, None)):
        args = (rendered, 1, template, theme, {})
        assert DashboardHandler.should_use_rendered_notebook(handler, *args), (template, theme)
    assert not VoilaHandler.should_use_rendered_notebook(handler, rendered, 1, "../../etc", None, {})
    empty = SimpleNamespace(has_ready_pooled_kernel=lambda notebook: False)
    waiting = SimpleNamespace(kernel_manager=empty, notebook_path="dashboard.ipynb")
    assert not DashboardHandler.should_use_rendered_notebook(waiting, rendered, 1, None, None, {})
