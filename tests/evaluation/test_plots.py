"""Report plots (domainkit/evaluation/plots.py): axes say what was binned."""

from __future__ import annotations

import pytest

from domainkit.evaluation import plots
from domainkit.evaluation.calibration import binned


@pytest.mark.parametrize(("multi_label", "x_label", "y_label"), [
    (False, "confidence (probability of the top label)", "accuracy (share of top labels right)"),
    (True, "predicted probability that a label applies", "observed frequency of the label"),
])
def test_plots_reliability_axes_name_what_was_binned(monkeypatch, tmp_path, multi_label, x_label, y_label):
    shown = {}

    def keep(figure, path):
        axes = figure.axes[0]
        shown.update(x=axes.get_xlabel(), y=axes.get_ylabel(), title=axes.get_title())
        return path

    monkeypatch.setattr(plots, "_save", keep)
    plots.plot_reliability({"student": binned([0.9, 0.2], [1, 0])}, tmp_path / "r.png", multi_label=multi_label)
    assert (shown["x"], shown["y"]) == (x_label, y_label)
    assert ("every document-label decision" in shown["title"]) is multi_label
