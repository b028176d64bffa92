"""Token classification (NER-style, e.g. PHI tagging) from and back to character spans.

Gold data is text plus character spans ``(start, end, type)`` (end exclusive),
the form annotation tools and de-identification corpora use. Training needs a
label per word piece: each piece gets ``B-TYPE`` if it is the first piece
inside a span, ``I-TYPE`` for later pieces of the same span, ``O`` outside,
and -100 (ignored by the loss) for special tokens. The fast tokenizer's
``offset_mapping`` ties pieces to characters both ways, so predictions are
decoded back to character spans of the original text.

Training is plain ``transformers.Trainer`` with
``DataCollatorForTokenClassification`` (pads labels with -100).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


Span = tuple[int, int, str]
IGNORE = -100


def bio_labels(entity_types: Sequence[str]) -> list[str]:
    """``["O", "B-T1", "I-T1", ...]`` in a stable order."""
    return ["O"] + [f"{prefix}-{t}" for t in sorted(set(entity_types)) for prefix in ("B", "I")]


def piece_labels(offsets: Sequence[tuple[int, int]], spans: Sequence[Span], label2id: dict[str, int]) -> list[int]:
    """Label id per word piece for one text (special tokens: -100)."""
    labels = []
    previous_span = None
    for start, end in offsets:
        if start == end:  # special token ([CLS], [SEP], padding)
            labels.append(IGNORE)
            continue
        span = next((s for s in spans if s[0] <= start < s[1]), None)
        if span is None:
            labels.append(label2id["O"])
        else:
            prefix = "I" if span == previous_span else "B"
            labels.append(label2id[f"{prefix}-{span[2]}"])
        previous_span = span
    return labels


def decode_spans(offsets: Sequence[tuple[int, int]], label_ids: Sequence[int], id2label: dict[int, str]) -> list[Span]:
    """Character spans from per-piece predictions (an ``I-`` without its ``B-`` starts a span)."""
    spans: list[list[Any]] = []
    current: list[Any] | None = None
    for (start, end), label_id in zip(offsets, label_ids, strict=True):
        if start == end:
            continue
        label = id2label[int(label_id)]
        if label == "O":
            current = None
            continue
        prefix, kind = label.split("-", 1)
        if prefix == "I" and current is not None and current[2] == kind:
            current[1] = end
        else:
            current = [start, end, kind]
            spans.append(current)
    return [tuple(s) for s in spans]


def encode(tokenizer, texts: list[str], spans: list[list[Span]], label2id: dict[str, int], *, max_length: int) -> list[dict]:
    """Features for the Trainer: input ids, attention mask and piece labels (truncated)."""
    encoded = tokenizer(texts, truncation=True, max_length=max_length, return_offsets_mapping=True)
    features = []
    for i, offsets in enumerate(encoded["offset_mapping"]):
        feature = {k: encoded[k][i] for k in encoded if k != "offset_mapping"}
        feature["labels"] = piece_labels(offsets, spans[i], label2id)
        features.append(feature)
    return features


def train_token_classifier(
    base_model: Path,
    texts: list[str],
    spans: list[list[Span]],
    out_dir: Path,
    *,
    entity_types: Sequence[str],
    max_length: int = 128,
    epochs: float = 3.0,
    learning_rate: float = 5e-5,
    batch_size: int = 16,
    seed: int = 0,
) -> Path:
    """Fine-tune ``base_model`` (a local folder) to tag spans; saves model + tokenizer in ``out_dir``."""
    from transformers import (
        AutoModelForTokenClassification, AutoTokenizer, DataCollatorForTokenClassification, Trainer,
        TrainingArguments,
    )

    labels = bio_labels(entity_types)
    label2id = {label: i for i, label in enumerate(labels)}
    tokenizer = AutoTokenizer.from_pretrained(base_model, local_files_only=True)
    model = AutoModelForTokenClassification.from_pretrained(
        base_model, local_files_only=True, num_labels=len(labels),
        id2label=dict(enumerate(labels)), label2id=label2id,
        # a base with another head (a sequence classifier) gets a fresh token head
        ignore_mismatched_sizes=True,
    )
    args = TrainingArguments(
        output_dir=str(Path(out_dir) / "checkpoints"), num_train_epochs=epochs, learning_rate=learning_rate,
        per_device_train_batch_size=batch_size, save_strategy="no", report_to=[], seed=seed,
        logging_strategy="epoch", use_cpu=True, disable_tqdm=True,
    )
    trainer = Trainer(
        model=model, args=args, train_dataset=encode(tokenizer, texts, spans, label2id, max_length=max_length),
        data_collator=DataCollatorForTokenClassification(tokenizer), processing_class=tokenizer,
    )
    trainer.train()
    trainer.save_model(str(out_dir))
    tokenizer.save_pretrained(str(out_dir))
    return Path(out_dir)


def predict_spans(model_dir: Path, texts: list[str], *, max_length: int = 128, batch_size: int = 32) -> list[list[Span]]:
    """Character spans per text (text beyond ``max_length`` pieces is not tagged)."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model = AutoModelForTokenClassification.from_pretrained(model_dir, local_files_only=True).eval()
    id2label = {int(k): v for k, v in model.config.id2label.items()}
    results: list[list[Span]] = []
    with torch.inference_mode():
        for start in range(0, len(texts), batch_size):
            batch = texts[start : start + batch_size]
            encoded = tokenizer(batch, truncation=True, max_length=max_length, padding=True,
                                return_offsets_mapping=True, return_tensors="pt")
            offsets = encoded.pop("offset_mapping").tolist()
            predicted = model(**encoded).logits.argmax(-1).tolist()
            results += [decode_spans(o, p, id2label) for o, p in zip(offsets, predicted, strict=True)]
    return results


def evaluate_spans(predicted: list[list[Span]], gold: list[list[Span]]) -> dict[str, float]:
    """Exact-match span precision, recall and F1 (start, end and type must all agree)."""
    tp = sum(len(set(p) & set(g)) for p, g in zip(predicted, gold, strict=True))
    n_pred = sum(len(set(p)) for p in predicted)
    n_gold = sum(len(set(g)) for g in gold)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n_gold": float(n_gold), "n_predicted": float(n_pred)}


__all__ = ["Span", "bio_labels", "decode_spans", "encode", "evaluate_spans", "piece_labels",
           "predict_spans", "train_token_classifier"]
