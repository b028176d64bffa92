"""Speed and int8 benchmarks: student vs teacher seq/s, int8 vs fp32 student.

Targets: student >= 3x the teacher's sequences/second; int8 >= 1.8x the
fp32 student with <= 1 point of macro-F1 lost. Each model runs in its own
process (domainkit.evaluation.measure) on real HPO definitions. The heads are
random here, so the int8 quality check reports prediction agreement with
fp32; the macro-F1 loss of a trained student is in each run's report.json.

    python bench/bench_eval.py [--teacher FOLDER] [--n 256]

Without --teacher, the MPNet teacher of the local model store is used when
found (``domainkit models pull all-mpnet-base-v2``), else the teacher part is
skipped.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _bench_common import hpo_definitions, student_classifier  # noqa: E402


def _load(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.2f}"  # None where the system has no load average


def find_teacher() -> str | None:
    try:
        from domainkit.models.resolve import resolve_model  # the lead's resolver, when present

        return str(resolve_model("store:all-mpnet-base-v2"))
    except Exception:  # noqa: BLE001 - any failure means: no teacher available here
        return os.environ.get("DOMAINKIT_TEACHER")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teacher", default=None, help="teacher model folder (MPNet)")
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    from domainkit.evaluation.measure import measure_alternating, measure_classifier
    from domainkit.evaluation.quantize import save_int8
    from domainkit.evaluation.suite import agreement

    texts = hpo_definitions(args.n)
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        student = student_classifier(Path(tmp) / "student")
        int8 = save_int8(student, Path(tmp) / "student_int8")
        # in turns (A B A B), as the report does: the int8 speed-up is then a ratio taken under one load
        rows.update(measure_alternating({"student": student, "student_int8": int8}, texts,
                                        batch_size=args.batch_size, max_length=128))
        teacher = args.teacher or find_teacher()
        if teacher:
            folder = student_classifier(Path(tmp) / "teacher", model_path=teacher)
            rows["teacher"] = measure_classifier(folder, texts, batch_size=args.batch_size, max_length=128)
    print(f"{len(texts)} HPO definitions, batch {args.batch_size}, max_length 128, {os.cpu_count()} CPU cores")
    for name, m in rows.items():
        slowest, fastest = m.seq_per_s_range
        print(f"{name:13s} {m.seq_per_s:8.1f} seq/s ({slowest:.1f}-{fastest:.1f} over {len(m.pass_seconds)} passes, "
              f"load average {_load(m.load_average_1m)})  peak RSS {m.peak_rss_mb:7.1f} MiB  params {m.params / 1e6:.1f}M")
    int8_speedup = rows["student_int8"].seq_per_s / rows["student"].seq_per_s
    agree = agreement(rows["student_int8"].probabilities.argmax(1), rows["student"].probabilities.argmax(1))
    print(f"int8 speed-up vs fp32: {int8_speedup:.2f}x (target >= 1.8) -> {'PASS' if int8_speedup >= 1.8 else 'FAIL'}")
    print(f"int8 argmax agreement with fp32 (random head): {agree:.3f}")
    if "teacher" in rows:
        speedup = rows["student"].seq_per_s / rows["teacher"].seq_per_s
        print(f"student speed-up vs teacher: {speedup:.2f}x (target >= 3) -> {'PASS' if speedup >= 3 else 'FAIL'}")
    else:
        print("teacher: not found (pass --teacher FOLDER or set DOMAINKIT_TEACHER); speed-up not measured")


if __name__ == "__main__":
    main()
