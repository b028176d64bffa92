"""Describe an exception raised by a pack's own code, without its message.

A pack's exception message may quote its documents (``cannot parse row: Patient John Smith ...``),
and domainkit never prints document text. So a failure is shown by its class and by the file and
line *in the pack* that raised it, which is what the pack's author needs to find it. Two kinds of
message are safe and shown: domainkit's own errors (``DomainkitError``, written never to quote
documents) and the module name of an import that failed. Everything else appears only on request:
``DOMAINKIT_DEBUG=1`` (or ``domainkit --verbose``) prints the full traceback.
"""

from __future__ import annotations

import importlib.util
import os
import traceback

#: Environment variable that asks for full tracebacks (``domainkit --verbose`` sets it).
DEBUG_VARIABLE = "DOMAINKIT_DEBUG"
DEBUG_HINT = f"{DEBUG_VARIABLE}=1 (or domainkit --verbose) shows the full traceback, which may quote documents"


def debug_enabled() -> bool:
    return os.environ.get(DEBUG_VARIABLE, "").strip().lower() not in ("", "0", "false", "no", "off")


def _pack_roots(module: str) -> list[str]:
    """Where the pack's top-level package (or single-file module) lives on disk."""
    try:
        spec = importlib.util.find_spec(module.split(".")[0])
    except (ImportError, ValueError):
        return []
    if spec is None:
        return []
    if spec.submodule_search_locations:
        return [os.path.abspath(path) for path in spec.submodule_search_locations]
    return [os.path.abspath(spec.origin)] if spec.origin else []


def where_raised(error: BaseException, module: str) -> str | None:
    """``pkg/file.py:LINE`` of the deepest frame inside the pack that raised ``error``, or None."""
    if isinstance(error, SyntaxError) and error.filename:  # the bad file never ran: no frame of its own
        frames = [(error.filename, error.lineno)]
    else:
        frames = [(frame.filename, frame.lineno) for frame in traceback.extract_tb(error.__traceback__)]
    for root in _pack_roots(module):
        base = os.path.dirname(root)
        for filename, line in reversed(frames):
            path = os.path.abspath(filename)
            if path == root or path.startswith(root + os.sep):
                return f"{os.path.relpath(path, base)}:{line}"
    return None


def describe(error: BaseException, module: str) -> str:
    """``KeyError at pkg/file.py:12``: the class and where, never the message (see the module's note)."""
    from domainkit.errors import DomainkitError

    if isinstance(error, DomainkitError):
        text = error.message
    elif isinstance(error, ImportError) and error.name:  # a module's name, never a document
        text = f"{type(error).__name__} (module {error.name!r})"
    else:
        text = type(error).__name__
    where = where_raised(error, module)
    return f"{text} (at {where})" if where else text


def full_traceback(error: BaseException) -> str:
    """The whole traceback with messages: only for ``DOMAINKIT_DEBUG``."""
    return "".join(traceback.format_exception(error)).rstrip()
