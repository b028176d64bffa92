"""Offline by default: no connection leaves the machine unless the user allows it.

``offline_guard`` sets the Hugging Face offline switches and replaces
``socket.connect`` with a check that refuses every address outside the
loopback range, so a library that tries to phone home fails loudly instead of
sending anything. Loopback stays open: torchrun/gloo workers talk over it.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from domainkit.errors import DomainkitError

OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
               "HF_HUB_DISABLE_TELEMETRY": "1"}


class NetworkBlockedError(DomainkitError):
    """Raised when code tries to reach the network during an offline run."""


def _is_local(address: object) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # AF_UNIX paths and the like never leave the machine
    host = str(address[0])
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # a host name: resolving it is already a network use


@contextmanager
def offline_guard(allow_network: bool = False) -> Iterator[None]:
    """Run the body offline (the default) or, when allowed, unchanged."""
    if allow_network:
        yield
        return
    saved_env = {key: os.environ.get(key) for key in OFFLINE_ENV}
    os.environ.update(OFFLINE_ENV)
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def guarded_connect(sock: socket.socket, address: object) -> object:
        if not _is_local(address):
            raise NetworkBlockedError(
                "a network connection was attempted during an offline run and was blocked",
                hint="domainkit runs offline by default; pass --allow-network to permit downloads",
            )
        return original_connect(sock, address)

    def guarded_connect_ex(sock: socket.socket, address: object) -> object:
        if not _is_local(address):
            guarded_connect(sock, address)
        return original_connect_ex(sock, address)

    socket.socket.connect = guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = guarded_connect_ex  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.socket.connect = original_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = original_connect_ex  # type: ignore[method-assign]
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
