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


def load_classifier(model_dir: Path, **overrides: Any) -> Classifier:
    """Load ``model_dir`` offline; ``overrides`` replace stored inference settings.

    Raises ModelError naming the folder when it is not a classifier folder.
    """
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

    model_dir = Path(model_dir)
    if not (model_dir / "config.json").is_file():
        raise ModelError(
            f"{model_dir} is not a model folder (no config.json)",
            hint="pass a folder written by save_pretrained or by `domainkit export`",
        )
    settings = read_settings(model_dir)
    if overrides:
        settings = settings.with_changes(**overrides)
    config = AutoConfig.from_pretrained(model_dir, local_files_only=True)
    if settings.quantized == "dynamic_int8":
        from domainkit.evaluation.quantize import load_int8_model

        model = load_int8_model(model_dir, config)
    else:
        model = AutoModelForSequenceClassification.from_pretrained(model_dir, local_files_only=True)
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
