"""Per-domain LoRA adapters on one shared base student (peft), swappable without reloading the base.

The base weights stay in memory once; each domain adds only its LoRA matrices
(and its own classifier head, which peft keeps per adapter for sequence
classification). ``use_adapter`` switches the active one in place.
"""

from __future__ import annotations

from pathlib import Path

from peft import LoraConfig, PeftModel, TaskType, get_peft_model
from torch import nn

#: BERT/MiniLM attention projections: LoRA on query and value, the original LoRA recipe.
DEFAULT_TARGETS = ("query", "value")


def lora_config(r: int = 8, alpha: int = 16, targets: tuple[str, ...] = DEFAULT_TARGETS) -> LoraConfig:
    return LoraConfig(task_type=TaskType.SEQ_CLS, r=r, lora_alpha=alpha, target_modules=list(targets), lora_dropout=0.0)


def with_adapter(base: nn.Module, domain: str, config: LoraConfig | None = None) -> PeftModel:
    """Wrap the base student with its first domain adapter."""
    return get_peft_model(base, config or lora_config(), adapter_name=domain)


def add_adapter(model: PeftModel, domain: str, config: LoraConfig | None = None) -> None:
    model.add_adapter(domain, config or lora_config())


def use_adapter(model: PeftModel, domain: str) -> None:
    """Activate one domain's adapter in place (the base stays loaded)."""
    available = list(model.peft_config)
    if domain not in available:
        from domainkit.errors import ModelError, unknown_choice

        raise ModelError(unknown_choice("adapter", domain, available))
    model.set_adapter(domain)


def save_adapters(model: PeftModel, folder: Path) -> None:
    """Each adapter into ``folder/<domain>`` (peft writes non-default adapters into sub-folders)."""
    model.save_pretrained(str(folder))


def load_adapter(model: PeftModel, folder: Path, domain: str) -> None:
    model.load_adapter(str(folder), adapter_name=domain)
