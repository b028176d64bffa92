"""Per-label decision thresholds for multi-label models, tuned on the run's validation split.

A sigmoid output of 0.5 is rarely the best cut-off for a rare label: the
model is trained on data where the label is mostly absent, so its
probabilities for that label run low. Each model (teacher, student,
labels-only student) gets thresholds that maximise per-label F1 on the
validation documents split off the training data (never seen in training,
never the test split), so the report compares the models on equal terms.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from domainkit.data.taskdata import TaskData


def tune_for_model(model_dir: Path, data: TaskData, **overrides: Any) -> dict[str, float]:
    """Thresholds by label name for ``model_dir`` (``overrides``: window settings, as in evaluation)."""
    from domainkit.evaluation.inference import predict_proba
    from domainkit.heads.loading import load_classifier
    from domainkit.heads.multilabel import multi_hot, thresholds_to_dict, tune_thresholds

    classifier = load_classifier(Path(model_dir), **overrides)
    probabilities = predict_proba(classifier, data.validation_texts)
    truth = multi_hot(data.validation_label_ids, len(data.label_names))
    return thresholds_to_dict(tune_thresholds(probabilities, truth), data.label_names)


def store_in_model(model_dir: Path, thresholds: dict[str, float]) -> None:
    """Write ``thresholds`` into the model's inference settings (exported and used by predict)."""
    from domainkit.heads.settings import read_settings, write_settings

    write_settings(Path(model_dir), read_settings(Path(model_dir)).with_changes(thresholds=thresholds))
