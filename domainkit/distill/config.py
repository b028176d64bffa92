"""Typed, frozen configuration of the teacher stage and of continued distillation.

Every field carries ``help`` metadata (peft-style) so the CLI and docs can show
it; values are validated at construction and a bad one raises ConfigError
naming the option, the value found and what is allowed.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from domainkit.errors import ConfigError

TEACHER_METHODS = ("full", "lora", "head")
HIDDEN_LOSSES = ("cosine", "mse")
#: Where soft labels come from: the teacher alone, or the mean of the teacher's and the
#: labels-only student's probabilities (see ``domainkit.distill.ensemble`` for why).
TEACHER_ONLY, TEACHER_AND_FINETUNED = "teacher", "teacher+finetuned"
SOFT_LABEL_SOURCES = (TEACHER_ONLY, TEACHER_AND_FINETUNED)
LAYER_MAP_PRESETS = ("uniform", "last")


def _help(text: str) -> dict[str, str]:
    return {"help": text}


def _positive(owner: str, name: str, value: float) -> None:
    if not value > 0:
        raise ConfigError(f"{owner}.{name} must be > 0; found {value!r}")


def _non_negative(owner: str, name: str, value: float) -> None:
    if value < 0:
        raise ConfigError(f"{owner}.{name} must be >= 0; found {value!r}")


def _finite(owner: str, name: str, value: Any) -> None:
    """A real number that is not NaN or infinite (the CLI refuses those before a config is built)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{owner}.{name} must be a finite number; found {value!r}")


