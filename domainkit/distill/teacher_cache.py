"""On-disk cache of teacher outputs: the teacher runs once per example, not once per epoch.

Layout::

    <root>/<teacher fingerprint[:20]>/<output spec hash[:16]>/spec.json
                                                              shard-<n>-<uuid>.safetensors

The teacher fingerprint hashes its weights and config; the output spec hashes
what is stored (top-k, layers, alignment mode, MLM masking seed...). Either
changing selects another folder, so stale outputs are never read. Inside, each
example's arrays are stored under ``<example key>/<field>`` where the key is
sha256(role, max_length, tokenizer, text) (see ``fingerprint.example_key``).
Shards are written to a temporary name, fsynced and renamed: a crash never leaves a
half-written shard (an unreadable one is set aside and recomputed), and a re-run computes only the examples no shard holds.
Arrays are fp16 (values, hidden states) and int32 (indices) to halve the disk.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import load_file, save

from domainkit.distill.fingerprint import hash_json
from domainkit.errors import DomainkitError
from domainkit.heads._atomic import atomic_write_bytes, atomic_write_text
from domainkit.log import get_logger

Record = dict[str, np.ndarray]
log = get_logger(__name__)
#: Examples per shard: bounds the work lost to a crash and the memory of one write.
SHARD_SIZE = 256


class TeacherCache:
    """Teacher outputs for one (teacher, output spec), shared by every run that uses them."""

    def __init__(self, root: Path, teacher_fingerprint: str, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.folder = Path(root) / teacher_fingerprint[:20] / hash_json(spec)[:16]
        self._records: dict[str, Record] | None = None
        self.computed = 0  # examples the teacher ran on in this process (for the report and tests)

    def _load(self) -> dict[str, Record]:
        if self._records is None:
            records: dict[str, Record] = {}
            for shard in sorted(self.folder.glob("shard-*.safetensors")):
                for name, array in _read_shard(shard).items():
                    key, field = name.split("/", 1)
                    records.setdefault(key, {})[field] = array
            self._records = records
        return self._records

    def __contains__(self, key: str) -> bool:
        return key in self._load()

    def __len__(self) -> int:
        return len(self._load())

    def get(self, key: str) -> Record:
        return self._load()[key]

    def ensure(
        self, keys: Sequence[str], compute: Callable[[list[int]], list[Record]], *, shard_size: int = SHARD_SIZE
    ) -> list[Record]:
        """Records for ``keys``; ``compute(indices)`` runs only for keys no shard holds.

        ``compute`` receives positions into ``keys`` and returns one record per position.
        """
        records = self._load()
        missing, seen = [], set()
        for i, key in enumerate(keys):
            if key not in records and key not in seen:
                missing.append(i)
                seen.add(key)
        for start in range(0, len(missing), shard_size):
            chunk = missing[start : start + shard_size]
            computed = compute(chunk)
            if len(computed) != len(chunk):
                raise RuntimeError(f"teacher computed {len(computed)} records for {len(chunk)} examples")
            new = {keys[i]: record for i, record in zip(chunk, computed, strict=True)}
            self._write_shard(new)
            records.update(new)
            self.computed += len(chunk)
        return [records[key] for key in keys]

    def _write_shard(self, new: dict[str, Record]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        spec_file = self.folder / "spec.json"
        if not spec_file.exists():
            atomic_write_text(spec_file, json.dumps(self.spec, indent=2, sort_keys=True, default=str))
        tensors = {f"{key}/{field}": np.ascontiguousarray(a) for key, rec in new.items() for field, a in rec.items()}
        overflowing = sorted({name.split("/", 1)[1] for name, a in tensors.items() if not _finite(a)})
        if overflowing:  # stored, they would be set aside as damaged at every read; fail once, clearly
            raise DomainkitError(
                f"the teacher's outputs are not finite in fp16 ({', '.join(overflowing)}): the cache cannot hold them",
                hint="check the teacher checkpoint: NaN, or values beyond fp16's range (65504), come from damaged or "
                     "unstable weights")
        count = len(list(self.folder.glob("shard-*.safetensors")))
        final = self.folder / f"shard-{count:05d}-{uuid.uuid4().hex[:8]}.safetensors"
        atomic_write_bytes(final, save(tensors, metadata={"examples": str(len(new))}))


def _read_shard(shard: Path) -> Record:
    """A shard's arrays; an unreadable shard is set aside (renamed ``.unreadable-...``) and its examples recomputed.

    Shards are fsynced before they are renamed into place, but a disk error or a copy cut short
    can still damage one; one bad file must not stop every later run that uses this teacher.
    """
    try:
        arrays = load_file(str(shard))
    except Exception as error:  # safetensors raises its own error type for a damaged file
        return _set_aside(shard, type(error).__name__)
    # A shard whose header survived but whose data did not (bytes overwritten on disk) parses; its
    # values then read as NaN or inf, and every run stopped on a non-finite loss that named no cache.
    if not all(_finite(a) for a in arrays.values()):
        return _set_aside(shard, "values that are not finite")
    return arrays


def _finite(array: np.ndarray) -> bool:
    """No NaN or infinity (integer arrays, the top-k indices, always are)."""
    return not np.issubdtype(array.dtype, np.floating) or bool(np.isfinite(array).all())


def _set_aside(shard: Path, why: str) -> Record:
    aside = shard.with_name(f".unreadable-{shard.name}")
    os.replace(shard, aside)
    log.warning("teacher cache: %s is unreadable (%s); set aside as %s, its examples are computed again",
                shard, why, aside.name)
    return {}


def topk_arrays(logits: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k values (fp16) and indices (int32) along the last axis, largest first."""
    k = min(k, logits.shape[-1])
    idx = np.argpartition(-logits, k - 1, axis=-1)[..., :k]
    vals = np.take_along_axis(logits, idx, axis=-1)
    order = np.argsort(-vals, axis=-1)
    idx = np.take_along_axis(idx, order, axis=-1)
    vals = np.take_along_axis(vals, order, axis=-1)
    return vals.astype(np.float16), idx.astype(np.int32)
