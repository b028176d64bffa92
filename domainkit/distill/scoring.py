"""Task scores of logits against a TaskData split (the teacher stage and the benchmark use them)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from domainkit.data.taskdata import TaskData
from domainkit.heads.multilabel import multi_hot


def score_logits(logits: np.ndarray, data: TaskData, split: str = "test") -> dict[str, float | None]:
    """accuracy / macro-F1 / micro-F1 (multi-label: sigmoid > 0.5, accuracy = exact match).

    Scored by the report's own :func:`~domainkit.evaluation.metrics.classification_metrics`, so the
    teacher stage's and the benchmark's macro-F1 average over the same labels as report.json's (those
    in the references or the predictions). Multi-label decisions stay at 0.5: thresholds are tuned
    later, so a teacher's macro-F1 here can still differ from the report's tuned one.
    """
    from domainkit.evaluation.metrics import classification_metrics

    gold_ids = data.test_label_ids if split == "test" else data.train_label_ids
    if data.multi_label:
        gold, pred = multi_hot(gold_ids, len(data.label_names)), (logits > 0).astype(int)
    else:
        gold, pred = np.asarray(gold_ids), logits.argmax(-1)
    scores = classification_metrics(pred, gold, multi_label=data.multi_label)
    return {key: scores[key] for key in ("accuracy", "macro_f1", "micro_f1")}


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
