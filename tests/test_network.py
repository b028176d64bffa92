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


def _record_datagrams(monkeypatch) -> list:
    """Stand in for sendto (before the guard takes it over): no datagram leaves the test."""
    sent = []
    monkeypatch.setattr(socket.socket, "sendto", lambda sock, data, *rest: sent.append(rest[-1]) or len(data))
    return sent


def test_network_guard_blocks_datagrams_to_outside_hosts(monkeypatch):
    from domainkit import network

    sent = _record_datagrams(monkeypatch)
    with offline_guard(False), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        with pytest.raises(NetworkBlockedError, match="sending a datagram"):
            sock.sendto(b"telemetry", UNROUTED)
        with pytest.raises(NetworkBlockedError):
            sock.sendto(b"telemetry", 0, UNROUTED)
        sock.sendto(b"local", ("127.0.0.1", 9))
    assert sent == [("127.0.0.1", 9)]
    assert socket.socket.sendto is not network._sendto  # the guard is gone with its body


def test_network_guard_refuses_name_lookups_of_outside_hosts_before_any_query():
    with offline_guard(False):
        for lookup in (lambda: socket.getaddrinfo("huggingface.co", 443), lambda: socket.gethostbyname("example.org"),
                       lambda: socket.create_connection(("huggingface.co", 443), timeout=1)):
            with pytest.raises(NetworkBlockedError, match="a name lookup"):
                lookup()
        # Loopback and address literals need no DNS query: gloo and tests bind to them.
        assert socket.getaddrinfo("localhost", 80)
        assert socket.getaddrinfo("127.0.0.1", 80)
    assert socket.getaddrinfo.__name__ == "getaddrinfo"


def test_network_guard_refuses_reverse_lookups_and_subdomains_of_localhost():
    with offline_guard(False):
        # glibc asks DNS for "x.localhost" and for in-addr.arpa names: both would name a host to the network
        for lookup in (lambda: socket.getaddrinfo("secret.localhost", 80), lambda: socket.gethostbyaddr("192.0.2.1"),
                       lambda: socket.getnameinfo(UNROUTED, 0)):
            with pytest.raises(NetworkBlockedError, match="lookup"):
                lookup()
        # written out, not looked up
        assert socket.getnameinfo(UNROUTED, socket.NI_NUMERICHOST | socket.NI_NUMERICSERV) == ("192.0.2.1", "443")
        # a refused reverse lookup is a failed one to callers that handle those: getfqdn keeps the address
        assert socket.getfqdn("192.0.2.1") == "192.0.2.1"
        # connecting by a "*.localhost" name would resolve it in C: refused before
        with socket.socket() as sock, pytest.raises(NetworkBlockedError):
            sock.connect(("secret.localhost", 9))
    assert socket.gethostbyaddr.__name__ == "gethostbyaddr" and socket.getnameinfo.__name__ == "getnameinfo"


def test_network_guard_allowing_inside_blocking_lifts_it_for_the_body_only(monkeypatch):
    from domainkit import network

    sent = _record_datagrams(monkeypatch)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with offline_guard(False), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        with offline_guard(True):
            assert "HF_HUB_OFFLINE" not in os.environ and network.CHILD_SWITCH not in os.environ
            sock.sendto(b"download", UNROUTED)
        assert os.environ["HF_HUB_OFFLINE"] == "1"
        with pytest.raises(NetworkBlockedError):
            sock.sendto(b"again", UNROUTED)
    assert sent == [UNROUTED]
    assert "HF_HUB_OFFLINE" not in os.environ


def test_network_child_processes_inherit_the_guard_and_the_offline_switches():
    import subprocess
    import sys

    child = ("import os, socket, domainkit\n"
             "print(os.environ['HF_HUB_OFFLINE'], os.environ['TRANSFORMERS_OFFLINE'], "
             "os.environ['HF_DATASETS_OFFLINE'], os.environ['ORT_DISABLE_TELEMETRY'])\n"
             "socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('192.0.2.1', 9))\n")
    with offline_guard(False):
        result = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["1", "1", "1", "1"]
    assert result.returncode != 0 and "NetworkBlockedError" in result.stderr
