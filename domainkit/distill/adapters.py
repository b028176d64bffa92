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


def save_adapters(model: PeftModel, folder: Path) -> list[str]:
    """Each adapter into ``folder/<domain>``; returns the domains written.

    peft writes an adapter named "default" into ``folder`` itself and every other one into a
    sub-folder; domains are never named "default" here, so each gets its own sub-folder.
    """
    domains = list(model.peft_config)
    if "default" in domains:
        from domainkit.errors import ModelError

        raise ModelError("an adapter is named 'default', which peft saves outside its own folder",
                         hint="name each adapter after its domain")
    model.save_pretrained(str(folder))
    return domains


def saved_domains(folder: Path) -> list[str]:
    """The domains whose adapters ``save_adapters`` wrote into ``folder``."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / "adapter_config.json").is_file())


def load_adapters(base: nn.Module, folder: Path, domains: list[str] | None = None) -> PeftModel:
    """The base student with the saved adapters of ``domains`` (default: all), the first one active."""
    from domainkit.errors import ModelError, unknown_choice

    folder, available = Path(folder), saved_domains(folder)
    wanted = list(domains or available)
    if not wanted:
        raise ModelError(f"{folder} holds no adapters (no <domain>/adapter_config.json)",
                         hint="save them with domainkit.distill.adapters.save_adapters")
    for domain in wanted:
        if domain not in available:
            raise ModelError(unknown_choice("adapter", domain, available))
    model = PeftModel.from_pretrained(base, str(folder / wanted[0]), adapter_name=wanted[0])
    for domain in wanted[1:]:
        load_adapter(model, folder, domain)
    model.set_adapter(wanted[0])
    return model


def load_adapter(model: PeftModel, folder: Path, domain: str) -> None:
    """Add the adapter saved in ``folder/<domain>`` to a model that already holds the base."""
    model.load_adapter(str(Path(folder) / domain), adapter_name=domain)
