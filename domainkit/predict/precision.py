"""The arithmetic precision ``domainkit predict`` runs an fp32 model in: fp32 (the default) or bf16.

Why an opt-in bf16: on a CPU with native bf16 instructions (avx512_bf16, amx_bf16) bf16
autocast runs the student's matmuls much faster than fp32. Measured on these 2-core machines
with the medical run's exported MiniLM student (``python bench/bench_predict.py --model
runs/medical-s13/06-export/model``, 512 HPO definitions, batches of 32): 293.6 against 194.4
documents/s (1.51x), the same label for 0.998 of documents, no probability moved by more than
0.0085. fp32 stays the default: it is what the run report measured, to the last digit.

bf16 applies to a plain fp32 model folder (a student, a teacher with a pooled head). An int8
folder is already quantised and an ONNX folder runs on onnxruntime in its own precision, so
both refuse bf16 with an error that names their variant instead of silently ignoring it.
"""

from __future__ import annotations

import contextlib
import logging

import torch

from domainkit.errors import ConfigError
from domainkit.heads.loading import Classifier

PRECISIONS = ("fp32", "bf16")

log = logging.getLogger(__name__)


def require_known_precision(precision: str) -> None:
    """Refuse a precision that is not one of :data:`PRECISIONS` (before any work starts)."""
    if precision not in PRECISIONS:
        raise ConfigError(f"unknown precision {precision!r}", hint=f"choose one of: {', '.join(PRECISIONS)}")


def check_precision(precision: str, classifier: Classifier) -> None:
    """Refuse an unknown precision, and bf16 for an int8 or ONNX model; warn when bf16 is emulated."""
    require_known_precision(precision)
    if precision == "fp32":
        return
    variant = _fixed_precision_variant(classifier)
    if variant is not None:
        raise ConfigError(
            f"--precision bf16 applies to fp32 model folders; {classifier.path} is an {variant} variant",
            hint="drop --precision (the variant runs in its own precision), or pass the fp32 model folder")
    from domainkit.distill.hardware import native_bf16_flags

    # predict always runs on the CPU, so a GPU on the host does not change what bf16 costs here.
    if not native_bf16_flags():
        log.warning("this CPU has no native bf16 instructions (avx512_bf16, amx_bf16): bf16 is emulated "
                    "and slower than fp32 here")


def _fixed_precision_variant(classifier: Classifier) -> str | None:
    if classifier.settings.quantized == "dynamic_int8":
        return "int8"
    if not isinstance(classifier.model, torch.nn.Module):
        return "ONNX"
    return None


def autocast(precision: str) -> contextlib.AbstractContextManager:
    """The context a forward pass runs in for ``precision`` (a no-op for fp32)."""
    if precision == "bf16":
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return contextlib.nullcontext()
