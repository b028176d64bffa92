"""Task metrics through `evaluate`, from metric modules shipped in this folder.

``evaluate.load("accuracy")`` downloads the module from the Hub and fails
offline, so each metric lives here as ``<name>/<name>.py`` and is loaded by
path. ``METRIC_DIR`` is public so other code can load them the same way.

Macro averages (micro averages count every label) run over the labels that occur in the test
references or in the model's predictions: scikit-learn's default for label ids, and the only label
set under which every wrong prediction costs. Averaging over the reference labels alone would
drop a label no test document has even when a model predicts it, so a model that sends its
mistakes there would score higher than one that spreads them over real labels. A label that
occurs nowhere has no error to count and is left out (for 0/1 matrices scikit-learn would count
it as 0, punishing every model alike). :func:`present_labels` is that definition; the teacher
stage's scores (:func:`domainkit.distill.scoring.score_logits`) and the metric modules' defaults
use it too, so a macro-F1 means the same wherever domainkit prints one.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy loads with the first score: pack modules import REPORTED_METRICS and must stay light
    import numpy as np

METRIC_DIR = Path(__file__).resolve().parent
METRIC_NAMES = ("accuracy", "f1", "precision", "recall")

#: The scores every evaluated model gets in ``report.json``, and so the names a pack's evaluation
#: suite (``TaskSpec.metrics``) may choose for its report tables.
REPORTED_METRICS = ("accuracy", "macro_f1", "micro_f1", "macro_precision", "macro_recall", "ece")
#: Names the label set of macro averages (:func:`present_labels`). Stored scores carry it, so scores
#: stored under an earlier definition (labels of the references only) are recomputed, not reused.
MACRO_LABELS = "references-or-predictions"
#: The scores every report table shows (the issue's schema); a task's suite adds others.
DEFAULT_METRICS: tuple[str, ...] = ("accuracy", "macro_f1", "micro_f1", "ece")


def metric_path(name: str) -> Path:
    if name not in METRIC_NAMES:
        from domainkit.errors import ConfigError, unknown_choice

        raise ConfigError(unknown_choice("metric", name, METRIC_NAMES))
    return METRIC_DIR / name / f"{name}.py"


@lru_cache(maxsize=None)
def load_metric(name: str, multi_label: bool = False):
    """The local `evaluate` module ``name`` (``"multilabel"`` config for 0/1 matrices)."""
    import evaluate

    config = "multilabel" if multi_label else None
    return evaluate.load(str(metric_path(name)), config_name=config)


def macro_labels(labels, average: str, references, predictions, config_name: str):
    """The label set a shipped metric module averages over: the caller's, else for macro the report's.

    So a module loaded by path agrees with the report (scikit-learn's own default counts a 0/1
    column no row uses as 0).
    """
    if labels is not None or average != "macro":
        return labels
    return present_labels(references, predictions, multi_label=config_name == "multilabel") or None


def present_labels(references: np.ndarray, predictions: np.ndarray, *, multi_label: bool) -> list[int]:
    """Label ids that occur in the references or the predictions (the set macro averages run over).

    Label ids (single-label) or 0/1 matrices (multi-label: a label occurs where its column holds a 1).
    """
    import numpy as np

    references, predictions = np.asarray(references), np.asarray(predictions)
    if multi_label:
        occurs = (references.sum(axis=0) > 0) | (predictions.sum(axis=0) > 0)
        return [int(i) for i in np.flatnonzero(occurs)]
    return sorted({int(x) for x in references.ravel()} | {int(x) for x in predictions.ravel()})


def classification_metrics(predictions, references, *, multi_label: bool) -> dict[str, float | None]:
    """accuracy, macro/micro F1, macro precision and recall via the local modules.

    ``predictions``/``references``: label ids, or 0/1 matrices for multi-label
    (accuracy is then subset accuracy: every label of a document right). Macro scores average over
    :func:`present_labels`; they are None when no label occurs in the references or the predictions
    (sklearn would give NaN, which JSON cannot hold).
    """
    import numpy as np

    labels = present_labels(references, predictions, multi_label=multi_label)
    predictions, references = np.asarray(predictions).tolist(), np.asarray(references).tolist()
    kwargs = {"predictions": predictions, "references": references}
    averaged = {"labels": labels, "zero_division": 0}
    accuracy = load_metric("accuracy", multi_label).compute(**kwargs)["accuracy"]
    # micro: every label counts, so false alarms on labels absent from the test set still cost
    # (and single-label micro-F1 equals accuracy).
    micro_f1 = load_metric("f1", multi_label).compute(**kwargs, average="micro", zero_division=0)["f1"]
    if not labels:  # no label occurs anywhere: macro averages over no labels are undefined
        return {"accuracy": accuracy, "macro_f1": None, "micro_f1": micro_f1, "macro_precision": None,
                "macro_recall": None}
    return {
        "accuracy": accuracy,
        "macro_f1": load_metric("f1", multi_label).compute(**kwargs, average="macro", **averaged)["f1"],
        "micro_f1": micro_f1,
        "macro_precision": load_metric("precision", multi_label).compute(
            **kwargs, average="macro", **averaged
        )["precision"],
        "macro_recall": load_metric("recall", multi_label).compute(**kwargs, average="macro", **averaged)[
            "recall"
        ],
    }
