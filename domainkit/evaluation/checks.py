"""Plain-language checks of a run's results: is the student worth shipping?

A table of numbers leaves the judgement to the reader. Someone choosing between the
distilled student and the obvious alternatives needs the answers spelled out, and
needs to be told when the answer is no. For example, when TF-IDF with logistic
regression clearly beats the student, that baseline scored higher on this test
set, and the check says so.

The thresholds are the targets domainkit holds itself to (README, "Results"):
- the student beats the TF-IDF baseline;
- distillation beats fine-tuning the same student on the labels alone;
- the student keeps at least 97% of the teacher's macro-F1;
- it runs at least 3 times the teacher's sequences per second;
- int8 runs at least 1.8 times the fp32 student and loses at most 1 point of macro-F1.

``passed`` is True, False, or None when the run lacks what a check needs
(no baseline, no teacher measurement); the detail then says what is missing.
Comparisons allow for float rounding; a gap under :data:`NOISE` macro-F1 either
way is called level (not a pass), because reruns of the same command move that much.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

MIN_RETENTION = 0.97
MIN_SPEEDUP_VS_TEACHER = 3.0
MIN_INT8_SPEEDUP = 1.8
MAX_INT8_F1_LOSS = 0.01
#: Macro-F1 gap within which two models are called level (seen between reruns of one command).
NOISE = 0.01
_EPS = 1e-9

#: Each rival as a user knows it, and what the run keeps of it (for the advice of a failed check).
_RIVALS = {
    "tfidf_logreg": ("the TF-IDF baseline", "kept for evaluation only, in 05-evaluate/models"),
    "student_finetune_only": ("the labels-only student", "this run's 03-baseline/model, which `domainkit predict` "
                              "runs; only the distilled student is exported"),
}


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool | None
    detail: str


def report_checks(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every check, as JSON-ready dicts (name, passed, detail)."""
    f1 = {name: entry["macro_f1"] for name, entry in report["models"].items()
          if entry and isinstance(entry.get("macro_f1"), (int, float)) and math.isfinite(entry["macro_f1"])}
    checks = [
        _beats(f1, "tfidf_logreg", "student beats TF-IDF + logistic regression"),
        _beats(f1, "student_finetune_only", "distillation beats fine-tuning on the labels alone"),
        _at_least(report.get("retention"), MIN_RETENTION, f"student keeps >= {MIN_RETENTION:.0%} of the teacher's macro-F1",
                  "retention {:.4f}", _no_retention(report["models"])),
        _at_least(report.get("speedup_vs_teacher"), MIN_SPEEDUP_VS_TEACHER,
                  f"student runs >= {MIN_SPEEDUP_VS_TEACHER:g}x the teacher's sequences/s", "{:.3f}x",
                  "the teacher was not measured"),
        _int8(report.get("int8_speedup"), f1),
    ]
    return [asdict(check) for check in checks]


def _beats(f1: dict[str, float], rival: str, name: str) -> Check:
    if "student" not in f1 or rival not in f1:
        return Check(name, None, f"not checked: {_RIVALS[rival][0]} was not part of this run")
    student, other = f1["student"], f1[rival]
    detail = f"macro-F1 {student:.3f} vs {other:.3f}"
    # A win must be larger than reruns of one command move scores; a smaller lead is no evidence.
    if student >= other + NOISE - _EPS:
        return Check(name, True, detail)
    if abs(other - student) < NOISE:
        return Check(name, False, f"{detail}: level, within the {NOISE * 100:g} point that reruns move")
    label, where = _RIVALS[rival]
    return Check(name, False, f"{detail}: {label} scored higher on this test set ({where})")


def _no_retention(models: dict[str, Any]) -> str:
    """Why a report has no retention: a model missing, or a macro-F1 that cannot be divided by."""
    for name in ("teacher", "student"):
        entry = models.get(name)
        if not entry:
            return f"the {name} was not evaluated"
        if entry.get("macro_f1") is None:
            return f"the {name}'s macro-F1 is undefined (no label occurs in the test references or its predictions)"
    # suite._ratio gives no ratio for a zero denominator: a teacher that got every label wrong
    return "the teacher's macro-F1 is 0, so the student's share of it is undefined"


def _at_least(value: float | None, target: float, name: str, shown: str, missing: str) -> Check:
    if value is None:
        return Check(name, None, f"not checked: {missing}")
    return Check(name, value >= target - _EPS, shown.format(value))


def _f1_change(loss: float) -> str:
    """The int8 copy's macro-F1 change in words; under 0.005 points it reads as none (not "-0.00 gained")."""
    points = round(loss * 100, 2)
    if points == 0:
        return "no macro-F1 change"
    return f"{points:.2f} points of macro-F1 lost" if points > 0 else f"{-points:.2f} points of macro-F1 gained"


def _int8(speedup: float | None, f1: dict[str, float]) -> Check:
    name = (f"int8 runs >= {MIN_INT8_SPEEDUP:g}x the fp32 student, losing <= {MAX_INT8_F1_LOSS * 100:g} point "
            "of macro-F1")
    if speedup is None or "student" not in f1 or "student_int8" not in f1:
        return Check(name, None, "not checked: no int8 measurement in this run")
    loss = f1["student"] - f1["student_int8"]
    fast, close = speedup >= MIN_INT8_SPEEDUP - _EPS, loss <= MAX_INT8_F1_LOSS + _EPS
    change = _f1_change(loss)
    misses = [m for m, ok in (("too slow", fast), ("loses too much", close)) if not ok]
    return Check(name, fast and close, f"{speedup:.3f}x, {change}" + (f": {' and '.join(misses)}" if misses else ""))
