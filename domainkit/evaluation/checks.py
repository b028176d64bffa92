"""Plain-language checks of a run's results: is the student worth shipping?

A table of numbers leaves the judgement to the reader. Someone choosing between the
distilled student and the obvious alternatives needs the answers spelled out, and
needs to be told when the answer is no. For example, when TF-IDF with logistic
regression beats the student, that model is the better choice for the task.

The thresholds are the targets domainkit holds itself to (README, "Results"):
- the student beats the TF-IDF baseline;
- distillation beats fine-tuning the same student on the labels alone;
- the student keeps at least 97% of the teacher's macro-F1;
- it runs at least 3 times the teacher's sequences per second;
- int8 runs at least 1.8 times the fp32 student and loses at most 1 point of macro-F1.

A check whose models were not part of the run is left out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

MIN_RETENTION = 0.97
MIN_SPEEDUP_VS_TEACHER = 3.0
MIN_INT8_SPEEDUP = 1.8
MAX_INT8_F1_LOSS = 0.01


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


def report_checks(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The checks that apply to ``report``, as JSON-ready dicts (name, passed, detail)."""
    f1 = {name: entry["macro_f1"] for name, entry in report["models"].items() if entry and entry.get("macro_f1") is not None}
    checks = [
        _beats(f1, "tfidf_logreg", "student beats TF-IDF + logistic regression",
               "for this task the TF-IDF baseline is the better model"),
        _beats(f1, "student_finetune_only", "distillation beats fine-tuning on the labels alone",
               "here the teacher does not help, and the labels-only student (04-baseline/model) is the better model"),
        _retention(report), _speed(report), _int8(report, f1),
    ]
    return [asdict(check) for check in checks if check is not None]


def _beats(f1: dict[str, float], rival: str, name: str, advice: str) -> Check | None:
    """The student's macro-F1 against ``rival``'s; ``advice`` is added when the rival wins."""
    if "student" not in f1 or rival not in f1:
        return None
    passed = f1["student"] > f1[rival]
    detail = f"macro-F1 {f1['student']:.3f} vs {f1[rival]:.3f}"
    return Check(name, passed, detail if passed else f"{detail}; {advice}")


def _retention(report: dict[str, Any]) -> Check | None:
    retention = report.get("retention")
    if retention is None:
        return None
    return Check(f"student keeps >= {MIN_RETENTION:.0%} of the teacher's macro-F1", retention >= MIN_RETENTION,
                 f"retention {retention:.3f}")


def _speed(report: dict[str, Any]) -> Check | None:
    speedup = report.get("speedup_vs_teacher")
    if speedup is None:
        return None
    return Check(f"student runs >= {MIN_SPEEDUP_VS_TEACHER:g}x the teacher's sequences/s",
                 speedup >= MIN_SPEEDUP_VS_TEACHER, f"{speedup:.2f}x")


def _int8(report: dict[str, Any], f1: dict[str, float]) -> Check | None:
    speedup = report.get("int8_speedup")
    if speedup is None or "student" not in f1 or "student_int8" not in f1:
        return None
    loss = f1["student"] - f1["student_int8"]
    passed = speedup >= MIN_INT8_SPEEDUP and loss <= MAX_INT8_F1_LOSS
    return Check(f"int8 runs >= {MIN_INT8_SPEEDUP:g}x the fp32 student, losing <= {MAX_INT8_F1_LOSS * 100:g} point of macro-F1",
                 passed, f"{speedup:.2f}x, {max(loss, 0.0) * 100:.1f} points of macro-F1 lost")
