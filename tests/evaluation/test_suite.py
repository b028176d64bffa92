import json

import pytest

from domainkit.evaluation.report import schema_problems
from domainkit.evaluation.suite import evaluate_run


@pytest.mark.slow
def test_suite_evaluate_run_writes_a_report_matching_the_schema(make_classifier, tiny_task, tmp_path):
    teacher, student = make_classifier(seed=1), make_classifier(seed=2)
    report = evaluate_run(
        {"teacher": teacher, "student": student, "student_finetune_only": student},
        tiny_task, out_dir=tmp_path / "eval", max_length=32, long_documents=True, pack="medical",
        history={"student": [{"step": 1, "loss": 1.0}, {"step": 2, "loss": 0.5}]},
    )
    on_disk = json.loads((tmp_path / "eval" / "report.json").read_text())
    assert schema_problems(on_disk) == []
    assert on_disk["models"]["tfidf_logreg"]["macro_f1"] > 0.9  # keyword task: the floor is high
    assert on_disk["models"]["student_int8"]["params"] == on_disk["models"]["student"]["params"]
    assert on_disk["models"]["student"]["peak_rss_mb"] > 50
    assert 0 <= report["int8_agreement"] <= 1 and report["onnx_agreement"] == pytest.approx(1.0)
    assert report["retention"] == pytest.approx(
        report["models"]["student"]["macro_f1"] / report["models"]["teacher"]["macro_f1"]
    )
    text = (tmp_path / "eval" / "report.md").read_text() + (tmp_path / "eval" / "report.html").read_text()
    assert not any(doc in text for doc in tiny_task.test_texts)
