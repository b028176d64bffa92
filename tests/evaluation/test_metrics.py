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


def test_metrics_multi_label_counts_false_alarms_in_micro_and_macro_f1():
    scores = classification_metrics([[1, 0, 1], [0, 1, 0]], [[1, 0, 0], [0, 1, 0]], multi_label=True)
    assert scores["accuracy"] == pytest.approx(0.5)  # subset accuracy
    # label 2 has no positive test row, but it was predicted: it counts (F1 0), as labels 0 and 1 (F1 1)
    assert scores["macro_f1"] == pytest.approx(2 / 3)
    assert scores["micro_f1"] == pytest.approx(0.8)  # tp=2, fp=1


def test_metrics_macro_scores_charge_errors_predicted_into_a_label_absent_from_the_references():
    from sklearn.metrics import f1_score, precision_score

    references = [0, 0, 1, 1]  # label 2 exists but no test document has it
    into_absent, into_present = [0, 2, 1, 2], [0, 1, 1, 0]  # two errors each, accuracy 0.5 each
    absent = classification_metrics(into_absent, references, multi_label=False)
    present = classification_metrics(into_present, references, multi_label=False)
    # scikit-learn's default: the labels of the references and the predictions
    assert absent["macro_f1"] == pytest.approx(f1_score(references, into_absent, average="macro"))  # 0.444
    assert absent["macro_precision"] == pytest.approx(precision_score(references, into_absent, average="macro"))
    assert absent["macro_f1"] < present["macro_f1"] == pytest.approx(0.5)  # sending errors away no longer pays
    one_class = classification_metrics([0, 1, 0], [0, 0, 0], multi_label=False)
    assert one_class["macro_f1"] == pytest.approx(0.4) and one_class["macro_precision"] == pytest.approx(0.5)


def test_metrics_present_labels_is_the_union_of_references_and_predictions():
    from domainkit.evaluation.metrics import present_labels

    assert present_labels([0, 0, 1], [3, 0, 1], multi_label=False) == [0, 1, 3]
    assert present_labels([[1, 0, 0, 0], [0, 0, 0, 0]], [[0, 0, 1, 0], [0, 0, 0, 0]], multi_label=True) == [0, 2]


@pytest.mark.parametrize(("multi_label", "predictions", "references"), [
    (False, [0, 2, 1, 2], [0, 0, 1, 1]),
    (True, [[1, 0, 1, 0], [0, 1, 0, 0]], [[1, 0, 0, 0], [1, 1, 0, 0]]),  # label 3 occurs nowhere
])
def test_metrics_modules_macro_default_agrees_with_the_report(multi_label, predictions, references):
    """A user loading a shipped module by path, without ``labels``, gets the report's macro scores."""
    scores = classification_metrics(predictions, references, multi_label=multi_label)
    for name, key in (("f1", "macro_f1"), ("precision", "macro_precision"), ("recall", "macro_recall")):
        module = load_metric(name, multi_label)
        value = module.compute(predictions=predictions, references=references, average="macro")[name]
        assert value == pytest.approx(scores[key]), name


def test_macro_scores_are_none_not_nan_when_no_label_occurs():
    from domainkit.evaluation.metrics import classification_metrics

    scores = classification_metrics([[0, 0], [0, 0]], [[0, 0], [0, 0]], multi_label=True)
    assert scores["macro_f1"] is None and scores["macro_precision"] is None and scores["macro_recall"] is None
    assert scores["accuracy"] == 1.0 and scores["micro_f1"] == 0.0
    # a false alarm makes the label occur: it is scored (F1 0), not dropped
    alarm = classification_metrics([[0, 1], [0, 0]], [[0, 0], [0, 0]], multi_label=True)
    assert alarm["macro_f1"] == 0.0 and alarm["accuracy"] == 0.5


def test_report_json_never_holds_nan():
    import json
    import math

    import numpy as np

    from domainkit.evaluation.report import _finite

    cleaned = _finite({"a": float("nan"), "b": np.array([1.0, np.inf]), "c": [np.float64("nan"), 2]})
    assert cleaned == {"a": None, "b": [1.0, None], "c": [None, 2]}
    assert json.loads(json.dumps(cleaned, allow_nan=False))["b"][0] == 1.0 and not math.isnan(cleaned["c"][1])
