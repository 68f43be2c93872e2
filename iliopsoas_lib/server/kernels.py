"""The public dashboard's kernel manager: a cap on kernels, and a short life for pages that never connect.

jupyter_server has no max-kernels setting, and its culler measures idleness from ``last_activity`` only, so
on a public link every plain GET (a bot, a chat app's link preview) holds a ~59 MB kernel for the whole
20-minute idle window. This manager adds what a public link needs, in the server itself:

* **A cap.** At most ``max_kernels`` kernels (pooled, starting and in use) exist at once. A page request
  reserves its room first (:meth:`PublicKernelManager.reserved_slot`), before Voilà spends any work on the
  page; with no room left it gets the busy page at once, and a kernel start beyond the cap fails with
  :class:`KernelCapReached`. A pool refill waits for room instead, so the pool fills again after a flood.
* **Unconnected kernels die young.** A kernel whose page never opened its websocket is shut down
  ``unconnected_timeout`` seconds after its last activity (the end of its page's run), checked every
  ``unconnected_check_interval`` seconds. Kernels that did connect keep jupyter_server's idle culling.
* **A kernel handed out from the pool is fresh.** Voilà's pool keeps a kernel's ``last_activity`` from when
  it was preheated; handed to a visitor, that stale time would let the culler take it before the page's
  scripts arrive. The handout sets ``last_activity`` to now.

Voilà takes this class through ``VoilaConfiguration.multi_kernel_manager_class`` and, with
``preheat_kernel``, builds its pool manager as a subclass of it (``voila_kernel_manager_factory``). That
subclass defines ``get_rendered_notebook`` (the handout), so :meth:`PublicKernelManager.__init_subclass__`
wraps it there: the one place where a pooled kernel changes hands.

Configured in voila.json under ``"PublicKernelManager"``; the usual ``"MappingKernelManager"`` settings
(``cull_idle_timeout``, ``cull_interval``) still apply to it.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ClassVar

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.ioloop import PeriodicCallback
from traitlets import Float, Int

__all__ = ["KernelCapReached", "PublicKernelManager"]

#: The environment variable Voilà sets to "True" when it starts a kernel for its preheated pool.
PREHEAT_ENV = "VOILA_PREHEAT"


class KernelCapReached(RuntimeError):
    """No room for another kernel: the visitor gets the busy page, not a wait."""


@dataclass
class _Slot:
    """Room for one kernel, reserved by a page request until its kernel starts."""

    held: bool = True


#: The slot the current page request reserved; its kernel start (in the same task) uses it.
_REQUEST_SLOT: ContextVar[_Slot | None] = ContextVar("iliopsoas_request_slot", default=None)


def _refreshing_handout(handout: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Wrap Voilà's pool handout so the kernel it hands out gets a fresh ``last_activity``."""

    @functools.wraps(handout)
    async def get_rendered_notebook(self: PublicKernelManager, *args: Any, **kwargs: Any) -> Any:
        result = await handout(self, *args, **kwargs)
        self.mark_handed_out(result[2])  # (render task, rendered cells, kernel id)
        return result

    get_rendered_notebook.refreshes_activity = True  # type: ignore[attr-defined]
    return get_rendered_notebook


