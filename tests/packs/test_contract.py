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


def test_a_declaration_error_is_a_pack_error_whose_message_listing_may_show():
    from domainkit.errors import PackError

    with pytest.raises(PackError, match="unknown kind 'tokens'; available: single_label, multi_label"):
        TaskSpec(name="t", kind="tokens", description="d")


def test_the_architecture_doc_lists_every_taskspec_field():
    """docs/architecture.md is what pack authors follow: a field it leaves out (description) broke their packs."""
    import dataclasses
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "architecture.md").read_text(encoding="utf-8")
    contract = next(section for section in doc.split("\n## ") if section.startswith("Plugin contract"))
    missing = [f.name for f in dataclasses.fields(TaskSpec) if f"`{f.name}`" not in contract]
    assert missing == []
    assert "`multi_label` | `token`" not in contract  # not a kind `domainkit run` can run
