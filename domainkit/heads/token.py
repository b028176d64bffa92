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
#: Version of :func:`piece_labels`' rule, recorded with a trained tagger's settings so that a tagger
#: trained under an older rule is retrained rather than resumed or reused (2: a piece overlapping a span
#: is inside it, even when the span starts mid-piece).
PIECE_LABELS_VERSION = 2


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
        # Overlap, not "starts inside": a span may begin mid-piece ("MrSmith" -> "mrs", "##mith" with the
        # span on "Smith"), and that piece must be trained as PHI, as decoding redacts whole pieces.
        span = next((s for s in spans if s[0] < end and start < s[1]), None)
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


def encode(
    tokenizer, texts: list[str], spans: list[list[Span]], label2id: dict[str, int], *, max_length: int,
    stride: int = 0,
) -> list[dict]:
    """Features for the Trainer: input ids, attention mask and piece labels.

    With ``stride`` > 0 a text longer than ``max_length`` pieces becomes
    several overlapping windows (each a training example with its own piece
    labels), so identifiers late in a long note are learned too; with 0 it is
    truncated.
    """
    encoded = _tokenize(tokenizer, texts, max_length=max_length, stride=stride)
    features = []
    for i, offsets in enumerate(encoded["offset_mapping"]):
        source = encoded["overflow_to_sample_mapping"][i] if stride else i
        feature = {k: encoded[k][i] for k in ("input_ids", "attention_mask", "token_type_ids") if k in encoded}
        feature["labels"] = piece_labels(offsets, spans[source], label2id)
        features.append(feature)
    return features


def _tokenize(tokenizer, texts: list[str], *, max_length: int, stride: int, **kwargs: Any):
    windows = {"stride": stride, "return_overflowing_tokens": True} if stride else {}
    return tokenizer(texts, truncation=True, max_length=max_length, return_offsets_mapping=True, **windows, **kwargs)


def merge_window_spans(spans: list[Span]) -> list[Span]:
    """One span list per text from its windows' spans: overlapping spans of one type are joined."""
    merged: list[list[Any]] = []
    for start, end, kind in sorted(set(spans)):
        if merged and merged[-1][2] == kind and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, kind])
    return [tuple(s) for s in merged]


def train_token_classifier(
    base_model: Path,
    texts: list[str],
    spans: list[list[Span]],
    out_dir: Path,
    *,
    entity_types: Sequence[str],
    max_length: int = 128,
    stride: int = 0,
    epochs: float = 3.0,
    learning_rate: float = 5e-5,
    batch_size: int = 16,
    seed: int = 0,
    resume: bool = False,
    progress: bool = False,
) -> Path:
    """Fine-tune ``base_model`` (a local folder) to tag spans; saves model + tokenizer in ``out_dir``.

    ``resume``: save a checkpoint each epoch in ``out_dir/checkpoints`` and continue from the
    last one left by an interrupted call (removed once the model is saved). ``progress``: show
    the Trainer's progress bar.
    """
    import shutil

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
    checkpoints = Path(out_dir) / "checkpoints"
    args = TrainingArguments(
        output_dir=str(checkpoints), num_train_epochs=epochs, learning_rate=learning_rate,
        per_device_train_batch_size=batch_size, save_strategy="epoch" if resume else "no", save_total_limit=1,
        report_to=[], seed=seed, logging_strategy="epoch", use_cpu=True, disable_tqdm=not progress,
    )
    trainer = Trainer(
        model=model, args=args, train_dataset=encode(tokenizer, texts, spans, label2id, max_length=max_length, stride=stride),
        data_collator=DataCollatorForTokenClassification(tokenizer), processing_class=tokenizer,
    )
    from domainkit.atomic import share_like_new_files
    from domainkit.checkpoints import last_complete_checkpoint

    last = last_complete_checkpoint(checkpoints) if resume else None
    trainer.train(resume_from_checkpoint=last)
    trainer.save_model(str(out_dir))
    tokenizer.save_pretrained(str(out_dir))
    # The Trainer also saves its arguments as a pickle; a model folder that travels should hold none.
    (Path(out_dir) / "training_args.bin").unlink(missing_ok=True)
    share_like_new_files(Path(out_dir))  # save_model writes the weights 0600
    if resume:  # optimizer state is three times the model: not part of the tagger
        shutil.rmtree(checkpoints, ignore_errors=True)
    return Path(out_dir)


