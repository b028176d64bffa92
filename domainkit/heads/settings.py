"""Inference settings stored next to a model's weights.

``domainkit_inference.json`` records what a model needs at prediction time
beyond what ``config.json`` says: the window length, whether long documents
are split into sliding windows, the tuned multi-label thresholds, the
de-identification policy to apply to inputs, and whether the weights are a
dynamic int8 variant. Plain ``transformers`` ignores the file, so an exported
folder stays loadable without domainkit.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from domainkit.heads._atomic import atomic_write_text
from domainkit.heads.long_document import WINDOW_SELECTIONS, default_stride

SETTINGS_FILE = "domainkit_inference.json"


@dataclass(frozen=True)
class InferenceSettings:
    """How a classifier folder is run.

    ``max_length``: word pieces per window. ``long_documents``: split longer
    texts into windows of ``max_length`` overlapping by ``stride`` and pool.
    ``max_windows``: at most this many windows per document (0 = all),
    picked by ``window_selection`` (``spread`` or ``first``, see
    :mod:`domainkit.heads.long_document`).
    ``thresholds``: per-label multi-label cut-offs by label name.
    ``deid_policy``: the de-identification policy as a dict (DeidPolicy fields)
    or None. ``quantized``: ``"dynamic_int8"`` for an int8 folder, else None.
    """

    max_length: int = 128
    long_documents: bool = False
    #: None: a quarter of the window, at most 32 (``default_stride``), as evaluation uses.
    stride: int | None = None
    max_windows: int = 0
    window_selection: str = "first"
    thresholds: dict[str, float] | None = None
    deid_policy: dict[str, Any] | None = None
    quantized: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.max_length < 8:
            raise ValueError(f"max_length must be >= 8 word pieces, got {self.max_length}")
        if self.stride is None:
            object.__setattr__(self, "stride", default_stride(self.max_length))
        if not 0 <= self.stride < self.max_length - 2:
            raise ValueError(f"stride must be in [0, max_length - 2), got {self.stride}")
        if self.window_selection not in WINDOW_SELECTIONS:
            raise ValueError(f"unknown window_selection {self.window_selection!r}; available: {', '.join(WINDOW_SELECTIONS)}")
        if self.quantized not in (None, "dynamic_int8"):
            raise ValueError(f"unknown quantization {self.quantized!r}; available: dynamic_int8")

    def with_changes(self, **changes: Any) -> InferenceSettings:
        """A copy with ``changes``; a shorter window without a stride of its own gets one that fits it."""
        if "max_length" in changes and "stride" not in changes:
            changes["stride"] = min(self.stride, default_stride(changes["max_length"]))
        return replace(self, **changes)


def read_settings(model_dir: Path) -> InferenceSettings:
    """Settings of ``model_dir``; defaults when the folder has none (a plain HF folder)."""
    path = Path(model_dir) / SETTINGS_FILE
    if not path.exists():
        return InferenceSettings()
    data = json.loads(path.read_text(encoding="utf-8"))
    known = {k: v for k, v in data.items() if k in InferenceSettings.__dataclass_fields__}
    return InferenceSettings(**known)


def write_settings(model_dir: Path, settings: InferenceSettings) -> Path:
    path = Path(model_dir) / SETTINGS_FILE
    atomic_write_text(path, json.dumps(asdict(settings), indent=2, sort_keys=True) + "\n")
    return path
