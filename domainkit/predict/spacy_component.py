"""spaCy component ``domainkit_textcat``: a domainkit classifier inside a spaCy pipeline.

    nlp = spacy.blank("en")
    nlp.add_pipe("domainkit_textcat", config={"model": "path/to/model"})  # or "pkg:NAME"
    nlp("some text").cats   # {label: probability}; {} for a blank document

Weights load from safetensors only, as in ``domainkit predict``; ``"allow_pickle": True`` in the
config accepts pickle checkpoints from a source you trust. ``"precision": "bf16"`` runs an fp32
model folder under bf16 autocast, as ``domainkit predict --precision bf16`` does.

Registered through the ``spacy_factories`` entry point (pyproject:
``domainkit_textcat = "domainkit.predict.spacy_component:make_domainkit_textcat"``);
importing this module registers it too. Predictions are the same as
:func:`domainkit.predict.predict_file` (same Predictor, same de-identification
policy). ``doc.cats`` holds every label's probability; the chosen labels
(tuned thresholds for multi-label, argmax otherwise) are in
``doc._.domainkit_labels``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from domainkit.predict.inputs import is_blank
from domainkit.predict.predictor import Predictor

if not Doc.has_extension("domainkit_labels"):
    Doc.set_extension("domainkit_labels", default=None)


class DomainkitTextcat:
    def __init__(self, name: str, model: str, batch_size: int, allow_pickle: bool = False,
                 precision: str = "fp32") -> None:
        self.name = name
        # a folder, or a pkg:NAME / store:NAME reference
        self.predictor = Predictor(model, allow_pickle=allow_pickle, precision=precision)
        self.batch_size = batch_size

    def _annotate(self, docs: list[Doc]) -> None:
        # A blank document gets no label (``domainkit predict`` refuses blank documents): the
        # model is not run on it; it would give a confident-looking label to nothing.
        # Blank: whitespace and invisible format characters only (``is_blank``), as predict refuses.
        for doc in docs:
            if is_blank(doc.text):
                doc.cats = {}
                doc._.domainkit_labels = None
        docs = [doc for doc in docs if not is_blank(doc.text)]
        if not docs:
            return
        probabilities = self.predictor.probabilities([d.text for d in docs], batch_size=self.batch_size)
        for doc, row, label in zip(docs, probabilities, self.predictor.labels(probabilities), strict=True):
            doc.cats = {name: float(p) for name, p in zip(self.predictor.label_names, row, strict=True)}
            doc._.domainkit_labels = label

    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        size = batch_size or self.batch_size
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) == size:
                self._annotate(batch)
                yield from batch
                batch = []
        if batch:
            self._annotate(batch)
            yield from batch


@Language.factory("domainkit_textcat",
                  default_config={"model": "", "batch_size": 32, "allow_pickle": False, "precision": "fp32"})
def make_domainkit_textcat(nlp: Language, name: str, model: str, batch_size: int,
                           allow_pickle: bool, precision: str) -> DomainkitTextcat:
    if not model:
        from domainkit.errors import ConfigError

        raise ConfigError("domainkit_textcat needs config={'model': FOLDER}")
    return DomainkitTextcat(name, model, batch_size, allow_pickle=allow_pickle, precision=precision)
