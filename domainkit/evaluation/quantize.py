"""Dynamic int8 quantisation of a classifier's Linear layers, saved and reloadable.

Dynamic quantisation stores Linear weights as int8 and quantises activations
on the fly: no calibration data needed, and on CPU the encoder's matrix
multiplies (almost all of its time) run about 2x faster. Embeddings and
LayerNorm stay fp32, which keeps accuracy loss small.

An int8 folder holds ``config.json``, the tokenizer, the quantised state dict
(``domainkit_int8.pt``) and ``domainkit_inference.json`` with
``quantized = "dynamic_int8"``. Reloading rebuilds the fp32 architecture from
the config, quantises it the same way and loads the int8 state dict (the
packed int8 tensors cannot be loaded into an fp32 model directly).
"""

from __future__ import annotations

import io
import shutil
import warnings
from pathlib import Path

import torch

from domainkit.heads._atomic import atomic_write_bytes
from domainkit.heads.settings import read_settings, write_settings

INT8_WEIGHTS = "domainkit_int8.pt"
#: Files copied from the fp32 folder: config and tokenizer, never the fp32 weights.
_COPIED_SUFFIXES = (".json", ".txt", ".model")
_SKIPPED = {"model.safetensors.index.json", "pytorch_model.bin.index.json"}


def quantize_dynamic_int8(model: torch.nn.Module) -> torch.nn.Module:
    """Quantise every ``nn.Linear`` of an fp32 model (eval mode) to int8 weights."""
    with warnings.catch_warnings():
        # torch marks torch.ao quantisation deprecated in favour of torchao,
        # which is not installed here; the API still works on torch 2.13.
        warnings.simplefilter("ignore")
        # Per-channel weight scales (one per output row) instead of one per
        # matrix: the same int8 speed, less rounding error. On hpo-organ-system
        # per-tensor scales cost 1.07 macro-F1 points.
        spec = {torch.nn.Linear: torch.ao.quantization.per_channel_dynamic_qconfig}
        return torch.ao.quantization.quantize_dynamic(model.eval(), spec, dtype=torch.qint8)


def save_int8(model_dir: Path, out_dir: Path) -> Path:
    """Quantise the fp32 classifier in ``model_dir`` and write an int8 folder to ``out_dir``."""
    from transformers import AutoModelForSequenceClassification

    model_dir, out_dir = Path(model_dir), Path(out_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir, local_files_only=True)
    quantized = quantize_dynamic_int8(model)
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in model_dir.iterdir():
        if path.is_file() and path.suffix in _COPIED_SUFFIXES and path.name not in _SKIPPED:
            shutil.copy2(path, out_dir / path.name)
    buffer = io.BytesIO()
    torch.save(quantized.state_dict(), buffer)
    atomic_write_bytes(out_dir / INT8_WEIGHTS, buffer.getvalue())
    write_settings(out_dir, read_settings(model_dir).with_changes(quantized="dynamic_int8"))
    return out_dir


def load_int8_model(model_dir: Path, config) -> torch.nn.Module:
    """Rebuild the int8 classifier saved by :func:`save_int8`."""
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_config(config)
    quantized = quantize_dynamic_int8(model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # weights_only=False: packed int8 params are torch objects the safe
        # unpickler refuses. The file is one this project wrote itself.
        state = torch.load(Path(model_dir) / INT8_WEIGHTS, map_location="cpu", weights_only=False)
    quantized.load_state_dict(state)
    return quantized.eval()
