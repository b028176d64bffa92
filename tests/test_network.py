import os
import socket

import pytest

from domainkit.network import NetworkBlockedError, offline_guard

# TEST-NET-1 (RFC 5737): documentation-only, never routed; the guard refuses
# before any packet is sent.
UNROUTED = ("192.0.2.1", 443)


def test_network_guard_blocks_outside_connections():
    with offline_guard(False):
        assert os.environ["HF_HUB_OFFLINE"] == "1"
        with socket.socket() as sock, pytest.raises(NetworkBlockedError, match="--allow-network"):
            sock.connect(UNROUTED)
    assert socket.socket.connect.__name__ == "connect"


def test_network_guard_allows_loopback():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with offline_guard(False), socket.socket() as client:
            client.connect(server.getsockname())


def test_network_guard_off_when_allowed(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with offline_guard(True):
        assert "HF_HUB_OFFLINE" not in os.environ
