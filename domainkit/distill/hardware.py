"""Whether bf16 autocast pays off on this machine (decided by a documented heuristic, not a benchmark)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import torch

#: CPU flags with native bf16 arithmetic. With them, autocast matmuls run in bf16
#: (seen on these 2-core machines: MiniLM training 15 -> 21 seq/s); without them
#: bf16 is emulated and slower than fp32, so "auto" stays in fp32.
NATIVE_BF16_FLAGS = ("avx512_bf16", "amx_bf16")


@lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


def native_bf16_flags() -> list[str]:
    """This CPU's flags for native bf16 arithmetic (empty: bf16 would be emulated, slower than fp32)."""
    return [f for f in NATIVE_BF16_FLAGS if f in cpu_flags()]


def decide_bf16(setting: bool | str) -> tuple[bool, str]:
    """(use bf16 autocast, why)."""
    if setting is True or setting is False:
        return setting, "set in the config"
    if torch.cuda.is_available():
        ok = torch.cuda.is_bf16_supported()
        return ok, "GPU supports bf16" if ok else "GPU lacks bf16"
    native = native_bf16_flags()
    if native:
        return True, f"CPU has native bf16 ({', '.join(native)})"
    return False, "CPU has no native bf16 instructions: fp32 is faster"


def training_attention(bf16: bool) -> str | None:
    """The attention implementation to train the student with (None = the transformers default).

    Why not the default: on CPU with bf16 autocast, PyTorch's scaled-dot-product
    attention has a slow backward for short, padded sequences. Measured on these
    2-core machines (MiniLM-L6, batches of 16 HPO definitions, CPU ms per text):
    sdpa forward 7.3 / backward 18.8, eager forward 7.1 / backward 12.5, the
    same mathematics. In fp32 and on GPUs sdpa is as fast or faster, so it stays.
    """
    if bf16 and not torch.cuda.is_available():
        return "eager"
    return None
