"""The student being trained: a sequence classifier, an MLM head on the same encoder, projections.

The saved artefact is only ``student`` (a plain ``save_pretrained``
sequence-classification folder); the MLM head and the hidden projections are
training-time scaffolding that lives in Trainer checkpoints for ``--resume``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors import safe_open
from torch import nn
from transformers import AutoConfig, AutoModelForSequenceClassification
from transformers.utils import ModelOutput

from domainkit.data.taskdata import TaskData
from domainkit.distill.losses import HiddenProjector, pool_units

#: Names of BERT's MLM transform in checkpoints that ship one (bert-base-uncased does; MiniLM does not).
BERT_MLM_KEYS = {
    "dense.weight": "cls.predictions.transform.dense.weight",
    "dense.bias": "cls.predictions.transform.dense.bias",
    "layer_norm.weight": "cls.predictions.transform.LayerNorm.weight",
    "layer_norm.bias": "cls.predictions.transform.LayerNorm.bias",
    "bias": "cls.predictions.bias",
}


class TiedMLMHead(nn.Module):
    """BERT-style MLM head whose decoder is the encoder's input word-embedding matrix.

    Why this initialisation when the checkpoint has no head: tying the decoder to
    the word embeddings makes logits close to <h, e_v>, already meaningful because
    the top layer lives in a space trained against those embeddings. The transform
    is BERT's (dense -> GELU -> LayerNorm, so a checkpoint's real head loads into it)
    with dense = I, bias 0 and LayerNorm 1/0: the new parameters start neutral instead
    of random, but the head is not the identity, since GELU shrinks negative
    coordinates towards 0 (logit(v) = <LayerNorm(GELU(h)), e_v> + b_v). On the
    MiniLM student it barely matters (the input piece was in the top 10 at 0.74
    of unmasked positions with GELU, 0.73 with <h, e_v>), so BERT's structure
    stays. The embedding is held without
    registering it (it is the encoder's parameter), so it appears once in the
    state dict and gradients reach it through the encoder.
    """

    def __init__(self, hidden_size: int, word_embeddings: nn.Embedding, layer_norm_eps: float = 1e-12) -> None:
        super().__init__()
        self.dense = nn.Linear(hidden_size, hidden_size)
        self.layer_norm = nn.LayerNorm(hidden_size, eps=layer_norm_eps)
        self.bias = nn.Parameter(torch.zeros(word_embeddings.num_embeddings))
        object.__setattr__(self, "_embeddings", word_embeddings)
        with torch.no_grad():
            self.dense.weight.copy_(torch.eye(hidden_size))
            self.dense.bias.zero_()

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        h = self.layer_norm(nn.functional.gelu(self.dense(hidden)))
        return h @ self._embeddings.weight.t() + self.bias

    def load_from_checkpoint(self, folder: Path) -> bool:
        """Copy a BERT MLM transform from the checkpoint if it has one; True when it did."""
        for weights in Path(folder).glob("*.safetensors"):
            with safe_open(str(weights), framework="pt") as handle:
                keys = set(handle.keys())
                if not set(BERT_MLM_KEYS.values()) <= keys:
                    continue
                state = {ours: handle.get_tensor(theirs) for ours, theirs in BERT_MLM_KEYS.items()}
                self.load_state_dict(state)
                return True
        return False


def build_classifier(student_dir: Path, data: TaskData, *, attn_implementation: str | None = None) -> nn.Module:
    """AutoModelForSequenceClassification with the task's labels (multi-label: BCE problem type).

    ``attn_implementation``: passed to ``from_pretrained`` when set (see ``hardware.training_attention``).
    """
    config = AutoConfig.from_pretrained(student_dir)
    config.num_labels = len(data.label_names)
    config.id2label = dict(enumerate(data.label_names))
    config.label2id = {name: i for i, name in enumerate(data.label_names)}
    config.problem_type = "multi_label_classification" if data.multi_label else "single_label_classification"
    extra = {"attn_implementation": attn_implementation} if attn_implementation else {}
    model = AutoModelForSequenceClassification.from_pretrained(student_dir, config=config, **extra)
    if data.multi_label:
        _start_from_label_priors(model, data)
    return model


def _start_from_label_priors(model: nn.Module, data: TaskData) -> None:
    """Set the multi-label head's biases to the log-odds of each label's training frequency.

    Why: with sparse labels (an HPO term sits under 1-3 of 21 systems) a head
    starting at sigmoid(0) = 0.5 spends its first steps learning "mostly no",
    and measured here the labels-only student never left that base-rate
    plateau (BCE ~0.29 for 5 epochs, macro-F1 0.18). Starting from the priors
    (the focal-loss paper's initialisation) it learns the features at once:
    macro-F1 0.39 vs 0.00 after 3 epochs on 600 training terms.
    """
    import numpy as np

    from domainkit.heads.multilabel import multi_hot

    bias = getattr(getattr(model, "classifier", None), "bias", None)
    if bias is None:
        bias = getattr(getattr(getattr(model, "classifier", None), "out_proj", None), "bias", None)
    if bias is None or not data.train_texts:
        return
    share = multi_hot(data.train_label_ids, len(data.label_names)).mean(axis=0).clip(1e-3, 1 - 1e-3)
    with torch.no_grad():
        bias.copy_(torch.as_tensor(np.log(share / (1 - share)), dtype=bias.dtype))


@dataclass
class StudentOutputs(ModelOutput):
    """What one forward pass of :class:`DistillStudent` gives the loss terms.

    A ``ModelOutput`` (a dict underneath) so that DDP finds every tensor in it.
    """

    logits: torch.Tensor | None = None
    hidden_states: tuple[torch.Tensor, ...] | None = None
    #: MLM logits at the masked positions only (row-major order), when an MLM mask was given.
    mlm_logits: torch.Tensor | None = None
    #: Per layer pair: the student layer's states pooled per unit and projected to the teacher's width.
    projected_units: tuple[torch.Tensor, ...] | None = None


class DistillStudent(nn.Module):
    """Student classifier + optional MLM head + optional hidden projections, trained together.

    Every trained module runs inside ``forward``. Under DDP with
    ``find_unused_parameters`` a parameter used after forward (say the MLM head,
    called from the loss) is marked unused when forward ends and then fails
    when its gradient arrives ("marked as ready twice").
    """

    def __init__(self, classifier: nn.Module, *, mlm_head: TiedMLMHead | None, projector: HiddenProjector | None) -> None:
        super().__init__()
        self.student = classifier
        self.mlm_head = mlm_head
        self.projector = projector

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        *,
        mlm_mask: torch.Tensor | None = None,
        unit_index: torch.Tensor | None = None,
        num_units: int = 0,
        student_layers: tuple[int, ...] = (),
    ) -> StudentOutputs:
        """Logits and hidden states; MLM logits where ``mlm_mask`` is set; projected units per layer pair."""
        out = self.student(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True)
        hidden = out.hidden_states
        mlm_logits = None
        if mlm_mask is not None and self.mlm_head is not None:
            mlm_logits = self.mlm_head(hidden[-1][mlm_mask])  # only masked positions: the vocab matmul is costly
        projected = []
        if unit_index is not None:
            for pair_index, layer in enumerate(student_layers):
                units = pool_units(hidden[layer], unit_index, num_units)
                projected.append(self.projector(pair_index, units) if self.projector is not None else units)
        return StudentOutputs(logits=out.logits, hidden_states=hidden, mlm_logits=mlm_logits,
                              projected_units=tuple(projected) if projected else None)


def attach_mlm_head(classifier: nn.Module, student_dir: Path) -> tuple[TiedMLMHead, str]:
    """An MLM head sharing the classifier's encoder, and how it was initialised (for the report)."""
    config = classifier.config
    head = TiedMLMHead(config.hidden_size, classifier.get_input_embeddings(), getattr(config, "layer_norm_eps", 1e-12))
    if head.load_from_checkpoint(student_dir):
        return head, "student checkpoint's MLM head"
    return head, "student checkpoint has no MLM head -> head initialised from tied word embeddings (identity transform)"
