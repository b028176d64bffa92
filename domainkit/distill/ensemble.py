"""Soft labels from an ensemble: the domain teacher plus the student fine-tuned on labels alone.

Why: on 2 CPU cores the offline teacher is a frozen encoder with a linear head
(see ``teacher.py``), and on the pack tasks it scores no better than the small
student fine-tuned on the labels alone (hpo-organ-system test macro-F1 0.856
vs 0.860). Soft labels from such a teacher pull the student towards the
teacher's mistakes. Mixing in the labels-only student's probabilities does two
things:
- on the labelled texts, which it was trained on, the labels-only student is
  close to the true label, so the mixture keeps half of the teacher's
  distribution over the other classes ("dark knowledge") while taking its
  weight off wrong answers;
- on the unlabelled pool it is a genuine second opinion: the two models err
  differently.
Measured in a one-off experiment on a 20% validation split cut from the default
hpo-organ-system run's training examples: distilled from the teacher alone
0.869, from the mean 0.888, labels-only student 0.887 (multi-label
hpo-organ-systems: 0.621, 0.639, 0.691). The labels-only student is trained
anyway as the run's baseline, so this costs one forward pass of a small model.

The labels-only student is retrained in every run (and CPU bf16 training is not
bit-for-bit repeatable), so its outputs are mixed into the teacher's cached
records in memory and never stored: the teacher cache stays keyed by the
teacher alone and is reused across runs.

The mixture is the mean of probabilities, written back as logits so the
soft-label loss needs no change: ``log(mean softmax)`` for single-label (its
softmax is the mean), ``logit(mean sigmoid)`` for multi-label.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from domainkit.distill.encoding import Example, pad_id_lists
from domainkit.distill.teacher_cache import Record, topk_arrays

_EPS = 1e-6


def mean_probability_logits(teacher_logits: torch.Tensor, companion_logits: torch.Tensor, *, multi_label: bool) -> torch.Tensor:
    """Logits whose softmax (sigmoid for multi-label) is the mean of the two models' probabilities."""
    if multi_label:
        p = (torch.sigmoid(teacher_logits.float()) + torch.sigmoid(companion_logits.float())) / 2
        p = p.clamp(_EPS, 1 - _EPS)
        return torch.log(p) - torch.log1p(-p)
    p = (torch.softmax(teacher_logits.float(), -1) + torch.softmax(companion_logits.float(), -1)) / 2
    return torch.log(p.clamp(min=_EPS))


def blend_record(record: Record, companion_logits: np.ndarray, *, multi_label: bool, top_k: int) -> Record:
    """A copy of a cached teacher record whose task logits are the ensemble's.

    Single-label records hold the teacher's top-k logits: the teacher's
    distribution is the softmax over those k (as the soft-label loss reads it),
    zero elsewhere. Multi-label records hold every label in order.
    """
    if "logits_values" not in record:
        return record
    values = torch.from_numpy(record["logits_values"].astype(np.float32))
    companion = torch.from_numpy(np.asarray(companion_logits, dtype=np.float32))
    if multi_label:
        mixed = mean_probability_logits(values, companion, multi_label=True)
        return {**record, "logits_values": mixed.numpy().astype(np.float16)}
    dense = torch.full_like(companion, float("-inf"))
    dense[torch.from_numpy(record["logits_indices"].astype(np.int64))] = values
    mixed = mean_probability_logits(dense, companion, multi_label=False).numpy()
    new_values, new_indices = topk_arrays(mixed, top_k)
    return {**record, "logits_values": new_values, "logits_indices": new_indices}


class FinetunedCompanion:
    """The labels-only student, run on the student's own word pieces (no vocabulary bridge needed)."""

    def __init__(self, folder: Path, pad_id: int) -> None:
        self.folder = Path(folder)
        self.model = AutoModelForSequenceClassification.from_pretrained(self.folder).eval()
        self.pad_id = pad_id

    @property
    def num_labels(self) -> int:
        return int(self.model.config.num_labels)

    def reads_like(self, tokenizer) -> bool:
        """True when the labels-only student was trained on this tokenizer's ids (not so with init_from_teacher)."""
        # The vocabulary, not the whole tokenizer definition: a save/load round trip changes the latter's padding settings.
        return AutoTokenizer.from_pretrained(self.folder).get_vocab() == tokenizer.get_vocab()

    @torch.no_grad()
    def logits(self, student_ids: list[list[int]]) -> torch.Tensor:
        input_ids, attention = pad_id_lists(student_ids, self.pad_id)
        return self.model(input_ids=input_ids, attention_mask=attention).logits.float()

    def logits_for(self, examples: list[Example], batch_size: int = 64) -> np.ndarray:
        """``(len(examples), num_labels)`` logits, batched longest first (little padding), in input order."""
        out = np.zeros((len(examples), self.num_labels), dtype=np.float32)
        order = sorted(range(len(examples)), key=lambda i: -len(examples[i].input_ids))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self.logits([examples[i].input_ids for i in chunk]).numpy()
        return out


def blend_records(records: list[Record], companion_logits: np.ndarray, *, multi_label: bool, top_k: int) -> list[Record]:
    return [blend_record(r, c, multi_label=multi_label, top_k=top_k) for r, c in zip(records, companion_logits, strict=True)]
