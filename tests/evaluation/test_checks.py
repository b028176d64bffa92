"""Plain-language checks of a report: each passes and fails where it should, and says why."""

from __future__ import annotations

from domainkit.evaluation.checks import report_checks


def _report(**f1: float) -> dict:
    models = {name: None for name in ("teacher", "student", "student_int8", "tfidf_logreg", "student_finetune_only")}
    models.update({name: {"macro_f1": value} for name, value in f1.items()})
    return {"models": models, "retention": 0.99, "speedup_vs_teacher": 6.5, "int8_speedup": 2.1}


def _by_name(checks: list[dict]) -> dict[str, dict]:
    return {c["name"].split(" ")[0] + " " + c["name"].split(" ")[1]: c for c in checks}


def test_a_student_below_tfidf_fails_and_names_the_better_model():
    checks = _by_name(report_checks(_report(student=0.52, tfidf_logreg=0.62, student_finetune_only=0.50, student_int8=0.52)))
    assert not checks["student beats"]["passed"]
    assert "0.520 vs 0.620" in checks["student beats"]["detail"] and "TF-IDF baseline is the better model" in checks["student beats"]["detail"]
    assert checks["distillation beats"]["passed"] and "better model" not in checks["distillation beats"]["detail"]


def test_labels_only_winning_points_at_its_model():
    checks = _by_name(report_checks(_report(student=0.848, tfidf_logreg=0.77, student_finetune_only=0.86, student_int8=0.847)))
    assert checks["student beats"]["passed"] and not checks["distillation beats"]["passed"]
    assert "04-baseline/model" in checks["distillation beats"]["detail"]


def test_ratio_checks_use_the_targets():
    report = _report(student=0.80, student_int8=0.785)
    report.update(retention=0.96, speedup_vs_teacher=2.9, int8_speedup=1.9)
    checks = {c["name"]: c for c in report_checks(report)}
    assert [c["passed"] for c in checks.values()] == [False, False, False]  # retention, speed, int8 (1.5 points lost)
    assert any("1.5 points of macro-F1 lost" in c["detail"] for c in checks.values())


def test_checks_without_their_models_are_left_out():
    report = {"models": {"student": {"macro_f1": 0.8}}, "retention": None, "speedup_vs_teacher": None}
    assert report_checks(report) == []
