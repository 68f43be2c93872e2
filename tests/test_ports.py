"""Ports picked for servers started side by side must all differ (iliopsoas_lib/server/ports.py).

A hub in CI once failed at start with "Address already in use": its own port and its proxy's API port,
picked one after the other, were the same number. Picking one port at a time repeats a port within a few
hundred picks on Linux; a thousand picked together must still all differ.
"""

from __future__ import annotations

import socket

import pytest

from iliopsoas_lib.server.ports import LOOPBACK, free_port, free_ports


def test_a_thousand_ports_picked_together_all_differ() -> None:
    ports = free_ports(1000)
    assert len(ports) == 1000
    assert len(set(ports)) == 1000


def test_picked_ports_are_free_to_listen_on_once_returned() -> None:
    ports = free_ports(3)
    listening = []
    try:
        for port in ports:
            sock = socket.socket()
            listening.append(sock)
            sock.bind((LOOPBACK, port))
            sock.listen()
    finally:
        for sock in listening:
            sock.close()
    assert 1024 < free_port() < 65536


def test_asking_for_no_ports_says_what_was_wrong() -> None:
    with pytest.raises(ValueError, match="count must be 1 or more, not 0"):
        free_ports(0)


def test_a_port_promised_elsewhere_is_never_handed_out() -> None:
    promised = free_ports(200)  # each is free again once returned, so the system may offer any of them
    picked = free_ports(1000, exclude=promised)
    assert len(set(picked)) == 1000
    assert not set(picked) & set(promised)
