"""Per-domain LoRA adapters on one shared base student (peft), swappable without reloading the base.

Training (``distill.lora_r > 0``): the student's encoder gets a LoRA adapter named after the
task (``attach_lora``); the base encoder's weights stay frozen, and the task head trains in
full. After training, ``save_domain_adapter`` writes ``FOLDER/<domain>/``: peft's
``adapter_config.json`` and ``adapter_model.safetensors`` (LoRA matrices and the pooler), plus
``domainkit_head.safetensors`` and ``domainkit_adapter.json`` (labels, problem type, the base's
fingerprint). The run also saves the merged classifier as usual, so evaluation, export and
plain ``transformers`` never need peft.

Inference: ``DomainAdapters(base)`` keeps the base encoder in memory once; ``add(folder)``
loads the adapters saved there, ``use(domain)`` switches in place (no reload), and
``predict_proba`` runs the active domain's adapter and head.

Why the head is kept apart from peft: peft's ``modules_to_save`` copies a module of the base's
shape for each adapter, so domains with different label sets (21 organ systems, 10 licence
categories) could not share one base classifier. The encoder is what domains share; each head
is a small Linear of its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import torch
from peft import LoraConfig, PeftModel, TaskType, get_peft_model
from safetensors.torch import load_file, save_file
from torch import nn

from domainkit.errors import ModelError, unknown_choice
from domainkit.heads.settings import InferenceSettings, read_settings

#: BERT/MiniLM attention projections: LoRA on query and value, the original LoRA recipe.
DEFAULT_TARGETS = ("query", "value")
HEAD_FILE, ADAPTER_META = "domainkit_head.safetensors", "domainkit_adapter.json"
#: Students whose encoder has the query/value projections LoRA targets here, a pooler and a linear
#: classifier on the pooled output (what ``DomainAdapters`` rebuilds): BERT and its distillations (MiniLM).
LORA_MODEL_TYPES = ("bert",)


def lora_config(r: int = 8, alpha: int = 16, targets: tuple[str, ...] = DEFAULT_TARGETS,
                task_type: TaskType | None = TaskType.SEQ_CLS, modules_to_save: list[str] | None = None) -> LoraConfig:
    return LoraConfig(task_type=task_type, r=r, lora_alpha=alpha, target_modules=list(targets), lora_dropout=0.0,
                      modules_to_save=modules_to_save)


# -- several adapters on one peft model (same label set) ---------------------------------------
def with_adapter(base: nn.Module, domain: str, config: LoraConfig | None = None) -> PeftModel:
    """Wrap the base student with its first domain adapter."""
    return get_peft_model(base, config or lora_config(), adapter_name=domain)


def add_adapter(model: PeftModel, domain: str, config: LoraConfig | None = None) -> None:
    model.add_adapter(domain, config or lora_config())


def use_adapter(model: PeftModel, domain: str) -> None:
    """Activate one domain's adapter in place (the base stays loaded)."""
    available = list(model.peft_config)
    if domain not in available:
        raise ModelError(unknown_choice("adapter", domain, available))
    model.set_adapter(domain)


def save_adapters(model: PeftModel, folder: Path) -> list[str]:
    """Each adapter into ``folder/<domain>``; returns the domains written.

    peft writes an adapter named "default" into ``folder`` itself and every other one into a
    sub-folder; domains are never named "default" here, so each gets its own sub-folder.
    """
    domains = list(model.peft_config)
    if "default" in domains:
        raise ModelError("an adapter is named 'default', which peft saves outside its own folder",
                         hint="name each adapter after its domain")
    model.save_pretrained(str(folder))
    return domains


def saved_domains(folder: Path) -> list[str]:
    """The domains whose adapters were saved into ``folder`` (one sub-folder each)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / "adapter_config.json").is_file())


def load_adapters(base: nn.Module, folder: Path, domains: list[str] | None = None) -> PeftModel:
    """The base student with the saved adapters of ``domains`` (default: all), the first one active."""
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


# -- training a domain adapter on the student's encoder -----------------------------------------
def encoder_of(classifier: nn.Module) -> tuple[str, nn.Module]:
    """The attribute name and module of a ``*ForSequenceClassification``'s encoder ("bert", ...)."""
    name = classifier.base_model_prefix
    return name, getattr(classifier, name)


