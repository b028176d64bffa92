"""Run folders: one folder per run, one sub-folder per stage, each with a manifest.

``OUT/config.json`` holds the resolved config. ``OUT/NN-stage/manifest.json``
records the config hash, the stage's input fingerprints, library versions and
the stage's outputs. It is written last and atomically, so its presence means
the stage finished. ``OUT/NN-stage/started.json``, written when the stage
starts, holds the inputs it started with: a stage folder without a manifest
whose start matches is an interrupted stage, which resumes from its own
checkpoints on the next run; any other stage folder holds work done for other
inputs (say, an edited ``--data`` file) and is set aside, never resumed from.

Paths inside the run folder are recorded relative to it (``@run/01-data/data.json``),
so a moved or copied run folder reads its own files. ``OUT/.domainkit.lock`` is
held for the whole run: two runs never write one folder at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from domainkit.atomic import write_json
from domainkit.config import ADDED_FIELDS
from domainkit.errors import ConfigError

MANIFEST = "manifest.json"
STARTED = "started.json"
LOCK = ".domainkit.lock"
#: How a path inside the run folder is recorded in a manifest.
RUN_PREFIX = "@run/"
#: The file in a run folder's root that says which configuration the run has (and that it is a run).
RUN_CONFIG_FILE = "config.json"
#: What a domainkit run's config.json holds, and how its stage folders are named.
_RUN_CONFIG_KEYS = frozenset({"config", "config_hash", "versions"})
_STAGE_FOLDER = re.compile(r"\d\d-[a-z_]+")
#: What the run folder's top holds of the last evaluation (copied there by the evaluation stage).
TOP_LEVEL_REPORT = ("report.json", "report.md", "report.html", "plots")
#: In a stage's start note: the outputs fingerprint of the earlier work that start set aside.
REPLACED_OUTPUTS = "replaced_outputs"
TRACKED_LIBRARIES = ("domainkit", "torch", "transformers", "peft", "datasets", "evaluate", "spacy",
                     "scikit-learn", "pandas")


def is_run_config(data: Any) -> bool:
    """True for the config.json a ``domainkit run`` writes at the top of its run folder.

    Shared with the model loader, which refuses a run folder with a hint to the model inside it.
    """
    return isinstance(data, dict) and _RUN_CONFIG_KEYS <= data.keys()


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in TRACKED_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def fingerprint(value: Any) -> str:
    """Stable short hash of any JSON-serialisable value."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class StageManifest:
    stage: str
    config_hash: str
    inputs: dict[str, str]
    outputs: dict[str, Any]
    versions: dict[str, str]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "config_hash": self.config_hash,
            "inputs": self.inputs,
            "outputs": self.outputs,
            "versions": self.versions,
            "seconds": round(self.seconds, 3),
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }


