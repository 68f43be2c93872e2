"""Free loopback ports for servers started side by side (the public stack's workers, a hub and its proxy).

Why a list at once: a port is "free" only while nobody binds it, so a picker must release it before the
server takes it. Asking the system one port at a time, releasing each before asking again, may give the
same port twice; a hub then failed at start with "Address already in use" because its own port and its
proxy's API port were the same number. Holding every socket open until all are picked makes them differ.
"""

from __future__ import annotations

import socket
from collections.abc import Collection
from contextlib import ExitStack

LOOPBACK = "127.0.0.1"


def free_ports(count: int, exclude: Collection[int] = ()) -> list[int]:
    """``count`` different loopback ports that nobody listens on now (the system picks them).

    ``exclude``: ports already promised to a server that is not listening yet (the public port nginx is
    about to take, say), which must not be handed out again.
    """
    if count < 1:
        raise ValueError(f"free_ports: count must be 1 or more, not {count}")
    with ExitStack() as held:
        ports: list[int] = []
        while len(ports) < count:
            # An excluded port stays held too, so the system does not offer it again.
            sock = held.enter_context(socket.socket())
            sock.bind((LOOPBACK, 0))
            port = sock.getsockname()[1]
            if port not in exclude:
                ports.append(port)
        return ports


def free_port() -> int:
    """One loopback port that nobody listens on now; for several at once use :func:`free_ports`."""
    return free_ports(1)[0]
