"""PNG plots for the report (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from domainkit.evaluation.calibration import ReliabilityBins  # noqa: E402
from domainkit.heads._atomic import atomic_write_bytes  # noqa: E402


def _save(figure, path: Path) -> Path:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    atomic_write_bytes(path, buffer.getvalue())
    return path


def plot_confusion(table: pd.DataFrame, path: Path, *, title: str) -> Path:
    """Heat map of a single-label confusion matrix, rows normalised to recall."""
    counts = table.to_numpy().astype(float)
    rows = counts.sum(axis=1, keepdims=True)
    normalised = np.divide(counts, rows, out=np.zeros_like(counts), where=rows > 0)
    size = max(4.0, 0.35 * len(table) + 2)
    figure, axes = plt.subplots(figsize=(size, size))
    axes.imshow(normalised, cmap="Blues", vmin=0, vmax=1)
    ticks = range(len(table))
    axes.set_xticks(ticks, [str(c) for c in table.columns], rotation=90, fontsize=7)
    axes.set_yticks(ticks, [str(i) for i in table.index], fontsize=7)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(title)
    return _save(figure, path)


#: Axis labels and title of a reliability diagram: what is binned differs between the task kinds
#: (see domainkit.evaluation.calibration).
RELIABILITY_AXES = {
    False: ("confidence (probability of the top label)", "accuracy (share of top labels right)",
            "Reliability diagram (15 bins)"),
    True: ("predicted probability that a label applies", "observed frequency of the label",
           "Reliability diagram (15 bins, every document-label decision)"),
}


def plot_reliability(bins_by_model: dict[str, ReliabilityBins], path: Path, *, multi_label: bool = False) -> Path:
    """Observed outcome vs forecast per bin, one line per model; the diagonal is perfect calibration.

    Single-label: the top label's probability against how often it was right. Multi-label: every
    (document, label) probability against how often that label applied.
    """
    x_label, y_label, title = RELIABILITY_AXES[multi_label]
    figure, axes = plt.subplots(figsize=(5, 5))
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect")
    for name, bins in bins_by_model.items():
        filled = bins.counts > 0
        axes.plot(
            bins.confidence[filled], bins.accuracy[filled], marker="o", label=f"{name} (ECE {bins.ece:.3f})"
        )
    axes.set_xlabel(x_label)
    axes.set_ylabel(y_label)
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.legend(fontsize=7)
    axes.set_title(title)
    return _save(figure, path)


def plot_training_curves(history: dict[str, list[dict]], path: Path) -> Path | None:
    """Loss (and eval loss) against step for each trained model.

    ``history`` maps a model name to a Trainer ``state.log_history``-like list
    of dicts with ``step`` and ``loss`` / ``eval_loss``.
    """
    figure, axes = plt.subplots(figsize=(6, 4))
    plotted = False
    for name, records in history.items():
        for key in ("loss", "eval_loss"):
            points = [(r["step"], r[key]) for r in records if key in r and "step" in r]
            if points:
                steps, values = zip(*points, strict=True)
                axes.plot(steps, values, label=f"{name} {key}")
                plotted = True
    if not plotted:
        plt.close(figure)
        return None
    axes.set_xlabel("step")
    axes.set_ylabel("loss")
    axes.legend(fontsize=7)
    axes.set_title("Training curves")
    return _save(figure, path)