def attach_lora(classifier: nn.Module, domain: str, *, r: int, alpha: int) -> None:
    """Give the classifier's encoder a LoRA adapter named ``domain``; the base encoder is frozen.

    The pooler (when the encoder has one) trains with the adapter and is saved with it; the
    classifier Linear stays a plain trainable module of the classifier.
    """
    name, encoder = encoder_of(classifier)
    model_type = getattr(classifier.config, "model_type", "?")
    if model_type not in LORA_MODEL_TYPES or getattr(encoder, "pooler", None) is None \
            or not isinstance(getattr(classifier, "classifier", None), nn.Linear):
        from domainkit.errors import ConfigError

        raise ConfigError(
            f"distill.lora_r: per-domain adapters need a BERT-family student (pooler + linear classifier, "
            f"as the default MiniLM); this student is {model_type!r}",
            hint="set distill.lora_r = 0 to train every weight, or use the default student")
    config = lora_config(r, alpha, task_type=None, modules_to_save=["pooler"])
    setattr(classifier, name, get_peft_model(encoder, config, adapter_name=domain))


def has_lora(classifier: nn.Module) -> bool:
    return isinstance(encoder_of(classifier)[1], PeftModel)


def save_domain_adapter(classifier: nn.Module, folder: Path, *, base_fingerprint: str) -> Path:
    """Write the LoRA adapter and the head of a classifier trained with ``attach_lora`` to ``folder/<domain>``."""
    _, encoder = encoder_of(classifier)
    (domain,) = list(encoder.peft_config)
    encoder.save_pretrained(str(folder))
    target = Path(folder) / domain
    head = classifier.classifier
    save_file({key: value.detach().contiguous() for key, value in head.state_dict().items()}, str(target / HEAD_FILE))
    config = classifier.config
    meta = {"domain": domain, "labels": [config.id2label[i] for i in range(config.num_labels)],
            "problem_type": config.problem_type, "base_fingerprint": base_fingerprint}
    (target / ADAPTER_META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return target


def merge_lora(classifier: nn.Module) -> nn.Module:
    """The classifier with its adapter merged into plain weights (what evaluation and export read)."""
    name, encoder = encoder_of(classifier)
    setattr(classifier, name, encoder.merge_and_unload())
    return classifier


# -- inference: one base, many domains ----------------------------------------------------------
class DomainAdapters:
    """One base encoder in memory, a LoRA adapter and a head per domain, switched in place."""

    def __init__(self, base_dir: Path) -> None:
        from transformers import AutoModel, AutoTokenizer

        from domainkit.distill.fingerprint import model_fingerprint

        self.base_dir = Path(base_dir)
        self.base_fingerprint = model_fingerprint(self.base_dir)
        self.tokenizer = AutoTokenizer.from_pretrained(self.base_dir)
        self._encoder = AutoModel.from_pretrained(self.base_dir)
        self.model: PeftModel | None = None
        self.heads: dict[str, nn.Linear] = {}
        self.meta: dict[str, dict[str, Any]] = {}
        self.settings: dict[str, InferenceSettings] = {}
        self._redactors: dict[str, Any] = {}
        self.active: str | None = None

    @property
    def domains(self) -> list[str]:
        return sorted(self.heads)

    def add(self, folder: Path, *, name: str | None = None) -> list[str]:
        """Load every domain adapter saved in ``folder`` (a run's ``04-distill/adapter``); returns their names.

        ``name`` loads a folder's one adapter under another name: every run on your own documents
        names its adapter after its task, ``own-documents``, so two such runs need names of their own.
        """
        found = [d for d in saved_domains(folder) if (Path(folder) / d / ADAPTER_META).is_file()]
        if not found:
            raise ModelError(f"{folder} holds no domain adapters (no <domain>/{ADAPTER_META})",
                             hint="train one with `domainkit run PACK --set distill.lora_r=8`")
        if name is not None and len(found) != 1:
            raise ModelError(f"{folder} holds {len(found)} adapters ({', '.join(found)}); name= renames just one",
                             hint="load them under their own names, without name=")
        names = [name] if name is not None else found
        for domain, loaded_as in zip(found, names, strict=True):
            self._add_one(Path(folder) / domain, loaded_as)
        return names

    def _add_one(self, path: Path, domain: str) -> None:
        meta = json.loads((path / ADAPTER_META).read_text(encoding="utf-8"))
        if meta.get("base_fingerprint") != self.base_fingerprint:
            raise ModelError(f"adapter {path} was trained on another base student than {self.base_dir}",
                             hint="load it on the student it was trained on (the run's run.student)")
        if domain in self.heads:
            raise ModelError(f"adapter {domain!r} is loaded already",
                             hint="load the second one under a name of its own: add(folder, name=...)")
        if self.model is None:
            self.model = PeftModel.from_pretrained(self._encoder, str(path), adapter_name=domain)
        else:
            self.model.load_adapter(str(path), adapter_name=domain)
        state = load_file(str(path / HEAD_FILE))
        head = nn.Linear(state["weight"].shape[1], state["weight"].shape[0])
        head.load_state_dict(state)
        self.heads[domain], self.meta[domain] = head.eval(), meta
        self.settings[domain] = read_settings(path)  # the run's window, long documents and de-id policy
        self.model.eval()
        self.use(domain)

    def use(self, domain: str) -> None:
        """Make ``domain`` the active adapter and head; the base is not reloaded."""
        if domain not in self.heads:
            raise ModelError(unknown_choice("adapter", domain, self.domains))
        self.model.set_adapter(domain)
        self.active = domain

    def labels(self, domain: str | None = None) -> list[str]:
        return list(self.meta[domain or self.active]["labels"])

    def predict_proba(self, texts: list[str], *, batch_size: int = 32, max_length: int | None = None) -> np.ndarray:
        """Probabilities of the active domain's labels (softmax, or sigmoid for multi-label).

        Read as the run that trained the adapter reads its merged model (``domainkit predict``): its
        window length, long-document windows and de-identification policy come from the adapter's
        ``domainkit_inference.json``. ``max_length`` overrides the window; adapters saved before
        that file was written read 128 word pieces, without de-identification.
        """
        from domainkit.evaluation.inference import predict_proba
        from domainkit.heads.loading import Classifier

        if self.active is None:
            raise ModelError("no adapter loaded", hint="call add(FOLDER) first")
        settings = self.settings[self.active]
        if max_length is not None:
            settings = settings.with_changes(max_length=max_length)
        classifier = Classifier(model=_AdapterClassifier(self.model, self.heads[self.active]), tokenizer=self.tokenizer,
                                label_names=self.labels(), settings=settings, path=self.base_dir,
                                multi_label=self.meta[self.active]["problem_type"] == "multi_label_classification")
        texts = self._redacted(list(texts))
        if not texts:
            return np.zeros((0, len(self.labels())), dtype=np.float32)
        return predict_proba(classifier, texts, batch_size=batch_size)

    def _redacted(self, texts: list[str]) -> list[str]:
        """The texts under the active adapter's de-identification policy (as its run trained on them)."""
        from domainkit.predict.predictor import resolve_policy

        policy = resolve_policy(self.settings[self.active].deid_policy, None)
        if policy is None or not getattr(policy, "enabled", True):
            return texts
        if self.active not in self._redactors:
            from domainkit.deid import Deidentifier

            self._redactors[self.active] = Deidentifier(policy)
        return [redaction.text for redaction in self._redactors[self.active].redact_many(texts)]


class _AdapterClassifier(nn.Module):
    """The base with its active adapter and a domain's head, as ``model(**encoding).logits``."""

    def __init__(self, encoder: nn.Module, head: nn.Linear) -> None:
        super().__init__()
        self.encoder, self.head = encoder, head

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, **_: Any) -> Any:
        from types import SimpleNamespace

        pooled = self.encoder(input_ids=input_ids, attention_mask=attention_mask).pooler_output
        return SimpleNamespace(logits=self.head(pooled))
