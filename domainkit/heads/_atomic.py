"""Atomic writes: a crash never leaves a half-written file that a later stage trusts.

(Shared by heads, evaluation, export and predict; a candidate for a core
``domainkit.io`` module.)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from domainkit.atomic import new_file_mode


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file in the same folder, then rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, new_file_mode(path))  # mkstemp's 0600 would keep a team's shared folder out
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # the bytes reach the disk before the name does (power loss)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
