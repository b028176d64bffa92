"""Atomic writes: a crash never leaves a half-written artefact a later stage trusts."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary sibling path; rename it onto ``target`` on success.

    Works for files and folders. On error the temporary is removed and the
    target (if any) is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _restore_a_folder_left_aside(target)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    tmp.rmdir()  # callers create a file or a folder at this name
    try:
        yield tmp
        if target.is_dir() and not target.is_symlink():
            # A folder cannot be renamed onto another: the old one is renamed aside first and deleted
            # only once the new one is in place. Deleting it first left a half-deleted folder (a
            # model without its vocab.txt) for readers, and for good when the process was killed.
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, old)
            try:
                os.replace(tmp, target)
            except BaseException:
                os.replace(old, target)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    finally:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp.exists():
            tmp.unlink()


def _restore_a_folder_left_aside(target: Path) -> None:
    """A replacement killed between its two renames left ``target`` missing and the old folder
    aside as ``.NAME.*.old``: put the newest such folder back before writing again."""
    if target.exists():
        return
    aside = sorted(target.parent.glob(f".{target.name}.*.old"), key=lambda p: p.stat().st_mtime)
    if aside and aside[-1].is_dir():
        os.replace(aside[-1], target)


def write_text(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(target: Path, data: Any) -> None:
    write_text(target, json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")


def unwritable_reason(folder: Path) -> str | None:
    """Why a new file cannot be made in ``folder`` (None when it can); checked before long work.

    Creating and removing a file there is the one test that also sees read-only mounts, ACLs,
    immutable folders and root's rights, which os.access misjudges.
    """
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".domainkit-write-check.", suffix=".tmp"):
            return None
    except OSError as error:
        return os_reason(error)


def os_reason(error: OSError) -> str:
    """The system's words for ``error`` (never a path or a file's content)."""
    return error.strerror or type(error).__name__


def new_file_mode(path: Path) -> int:
    """The mode an output written through a temporary file should get: the replaced file's, else
    what ``open()`` gives a new file (``0o666`` less the umask). ``mkstemp`` alone makes it 0600
    whatever the umask, which would lock a team's shared folder out of a de-identified file."""
    try:
        return Path(path).stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def share_like_new_files(folder: Path) -> None:
    """Give every file under ``folder`` the mode a new file gets here (``0o666`` less the umask).

    ``transformers``' ``save_pretrained`` writes ``model.safetensors`` as 0600 whatever the umask,
    so a model folder a team shares (an export, a tagger) could be read by its writer alone.
    """
    mode = new_file_mode(Path(folder) / ".domainkit-no-such-file")
    for path in Path(folder).rglob("*"):
        if path.is_file() and not path.is_symlink():
            path.chmod(mode)
