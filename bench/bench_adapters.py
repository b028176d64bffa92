"""Per-domain LoRA adapters on one shared MiniLM: what swapping costs against loading whole models.

Trains two real tasks with different label sets as LoRA adapters on the same base student
(`distill.lora_r`, labels only, a subsample of each task), then, in one process:
- loads both into one `DomainAdapters` (the base read once) and times switching between them
  against loading each task's merged classifier from disk;
- counts the parameters each extra domain adds (adapter + head) against a whole model;
- checks that each adapter predicts as its merged model does (agreement on the test texts) and
  prints each task's macro-F1, beside the same student with every weight trained on the same data.

    python bench/bench_adapters.py [--train 400] [--test 200] [--epochs 2] [--rank 8] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("DOMAINKIT_QUIET", "1")

TASKS = (("medical", "hpo-organ-system"), ("medical", "icd10-chapter"))


def _task(pack_name: str, task: str, n_train: int, n_test: int):
    from domainkit.packs.registry import load_pack

    data = load_pack(pack_name).load_task(task, seed=13).subsample(n_train, n_test, 13)
    return replace(data, task=task)


def _train(data, work: Path, args) -> tuple[Path, Path]:
    """The merged classifier's folder and the base student's, after training ``data`` as a LoRA adapter."""
    from domainkit.distill.api import finetune_only
    from domainkit.distill.config import DistillConfig
    from domainkit.models.resolve import resolve_model
    from domainkit.packs.contract import DEFAULT_STUDENT

    student = Path(resolve_model(DEFAULT_STUDENT))
    lora = DistillConfig(epochs=args.epochs, max_length=64, lora_r=args.rank, learning_rate=args.learning_rate,
                         save_steps=10_000, logging_steps=50)
    return finetune_only(student, data, lora, out_dir=work / data.task).model_dir, student


def _full_fine_tune(data, work: Path, args) -> Path:
    """The same student, data and epochs with every weight trained (the default recipe's learning rate)."""
    from domainkit.distill.api import finetune_only
    from domainkit.distill.config import DistillConfig
    from domainkit.models.resolve import resolve_model
    from domainkit.packs.contract import DEFAULT_STUDENT

    full = DistillConfig(epochs=args.epochs, max_length=64, save_steps=10_000, logging_steps=50)
    return finetune_only(Path(resolve_model(DEFAULT_STUDENT)), data, full, out_dir=work / f"{data.task}-full").model_dir


def _merged_probabilities(model_dir: Path, texts: list[str]):
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    rows = []
    with torch.inference_mode():
        for start in range(0, len(texts), 32):
            enc = tokenizer(texts[start:start + 32], truncation=True, max_length=64, padding=True, return_tensors="pt")
            rows.append(torch.softmax(model(**enc).logits, dim=-1))
    return torch.cat(rows).numpy()


def _seconds(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=int, default=400, help="training examples per task (class-balanced)")
    parser.add_argument("--test", type=int, default=200, help="test examples per task")
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--rank", type=int, default=8, help="LoRA rank")
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--work", type=Path, default=None, help="keep the trained adapters here")
    args = parser.parse_args()

    import numpy as np
    from sklearn.metrics import f1_score
    from transformers import AutoModelForSequenceClassification

    from domainkit.distill.adapters import DomainAdapters

    work = args.work or Path(tempfile.mkdtemp(prefix="bench_adapters_"))
    tasks, merged, base = {}, {}, None
    for pack_name, task in TASKS:
        data = _task(pack_name, task, args.train, args.test)
        started = time.perf_counter()
        merged[task], base = _train(data, work, args)
        tasks[task] = data
        print(f"{task}: {len(data.label_names)} labels, {len(data.train_texts)} train / {len(data.test_texts)} test, "
              f"LoRA r={args.rank} trained in {time.perf_counter() - started:.0f} s")

    load_started = time.perf_counter()
    adapters = DomainAdapters(base)
    for task in tasks:
        adapters.add(work / task / "adapter")
    print(f"one base + {len(tasks)} adapters loaded in {time.perf_counter() - load_started:.2f} s")

    for task, data in tasks.items():
        adapters.use(task)
        probabilities = adapters.predict_proba(data.test_texts, max_length=64)
        predicted = probabilities.argmax(axis=1)
        agreement = float((predicted == _merged_probabilities(merged[task], data.test_texts).argmax(axis=1)).mean())
        macro = f1_score(np.array(data.test_label_ids), predicted, average="macro")
        full = _merged_probabilities(_full_fine_tune(data, work, args), data.test_texts).argmax(axis=1)
        full_macro = f1_score(np.array(data.test_label_ids), full, average="macro")
        print(f"{task}: macro-F1 {macro:.3f} through the adapter (every weight trained: {full_macro:.3f}); "
              f"agreement with its merged model {agreement:.3f}")

    names = list(tasks)
    swap = _seconds(lambda: [adapters.use(name) for name in names], 50) / len(names)
    reload = _seconds(lambda: [AutoModelForSequenceClassification.from_pretrained(merged[n]) for n in names], 3) / len(names)
    full = sum(p.numel() for p in AutoModelForSequenceClassification.from_pretrained(merged[names[0]]).parameters())
    extra = {task: sum(t.numel() for name, t in adapters.model.named_parameters() if f".{task}." in name)
             + sum(p.numel() for p in adapters.heads[task].parameters()) for task in names}
    print(f"switch domain: {swap * 1000:.2f} ms; load a merged model from disk: {reload * 1000:.0f} ms "
          f"(ratio {reload / swap:.0f}x)")
    for task in names:
        print(f"{task}: adds {extra[task]:,} parameters to the shared base ({extra[task] / full:.1%} of a whole "
              f"model, {full:,})")


if __name__ == "__main__":
    main()
