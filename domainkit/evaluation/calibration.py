"""Expected calibration error (ECE) and the data of a reliability diagram.

ECE (Guo et al., 2017): split predictions into 15 equal-width confidence bins
over [0, 1] — the number used in that paper and by most follow-ups, so values
are comparable; with a few hundred test documents more bins are mostly empty
or noisy. ECE = sum over bins of (bin size / n) * |accuracy(bin) - mean
confidence(bin)|. 0 is perfectly calibrated.

- single-label: confidence = the top probability, correct = argmax is right.
- multi-label: every (document, label) probability is a binary forecast of
  "this label applies"; the bins compare mean forecast with the observed
  frequency of the label (calibration of the per-label sigmoids).

Bins are right-closed, ``(lo, hi]``, with 0 falling into the first bin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

N_BINS = 15


@dataclass(frozen=True)
class ReliabilityBins:
    """Per-bin counts, mean confidence and accuracy (NaN where a bin is empty)."""

    edges: np.ndarray
    counts: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray

    @property
    def ece(self) -> float:
        total = self.counts.sum()
        if total == 0:
            return 0.0
        filled = self.counts > 0
        gaps = np.abs(self.accuracy[filled] - self.confidence[filled])
        return float(np.sum(self.counts[filled] / total * gaps))

    def to_dict(self) -> dict:
        nan_to_none = lambda values: [None if np.isnan(v) else float(v) for v in values]  # noqa: E731
        return {
            "edges": [float(e) for e in self.edges],
            "counts": [int(c) for c in self.counts],
            "confidence": nan_to_none(self.confidence),
            "accuracy": nan_to_none(self.accuracy),
        }


def binned(confidence: np.ndarray, correct: np.ndarray, n_bins: int = N_BINS) -> ReliabilityBins:
    """Bin forecasts ``confidence`` (in [0, 1]) with outcomes ``correct`` (0/1)."""
    confidence = np.asarray(confidence, dtype=np.float64).ravel()
    correct = np.asarray(correct, dtype=np.float64).ravel()
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.ceil(confidence * n_bins).astype(int) - 1, 0, n_bins - 1)
    counts = np.bincount(which, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.bincount(which, weights=confidence, minlength=n_bins) / counts
        mean_acc = np.bincount(which, weights=correct, minlength=n_bins) / counts
    return ReliabilityBins(edges=edges, counts=counts, confidence=mean_conf, accuracy=mean_acc)


def reliability(
    probabilities: np.ndarray, references: np.ndarray, *, multi_label: bool, n_bins: int = N_BINS
) -> ReliabilityBins:
    """Reliability bins of a model's probabilities against the true labels.

    ``references``: label ids (single-label) or a 0/1 matrix (multi-label).
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    if multi_label:
        return binned(probabilities, np.asarray(references), n_bins)
    predicted = probabilities.argmax(axis=-1)
    correct = predicted == np.asarray(references)
    return binned(probabilities.max(axis=-1), correct, n_bins)


def expected_calibration_error(
    probabilities: np.ndarray, references: np.ndarray, *, multi_label: bool, n_bins: int = N_BINS
) -> float:
    return reliability(probabilities, references, multi_label=multi_label, n_bins=n_bins).ece
