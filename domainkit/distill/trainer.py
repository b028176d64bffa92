"""``DistillationTrainer``: transformers.Trainer with the distillation loss, nothing else changed.

Only ``compute_loss`` (and ``log``, to add per-term losses to the history) are
overridden, so checkpoints, ``resume_from_checkpoint``, progress bars, logging,
bf16 autocast, length-grouped sampling and DDP (torchrun, gloo on CPU) all come
from Trainer itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import torch
from transformers import Trainer

from domainkit.distill import losses
from domainkit.distill.student import DistillStudent

TERMS = ("soft", "hidden", "mlm", "mlm_kl", "hard")


@dataclass(frozen=True)
class LossPlan:
    """Which terms run with which weight, and why any term is off (for the run report)."""

    weights: dict[str, float]
    skipped: dict[str, str] = field(default_factory=dict)
    multi_label: bool = False
    temperature: float = 2.0
    hidden_loss: str = "cosine"
    layer_pairs: tuple[tuple[int, int], ...] = ()

    @property
    def active(self) -> list[str]:
        return [t for t in TERMS if self.weights.get(t, 0.0) > 0]


class DistillationTrainer(Trainer):
    """Trainer whose loss is the weighted sum of the plan's active terms."""

    def __init__(self, *args: Any, plan: LossPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self._term_sums: dict[str, float] = defaultdict(float)
        self._term_counts: dict[str, int] = defaultdict(int)

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        student: DistillStudent = self.accelerator.unwrap_model(model)
        outputs = model(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"])
        terms = self._terms(student, outputs, inputs)
        total = outputs.logits.sum() * 0.0  # keeps the graph (and DDP's parameter set) when no term applies
        for name, value in terms.items():
            total = total + self.plan.weights[name] * value
            self._term_sums[name] += float(value.detach())
            self._term_counts[name] += 1
        return (total, outputs) if return_outputs else total

    def _terms(self, student: DistillStudent, outputs, inputs) -> dict[str, torch.Tensor]:
        w, plan, terms = self.plan.weights, self.plan, {}
        logits, hidden = outputs.logits, outputs.hidden_states
        if w.get("hard") and bool(inputs["hard_mask"].any()):
            rows = inputs["hard_mask"]
            terms["hard"] = losses.hard_label_loss(logits[rows], inputs["labels"][rows], plan.multi_label)
        if w.get("soft") and "soft_values" in inputs:
            if plan.multi_label:
                terms["soft"] = losses.sigmoid_kl(logits, inputs["soft_values"], plan.temperature)
            else:
                terms["soft"] = losses.topk_kl(logits, inputs["soft_values"], inputs["soft_indices"], plan.temperature)
        if w.get("hidden") and "unit_mask" in inputs:
            terms["hidden"] = self._hidden_term(student, hidden, inputs)
        masked = inputs["mlm_labels"] != -100
        if (w.get("mlm") or w.get("mlm_kl")) and student.mlm_head is not None and bool(masked.any()):
            mlm_logits = student.mlm_head(hidden[-1][masked])  # only masked positions: the vocab matmul is costly
            if w.get("mlm"):
                terms["mlm"] = losses.mlm_loss(mlm_logits, inputs["mlm_labels"][masked])
            if w.get("mlm_kl") and "mlm_teacher_values" in inputs:
                present = inputs["mlm_teacher_present"]
                terms["mlm_kl"] = losses.topk_kl(
                    mlm_logits[present], inputs["mlm_teacher_values"][present],
                    inputs["mlm_teacher_indices"][present], plan.temperature,
                )
        return terms

    def _hidden_term(self, student: DistillStudent, hidden, inputs) -> torch.Tensor:
        unit_mask = inputs["unit_mask"]
        values = []
        for pair_index, (s, t) in enumerate(self.plan.layer_pairs):
            units = losses.pool_units(hidden[s], inputs["unit_index"], unit_mask.shape[1])
            projected = student.projector(pair_index, units) if student.projector is not None else units
            values.append(losses.hidden_alignment(projected, inputs[f"teacher_hidden_{t}"], unit_mask, self.plan.hidden_loss))
        return torch.stack(values).mean()

    def log(self, logs: dict[str, float], *args: Any, **kwargs: Any) -> None:
        if "loss" in logs:
            for name, total in self._term_sums.items():
                logs[f"loss_{name}"] = round(total / max(1, self._term_counts[name]), 5)
            self._term_sums.clear()
            self._term_counts.clear()
        super().log(logs, *args, **kwargs)
