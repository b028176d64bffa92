"""Soft labels from an ensemble: the domain teacher plus the student fine-tuned on labels alone.

Why: on 2 CPU cores the offline teacher is a frozen encoder with a linear head
(see ``teacher.py``), and measured on hpo-organ-system it scores about as well
as the small student fine-tuned on the labels alone (test macro-F1 0.856 vs
0.860). Soft labels from a teacher no better than the student pull the student
towards the teacher's mistakes. The two models err differently, so the mean of
their probabilities is a better teacher than either (validation split of the
default run: teacher 0.871, labels-only 0.887, mean 0.898). The labels-only
student is trained anyway as the run's baseline, so the ensemble costs one
forward pass of a small model per example, cached with the teacher's outputs.
This is ensemble distillation with a "born-again" member (Furlanello et al.,
2018): the student learns from its own fine-tuned twin and the domain teacher.

The combination is the mean of probabilities, written back as logits so the
soft-label loss and the cache need no change: ``log(mean softmax)`` for
single-label (softmax of it is the mean), ``logit(mean sigmoid)`` for multi-label.
"""

from __future__ import annotations

from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification

from domainkit.distill.encoding import pad_id_lists

_EPS = 1e-6


def mean_probability_logits(teacher_logits: torch.Tensor, companion_logits: torch.Tensor, *, multi_label: bool) -> torch.Tensor:
    """Logits whose softmax (sigmoid for multi-label) is the mean of the two models' probabilities."""
    if multi_label:
        p = (torch.sigmoid(teacher_logits.float()) + torch.sigmoid(companion_logits.float())) / 2
        p = p.clamp(_EPS, 1 - _EPS)
        return torch.log(p) - torch.log1p(-p)
    p = (torch.softmax(teacher_logits.float(), -1) + torch.softmax(companion_logits.float(), -1)) / 2
    return torch.log(p.clamp(min=_EPS))


class FinetunedCompanion:
    """The labels-only student, run on the student's own word pieces (no vocabulary bridge needed)."""

    def __init__(self, folder: Path, pad_id: int) -> None:
        self.folder = Path(folder)
        self.model = AutoModelForSequenceClassification.from_pretrained(self.folder).eval()
        self.pad_id = pad_id

    @property
    def num_labels(self) -> int:
        return int(self.model.config.num_labels)

    @torch.no_grad()
    def logits(self, student_ids: list[list[int]]) -> torch.Tensor:
        input_ids, attention = pad_id_lists(student_ids, self.pad_id)
        return self.model(input_ids=input_ids, attention_mask=attention).logits.float()
