"""Model size: parameter count and disk size of the saved weights.

MB in reports means MiB (2**20 bytes), for disk and memory alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch is imported only where a model is counted: the TF-IDF baseline's measuring
    import torch   # child reads this module, and importing torch would double the peak memory it reports

#: Files that hold weights (config and tokenizer files are not counted), in the order a loader
#: prefers them: transformers reads safetensors when a folder has them, pickle checkpoints only
#: otherwise, and domainkit runs the ONNX files of a folder with neither (heads/loading.py).
WEIGHT_FORMATS = (("*.safetensors",), ("pytorch_model*.bin",), ("*.onnx", "*.onnx_data"))
MIB = 2**20


def count_parameters(model: "torch.nn.Module") -> int:
    """Parameters of ``model``, int8 dynamic Linear layers included.

    Dynamically quantised Linear layers keep their weights in packed params,
    not in ``parameters()``; they are counted from the unpacked weight so an
    int8 model reports the same count as its fp32 source.
    """
    total = sum(p.numel() for p in model.parameters())
    for module in model.modules():
        packed = getattr(module, "_packed_params", None)
        if packed is not None and callable(getattr(module, "weight", None)):
            total += module.weight().numel()
            bias = module.bias()
            total += 0 if bias is None else bias.numel()
    return int(total)


def weights_disk_mb(model_dir: Path) -> float:
    """Size in MiB of the weight files in ``model_dir`` that loading it reads.

    Only the first format present counts: many Hub checkpoints carry the same tensors as both
    ``model.safetensors`` and ``pytorch_model.bin``, and summing both doubled the model's size.
    """
    for patterns in WEIGHT_FORMATS:
        files = {p for pattern in patterns for p in Path(model_dir).glob(pattern) if p.is_file()}
        if files:
            return sum(p.stat().st_size for p in files) / MIB
    return 0.0
