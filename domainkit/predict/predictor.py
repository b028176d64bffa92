"""A loaded model plus its de-identification policy: texts in, probabilities out.

Shared by :func:`domainkit.predict.predict_file` and the spaCy component so
both give the same answers for the same text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from domainkit.errors import ModelError
from domainkit.evaluation.inference import decide, predict_proba
from domainkit.heads.loading import Classifier, load_classifier
from domainkit.predict.precision import autocast, check_precision


def resolve_policy(stored: dict[str, Any] | None, given: Any) -> Any:
    """The policy to apply: ``given`` when passed, else the one stored with the model."""
    if given is not None:
        return given
    if not stored:
        return None
    from domainkit.deid.policy import DeidPolicy

    return DeidPolicy(**{k: tuple(v) if isinstance(v, list) else v for k, v in stored.items()})


def model_folder(model: str | Path) -> Path:
    """The folder of ``model``: a ``pkg:NAME`` / ``store:NAME`` reference is resolved
    (:func:`domainkit.models.resolve.resolve_model`, store folders checksum-verified);
    anything else is a plain path to an exported model folder."""
    from domainkit.models.resolve import INSTALLED_PREFIXES, resolve_model

    text = str(model)
    return resolve_model(text) if text.startswith(INSTALLED_PREFIXES) else Path(model)


class Predictor:
    """``Predictor(model)``: de-identify (per policy) then classify.

    ``model`` is an exported model folder (or its int8/ or onnx/ variant), or a ``pkg:NAME`` /
    ``store:NAME`` reference. Weights load from safetensors only unless ``allow_pickle``: a model
    from a shared drive or an internal index is trusted no more than one ``domainkit run`` loads.
    ``precision``: ``fp32`` (the default) or ``bf16`` autocast (see :mod:`domainkit.predict.precision`).
    """

    def __init__(self, model_dir: str | Path, *, deid_policy: Any = None, allow_pickle: bool = False,
                 precision: str = "fp32", **overrides: Any) -> None:
        self.classifier: Classifier = load_classifier(model_folder(model_dir), allow_pickle=allow_pickle,
                                                      **overrides)
        check_precision(precision, self.classifier)
        self.precision = precision
        self.policy = resolve_policy(self.classifier.settings.deid_policy, deid_policy)
        self._redact = self._make_redactor()

    @property
    def label_names(self) -> list[str]:
        return self.classifier.label_names

    @property
    def multi_label(self) -> bool:
        return self.classifier.multi_label

    @property
    def deid_applied(self) -> bool:
        return self._redact is not None

    def _make_redactor(self) -> Callable[[list[str]], list[str]] | None:
        if self.policy is None or not getattr(self.policy, "enabled", True):
            return None
        try:
            from domainkit.deid import Deidentifier
        except ImportError as error:
            # Refuse rather than silently classify un-redacted text.
            raise ModelError(
                f"model {self.classifier.path} asks for de-identification, but it is unavailable ({error})",
                hint="install domainkit with its de-identification extras, or pass an explicit "
                "policy with enabled=False if the inputs hold no personal data",
            ) from error
        deidentifier = Deidentifier(self.policy)

        def redact(texts: list[str]) -> list[str]:
            return [redaction.text for redaction in deidentifier.redact_many(texts)]

        return redact

    def probabilities(
        self, texts: list[str], *, batch_size: int = 32, on_batch: Callable[[int], None] | None = None
    ) -> np.ndarray:
        if self._redact is not None:
            texts = list(self._redact(list(texts)))
        with autocast(self.precision):
            return predict_proba(self.classifier, texts, batch_size=batch_size, on_batch=on_batch)

    def labels(self, probabilities: np.ndarray) -> list[str | list[str]]:
        """Label name per document (a list of names for multi-label)."""
        decided = decide(probabilities, self.classifier)
        names = self.label_names
        if self.multi_label:
            return [[names[j] for j in np.flatnonzero(row)] for row in decided]
        return [names[int(i)] for i in decided]