class TokenTagger:
    """A trained token classifier held in memory, tagging texts into character spans.

    With ``stride`` > 0 long texts are tagged in overlapping windows and the
    windows' spans merged; with 0, text beyond ``max_length`` pieces is not tagged.
    ``min_confidence`` drops spans whose least confident word piece (softmax
    probability of its predicted label) is below it: a precision/recall dial
    for users who validate it on their own annotated data (0 keeps every span).
    """

    def __init__(self, model_dir: Path, *, max_length: int = 128, stride: int = 0, batch_size: int = 32,
                 min_confidence: float = 0.0, bf16: bool | None = None) -> None:
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        from domainkit.distill.hardware import native_bf16_flags

        self.tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        self.model = AutoModelForTokenClassification.from_pretrained(model_dir, local_files_only=True).eval()
        self.id2label = {int(k): v for k, v in self.model.config.id2label.items()}
        self.max_length, self.stride, self.batch_size = max_length, stride, batch_size
        self.min_confidence = min_confidence
        # bf16 autocast where the CPU computes bf16 natively: about 1.7x the notes/s of fp32 here
        # (one thread, MiniLM-L6 tagger), with 99.6% of spans identical; emulated bf16 is slower.
        self.bf16 = bool(native_bf16_flags()) if bf16 is None else bf16

    def __call__(self, texts: list[str]) -> list[list[Span]]:
        import torch

        from domainkit.evaluation.inference import batches, length_sorted_order

        # Batches of similar length waste little on padding; results go back in input order.
        results: list[list[Span]] = [[] for _ in texts]
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            for chunk in batches(length_sorted_order(texts), self.batch_size):
                for index, spans in zip(chunk, self._tag_batch([texts[i] for i in chunk]), strict=True):
                    results[index] = spans
        return results

    def _tag_batch(self, batch: list[str]) -> list[list[Span]]:
        encoded = _tokenize(self.tokenizer, batch, max_length=self.max_length, stride=self.stride, padding=True,
                            return_tensors="pt")
        offsets = encoded.pop("offset_mapping").tolist()
        owners = encoded.pop("overflow_to_sample_mapping").tolist() if self.stride else list(range(len(batch)))
        confidence, predicted = self.model(**encoded).logits.float().softmax(-1).max(-1)
        per_text: list[list[Span]] = [[] for _ in batch]
        for owner, piece_offsets, labels, scores in zip(owners, offsets, predicted.tolist(), confidence.tolist(),
                                                        strict=True):
            spans = decode_spans(piece_offsets, labels, self.id2label)
            per_text[owner] += [span for span in spans
                                if _span_confidence(span, piece_offsets, scores) >= self.min_confidence]
        return [merge_window_spans(spans) for spans in per_text]


def _span_confidence(span: Span, offsets: Sequence[tuple[int, int]], scores: Sequence[float]) -> float:
    """The lowest piece confidence inside ``span`` (a span is as sure as its weakest piece)."""
    inside = [score for (start, end), score in zip(offsets, scores, strict=True)
              if end > start and span[0] <= start and end <= span[1]]
    return min(inside, default=0.0)


def predict_spans(
    model_dir: Path, texts: list[str], *, max_length: int = 128, stride: int = 0, batch_size: int = 32,
) -> list[list[Span]]:
    """Character spans per text (see :class:`TokenTagger`)."""
    return TokenTagger(model_dir, max_length=max_length, stride=stride, batch_size=batch_size)(texts)


def evaluate_spans(predicted: list[list[Span]], gold: list[list[Span]]) -> dict[str, float]:
    """Exact-match span precision, recall and F1 (start, end and type must all agree)."""
    tp = sum(len(set(p) & set(g)) for p, g in zip(predicted, gold, strict=True))
    n_pred = sum(len(set(p)) for p in predicted)
    n_gold = sum(len(set(g)) for g in gold)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n_gold": float(n_gold), "n_predicted": float(n_pred)}


__all__ = ["Span", "bio_labels", "decode_spans", "encode", "evaluate_spans", "merge_window_spans", "piece_labels",
           "predict_spans", "TokenTagger", "train_token_classifier"]
