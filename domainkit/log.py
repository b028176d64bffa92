"""Logging: progress and stage events on stderr, never document text.

Messages carry counts, names and paths only; code that handles documents
logs how many, not what.
"""

from __future__ import annotations

import logging
import os

_CONFIGURED = False


def get_logger(name: str) -> logging.Logger:
    global _CONFIGURED
    if not _CONFIGURED:
        level = os.environ.get("DOMAINKIT_LOG_LEVEL", "INFO").upper()
        try:
            from rich.console import Console
            from rich.logging import RichHandler

            # stderr: stdout carries what commands print for pipes (JSON summaries, predictions)
            handler: logging.Handler = RichHandler(console=Console(stderr=True), show_path=False, rich_tracebacks=False)
            fmt = "%(message)s"
        except ImportError:  # rich is a dependency; this only guards odd installs
            handler = logging.StreamHandler()
            fmt = "%(levelname)s %(name)s: %(message)s"
        handler.setFormatter(logging.Formatter(fmt))
        root = logging.getLogger("domainkit")
        root.addHandler(handler)
        root.setLevel(level)
        root.propagate = False
        _CONFIGURED = True
    return logging.getLogger(name)