def _integer(owner: str, name: str, value: Any) -> int:
    """A whole number; a float with no fraction (20.0) is taken as the integer it is, as the CLI does."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{owner}.{name} must be an integer; found {value!r}")
    return value


def _one_of(owner: str, name: str, value: Any, allowed: tuple[Any, ...]) -> None:
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise ConfigError(f"{owner}.{name} must be one of {choices}; found {value!r}")


def describe(config_class: type) -> dict[str, str]:
    """Field name -> help text, for CLI ``--help`` and the docs."""
    return {f.name: f.metadata.get("help", "") for f in fields(config_class)}


@dataclass(frozen=True)
class TeacherConfig:
    """How the domain teacher gets a head for the task when it has none.

    The default ``head`` (frozen encoder, linear head over mean-pooled
    features) fits the 20-minute budget on 2 CPU cores: the teacher encodes
    each training text once (MPNet ~16 seq/s at 64 tokens) and the head trains
    on cached features in seconds. ``full`` and ``lora`` back-propagate through
    the encoder (about 3x the forward cost per epoch) and suit a GPU.
    Measured on hpo-organ-system (2000 train / 600 test, MPNet): the linear
    probe reaches macro-F1 0.856; fine-tuning only MPNet's top 4 layers and a
    classification head (3 epochs, lr 1e-4) reached 0.836 in 407 s, so the
    probe stays the default.
    """

    method: str = field(default="head", metadata=_help("full | lora | head (frozen encoder + linear head)"))
    epochs: float = field(default=3.0, metadata=_help("training epochs for full / lora (head: fitted to convergence)"))
    learning_rate: float = field(default=3e-5, metadata=_help("learning rate for full / lora (head: L-BFGS)"))
    batch_size: int = field(default=16, metadata=_help("per-device batch size"))
    max_length: int = field(default=128, metadata=_help("truncate texts to this many word pieces"))
    lora_r: int = field(default=8, metadata=_help("LoRA rank (method=lora)"))
    lora_alpha: int = field(default=16, metadata=_help("LoRA scaling alpha (method=lora)"))
    seed: int = field(default=13, metadata=_help("random seed"))

    def __post_init__(self) -> None:
        for name in ("epochs", "learning_rate"):
            _finite("teacher", name, getattr(self, name))
        for name in ("batch_size", "max_length", "lora_r", "lora_alpha", "seed"):
            object.__setattr__(self, name, _integer("teacher", name, getattr(self, name)))
        _one_of("teacher", "method", self.method, TEACHER_METHODS)
        for name in ("epochs", "learning_rate", "batch_size", "max_length", "lora_r", "lora_alpha"):
            _positive("teacher", name, getattr(self, name))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


LayerMap = tuple[tuple[int, int], ...]


#: Unlabelled pool texts distilled on besides the labelled ones (packs may lower it: legal
#: licences take 200; multi-label tasks take 2000, runner/api.py). On the pool the soft labels are
#: two models' opinions on texts neither trained on. One-off runs on hpo-organ-system (validation
#: macro-F1, 1601 training terms): labels-only 0.882, distilled with a pool of 600 0.860, of 3000 0.891.
DEFAULT_POOL = 3000


@dataclass(frozen=True)
class DistillConfig:
    """The DistilBERT triple objective plus hard labels, and how to train it.

    Loss = alpha_ce * (soft-label KL on the task logits + MLM KL when the teacher has an MLM head)
         + alpha_hidden * hidden alignment + alpha_mlm * MLM CE + alpha_hard * label CE/BCE.
    As in DistilBERT, alpha_ce weighs the teacher's soft labels wherever they come from.
    A weight of 0 switches a term off (the report says so).
    """

    alpha_ce: float = field(default=1.0, metadata=_help("weight of the soft-label KL (teacher task logits, and MLM logits when the teacher has an MLM head)"))
    alpha_hidden: float = field(default=1.0, metadata=_help("weight of hidden-state alignment"))
    # Measured on hpo-organ-system (1200 train, bench/bench_distill.py): alpha_mlm 0.5 -> macro-F1 0.675,
    # 0.1 -> 0.773 at lr 1e-4. The student checkpoint has no MLM head (it starts from tied embeddings),
    # so a large MLM weight pulls the shared encoder away from the task early on.
    alpha_mlm: float = field(default=0.1, metadata=_help("weight of masked-language modelling on domain text"))
    alpha_hard: float = field(default=1.0, metadata=_help("weight of the hard-label CE / BCE"))
    soft_labels: str = field(
        default=TEACHER_AND_FINETUNED,
        metadata=_help("teacher | teacher+finetuned (mean with the labels-only student's probabilities)"),
    )
    # T=1 with lr 2e-4 gave 0.825 vs 0.773 at T=2, lr 1e-4 (same bench): the probe teacher's
    # distribution is already soft, so a higher temperature flattens it further.
    temperature: float = field(default=1.0, metadata=_help("softmax temperature of soft labels (loss x T^2)"))
    top_k: int = field(default=20, metadata=_help("teacher logits kept per example / masked token in the cache"))
    layer_map: Any = field(
        default="last",
        metadata=_help(
            "student->teacher hidden layers: 'last', 'uniform' (student layer i -> teacher "
            "layer floor(i*Lt/Ls + 1/2), halves rounded up, never below 1; with init_from_teacher, the "
            "teacher layer it was copied from) or pairs ((s, t), ...) with 0 = embeddings"
        ),
    )
    hidden_loss: str = field(default="cosine", metadata=_help("cosine | mse"))
    epochs: float = field(default=5.0, metadata=_help("training epochs"))
    # A 6-layer, 384-wide student with a fresh classifier learns best with a high rate: 3e-4 for
    # 5 epochs reached 0.855 macro-F1 (teacher 0.861) where 1e-4 for 3 epochs reached 0.773.
    learning_rate: float = field(default=3e-4, metadata=_help("peak learning rate (linear decay)"))
    batch_size: int = field(default=16, metadata=_help("per-device batch size"))
    max_length: int = field(default=128, metadata=_help("truncate texts to this many word pieces"))
    # Distillation teaches most on the pool (see DEFAULT_POOL); the default and full presets take it.
    pool_limit: int = field(default=DEFAULT_POOL, metadata=_help("at most this many unlabelled pool texts (0 = none)"))
    mlm_probability: float = field(default=0.15, metadata=_help("share of pool tokens masked for MLM"))
    bf16: Any = field(default="auto", metadata=_help("'auto' (use when the CPU has native bf16) | true | false"))
    seed: int = field(default=13, metadata=_help("random seed (also fixes the static MLM masks)"))
    init_from_teacher: bool = field(
        default=False, metadata=_help("initialise the student from every other teacher layer (same architecture)")
    )
    lora_r: int = field(default=0, metadata=_help(
        "0 trains every student weight; N > 0 trains a LoRA adapter of rank N on the student's encoder "
        "(its base weights frozen) and saves it in 04-distill/adapter for per-domain swapping"))
    lora_alpha: int = field(default=16, metadata=_help("LoRA scaling alpha (lora_r > 0)"))
    logging_steps: int = field(default=10, metadata=_help("log the loss every N optimiser steps"))
    save_steps: int = field(default=200, metadata=_help("checkpoint every N steps (resume picks up the last)"))

    def __post_init__(self) -> None:
        for name in ("alpha_ce", "alpha_hidden", "alpha_mlm", "alpha_hard", "temperature", "epochs",
                     "learning_rate", "mlm_probability"):
            _finite("distill", name, getattr(self, name))
        for name in ("top_k", "batch_size", "max_length", "pool_limit", "seed", "lora_r", "lora_alpha",
                     "logging_steps", "save_steps"):
            object.__setattr__(self, name, _integer("distill", name, getattr(self, name)))
        _non_negative("distill", "lora_r", self.lora_r)
        _positive("distill", "lora_alpha", self.lora_alpha)
        for name in ("alpha_ce", "alpha_hidden", "alpha_mlm", "alpha_hard"):
            _non_negative("distill", name, getattr(self, name))
        if self.alpha_ce + self.alpha_hidden + self.alpha_mlm + self.alpha_hard == 0:
            raise ConfigError("distill: every loss weight is 0; set at least one alpha_* > 0")
        for name in ("temperature", "top_k", "epochs", "learning_rate", "batch_size", "max_length"):
            _positive("distill", name, getattr(self, name))
        _non_negative("distill", "pool_limit", self.pool_limit)
        if not 0 < self.mlm_probability < 1:
            raise ConfigError(f"distill.mlm_probability must be in (0, 1); found {self.mlm_probability!r}")
        _one_of("distill", "hidden_loss", self.hidden_loss, HIDDEN_LOSSES)
        _one_of("distill", "soft_labels", self.soft_labels, SOFT_LABEL_SOURCES)
        if not (self.bf16 is True or self.bf16 is False or self.bf16 == "auto"):  # not `in`: 1 == True
            raise ConfigError(f"distill.bf16 must be one of 'auto', true, false; found {self.bf16!r}")
        object.__setattr__(self, "layer_map", _normalise_layer_map(self.layer_map))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["layer_map"] = self.layer_map if isinstance(self.layer_map, str) else [list(p) for p in self.layer_map]
        return data

    def replace(self, **changes: Any) -> DistillConfig:
        data = asdict(self)
        data.update(changes)
        return DistillConfig(**data)


def _normalise_layer_map(value: Any) -> str | LayerMap:
    if isinstance(value, str):
        _one_of("distill", "layer_map", value, LAYER_MAP_PRESETS)
        return value
    try:
        # whole numbers only: int() would read 6.7 as 6 and true as 1 without a word
        pairs = tuple((_integer("distill", "layer_map", s), _integer("distill", "layer_map", t)) for s, t in value)
    except (TypeError, ValueError, ConfigError):
        raise ConfigError(
            f"distill.layer_map must be 'last', 'uniform' or pairs of layer numbers like [[6, 12], [3, 6]]; "
            f"found {value!r}"
        ) from None
    if not pairs or any(s < 0 or t < 0 for s, t in pairs):
        raise ConfigError(f"distill.layer_map needs at least one pair of non-negative layer numbers; found {value!r}")
    return pairs


def resolve_layer_map(layer_map: str | LayerMap, student_layers: int, teacher_layers: int,
                      copied_from: list[int] | None = None) -> LayerMap:
    """Concrete (student_layer, teacher_layer) pairs; 0 is the embedding output.

    ``copied_from``: the teacher blocks (0-based) the student's blocks were copied from
    (``distill.init_from_teacher``). ``uniform`` then aligns each student layer with the teacher
    layer it was copied from: student block i-1 is teacher block ``copied_from[i-1]``, whose output
    is teacher hidden state ``copied_from[i-1] + 1`` (blocks 0, 2, 4 -> teacher layers 1, 3, 5).

    ``uniform`` maps student layer i to teacher layer floor(i * Lt / Ls + 1/2) (TinyBERT's
    uniform strategy); ``last`` aligns the final layers only (DistilBERT).
    Exact halves round up (Python's ``round`` goes to the even neighbour, so 1.5 -> 2 but
    4.5 -> 4 in one map), and a transformer layer is never matched with the teacher's
    embedding output (layer 0): a student more than twice as deep as its teacher maps its
    first layers to teacher layer 1. Explicit pairs may still name layer 0.
    """
    if layer_map == "last":
        return ((student_layers, teacher_layers),)
    if layer_map == "uniform" and copied_from is not None and len(copied_from) == student_layers:
        return tuple((i, block + 1) for i, block in enumerate(copied_from, start=1))
    if layer_map == "uniform":
        # (2 i Lt + Ls) // (2 Ls) is floor(i Lt / Ls + 1/2) in integers: no float rounding at exact halves.
        return tuple((i, max(1, (2 * i * teacher_layers + student_layers) // (2 * student_layers)))
                     for i in range(1, student_layers + 1))
    for s, t in layer_map:
        if s > student_layers or t > teacher_layers:
            raise ConfigError(
                f"distill.layer_map pair ({s}, {t}) is out of range: the student has {student_layers} "
                f"layers and the teacher {teacher_layers}, so a pair (s, t) needs s in 0..{student_layers} "
                f"and t in 0..{teacher_layers} (0 = embeddings)",
                hint="give pairs within those ranges, or a preset: --set distill.layer_map=last (the final "
                     "layers) or --set distill.layer_map=uniform (every student layer, spread over the teacher's)",
            )
    return tuple(layer_map)
