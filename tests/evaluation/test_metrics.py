import pytest

from domainkit.evaluation.metrics import METRIC_DIR, METRIC_NAMES, classification_metrics, load_metric


def test_metrics_modules_load_offline_from_the_package(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for name in METRIC_NAMES:
        assert (METRIC_DIR / name / f"{name}.py").is_file()
    result = load_metric("accuracy").compute(predictions=[0, 1, 1], references=[0, 1, 0])
    assert result["accuracy"] == pytest.approx(2 / 3)


def test_metrics_single_label_macro_and_micro():
    scores = classification_metrics([0, 1, 2, 2], [0, 1, 1, 2], multi_label=False)
    assert scores["accuracy"] == pytest.approx(0.75)
    assert scores["micro_f1"] == pytest.approx(0.75)  # equals accuracy for single-label
    assert scores["macro_f1"] == pytest.approx((1 + 2 / 3 + 2 / 3) / 3)


def test_metrics_multi_label_counts_false_alarms_in_micro_f1():
    scores = classification_metrics([[1, 0, 1], [0, 1, 0]], [[1, 0, 0], [0, 1, 0]], multi_label=True)
    assert scores["accuracy"] == pytest.approx(0.5)  # subset accuracy
    assert scores["macro_f1"] == pytest.approx(1.0)  # over labels present in the references
    assert scores["micro_f1"] == pytest.approx(0.8)  # tp=2, fp=1


def test_macro_scores_are_none_not_nan_when_no_label_occurs():
    from domainkit.evaluation.metrics import classification_metrics

    scores = classification_metrics([[0, 1], [0, 0]], [[0, 0], [0, 0]], multi_label=True)
    assert scores["macro_f1"] is None and scores["macro_precision"] is None and scores["macro_recall"] is None
    assert scores["accuracy"] == 0.5 and scores["micro_f1"] == 0.0


def test_report_json_never_holds_nan():
    import json
    import math

    import numpy as np

    from domainkit.evaluation.report import _finite

    cleaned = _finite({"a": float("nan"), "b": np.array([1.0, np.inf]), "c": [np.float64("nan"), 2]})
    assert cleaned == {"a": None, "b": [1.0, None], "c": [None, 2]}
    assert json.loads(json.dumps(cleaned, allow_nan=False))["b"][0] == 1.0 and not math.isnan(cleaned["c"][1])
