"""Batched inference that returns probabilities.

Why it is shaped like this:
- texts are sorted by length (longest first) before batching, so each batch
  pads to a similar length and little compute is spent on padding; results
  are put back in input order. Longest first also shows the memory peak at
  the start instead of at the end of a long job.
- ``torch.inference_mode`` switches off autograd bookkeeping entirely.
- with ``long_documents`` each text is split into sliding windows and window
  logits are pooled per document (see :mod:`domainkit.heads.long_document`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import torch

from domainkit.heads.long_document import encode_windows, pool_window_logits
from domainkit.heads.loading import Classifier


def length_sorted_order(texts: list[str]) -> list[int]:
    """Indices of ``texts``, longest first (character length: cheap and monotone enough)."""
    return sorted(range(len(texts)), key=lambda i: -len(texts[i]))


def batches(order: list[int], batch_size: int) -> Iterator[list[int]]:
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size]


def logits_to_probabilities(logits: np.ndarray, *, multi_label: bool) -> np.ndarray:
    logits = torch.as_tensor(logits, dtype=torch.float32)
    probs = torch.sigmoid(logits) if multi_label else torch.softmax(logits, dim=-1)
    return probs.numpy()


def _forward(model, encoding: dict[str, torch.Tensor]) -> torch.Tensor:
    return model(**encoding).logits.float()


def batch_logits(classifier: Classifier, texts: list[str], *, batch_size: int) -> torch.Tensor:
    """Logits of one batch of texts (windows pooled when long documents are on)."""
    settings = classifier.settings
    if not settings.long_documents:
        encoding = classifier.tokenizer(
            texts, truncation=True, max_length=settings.max_length, padding=True, return_tensors="pt"
        )
        return _forward(classifier.model, dict(encoding))
    windows = encode_windows(
        classifier.tokenizer, texts, max_length=settings.max_length, stride=settings.stride,
        max_windows=settings.max_windows, selection=settings.window_selection,
    )
    n_windows = windows.window_to_doc.numel()
    parts = []
    for start in range(0, n_windows, batch_size):
        chunk = {k: v[start : start + batch_size] for k, v in windows.encoding.items()}
        parts.append(_forward(classifier.model, chunk))
    return pool_window_logits(
        torch.cat(parts), windows.window_to_doc, windows.n_docs, multi_label=classifier.multi_label
    )


def predict_logits(
    classifier: Classifier,
    texts: list[str],
    *,
    batch_size: int = 32,
    on_batch: Callable[[int], None] | None = None,
) -> np.ndarray:
    """``(len(texts), n_labels)`` logits in input order; ``on_batch(n)`` reports progress."""
    n_labels = len(classifier.label_names)
    out = np.zeros((len(texts), n_labels), dtype=np.float32)
    with torch.inference_mode():
        for index in batches(length_sorted_order(texts), batch_size):
            logits = batch_logits(classifier, [texts[i] for i in index], batch_size=batch_size)
            out[index] = logits.numpy()
            if on_batch is not None:
                on_batch(len(index))
    return out


def predict_proba(
    classifier: Classifier,
    texts: list[str],
    *,
    batch_size: int = 32,
    on_batch: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Probabilities (softmax, or per-label sigmoid for multi-label) in input order."""
    logits = predict_logits(classifier, texts, batch_size=batch_size, on_batch=on_batch)
    return logits_to_probabilities(logits, multi_label=classifier.multi_label)


def decide(probabilities: np.ndarray, classifier: Classifier) -> np.ndarray:
    """Predicted label ids (single-label) or a 0/1 matrix (multi-label, tuned thresholds)."""
    if classifier.multi_label:
        from domainkit.heads.multilabel import apply_thresholds

        return apply_thresholds(probabilities, classifier.thresholds)
    return np.asarray(probabilities).argmax(axis=-1)
