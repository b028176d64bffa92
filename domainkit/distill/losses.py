"""The loss terms of continued distillation, as plain functions of tensors.

Soft labels come from the teacher cache as the TOP-K teacher logits (values and
indices), not the full distribution: for a task head with K <= top_k classes
this is exact; for MLM logits over a 30k vocabulary it keeps the cache small.
Choice: the teacher distribution is renormalised over its top-k support
(softmax of the kept logits / T) and the student's log-probabilities are the
*full* log-softmax gathered at those indices. The KL is then
sum_k p_t(k) * (log p_t(k) - log q_s(k)); student mass outside the support is
penalised implicitly (it lowers every log q_s(k)). This is the sparse-KD
formulation; renormalising the student too would let it put arbitrary mass
outside the support for free.

Every term is multiplied by T^2 (Hinton et al.) so that its gradient scale does
not change with the temperature.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def topk_kl(
    student_logits: torch.Tensor,
    teacher_values: torch.Tensor,
    teacher_indices: torch.Tensor,
    temperature: float,
) -> torch.Tensor:
    """Mean KL(teacher_topk || student) over rows, times T^2.

    ``student_logits``: (N, C). ``teacher_values`` / ``teacher_indices``: (N, k);
    an index of -1 marks a slot with no teacher entry (e.g. a teacher piece with
    no student equivalent) and is left out of the support.
    """
    valid = teacher_indices >= 0
    # A row without one valid slot (none of the teacher's top-k pieces exists for the student) has no
    # distribution to match: its softmax would be NaN, and the NaN reaches the weights through backward.
    rows = valid.any(-1)
    if not bool(rows.any()):
        return student_logits.sum() * 0.0
    student_logits, teacher_values, teacher_indices, valid = (
        student_logits[rows], teacher_values[rows], teacher_indices[rows], valid[rows])
    safe_indices = teacher_indices.clamp(min=0).long()
    t_logits = teacher_values.float().masked_fill(~valid, float("-inf")) / temperature
    # -inf slots become 0 after the softmax: 0 * -inf would be NaN, so they are zeroed, not multiplied.
    t_log_probs = F.log_softmax(t_logits, dim=-1).masked_fill(~valid, 0.0)
    s_log_probs = F.log_softmax(student_logits.float() / temperature, dim=-1).gather(-1, safe_indices)
    t_probs = t_log_probs.exp().masked_fill(~valid, 0.0)
    terms = t_probs * (t_log_probs - s_log_probs)
    return terms.sum(-1).mean() * temperature**2


def sigmoid_kl(student_logits: torch.Tensor, teacher_logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """Multi-label soft labels: per-label BCE against teacher sigmoid probabilities, times T^2.

    Each label is its own Bernoulli, so "softmax over classes" does not apply;
    BCE against p_t differs from the Bernoulli KL only by the teacher's entropy,
    a constant, so gradients are identical.
    """
    if student_logits.shape[0] == 0:
        return student_logits.sum() * 0.0
    targets = torch.sigmoid(teacher_logits.float() / temperature)
    loss = F.binary_cross_entropy_with_logits(student_logits.float() / temperature, targets)
    return loss * temperature**2


def hard_label_loss(logits: torch.Tensor, labels: torch.Tensor, multi_label: bool) -> torch.Tensor:
    """CE for single-label (labels (N,) ids), BCE for multi-label (labels (N, C) in {0, 1})."""
    if logits.shape[0] == 0:
        return logits.sum() * 0.0
    if multi_label:
        return F.binary_cross_entropy_with_logits(logits.float(), labels.float())
    return F.cross_entropy(logits.float(), labels.long())


def mlm_loss(mlm_logits: torch.Tensor, mlm_labels: torch.Tensor) -> torch.Tensor:
    """Cross-entropy on the masked positions (labels -100 elsewhere)."""
    if mlm_logits.shape[0] == 0 or not bool((mlm_labels != -100).any()):
        return mlm_logits.sum() * 0.0
    return F.cross_entropy(mlm_logits.float().reshape(-1, mlm_logits.shape[-1]), mlm_labels.reshape(-1), ignore_index=-100)


class HiddenProjector(nn.Module):
    """Learned linear maps from student width to teacher width, one per mapped layer pair.

    Projecting the student (TinyBERT's W_h) rather than the cached teacher keeps the
    target fixed: a learned map on the target side could shrink it towards zero
    and make the MSE trivially small. Identity (no parameters) when widths match.
    """

    def __init__(self, student_width: int, teacher_width: int, num_pairs: int) -> None:
        super().__init__()
        self.needs_projection = student_width != teacher_width
        self.maps = nn.ModuleList(
            nn.Linear(student_width, teacher_width) if self.needs_projection else nn.Identity()
            for _ in range(num_pairs)
        )

    def forward(self, pair_index: int, student_hidden: torch.Tensor) -> torch.Tensor:
        return self.maps[pair_index](student_hidden)


def hidden_alignment(
    student_units: torch.Tensor, teacher_units: torch.Tensor, mask: torch.Tensor, kind: str
) -> torch.Tensor:
    """Alignment of (N, U, H) unit states (tokens or words) over the units where mask is true.

    ``cosine``: mean of 1 - cos (DistilBERT's cosine embedding loss with target 1);
    ``mse``: mean squared error per element (TinyBERT).
    """
    mask = mask.bool()
    if not bool(mask.any()):
        return student_units.sum() * 0.0
    s = student_units[mask].float()
    t = teacher_units[mask].float()
    if kind == "cosine":
        return (1.0 - F.cosine_similarity(s, t, dim=-1)).mean()
    if kind == "mse":
        return F.mse_loss(s, t)
    raise ValueError(f"unknown hidden loss {kind!r}; available: cosine, mse")


def pool_units(hidden: torch.Tensor, unit_index: torch.Tensor, num_units: int) -> torch.Tensor:
    """Mean of token states per unit: (B, T, H) states, (B, T) unit ids (-1 = none) -> (B, U, H).

    With one unit per token this is a gather; with words (different tokenizers)
    it averages the pieces of each word, the character-offset alignment.
    """
    batch, _, width = hidden.shape
    valid = unit_index >= 0
    index = unit_index.clamp(min=0).long()
    weights = valid.to(hidden.dtype).unsqueeze(-1)
    sums = hidden.new_zeros(batch, num_units, width)
    counts = hidden.new_zeros(batch, num_units, 1)
    sums.scatter_add_(1, index.unsqueeze(-1).expand(-1, -1, width), hidden * weights)
    counts.scatter_add_(1, index.unsqueeze(-1), weights)
    return sums / counts.clamp(min=1.0)
