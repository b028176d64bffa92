"""Teacher-stage and benchmark scores (domainkit/distill/scoring.py) mean what report.json's mean."""

from __future__ import annotations

import numpy as np
import pytest

from domainkit.data.taskdata import MULTI_LABEL, SINGLE_LABEL, TaskData
from domainkit.distill.scoring import score_logits
from domainkit.evaluation.metrics import classification_metrics


def _data(kind, names, test_labels):
    texts = [f"document {i}" for i in range(len(test_labels))]
    return TaskData("t", kind, names, texts, test_labels, texts, test_labels)


def test_scoring_single_label_macro_f1_is_the_reports_and_charges_an_absent_label():
    data = _data(SINGLE_LABEL, ["a", "b", "c"], ["a", "a", "b", "b"])  # "c" has no test document
    predicted = np.array([0, 2, 1, 2])  # two errors sent to "c"
    logits = np.eye(3)[predicted]
    scores = score_logits(logits, data)
    report = classification_metrics(predicted, [0, 0, 1, 1], multi_label=False)
    assert scores == {key: report[key] for key in ("accuracy", "macro_f1", "micro_f1")}
    assert scores["macro_f1"] == pytest.approx(4 / 9)  # (2/3 + 2/3 + 0) / 3, scikit-learn's default


def test_scoring_multi_label_averages_over_labels_in_references_or_predictions():
    data = _data(MULTI_LABEL, ["a", "b", "c", "d"], [["a"], ["a", "b"]])
    logits = np.array([[2.0, -1, 3, -1], [1.0, 1, -1, -1]])  # "c" fired where no test row has it; "d" nowhere
    scores = score_logits(logits, data)
    # labels a (F1 1), b (F1 1), c (F1 0); d occurs nowhere and is left out, as in report.json
    assert scores["macro_f1"] == pytest.approx(2 / 3)
    report = classification_metrics((logits > 0).astype(int), [[1, 0, 0, 0], [1, 1, 0, 0]], multi_label=True)
    assert scores["macro_f1"] == report["macro_f1"] and scores["accuracy"] == report["accuracy"] == 0.5


def test_scoring_stored_teacher_scores_name_the_macro_definition(monkeypatch):
    """Scores a teacher cache holds from the earlier definition are recomputed, not shown as today's."""
    from domainkit.distill import teacher

    data = _data(SINGLE_LABEL, ["a", "b"], ["a", "b"])
    before = teacher._test_fingerprint(data)
    monkeypatch.setattr(teacher, "MACRO_LABELS", "references")
    assert teacher._test_fingerprint(data) != before
