"""Task scores of logits against a TaskData split (the teacher stage and the benchmark use them)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from sklearn.metrics import accuracy_score, f1_score

from domainkit.data.taskdata import TaskData


def score_logits(logits: np.ndarray, data: TaskData, split: str = "test") -> dict[str, float]:
    """accuracy / macro-F1 / micro-F1 (multi-label: sigmoid > 0.5, accuracy = exact match)."""
    gold_ids = data.test_label_ids if split == "test" else data.train_label_ids
    n = len(data.label_names)
    if data.multi_label:
        gold = np.zeros((len(gold_ids), n), dtype=int)
        for row, ids in enumerate(gold_ids):
            gold[row, ids] = 1
        pred = (logits > 0).astype(int)
    else:
        gold, pred = np.asarray(gold_ids), logits.argmax(-1)
    labels = None if data.multi_label else list(range(n))
    return {
        "accuracy": float(accuracy_score(gold, pred)),
        "macro_f1": float(f1_score(gold, pred, average="macro", labels=labels, zero_division=0)),
        "micro_f1": float(f1_score(gold, pred, average="micro", labels=labels, zero_division=0)),
    }


@torch.no_grad()
def classifier_logits(model: Any, tokenizer: Any, texts: list[str], max_length: int, batch_size: int = 64) -> np.ndarray:
    """Logits of a sequence classifier over texts (batched longest-first to pad little)."""
    model.eval()
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    out: list[np.ndarray | None] = [None] * len(texts)
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        enc = tokenizer([texts[i] for i in chunk], truncation=True, max_length=max_length, padding=True, return_tensors="pt")
        logits = model(**enc).logits.float().numpy()
        for i, row in zip(chunk, logits, strict=True):
            out[i] = row
    return np.stack(out)  # type: ignore[arg-type]
