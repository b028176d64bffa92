import json

from domainkit.evaluation.calibration import binned
from domainkit.evaluation.report import REPORT_MODELS, schema_problems, table_columns, write_report


def _entry(name):
    return {"name": name, "accuracy": 0.9, "macro_f1": 0.8, "micro_f1": 0.9, "ece": 0.05, "params": 1000,
            "disk_mb": 1.5, "seq_per_s": 100.0, "peak_rss_mb": 300.0}


def test_report_writes_json_md_html_and_never_text(tmp_path):
    report = {
        "pack": "medical", "task": "organ", "kind": "single_label", "n_train": 10, "n_test": 4,
        "label_names": ["a", "b"], "models": {name: _entry(name) for name in REPORT_MODELS},
        "retention": 0.98, "speedup_vs_teacher": 4.0, "wall_seconds": 1.0,
        "confusion": {"student": [[2, 0], [1, 1]]},
    }
    bins = {"student": binned([0.9, 0.8, 0.6, 0.7], [1, 1, 0, 1])}
    history = {"student": [{"step": 1, "loss": 2.0}, {"step": 2, "loss": 1.0}]}
    paths = write_report(report, tmp_path, history=history, reliability_bins=bins)
    loaded = json.loads(paths["json"].read_text())
    assert schema_problems(loaded) == []
    assert set(loaded["plots"]) == {"training_curves", "confusion_matrix", "reliability_diagram"}
    html = paths["html"].read_text()
    assert html.count("data:image/png;base64,") == 3
    assert "| student |" in paths["md"].read_text()
    # every model scores 0.8: the student does not beat TF-IDF (level), and the report says so in words
    markdown = paths["md"].read_text()
    assert markdown.rstrip().endswith("(not checked: no int8 measurement in this run)")  # the checks close the report
    assert "FAIL: student beats TF-IDF + logistic regression (macro-F1 0.800 vs 0.800: level" in markdown
    assert "pass: student keeps &gt;= 97% of the teacher" in html
    assert {c["name"] for c in loaded["checks"]} >= {"student beats TF-IDF + logistic regression"}


def test_a_smoke_report_says_its_checks_measure_nothing(tmp_path):
    report = {"pack": "p", "task": "t", "preset": "smoke", "n_train": 1, "n_test": 1, "label_names": ["a", "b"],
              "models": {name: _entry(name) for name in REPORT_MODELS}, "retention": 1.0,
              "speedup_vs_teacher": 4.0, "wall_seconds": 1.0}
    paths = write_report(report, tmp_path)
    assert "smoke preset: a wiring check" in paths["md"].read_text()


def test_report_schema_problems_name_the_mismatch():
    problems = schema_problems({"pack": "p", "task": 1, "models": {}})
    assert any("task" in p for p in problems) and any("models" in p for p in problems)


def test_report_tables_add_the_scores_the_task_suite_names(tmp_path):
    report = {"pack": "p", "task": "t", "n_train": 1, "n_test": 1, "label_names": ["a", "b"],
              "models": {name: dict(_entry(name), macro_recall=0.75) for name in REPORT_MODELS}, "retention": 1.0,
              "speedup_vs_teacher": 4.0, "wall_seconds": 1.0, "evaluation_suite": ["accuracy", "macro_recall"]}
    assert table_columns(report) == ("accuracy", "macro_f1", "micro_f1", "ece", "macro_recall", "params", "disk_mb",
                                     "seq_per_s", "peak_rss_mb")
    paths = write_report(report, tmp_path)
    assert "| student | 0.900 | 0.800 | 0.900 | 0.050 | 0.750 | 1000 |" in paths["md"].read_text()
    assert "<th>macro_recall</th>" in paths["html"].read_text()
    # a report without a suite (older runs, own documents) keeps the columns every report has
    assert "macro_recall" not in table_columns({"models": {}})


def _speed_report(load, cpus=2):
    models = {name: dict(_entry(name), seq_per_s_min=90.0, seq_per_s_max=110.0, timed_passes=4,
                         load_average_1m=load) for name in REPORT_MODELS}
    return {"pack": "p", "task": "t", "n_train": 1, "n_test": 1, "label_names": ["a", "b"], "models": models,
            "retention": 1.0, "speedup_vs_teacher": 4.0, "int8_speedup": 2.0, "wall_seconds": 1.0, "cpu_count": cpus}


