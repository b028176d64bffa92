"""``DistillationTrainer``: transformers.Trainer with the distillation loss, nothing else changed.

Only ``compute_loss``, ``log`` (to add per-term losses, gathered from every
rank like ``loss``, to the history) and the training sampler (a length-grouped
order that survives a resume) are overridden, so checkpoints, ``resume_from_checkpoint``, progress bars, logging,
bf16 autocast, dynamic padding and DDP (torchrun, gloo on CPU) all come
from Trainer itself.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch
from transformers import Trainer, TrainerCallback
from transformers.trainer_pt_utils import LengthGroupedSampler, get_length_grouped_indices, nested_gather

from domainkit.distill import losses
from domainkit.distill.student import StudentOutputs
from domainkit.errors import DomainkitError

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


class EpochSeededLengthSampler(LengthGroupedSampler):
    """transformers' length-grouped order, drawn from (seed, epoch) instead of the global RNG.

    The stock sampler draws from the global RNG, which a resume resets to the seed, so a run
    resumed in its second epoch or later replayed the first epoch's order: some examples were
    trained twice in that epoch and others not at all.

    The epoch comes from ``epoch_source`` when one is given (``DistillationTrainer`` passes its
    state's epoch), else from the last ``set_epoch``. ``set_epoch`` alone is not enough: under
    torchrun, a resumed epoch's dataloader is accelerate's ``SkipBatchSampler`` around a
    ``BatchSamplerShard``, and neither forwards ``set_epoch`` to this sampler, so the resumed epoch
    was drawn with epoch 0 and trained the first epoch's batches. Every epoch's order is now the same
    whether or not the run was interrupted, with one process or several (and the same on every rank).
    """

    def __init__(self, batch_size: int, dataset, seed: int, epoch_source: Callable[[], int] | None = None) -> None:
        super().__init__(batch_size, dataset=dataset, model_input_name="input_ids")
        self.seed, self.epoch, self.epoch_source = seed, 0, epoch_source

    def set_epoch(self, epoch: int) -> None:
        self.epoch = int(epoch)

    def current_epoch(self) -> int:
        return int(self.epoch_source()) if self.epoch_source is not None else self.epoch

    def __iter__(self):
        generator = torch.Generator()
        generator.manual_seed(self.seed + self.current_epoch())
        return iter(get_length_grouped_indices(self.lengths, self.batch_size, generator=generator))


class LogTheLastStep(TrainerCallback):
    """Log at the last step too, not only every ``logging_steps``.

    A short run (a smoke run's 8 steps at ``logging_steps = 10``) otherwise logged no step at all,
    and its report's history held no per-term losses; a long one lost the losses of its last steps.
    """

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step >= state.max_steps:
            control.should_log = True
        return control


class DistillationTrainer(Trainer):
    """Trainer whose loss is the weighted sum of the plan's active terms."""

    def __init__(self, *args: Any, plan: LossPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_callback(LogTheLastStep)
        self.plan = plan
        self._term_sums: dict[str, float] = defaultdict(float)
        self._term_counts: dict[str, int] = defaultdict(int)

    def _get_train_sampler(self, train_dataset=None):
        dataset = self.train_dataset if train_dataset is None else train_dataset
        return EpochSeededLengthSampler(self.args.train_batch_size * self.args.gradient_accumulation_steps,
                                        dataset, self.args.seed, epoch_source=self._epoch_being_trained)

    def _epoch_being_trained(self) -> int:
        """The epoch whose batches the sampler draws, from the trainer's state (restored on resume).

        The sampler is iterated at the start of an epoch, before its first step: ``state.epoch`` is
        then the whole number of epochs done (a fresh epoch) or the checkpoint's fractional epoch (a
        resumed one, e.g. 1.5 in the second), so its floor is the epoch about to run either way.
        """
        return math.floor(self.state.epoch or 0.0)

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        outputs = model(**self._forward_inputs(inputs))
        terms = self._terms(outputs, inputs)
        total = outputs.logits.sum() * 0.0  # keeps the graph (and DDP's parameter set) when no term applies
        for name, value in terms.items():
            total = total + self.plan.weights[name] * value
            self._term_sums[name] += float(value.detach())
            self._term_counts[name] += 1
        if not bool(torch.isfinite(total.detach())):
            self._stop_on_non_finite(terms)
        return (total, outputs) if return_outputs else total

    def _stop_on_non_finite(self, terms: dict[str, torch.Tensor]) -> None:
        """Stop before a NaN or infinite loss reaches the weights: the run would save a broken model."""
        broken = [name for name, value in terms.items() if not bool(torch.isfinite(value.detach()))]
        raise DomainkitError(
            f"the distillation loss is not finite at step {self.state.global_step + 1} "
            f"(terms: {', '.join(broken) or 'their weighted sum'}); training stopped before the weights changed",
            hint="lower distill.learning_rate, or turn bf16 off with --set distill.bf16=false, and run again "
                 "(the run resumes from its last checkpoint)",
        )

    def _forward_inputs(self, inputs) -> dict[str, Any]:
        """The student's forward arguments: the MLM mask and unit alignment only where a term needs them."""
        w = self.plan.weights
        found: dict[str, Any] = {"input_ids": inputs["input_ids"], "attention_mask": inputs["attention_mask"]}
        masked = inputs["mlm_labels"] != -100
        if (w.get("mlm") or w.get("mlm_kl")) and bool(masked.any()):
            found["mlm_mask"] = masked
        if w.get("hidden") and "unit_mask" in inputs:
            found.update(unit_index=inputs["unit_index"], num_units=inputs["unit_mask"].shape[1],
                         student_layers=tuple(s for s, _ in self.plan.layer_pairs))
        return found

    def _terms(self, outputs: StudentOutputs, inputs) -> dict[str, torch.Tensor]:
        w, plan, terms = self.plan.weights, self.plan, {}
        logits = outputs.logits
        if w.get("hard") and bool(inputs["hard_mask"].any()):
            rows = inputs["hard_mask"]
            terms["hard"] = losses.hard_label_loss(logits[rows], inputs["labels"][rows], plan.multi_label)
        if w.get("soft") and "soft_values" in inputs:
            if plan.multi_label:
                terms["soft"] = losses.sigmoid_kl(logits, inputs["soft_values"], plan.temperature)
            else:
                terms["soft"] = losses.topk_kl(logits, inputs["soft_values"], inputs["soft_indices"], plan.temperature)
        if outputs.projected_units is not None:
            terms["hidden"] = self._hidden_term(outputs.projected_units, inputs)
        if outputs.mlm_logits is not None:
            masked = inputs["mlm_labels"] != -100
            if w.get("mlm"):
                terms["mlm"] = losses.mlm_loss(outputs.mlm_logits, inputs["mlm_labels"][masked])
            if w.get("mlm_kl") and "mlm_teacher_values" in inputs:
                present = inputs["mlm_teacher_present"]
                terms["mlm_kl"] = losses.topk_kl(
                    outputs.mlm_logits[present], inputs["mlm_teacher_values"][present],
                    inputs["mlm_teacher_indices"][present], plan.temperature,
                )
        return terms

    def _hidden_term(self, projected_units: tuple[torch.Tensor, ...], inputs) -> torch.Tensor:
        values = [
            losses.hidden_alignment(projected, inputs[f"teacher_hidden_{t}"], inputs["unit_mask"], self.plan.hidden_loss)
            for projected, (_, t) in zip(projected_units, self.plan.layer_pairs, strict=True)
        ]
        return torch.stack(values).mean()

    def log(self, logs: dict[str, float], *args: Any, **kwargs: Any) -> None:
        # Trainer logs "loss" on every rank at the same step, right after gathering it from all of
        # them; the terms are gathered here the same way, so no rank waits on a collective alone.
        if "loss" in logs:
            gathered = nested_gather(pack_terms(self._term_sums, self._term_counts, self.args.device),
                                     self.args.parallel_mode)
            logs.update({f"loss_{name}": value for name, value in mean_terms(gathered).items()})
            self._term_sums.clear()
            self._term_counts.clear()
        super().log(logs, *args, **kwargs)


def pack_terms(sums: dict[str, float], counts: dict[str, int], device: Any = "cpu") -> torch.Tensor:
    """One rank's per-term sums and counts as a (1, 2 x len(TERMS)) row, every term in TERMS order.

    The row has the same shape on every rank, including a term this rank never computed since the
    last log (count 0), so ranks can be gathered into one tensor. float64 keeps counts exact.
    """
    row = [sums.get(t, 0.0) for t in TERMS] + [float(counts.get(t, 0)) for t in TERMS]
    return torch.tensor([row], dtype=torch.float64, device=device)


def mean_terms(gathered: torch.Tensor) -> dict[str, float]:
    """Per-term mean over every rank's steps: the ranks' sums over their counts, added up first.

    With torchrun the history then describes all the data, as Trainer's ``loss`` (the mean over
    ranks) does, not rank 0's share. When every rank computed a term at every step this equals the
    mean of the ranks' means; a term some ranks missed (no masked piece in their batch, say) is
    weighed by how often each rank computed it. A term no rank computed is left out.
    """
    totals = gathered.reshape(-1, 2 * len(TERMS)).sum(0)
    sums, counts = totals[: len(TERMS)], totals[len(TERMS) :]
    return {name: round(float(sums[i] / counts[i]), 5) for i, name in enumerate(TERMS) if counts[i] > 0}