class PublicKernelManager(AsyncMappingKernelManager):
    """A mapping kernel manager with a kernel cap and a short life for kernels that never connect."""

    #: Voilà's pool handout, defined by the subclass Voilà builds on this class
    #: (``voila_kernel_manager_factory``) and wrapped by :meth:`__init_subclass__`; declared for the types.
    get_rendered_notebook: ClassVar[Callable[..., Awaitable[Any]]]

    max_kernels = Int(
        60,
        config=True,
        help="""Most kernels (pooled, starting and in use) at once; a visitor beyond gets the busy page.
        Sized for 2 cores / 24 GB: a visitor's kernel takes about 59 MB, so 60 kernels hold about
        3.5 GB, and 2 cores can serve about that many people clicking at once. 0 means no cap.""",
    )
    max_starting = Int(
        4,
        config=True,
        help="""Most pages being prepared at once (a visitor's kernel starting and running the page); the
        next visitor gets the busy page. A kernel start and its page take about 2 s of one core, so on 2
        cores 60 at once kept every one waiting for minutes (measured): about 2 per core keeps a
        visitor's wait to seconds. 0 means no limit.""",
    )
    unconnected_timeout = Float(
        60.0,
        config=True,
        help="""Seconds after its last activity that a kernel whose page never opened a websocket is
        shut down (a bot, a link preview, a tab closed while loading).""",
    )
    unconnected_check_interval = Float(
        10.0, config=True, help="Seconds between looks for kernels whose page never connected."
    )
    room_poll_interval = Float(
        1.0, config=True, help="Seconds between looks for room when a pool refill waits for the cap."
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._starting = 0  # kernel starts begun but not yet in the map: they count toward the cap
        self._reserved = 0  # page requests that hold room for the kernel they are about to start
        self._preparing = 0  # page requests between their first look and their last byte
        self._ever_connected: set[str] = set()
        self._in_pool: set[str] = set()  # preheated kernels not yet handed out (ready or still rendering)
        self._waiting_for_room: set[asyncio.Task] = set()
        self._closing = False
        self._unconnected_callback: PeriodicCallback | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Make the pool's handout refresh activity, in whatever subclass defines it (Voilà's pool)."""
        super().__init_subclass__(**kwargs)
        handout = cls.__dict__.get("get_rendered_notebook")
        if handout is not None and not getattr(handout, "refreshes_activity", False):
            cls.get_rendered_notebook = _refreshing_handout(handout)

    # -- the cap -------------------------------------------------------------------------------------

    @property
    def kernel_count(self) -> int:
        """Kernels that exist, are starting or have room reserved: what the cap limits."""
        return len(self._kernels) + self._starting + self._reserved

    def has_room(self) -> bool:
        return self.max_kernels <= 0 or self.kernel_count < self.max_kernels

    def has_room_to_start(self) -> bool:
        """Room under the cap, and fewer than ``max_starting`` pages being prepared."""
        return self.has_room() and (self.max_starting <= 0 or self._preparing < self.max_starting)

    def has_ready_pooled_kernel(self, notebook_path: str) -> bool:
        """True when the pool's next kernel is started and its page run: a visitor takes it at once.

        A pool entry still waiting (its fill delay, or room under the cap) is not ready: a visitor must
        never wait on it, so the page handler starts a kernel of its own or shows the busy page.
        """
        pool = getattr(self, "_pools", {}).get(notebook_path, [])
        if not pool:
            return False
        head = pool[0]
        return head.done() and not head.cancelled() and head.exception() is None

    @contextmanager
    def reserved_slot(self) -> Iterator[bool]:
        """Hold room for one visitor's kernel while the request prepares its page; False: no room.

        Without it, twenty requests arriving together would all see room, all spend a second of CPU
        preparing a page, and all but a few be refused only then: the busy page would come late.
        """
        if self._closing or not self.has_room_to_start():
            yield False
            return
        slot = _Slot()
        self._reserved += 1
        self._preparing += 1
        token = _REQUEST_SLOT.set(slot)
        try:
            yield True
        finally:
            _REQUEST_SLOT.reset(token)
            self._preparing -= 1
            if slot.held:  # the request ended without starting a kernel
                self._reserved -= 1

    async def start_kernel(self, **kwargs: Any) -> str:  # type: ignore[override]
        """Start a kernel if the cap allows: a visitor's start fails at once, a pool refill waits."""
        slot = _REQUEST_SLOT.get()
        if kwargs.get("env", {}).get(PREHEAT_ENV) == "True":
            await self._wait_for_room()
        elif slot is not None and slot.held:  # the room this page request reserved
            slot.held = False
            self._reserved -= 1
        elif self._closing or not self.has_room():
            raise KernelCapReached(f"{self.kernel_count} kernels: the cap of {self.max_kernels} is reached")
        self._starting += 1
        try:
            kernel_id = await super().start_kernel(**kwargs)
        finally:
            self._starting -= 1
        if kwargs.get("env", {}).get(PREHEAT_ENV) == "True":
            self._in_pool.add(kernel_id)
        return kernel_id

    async def _wait_for_room(self) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._waiting_for_room.add(task)
        try:
            while not self.has_room():
                if self._closing:
                    raise KernelCapReached("the server is stopping")
                await asyncio.sleep(self.room_poll_interval)
        finally:
            self._waiting_for_room.discard(task)
        if self._closing:
            raise KernelCapReached("the server is stopping")

    # jupyter_client types shutdown_all as MultiKernelManager's synchronous wrapper; its async manager
    # re-declares it as a coroutine function (with its own type: ignore), which this override follows.
    async def shutdown_all(self, now: bool = False) -> None:  # type: ignore[override]
        """Stop everything; pool refills waiting for room give up instead of starting a kernel."""
        self._closing = True
        if self._unconnected_callback is not None:
            self._unconnected_callback.stop()
        await super().shutdown_all(now=now)

    # -- fresh activity and the culling of pages that never connected ---------------------------------

    def mark_handed_out(self, kernel_id: str) -> None:
        """A pooled kernel goes to a visitor: its idle time starts now, not when it was preheated."""
        self._in_pool.discard(kernel_id)
        kernel = self._kernels.get(kernel_id)
        if kernel is not None:
            kernel.last_activity = utcnow()

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        self._ever_connected.add(kernel_id)

    def remove_kernel(self, kernel_id: str) -> Any:
        self._ever_connected.discard(kernel_id)
        self._in_pool.discard(kernel_id)
        return super().remove_kernel(kernel_id)

    def never_connected_and_idle(self, kernel_id: str) -> bool:
        """A kernel no page has connected to, idle for longer than ``unconnected_timeout``."""
        if kernel_id in self._ever_connected:
            return False
        kernel = self._kernels.get(kernel_id)
        last_activity = getattr(kernel, "last_activity", None)
        if last_activity is None or getattr(kernel, "execution_state", None) == "busy":
            return False
        return (utcnow() - last_activity).total_seconds() > self.unconnected_timeout

    def _is_pooled(self, kernel_id: str) -> bool:
        """Started for the pool and not handed out yet, whether its page is ready or still rendering.

        A pool task's kernel id is known only once its page is rendered, and under load a rendering
        kernel can sit idle between cells past the timeout: culling it then would hand a visitor a dead
        kernel ("model not found"). So pool kernels are known from their start, not from the pool.
        """
        return kernel_id in self._in_pool

    async def cull_unconnected(self) -> list[str]:
        """Shut down every kernel (outside the pool) whose page never connected and is idle."""
        culled = []
        for kernel_id in list(self._kernels):
            if self._is_pooled(kernel_id) or not self.never_connected_and_idle(kernel_id):
                continue
            self.log.info("Culling kernel %s: its page never connected", kernel_id)
            try:
                await self.shutdown_kernel(kernel_id)
            except Exception:  # one kernel's failed shutdown must not stop the culling
                self.log.warning("Could not cull kernel %s", kernel_id, exc_info=True)
            else:
                culled.append(kernel_id)
        return culled

    def initialize_culler(self) -> None:
        """Start jupyter_server's idle culler and, beside it, the culler of never-connected kernels."""
        super().initialize_culler()
        if self._unconnected_callback is None and self.unconnected_timeout > 0:
            self._unconnected_callback = PeriodicCallback(
                self.cull_unconnected, 1000 * self.unconnected_check_interval
            )
            self._unconnected_callback.start()