def test_report_gives_the_speed_spread_and_warns_of_a_busy_machine(tmp_path):
    paths = write_report(_speed_report(load=5.6), tmp_path)
    markdown, page = paths["md"].read_text(), paths["html"].read_text()
    loaded = json.loads(paths["json"].read_text())
    assert schema_problems(loaded) == []  # the schema's fields are unchanged; the spread is extra
    assert loaded["models"]["student"]["seq_per_s_min"] == 90.0 and loaded["cpu_count"] == 2
    assert "student 90.0-110.0" in markdown and "timed in turns (A B A B)" in markdown
    warning = "Speed figures were taken on a busy machine: the 1-minute load average reached 5.6 on 2 CPUs"
    assert warning in markdown and warning in page


def test_a_multi_label_report_says_ece_is_over_every_document_label_decision(tmp_path, monkeypatch):
    from domainkit.evaluation import plots

    calls = []
    real = plots.plot_reliability
    monkeypatch.setattr(plots, "plot_reliability", lambda *a, **k: calls.append(k) or real(*a, **k))
    report = dict(_speed_report(load=1.0), kind="multi_label")
    paths = write_report(report, tmp_path, reliability_bins={"student": binned([0.9, 0.1], [1, 0])})
    for text in (paths["md"].read_text(), paths["html"].read_text()):
        assert "over every (document, label) decision" in text and "not comparable with a single-label" in text
    assert calls == [{"multi_label": True}]  # the diagram's axes say so too
    single = write_report(_speed_report(load=1.0), tmp_path)["md"].read_text()
    assert "top label's probability" in single and "(document, label)" not in single


def test_report_names_the_teachers_window_when_it_differs(tmp_path):
    report = dict(_speed_report(load=1.0), max_length=128, teacher_max_length=256)
    assert "max_length 128 (teacher 256)," in write_report(report, tmp_path)["md"].read_text()
    report["teacher_max_length"] = 128
    assert "(teacher" not in write_report(report, tmp_path)["md"].read_text()


def test_report_says_how_many_own_documents_were_cut_at_the_window(tmp_path):
    counts = {"max_length": 128, "windows": False, "train": 6, "n_train": 76, "test": 2, "n_test": 20}
    report = dict(_speed_report(load=1.0), split_info={"over_window": counts})
    written = write_report(report, tmp_path)
    sentence = "6 of 76 training and 2 of 20 test documents were longer than the 128-word-piece window and were cut"
    assert sentence in written["md"].read_text() and sentence in written["html"].read_text()
    report["split_info"] = {"over_window": {**counts, "windows": True}}
    assert "split into overlapping windows (data.long_documents), of which run.max_windows says how many were read" \
        in write_report(report, tmp_path)["md"].read_text()
    report["split_info"] = {"over_window": {**counts, "train": 0, "test": 0}}
    assert "word-piece window" not in write_report(report, tmp_path)["md"].read_text()


def test_report_marks_zero_support_rows_the_macro_average_leaves_out(tmp_path):
    report = {
        "pack": "medical", "task": "organ", "kind": "multi_label", "n_train": 10, "n_test": 4,
        "label_names": ["a", "b", "c"], "models": {name: _entry(name) for name in REPORT_MODELS},
        "retention": 0.98, "speedup_vs_teacher": 4.0, "wall_seconds": 1.0,
        "per_class": {"student": [
            {"label": "a", "precision": 0.5, "recall": 1.0, "f1": 0.667, "support": 2, "predicted": 4},
            {"label": "b", "precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0, "predicted": 0},
            {"label": "c", "precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0, "predicted": 3},
        ]},
    }
    paths = write_report(report, tmp_path)
    markdown, html = paths["md"].read_text(), paths["html"].read_text()
    assert "| a | 0.500 |" in markdown and "| b * | 0.000 |" in markdown and "| c † | 0.000 |" in markdown
    assert "\\* no test document has this label and none was predicted with it (1 label(s))" in markdown
    assert "left out of the macro averages" in markdown and "counted in the macro averages" in markdown
    assert "<td>b *</td>" in html and "left out of the macro averages" in html


def test_a_model_that_was_not_run_is_named_under_the_table(tmp_path):
    models = {name: _entry(name) for name in REPORT_MODELS}
    models["student_finetune_only"] = None  # run.baselines = false
    report = {"pack": "p", "task": "t", "n_train": 1, "n_test": 1, "label_names": ["a", "b"], "models": models,
              "retention": 1.0, "speedup_vs_teacher": 4.0, "wall_seconds": 1.0}
    markdown = write_report(report, tmp_path)["md"].read_text()
    assert "— : not part of this run (student_finetune_only: run.baselines = false" in markdown
    full = {name: _entry(name) for name in REPORT_MODELS}
    assert "not part of this run" not in write_report({**report, "models": full}, tmp_path / "full")["md"].read_text()
