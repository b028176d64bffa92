"""Offline by default: no connection leaves the machine unless the user allows it.

``offline_guard`` sets the Hugging Face offline switches and replaces the Python socket calls
that reach another host (TCP ``connect``/``connect_ex``, UDP ``sendto``/``sendmsg``, the name
lookups ``getaddrinfo``/``gethostbyname`` and the reverse ones ``gethostbyaddr``/``getnameinfo``)
with checks that refuse every host outside the loopback range, so a library that tries to phone
home fails loudly instead of sending anything. A lookup is refused too, not only the connection
after it: the DNS query alone names the host to the network. Loopback stays open: torchrun/gloo workers talk over it.

Every ``domainkit`` command runs inside the guard (``cli.main_options``); ``run`` lifts it for
its pipeline only when the user allowed the network (``--allow-network``), ``models pull`` for
pip's download. Child processes inherit the switches through the environment, and a child that
imports domainkit (the measurement child, spawn-mode de-identification workers) installs the
guard itself (``DOMAINKIT_OFFLINE``, read in ``domainkit/__init__``). Native code that opens its
own sockets is out of the guard's reach: onnxruntime's telemetry, the one such case known, is
switched off in ``domainkit/__init__``.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from domainkit.errors import DomainkitError

#: Set while a guard blocks; a child process that imports domainkit guards itself when it sees it.
CHILD_SWITCH = "DOMAINKIT_OFFLINE"
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
               "HF_HUB_DISABLE_TELEMETRY": "1", CHILD_SWITCH: "1"}
_HINT = "domainkit runs offline by default; pass --allow-network to permit downloads"
_INTERNET = (socket.AF_INET, socket.AF_INET6)


class NetworkBlockedError(DomainkitError):
    """Raised when code tries to reach the network during an offline run."""


class _State:
    """Process-wide, as the patched socket functions are: threads started inside a guard obey it too."""

    blocking = False
    installed = 0  # blocking guards that have not exited; the patches go when the last one does
    user_env: dict[str, str | None] = {}  # the switches as they were before the outermost guard


def _host_text(host: object) -> str:
    """A host as the socket calls take it (str, bytes or None) as text."""
    if isinstance(host, bytes):
        return host.decode("ascii", "replace")
    return "" if host is None else str(host)


def _local_host(host: object) -> bool:
    """True for loopback names and addresses; False for any other host (its name or address)."""
    host = _host_text(host)
    if host in ("", "localhost"):  # not "x.localhost": glibc asks DNS for those names
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # a host name: resolving it is already a network use


def _local_address(sock: socket.socket, address: object) -> bool:
    if sock.family not in _INTERNET or not isinstance(address, tuple) or not address:
        return True  # AF_UNIX paths, netlink and the like never leave the machine
    return _local_host(address[0])


def _lookup_allowed(host: object) -> bool:
    """Names that resolve without asking the network: loopback, an address literal, this machine's name.

    An address literal needs no DNS (connecting to it is checked on its own); this machine's
    name is answered from /etc/hosts where it is set, and torch's rendezvous looks it up.
    """
    name = _host_text(host)
    if _local_host(name) or name == socket.gethostname():
        return True
    try:
        ipaddress.ip_address(name.split("%")[0])
        return True
    except ValueError:
        return False


def _refuse(what: str) -> None:
    raise NetworkBlockedError(f"{what} was attempted during an offline run and was blocked", hint=_HINT)


#: The functions the guard replaced, taken when it is installed (a test's own stand-in included)
#: and put back when the last blocking guard exits.
_ORIGINAL: dict[str, Callable] = {}


def _guarded_connect(name: str) -> Callable:
    """``socket.connect`` or ``connect_ex``, refusing outside addresses while the guard blocks."""

    def connect(sock: socket.socket, address: object) -> object:
        if _State.blocking and not _local_address(sock, address):
            _refuse("a network connection")
        return _ORIGINAL[name](sock, address)

    return connect


_connect, _connect_ex = _guarded_connect("connect"), _guarded_connect("connect_ex")


def _sendto(sock: socket.socket, data: object, *rest: object) -> int:
    # sendto(data, address) or sendto(data, flags, address): the address comes last.
    if _State.blocking and not _local_address(sock, rest[-1] if rest else None):
        _refuse("sending a datagram")
    return _ORIGINAL["sendto"](sock, data, *rest)


def _sendmsg(sock: socket.socket, buffers: object, *rest: object, **named: object) -> int:
    # sendmsg(buffers, ancdata, flags, address); without an address the socket is connected (checked then).
    address = named.get("address", rest[2] if len(rest) > 2 else None)
    if _State.blocking and address is not None and not _local_address(sock, address):
        _refuse("sending a datagram")
    return _ORIGINAL["sendmsg"](sock, buffers, *rest, **named)


def _guarded_lookup(name: str) -> Callable:
    def lookup(host: object, *rest: object, **named: object) -> object:
        if _State.blocking and not _lookup_allowed(host):
            _refuse("a name lookup")
        return _ORIGINAL[name](host, *rest, **named)

    return lookup


class ReverseLookupBlocked(NetworkBlockedError, socket.herror):
    """A refused reverse lookup is also the ``socket.herror`` a failed one raises, so that callers which
    handle a failed lookup go on as if no name were found: ``socket.getfqdn("10.1.2.3")`` returns the
    address as it does on a machine without DNS."""


def _refuse_reverse() -> None:
    raise ReverseLookupBlocked("a reverse name lookup was attempted during an offline run and was blocked", hint=_HINT)


def _gethostbyaddr(address: object, *rest: object) -> object:
    # A reverse lookup asks DNS (in-addr.arpa) for any address that /etc/hosts does not answer.
    if _State.blocking and not (_local_host(address) or address == socket.gethostname()):
        _refuse_reverse()
    return _ORIGINAL["gethostbyaddr"](address, *rest)


def _getnameinfo(sockaddr: object, flags: int, *rest: object) -> object:
    # With NI_NUMERICHOST the address is written out, not looked up.
    host = sockaddr[0] if isinstance(sockaddr, tuple) and sockaddr else sockaddr
    if _State.blocking and not flags & socket.NI_NUMERICHOST and not _local_host(host):
        _refuse_reverse()
    return _ORIGINAL["getnameinfo"](sockaddr, flags, *rest)


_METHODS = {"connect": _connect, "connect_ex": _connect_ex, "sendto": _sendto, "sendmsg": _sendmsg}
_LOOKUPS = {name: _guarded_lookup(name) for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex")}
_LOOKUPS |= {"gethostbyaddr": _gethostbyaddr, "getnameinfo": _getnameinfo}


def _install() -> None:
    _State.installed += 1
    if _State.installed > 1:
        return
    for owner, replacements in ((socket.socket, _METHODS), (socket, _LOOKUPS)):
        for name, guarded in replacements.items():
            _ORIGINAL[name] = getattr(owner, name)
            setattr(owner, name, guarded)


def _uninstall() -> None:
    _State.installed -= 1
    if _State.installed:
        return
    for owner, replacements in ((socket.socket, _METHODS), (socket, _LOOKUPS)):
        for name in replacements:
            setattr(owner, name, _ORIGINAL[name])


def _set_env(values: dict[str, str | None]) -> None:
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@contextmanager
def offline_guard(allow_network: bool = False) -> Iterator[None]:
    """Run the body offline (the default) or, when allowed, as it would run without any guard.

    Guards nest: an allowing guard inside a blocking one lifts it for its body (the user's own
    switches come back), and the blocking one is in force again when the body ends.
    """
    before_blocking = _State.blocking
    before_env = {key: os.environ.get(key) for key in OFFLINE_ENV}
    if allow_network:
        if before_blocking:  # children of the body are not guarded either
            _set_env({**_State.user_env, CHILD_SWITCH: None})
    else:
        _block(before_env)
    _State.blocking = not allow_network
    try:
        yield
    finally:
        _State.blocking = before_blocking
        _set_env(before_env)
        if not allow_network:
            _uninstall()


def guard_process() -> None:
    """Block for the rest of this process: a child started by a guarded domainkit process."""
    _block({key: os.environ.get(key) for key in OFFLINE_ENV})


def _block(env_now: dict[str, str | None]) -> None:
    """Set the offline switches and patch the sockets; ``env_now`` is kept as the user's own when not yet blocking."""
    if not _State.blocking:
        _State.user_env = env_now
    os.environ.update(OFFLINE_ENV)
    _install()
    _State.blocking = True