class RunFolder:
    """The folder of one run (``--out``)."""

    def __init__(self, root: Path) -> None:
        # Absolute from the start: every path a stage returns then starts with it, which is how
        # relative() tells a path inside the folder from any other string (never by asking the disk).
        self.root = Path(os.path.abspath(root))
        self._adopted = False  # set by claim(): this run may write here

    def stage_dir(self, index: int, name: str) -> Path:
        return self.root / f"{index:02d}-{name}"

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold ``OUT/.domainkit.lock`` for the run; ConfigError when another run holds it.

        A folder this call created (and any lock file it added to a folder it then did not
        adopt) is removed again on the way out, so a refused run leaves nothing behind.
        """
        import fcntl

        if self.root.exists() and not self.root.is_dir():
            raise ConfigError(f"--out {self.root} is a file, not a folder",
                              hint="choose a new --out folder; the file is left as it is")
        created_root = not self.root.exists()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except (NotADirectoryError, FileExistsError):
            raise ConfigError(f"--out {self.root}: a part of this path is a file, not a folder",
                              hint="choose a --out path whose parents are folders") from None
        lock_path = self.root / LOCK
        created_lock = not lock_path.exists()
        handle = lock_path.open("a")
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise ConfigError(f"{self.root} is in use by another domainkit run",
                                  hint="wait for it to finish, or choose another --out folder") from None
            try:
                yield
            finally:
                if not self._adopted:  # refused: leave the folder as it was found
                    if created_lock:
                        lock_path.unlink(missing_ok=True)
                    if created_root and not any(self.root.iterdir()):
                        self.root.rmdir()
        finally:
            handle.close()

    def entries(self) -> list[Path]:
        """What the folder holds, besides the lock file."""
        return [path for path in self.root.iterdir() if path.name != LOCK] if self.root.is_dir() else []

    def claim(self, config: dict[str, Any], config_hash: str) -> None:
        """Adopt the folder for this config; refuse one holding another run.

        Refusing (rather than overwriting) keeps what existed before: a user
        who changes options picks a new ``--out``.
        """
        saved = self.root / RUN_CONFIG_FILE
        if saved.is_file():
            previous = self._read_run_config(saved)
            if previous.get("config_hash") != config_hash:
                changed = _changed_keys(previous.get("config", {}), config, defaults=ADDED_FIELDS)
                raise ConfigError(
                    f"{self.root} holds a run with another configuration (changed: {', '.join(changed) or 'unknown'})",
                    hint="choose a new --out folder to keep the earlier run, or delete that folder to replace it",
                )
            self._adopted = True
            return
        if self.entries():
            raise ConfigError(
                f"{self.root} exists and is not a domainkit run folder",
                hint="choose an empty or new --out folder",
            )
        write_json(saved, {"config_hash": config_hash, "config": config, "versions": library_versions()})
        self._adopted = True

    def _read_run_config(self, saved: Path) -> dict[str, Any]:
        try:
            previous = json.loads(saved.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = None
        if not isinstance(previous, dict) or not isinstance(previous.get("config", {}), dict):
            raise ConfigError(f"{self.root} holds a config.json that is not a domainkit run's",
                              hint="choose an empty or new --out folder; this one is left as it is")
        return previous

    # -- stages ----------------------------------------------------------------------------------
    def finished(self, stage_dir: Path, config_hash: str, inputs: dict[str, str]) -> dict[str, Any] | None:
        """The manifest of a finished stage whose config, inputs and recorded files all match, else None."""
        recorded = _read_json(stage_dir / MANIFEST)
        if recorded is None or recorded.get("config_hash") != config_hash or recorded.get("inputs") != inputs:
            return None
        outputs = self.absolute(recorded.get("outputs", {}))
        if not all(path.exists() for path in self._recorded_paths(recorded.get("outputs", {}))):
            return None  # a file the stage made is gone: its work has to be done again
        return {**recorded, "outputs": outputs}

    def start(self, stage_dir: Path, config_hash: str, inputs: dict[str, str]) -> bool:
        """Prepare ``stage_dir`` for a run of the stage with ``inputs``; True when it resumes earlier work.

        Work left by a start with other inputs (or a manifest that no longer matches) is moved
        aside to ``.NN-stage.replaced-<time>``, named in the log: resuming from it would train
        from another data set's checkpoints, and deleting it would lose what existed before.
        """
        started = {"config_hash": config_hash, "inputs": inputs}
        noted = _read_json(stage_dir / STARTED)
        if _made_in(stage_dir):
            # A folder without the note is an interruption from before the note existed: resumed, as then.
            same_start = noted is None or {k: noted.get(k) for k in started} == started
            if not (stage_dir / MANIFEST).exists() and same_start:
                write_json(stage_dir / STARTED, {**(noted or {}), **started})
                return True
            manifest = _read_json(stage_dir / MANIFEST)
            aside = stage_dir.with_name(f".{stage_dir.name}.replaced-{_replaced_stamp()}")
            os.replace(stage_dir, aside)
            from domainkit.log import get_logger

            get_logger(__name__).warning("%s: its inputs changed (or a file it made is gone) since it ran; the "
                                         "earlier work is kept in %s (delete it when no longer needed)",
                                         stage_dir.name, aside.name)
            # What the replaced work made, so that once this run's outputs differ from it the later
            # stages and the report made from it are set aside too (see ``set_aside_what_came_after``).
            replaced = (manifest or {}).get("outputs", {}).get("fingerprint") or (noted or {}).get(REPLACED_OUTPUTS)
            if replaced:
                started[REPLACED_OUTPUTS] = replaced
        stage_dir.mkdir(parents=True, exist_ok=True)
        write_json(stage_dir / STARTED, started)
        return False

    def replaced_outputs(self, stage_dir: Path) -> str | None:
        """The outputs fingerprint of the work this stage's current start replaced, if it replaced any."""
        return (_read_json(stage_dir / STARTED) or {}).get(REPLACED_OUTPUTS)

    def set_aside_what_came_after(self, stage_dir: Path) -> None:
        """Later stages and the run's top-level report came from replaced work: set them aside too.

        Called when a stage that replaced earlier work made other outputs than it. The later
        stages would be redone when the run reaches them, but a run interrupted before then left
        the old report and the old exported model in view, unmarked, for ``predict`` to use. (A
        stage whose outputs came out the same keeps the later stages: they are reused.)
        """
        from domainkit.log import get_logger

        stamp = _replaced_stamp()
        index = int(stage_dir.name[:2])
        later = [path for path in self.entries()
                 if path.is_dir() and _STAGE_FOLDER.fullmatch(path.name) and int(path.name[:2]) > index]
        for path in later:
            os.replace(path, path.with_name(f".{path.name}.replaced-{stamp}"))
        # Only a report older than this stage's start: a redone evaluation has just published its own.
        started = (stage_dir / STARTED).stat().st_mtime_ns if (stage_dir / STARTED).exists() else None
        reports = [self.root / name for name in TOP_LEVEL_REPORT if (self.root / name).exists()
                   and (started is None or (self.root / name).stat().st_mtime_ns < started)]
        if reports:
            kept = self.root / f".report.replaced-{stamp}"
            kept.mkdir()
            for path in reports:
                os.replace(path, kept / path.name)
        if later or reports:
            get_logger(__name__).warning("%s: made from the replaced work, set aside beside it (.NAME.replaced-%s)",
                                         ", ".join(p.name for p in later + reports), stamp)

    def release_if_nothing_made(self, config_hash: str) -> bool:
        """Empty a folder claimed by another configuration whose run made nothing; True when it did.

        The folder is claimed before the data is read, so a run refused for its data (a
        misspelled --label-column) leaves config.json and a stage folder holding only its start
        note; refusing the corrected rerun would cost the user a new --out. A folder in which any
        stage made anything (a manifest, a checkpoint, any file) is left as it is, and ``claim``
        refuses it: nothing made is lost.
        """
        saved = self.root / RUN_CONFIG_FILE
        previous = _read_json(saved) if saved.is_file() else None
        # Only a config.json that a domainkit run wrote, beside nothing but stage folders ("01-data")
        # that hold at most the note of their start.
        if not is_run_config(previous) \
                or previous["config_hash"] == config_hash:
            return False
        others = [path for path in self.entries() if path != saved]
        if not all(path.is_dir() and _STAGE_FOLDER.fullmatch(path.name) and not _made_in(path) for path in others):
            return False
        for path in others:
            (path / STARTED).unlink(missing_ok=True)
            path.rmdir()
        saved.unlink()  # last: an interruption before this leaves a folder that is still released next time
        return True

    def record(self, stage_dir: Path, manifest: StageManifest) -> None:
        write_json(stage_dir / MANIFEST, manifest.to_dict())

    # -- paths relative to the run folder --------------------------------------------------------
    def relative(self, value: Any) -> Any:
        """``value`` with every absolute path inside the run folder written as ``@run/<relative path>``."""
        def to_relative(text: str) -> str:
            if os.path.isabs(text):
                path = os.path.normpath(text)
                if os.path.commonpath([path, str(self.root)]) == str(self.root) and path != str(self.root):
                    return RUN_PREFIX + Path(os.path.relpath(path, self.root)).as_posix()
            return text  # not a path inside the run folder (the teacher store, a label, a count): as is

        return _map_strings(value, to_relative)

    def absolute(self, value: Any) -> Any:
        """The inverse of :meth:`relative`, against this folder wherever it now lies."""
        return _map_strings(value, lambda text: str(self._inside(text)) if text.startswith(RUN_PREFIX) else text)

    def _inside(self, recorded: str) -> Path:
        return self.root / recorded[len(RUN_PREFIX):]

    def _recorded_paths(self, value: Any) -> list[Path]:
        found: list[Path] = []
        _map_strings(value, lambda text: found.append(self._inside(text)) if text.startswith(RUN_PREFIX) else None)
        return found


