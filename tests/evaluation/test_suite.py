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
    assert {entry["peak_rss_scope"] for entry in on_disk["models"].values()} == {"inference"}  # every model alike
    assert 0 <= report["int8_agreement"] <= 1 and report["onnx_agreement"] == pytest.approx(1.0)
    assert report["retention"] == pytest.approx(
        report["models"]["student"]["macro_f1"] / report["models"]["teacher"]["macro_f1"]
    )
    text = (tmp_path / "eval" / "report.md").read_text() + (tmp_path / "eval" / "report.html").read_text()
    assert not any(doc in text for doc in tiny_task.test_texts)


def test_a_multi_label_baseline_gets_thresholds_tuned_on_validation_like_the_students(multi_label_data):
    from dataclasses import replace

    import numpy as np

    from domainkit.evaluation.baselines import baseline_proba, train_tfidf_logreg
    from domainkit.evaluation.suite import _baseline_thresholds
    from domainkit.heads.multilabel import multi_hot, tune_thresholds

    data = replace(multi_label_data, validation_texts=multi_label_data.test_texts,
                   validation_labels=multi_label_data.test_labels)
    baseline = train_tfidf_logreg(data.train_texts, data.train_label_ids, 3, multi_label=True)
    expected = tune_thresholds(baseline_proba(baseline, data.validation_texts),
                               multi_hot(data.validation_label_ids, 3))
    assert np.array_equal(_baseline_thresholds(baseline, data), expected)
    assert _baseline_thresholds(baseline, multi_label_data) is None  # no validation split: 0.5, as the students


def test_suite_times_the_fp32_and_int8_students_in_turns(monkeypatch, tmp_path):
    from domainkit.evaluation import suite

    calls = []
    monkeypatch.setattr(suite, "measure_alternating",
                        lambda dirs, texts, **kw: calls.append(("turns", list(dirs), kw)) or {n: n for n in dirs})
    monkeypatch.setattr(suite, "measure_classifier",
                        lambda path, texts, **kw: calls.append(("alone", path.name, kw)) or path.name)
    models = {name: tmp_path / name for name in ("teacher", "student", "student_int8", "student_finetune_only")}
    measured = suite._measure_transformers(models, ["t"], suite.model_windows({"max_length": 32}, None), batch_size=4)
    assert list(measured) == ["teacher", "student", "student_int8", "student_finetune_only"]
    assert [call[:2] for call in calls] == [("alone", "teacher"), ("turns", ["student", "student_int8"]),
                                            ("alone", "student_finetune_only")]
    assert calls[1][2] == {"batch_size": 4, "max_length": 32}


def test_suite_reads_the_teacher_at_its_own_window_length():
    from domainkit.evaluation.suite import model_windows
    from domainkit.heads.long_document import default_stride

    student = {"max_length": 128, "long_documents": True, "stride": default_stride(128), "max_windows": 2}
    windows = model_windows(student, teacher_max_length=256)
    assert windows["teacher"] == dict(student, max_length=256, stride=default_stride(256))
    assert windows["student"] == windows["student_int8"] == windows["student_finetune_only"] == student
    assert model_windows(student, teacher_max_length=None)["teacher"] == student  # the default: the same window
