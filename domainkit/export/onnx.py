"""ONNX variant of a classifier and its onnxruntime runner.

Exported with the TorchScript-based ``torch.onnx.export(dynamo=False)``: the
dynamo exporter needs ``onnxscript``, which is not a dependency here, and the
classic exporter handles BERT-class encoders fine. Batch and sequence axes are
dynamic, so one file serves any batch and window length. Opset 17 is read by
every onnxruntime >= 1.14.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import torch

from domainkit.heads.loading import Classifier, MULTI_LABEL_PROBLEM, label_names_of
from domainkit.heads.settings import read_settings

ONNX_FILE = "model.onnx"
OPSET = 17
_COPIED_SUFFIXES = (".json", ".txt", ".model")
_SKIPPED = {"model.safetensors.index.json", "pytorch_model.bin.index.json"}


class _LogitsOnly(torch.nn.Module):
    """Wraps a HF classifier so the exported graph has plain tensor in/out."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
        if token_type_ids is not None:
            kwargs["token_type_ids"] = token_type_ids
        return self.model(**kwargs).logits


def export_onnx(model_dir: Path, out_dir: Path) -> Path:
    """Write ``out_dir/model.onnx`` plus the config, tokenizer and inference settings."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model_dir, out_dir = Path(model_dir), Path(out_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir, local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    sample = tokenizer(["domainkit onnx export", "a second sample"], padding=True, return_tensors="pt")
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in model_dir.iterdir():
        if path.is_file() and path.suffix in _COPIED_SUFFIXES and path.name not in _SKIPPED:
            shutil.copy2(path, out_dir / path.name)
    tmp = out_dir / f".{ONNX_FILE}.tmp"
    dynamic = {name: {0: "batch", 1: "sequence"} for name in names} | {"logits": {0: "batch"}}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer warnings about python control flow in HF code
        torch.onnx.export(
            _LogitsOnly(model), tuple(sample[n] for n in names), str(tmp),
            input_names=names, output_names=["logits"], dynamic_axes=dynamic,
            opset_version=OPSET, dynamo=False,
        )
    tmp.replace(out_dir / ONNX_FILE)
    return out_dir / ONNX_FILE


class OnnxModel:
    """Callable like a HF model (``model(**encoding).logits``) on onnxruntime."""

    def __init__(self, path: Path) -> None:
        import onnxruntime

        # Telemetry is off already (ORT_DISABLE_TELEMETRY, set in domainkit/__init__ before any
        # import); this also covers a process that imported onnxruntime before domainkit.
        if hasattr(onnxruntime, "disable_telemetry_events"):
            onnxruntime.disable_telemetry_events()
        options = onnxruntime.SessionOptions()
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.input_names = [i.name for i in self.session.get_inputs()]

    def eval(self) -> OnnxModel:
        return self

    def __call__(self, **encoding: Any) -> SimpleNamespace:
        feeds = {name: np.asarray(encoding[name], dtype=np.int64) for name in self.input_names}
        (logits,) = self.session.run(["logits"], feeds)
        return SimpleNamespace(logits=torch.from_numpy(logits))


def load_onnx_classifier(onnx_dir: Path, **overrides: Any) -> Classifier:
    from transformers import AutoConfig, AutoTokenizer

    onnx_dir = Path(onnx_dir)
    config = AutoConfig.from_pretrained(onnx_dir, local_files_only=True)
    settings = read_settings(onnx_dir)
    if overrides:
        settings = settings.with_changes(**overrides)
    return Classifier(
        model=OnnxModel(onnx_dir / ONNX_FILE),
        tokenizer=AutoTokenizer.from_pretrained(onnx_dir, local_files_only=True),
        label_names=label_names_of(config),
        multi_label=getattr(config, "problem_type", None) == MULTI_LABEL_PROBLEM,
        settings=settings,
        path=onnx_dir,
    )
