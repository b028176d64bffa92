"""Plain-language checks of a report: each passes, fails or is skipped where it should, and says why."""

from __future__ import annotations

import pytest

from domainkit.evaluation.checks import report_checks

TFIDF = "student beats TF-IDF + logistic regression"
LABELS_ONLY = "distillation beats fine-tuning on the labels alone"
RETENTION = "student keeps >= 97% of the teacher's macro-F1"
SPEED = "student runs >= 3x the teacher's sequences/s"
INT8 = "int8 runs >= 1.8x the fp32 student, losing <= 1 point of macro-F1"


def _checks(retention=0.99, speedup=6.5, int8_speedup=2.1, **f1: float) -> dict[str, dict]:
    models = {name: None for name in ("teacher", "student", "student_int8", "tfidf_logreg", "student_finetune_only")}
    models.update({name: {"macro_f1": value} for name, value in f1.items()})
    report = {"models": models, "retention": retention, "speedup_vs_teacher": speedup, "int8_speedup": int8_speedup}
    return {c["name"]: c for c in report_checks(report)}


def test_a_clearly_better_tfidf_is_named_with_where_it_is_kept():
    checks = _checks(student=0.52, tfidf_logreg=0.62, student_finetune_only=0.50, student_int8=0.52)
    assert checks[TFIDF]["passed"] is False
    assert checks[TFIDF]["detail"].startswith("macro-F1 0.520 vs 0.620: the TF-IDF baseline scored higher")
    assert "kept for evaluation only" in checks[TFIDF]["detail"]
    assert checks[LABELS_ONLY] == {"name": LABELS_ONLY, "passed": True, "detail": "macro-F1 0.520 vs 0.500"}


def test_a_better_labels_only_student_points_at_its_folder():
    checks = _checks(student=0.848, tfidf_logreg=0.77, student_finetune_only=0.86, student_int8=0.847)
    assert checks[TFIDF]["passed"] and checks[LABELS_ONLY]["passed"] is False
    assert "03-baseline/model" in checks[LABELS_ONLY]["detail"]


@pytest.mark.parametrize("rival", [0.80, 0.805, 0.795, 0.7905])
def test_a_gap_within_noise_is_called_level_without_advice(rival):
    check = _checks(student=0.80, tfidf_logreg=rival)[TFIDF]
    assert check["passed"] is False and "level" in check["detail"] and "scored higher" not in check["detail"]


def test_a_win_of_a_point_or_more_passes():
    assert _checks(student=0.80, tfidf_logreg=0.79)[TFIDF] == {"name": TFIDF, "passed": True,
                                                                "detail": "macro-F1 0.800 vs 0.790"}


def test_targets_hold_at_their_exact_limits():
    checks = _checks(retention=0.97, speedup=3.0, int8_speedup=1.8, student=0.80, student_int8=0.79)
    assert checks[RETENTION]["passed"] and checks[SPEED]["passed"] and checks[INT8]["passed"]
    assert checks[INT8]["detail"] == "1.800x, 1.00 points of macro-F1 lost"


def test_ratio_checks_fail_below_their_targets_and_say_why():
    checks = _checks(retention=0.96996, speedup=2.996, int8_speedup=1.5, student=0.80, student_int8=0.81)
    assert checks[RETENTION] == {"name": RETENTION, "passed": False, "detail": "retention 0.9700"}
    assert checks[SPEED]["passed"] is False and checks[SPEED]["detail"] == "2.996x"
    assert checks[INT8]["detail"] == "1.500x, 1.00 points of macro-F1 gained: too slow"
    lossy = _checks(student=0.80, student_int8=0.785)[INT8]
    assert lossy["passed"] is False and lossy["detail"].endswith("1.50 points of macro-F1 lost: loses too much")


def test_checks_a_run_cannot_answer_are_skipped_with_the_reason():
    report = {"models": {"student": {"macro_f1": 0.8}, "tfidf_logreg": {"accuracy": 0.7}},
              "retention": None, "speedup_vs_teacher": None}
    checks = {c["name"]: c for c in report_checks(report)}
    assert all(c["passed"] is None for c in checks.values())
    assert checks[TFIDF]["detail"] == "not checked: the TF-IDF baseline was not part of this run"
    assert checks[RETENTION]["detail"] == "not checked: the teacher was not evaluated"


def test_a_teacher_scoring_zero_is_named_as_such_not_as_missing():
    checks = {c["name"]: c for c in report_checks({
        "models": {"teacher": {"macro_f1": 0.0}, "student": {"macro_f1": 0.4}}, "retention": None,
        "speedup_vs_teacher": 4.0})}
    assert checks[RETENTION]["passed"] is None
    assert checks[RETENTION]["detail"] == ("not checked: the teacher's macro-F1 is 0, so the student's share of it "
                                           "is undefined")
    undefined = report_checks({"models": {"teacher": {"macro_f1": None}, "student": {"macro_f1": 0.4}},
                               "retention": None, "speedup_vs_teacher": None})
    assert "the teacher's macro-F1 is undefined" in {c["name"]: c for c in undefined}[RETENTION]["detail"]
    no_student = report_checks({"models": {"teacher": {"macro_f1": 0.8}}, "retention": None})
    assert {c["name"]: c for c in no_student}[RETENTION]["detail"] == "not checked: the student was not evaluated"


def test_an_int8_copy_scoring_the_same_reads_as_no_change():
    """A difference under 0.005 points printed as "-0.00 points of macro-F1 gained"."""
    detail = _checks(int8_speedup=2.0, student=0.80, student_int8=0.800001)[INT8]["detail"]
    assert detail == "2.000x, no macro-F1 change"
