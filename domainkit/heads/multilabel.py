"""Per-label decision thresholds for multi-label classification.

A single 0.5 cut-off suits no label in particular: rare labels get low
probabilities and are never predicted. Each label's threshold is chosen on a
validation split to maximise that label's F1. A label without any positive
example in validation keeps the neutral 0.5 (there is nothing to tune on).

Thresholds are stored next to the weights in ``domainkit_inference.json``
(see :mod:`domainkit.heads.settings`) keyed by label name, so prediction
uses exactly what evaluation measured.
"""

from __future__ import annotations

import numpy as np

#: Threshold used when a label cannot be tuned (absent from validation).
DEFAULT_THRESHOLD = 0.5
#: Candidate thresholds: 0.05 .. 0.95 in steps of 0.05. Finer grids overfit
#: the validation split without measurable gain on held-out data.
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.05), 2)


def multi_hot(label_ids: list[list[int]], n_labels: int) -> np.ndarray:
    """Rows of label ids -> a ``(n, n_labels)`` 0/1 matrix."""
    matrix = np.zeros((len(label_ids), n_labels), dtype=np.int64)
    for row, ids in enumerate(label_ids):
        matrix[row, list(ids)] = 1
    return matrix


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    tp = float(np.sum(truth & predicted))
    fp = float(np.sum(~truth & predicted))
    fn = float(np.sum(truth & ~predicted))
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def tune_thresholds(
    probabilities: np.ndarray, truth: np.ndarray, *, grid: np.ndarray = THRESHOLD_GRID
) -> np.ndarray:
    """Per-label thresholds maximising per-label F1 on validation data.

    ``probabilities`` and ``truth`` are ``(n, n_labels)``. Ties go to the
    threshold closest to 0.5 (the least surprising choice).
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    truth = np.asarray(truth).astype(bool)
    if probabilities.shape != truth.shape:
        raise ValueError(f"probabilities {probabilities.shape} and truth {truth.shape} differ in shape")
    order = np.argsort(np.abs(grid - DEFAULT_THRESHOLD), kind="stable")
    thresholds = np.full(probabilities.shape[1], DEFAULT_THRESHOLD)
    for label in range(probabilities.shape[1]):
        if not truth[:, label].any():
            continue
        scores = [_f1(truth[:, label], probabilities[:, label] >= grid[i]) for i in order]
        thresholds[label] = float(grid[order[int(np.argmax(scores))]])
    return thresholds


def apply_thresholds(probabilities: np.ndarray, thresholds: np.ndarray | None) -> np.ndarray:
    """0/1 predictions: probability >= the label's threshold (0.5 without thresholds)."""
    cut = DEFAULT_THRESHOLD if thresholds is None else np.asarray(thresholds)[None, :]
    return (np.asarray(probabilities) >= cut).astype(np.int64)


def thresholds_to_dict(thresholds: np.ndarray, label_names: list[str]) -> dict[str, float]:
    return {name: float(value) for name, value in zip(label_names, thresholds, strict=True)}


def thresholds_from_dict(stored: dict[str, float] | None, label_names: list[str]) -> np.ndarray:
    """Thresholds in ``label_names`` order; labels not stored get the default."""
    stored = stored or {}
    return np.array([float(stored.get(name, DEFAULT_THRESHOLD)) for name in label_names])
