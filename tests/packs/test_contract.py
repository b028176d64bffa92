import pytest

from domainkit.evaluation.metrics import REPORTED_METRICS
from domainkit.packs.contract import DEFAULT_METRICS, TaskSpec


def test_a_task_suite_names_only_scores_the_evaluation_reports():
    assert set(DEFAULT_METRICS) <= set(REPORTED_METRICS)
    assert TaskSpec(name="t", kind="single_label", description="d", metrics=("macro_recall",)).metrics == ("macro_recall",)
    with pytest.raises(ValueError) as raised:
        TaskSpec(name="t", kind="single_label", description="d", metrics=("accuracy", "auroc"))
    message = str(raised.value)
    assert "task 't'" in message and "'auroc'" in message and "macro_recall" in message  # names the choices