def _map_strings(value: Any, change) -> Any:
    """``value`` (dicts and lists of JSON values) with ``change`` applied to every string in it."""
    if isinstance(value, dict):
        return {key: _map_strings(item, change) for key, item in value.items()}
    if isinstance(value, list):
        return [_map_strings(item, change) for item in value]
    return change(value) if isinstance(value, str) else value


def _made_in(stage_dir: Path) -> list[Path]:
    """What a stage made in its folder: everything besides the note of its start."""
    return [path for path in stage_dir.iterdir() if path.name != STARTED] if stage_dir.is_dir() else []


def _replaced_stamp() -> str:
    """The time and a random suffix for ``.NAME.replaced-<stamp>``: two set-asides never share a name."""
    return f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:6]}"


def _read_json(path: Path) -> Any:
    """The JSON in ``path``, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _changed_keys(old: dict[str, Any], new: dict[str, Any], prefix: str = "",
                  defaults: dict[tuple[str, str], Any] | None = None) -> list[str]:
    """Dotted keys whose values differ; a key the old config lacks counts at its ``defaults`` value."""
    changed = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            changed.extend(_changed_keys(a, b, f"{prefix}{key}.", defaults))
        elif key not in old and (prefix.rstrip("."), key) in (defaults or {}):
            if defaults[(prefix.rstrip("."), key)] != b:
                changed.append(prefix + key)
        elif a != b:
            changed.append(prefix + key)
    return changed
