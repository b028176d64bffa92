"""Run folders: one folder per run, one sub-folder per stage, each with a manifest.

``OUT/config.json`` holds the resolved config. ``OUT/NN-stage/manifest.json``
records the config hash, the stage's input fingerprints, library versions and
the stage's outputs. It is written last and atomically, so its presence means
the stage finished; a stage folder without one is an interrupted stage, which
resumes from its own checkpoints on the next run.
"""

from __future__ import annotations

import hashlib
import json
import platform
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from domainkit.atomic import write_json
from domainkit.errors import ConfigError

MANIFEST = "manifest.json"
TRACKED_LIBRARIES = ("domainkit", "torch", "transformers", "peft", "datasets", "evaluate", "spacy",
                     "scikit-learn", "pandas")


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
        self.root = Path(root)

    def stage_dir(self, index: int, name: str) -> Path:
        return self.root / f"{index:02d}-{name}"

    def claim(self, config: dict[str, Any], config_hash: str) -> None:
        """Adopt the folder for this config; refuse one holding another run.

        Refusing (rather than overwriting) keeps what existed before: a user
        who changes options picks a new ``--out``.
        """
        saved = self.root / "config.json"
        if saved.is_file():
            previous = json.loads(saved.read_text())
            if previous.get("config_hash") != config_hash:
                changed = _changed_keys(previous.get("config", {}), config)
                raise ConfigError(
                    f"{self.root} holds a run with another configuration (changed: {', '.join(changed) or 'unknown'})",
                    hint="choose a new --out folder to keep the earlier run, or delete that folder to replace it",
                )
            return
        if self.root.exists() and any(self.root.iterdir()):
            raise ConfigError(
                f"{self.root} exists and is not a domainkit run folder",
                hint="choose an empty or new --out folder",
            )
        write_json(saved, {"config_hash": config_hash, "config": config, "versions": library_versions()})

    def finished(self, stage_dir: Path, config_hash: str, inputs: dict[str, str]) -> dict[str, Any] | None:
        """The outputs of a finished stage whose manifest matches, else None."""
        manifest = stage_dir / MANIFEST
        if not manifest.is_file():
            return None
        recorded = json.loads(manifest.read_text())
        if recorded.get("config_hash") != config_hash or recorded.get("inputs") != inputs:
            return None
        return recorded.get("outputs", {})

    def record(self, stage_dir: Path, manifest: StageManifest) -> None:
        write_json(stage_dir / MANIFEST, manifest.to_dict())


def _changed_keys(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[str]:
    changed = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            changed.extend(_changed_keys(a, b, f"{prefix}{key}."))
        elif a != b:
            changed.append(prefix + key)
    return changed
