"""Stable fingerprints of models, tokenizers and examples: the keys of every cache."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

#: Files whose bytes define a model folder's behaviour; READMEs and the like are ignored.
MODEL_FILE_SUFFIXES = (".safetensors", ".bin", ".json", ".txt", ".model")
_CHUNK = 1 << 20


def hash_json(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


#: Files a run writes beside a model's weights after training (scores, inference settings, manifests):
#: they change while the weights do not, so ``weights_fingerprint`` leaves them out.
BOOKKEEPING_FILES = frozenset({"teacher_result.json", "domainkit_inference.json", "export_manifest.json",
                               "trainer_state.json", "training_args.bin"})


def model_fingerprint(folder: Path, *, skip: frozenset[str] = frozenset()) -> str:
    """sha256 over the weights, config and tokenizer files of a model folder (names and bytes)."""
    digest = hashlib.sha256()
    folder = Path(folder)
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in MODEL_FILE_SUFFIXES):
        if "checkpoint-" in str(path.relative_to(folder)) or path.name in skip:
            continue
        digest.update(str(path.relative_to(folder)).encode())
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def weights_fingerprint(folder: Path) -> str:
    """``model_fingerprint`` without the run's bookkeeping files: what a model computes, not what was said of it.

    A shared teacher's ``teacher_result.json`` is rewritten when another run scores it on another
    test split; keyed on the whole folder, an interrupted distillation then refused to resume.
    """
    return model_fingerprint(folder, skip=BOOKKEEPING_FILES)


def tokenizer_fingerprint(tokenizer: Any) -> str:
    """Hash of the full tokenizer definition (fast tokenizers serialise it), else of its vocabulary."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is not None:
        payload = backend.to_str()
    else:
        payload = json.dumps(sorted(tokenizer.get_vocab().items()))
    return hashlib.sha256(f"{type(tokenizer).__name__}\n{payload}".encode()).hexdigest()


def example_key(text: str, *, max_length: int, tokenizer_fp: str, role: str) -> str:
    """Cache key of one example: sha256 of its text, truncation length, tokenizer and role."""
    digest = hashlib.sha256()
    for part in (role, str(max_length), tokenizer_fp, text):
        digest.update(part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()
