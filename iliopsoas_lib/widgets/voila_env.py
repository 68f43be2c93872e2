"""The names of the environment variables Voilà sets in the kernels it starts, in one place.

Copied from Voilà 0.5.13's ``voila.utils.ENV_VARIABLE`` (set in ``handler.py`` and
``voila_kernel_manager.py``, read back by ``utils.wait_for_request``). Voilà exports them, but importing
``voila.utils`` in a kernel imports all of Voilà and jupyter_server (measured: 3.3 s of CPU, more than the
rest of a kernel's start), so the kernel side keeps its own copy; ``tests/test_wiring.py`` checks that each
name is still Voilà's.
"""

from __future__ import annotations

from enum import StrEnum


class VoilaEnv(StrEnum):
    """One environment variable Voilà sets for a kernel (the member's value is the variable's name)."""

    #: "True" in a kernel started for the preheated pool: the visitor's request reaches it later.
    VOILA_PREHEAT = "VOILA_PREHEAT"
    #: This kernel's id, set in every kernel Voilà starts (so its presence says "in Voilà").
    VOILA_KERNEL_ID = "VOILA_KERNEL_ID"
    VOILA_SERVER_URL = "VOILA_SERVER_URL"
    VOILA_APP_IP = "VOILA_APP_IP"
    VOILA_APP_PORT = "VOILA_APP_PORT"
    VOILA_WS_PROTOCOL = "VOILA_WS_PROTOCOL"
    VOILA_WS_BASE_URL = "VOILA_WS_BASE_URL"
    #: The page's query string (CGI's name for it).
    QUERY_STRING = "QUERY_STRING"
