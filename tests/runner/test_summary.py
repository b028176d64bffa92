"""The end-of-run summary prints the model table and the plain checks."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from domainkit.runner.summary import print_summary


def _ctx(preset: str) -> SimpleNamespace:
    entry = {"accuracy": 0.8, "macro_f1": 0.8, "micro_f1": 0.8, "ece": 0.05, "seq_per_s": 100.0, "disk_mb": 80.0}
    models = {"teacher": entry, "student": {**entry, "macro_f1": 0.6}, "tfidf_logreg": {**entry, "macro_f1": 0.7}}
    evaluation = {"models": models, "retention": 0.75, "speedup_vs_teacher": 5.0, "int8_speedup": None}
    return SimpleNamespace(outputs={"evaluate": evaluation, "export": {"model_dir": "m"}}, pack=SimpleNamespace(name="p"),
                           task="t", folder=SimpleNamespace(root=Path("runs/x")), config=SimpleNamespace(preset=preset))


def test_summary_prints_failed_checks_with_the_better_model(capsys):
    print_summary(_ctx("default"))
    out = " ".join(capsys.readouterr().out.split())
    assert "FAIL student beats TF-IDF + logistic regression (macro-F1 0.600 vs 0.700" in out
    assert "the TF-IDF baseline scored higher on this test set" in out and "pass student runs >= 3x" in out
    assert "FAIL student keeps >= 97% of the teacher's macro-F1 (retention 0.7500)" in out
    assert "skip distillation beats fine-tuning on the labels alone" in out
    assert "smoke preset" not in out


def test_smoke_summary_says_its_checks_measure_nothing(capsys):
    print_summary(_ctx("smoke"))
    assert "say nothing of quality" in " ".join(capsys.readouterr().out.split())


def test_summary_names_the_task_the_data_stage_ran(capsys):
    ctx = _ctx("default")
    ctx.outputs["data"] = {"task": "own-documents"}
    print_summary(ctx)
    assert "p / own-documents" in capsys.readouterr().out


def test_summary_formats_each_column_as_the_report_does(capsys):
    """Speeds and sizes with one decimal whatever their size (the summary printed 23.290 beside 166)."""
    ctx = _ctx("default")
    ctx.outputs["evaluate"]["models"]["teacher"] = {**ctx.outputs["evaluate"]["models"]["teacher"],
                                                    "seq_per_s": 23.29, "disk_mb": 417.7}
    ctx.outputs["evaluate"]["models"]["student"] = {**ctx.outputs["evaluate"]["models"]["student"],
                                                    "seq_per_s": 166.04, "disk_mb": 86.686}
    print_summary(ctx)
    out = capsys.readouterr().out
    assert "23.3" in out and "166.0" in out and "417.7" in out and "86.7" in out
    assert "23.290" not in out and "86.686" not in out
