"""A learned PHI tagger added to the rules: for teams with annotated notes of their own.

Rules and name lists generalise only as far as their author saw; a hospital
that has annotated a few hundred of its own notes can train a token
classifier on them (``domainkit.heads.token.train_token_classifier``, see
``bench/bench_phi_tagger.py``) and pass its folder as ``DeidPolicy.tagger``
(``domainkit deid --tagger DIR``). Its spans are added to the rules' spans
(a union: the tagger can only add redactions), so recall can only rise.
Before they are added, a plausibility check (:mod:`domainkit.deid.tagger_filter`)
drops standalone spans that look like no identifier; ``DeidPolicy.tagger_filter``
switches it off. Entity types the tagger knows that are not placeholder types
are redacted as ``ID`` (e.g. a corpus's "OTHER").
"""

from __future__ import annotations

import json
from pathlib import Path

from domainkit.deid.policy import PHI_TYPES
from domainkit.deid.spans import PhiSpan
from domainkit.deid.tagger_filter import TaggerSpanFilter
from domainkit.errors import ModelError

#: Window and overlap for tagging: a clinical note runs to a few hundred word pieces.
TAGGER_MAX_LENGTH = 256
TAGGER_STRIDE = 64


class PhiTagger:
    """Wraps a token classifier folder; returns typed PHI spans per text.

    ``min_confidence`` drops spans whose least sure word piece is below it; ``span_filter``,
    when given, decides which of the remaining spans to add to the rules' (see ``find_many``).
    """

    def __init__(self, model_dir: str | Path, *, min_confidence: float = 0.0,
                 span_filter: TaggerSpanFilter | None = None) -> None:
        from domainkit.heads.token import TokenTagger

        folder = Path(model_dir)
        if not (folder / "config.json").is_file():
            raise ModelError(f"PHI tagger {folder} is not a model folder (no config.json)",
                             hint="pass a folder saved by train_token_classifier (see bench/bench_phi_tagger.py)")
        _require_tagger_labels(folder)
        self._tagger = TokenTagger(folder, max_length=TAGGER_MAX_LENGTH, stride=TAGGER_STRIDE,
                                   min_confidence=min_confidence)
        self._filter = span_filter

    def find_many(self, texts: list[str], found: list[list[PhiSpan]] | None = None) -> list[list[PhiSpan]]:
        """Spans to add per text; ``found`` holds the spans other detectors found in each text.

        Without a filter every span is returned; with one, the filter judges each span against
        ``found`` (a span that only widens one of those is always kept).
        """
        tagged = [[_whole_words(text, PhiSpan(start, end, kind if kind in PHI_TYPES else "ID")) for start, end, kind in spans]
                  for text, spans in zip(texts, self._tagger(texts), strict=True)]
        if self._filter is None:
            return tagged
        found = found if found is not None else [[] for _ in texts]
        return [self._filter.filter(text, spans, known)
                for text, spans, known in zip(texts, tagged, found, strict=True)]


def _whole_words(text: str, span: PhiSpan) -> PhiSpan:
    """The span widened to the whole words it touches.

    The tagger labels word pieces, so a weakly trained one can mark "ster" in "Hester" or "1234" in
    "MRN1234": redacting the piece alone would leave the rest of the identifier readable
    ("He[NAME]"). A redaction covers whole words: letters and digits on either side join it, and so
    does a hyphen, apostrophe, slash, period or colon between them ("Okafor-Lee", "O'Brien", "2/14/2019",
    "10.0.0.7").
    """
    def joins(i: int) -> bool:  # text[i] belongs to the word that touches it
        if text[i].isalnum():
            return True
        return text[i] in "-'/.:" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()

    start, end = span.start, span.end
    while start > 0 and joins(start - 1):
        start -= 1
    while end < len(text) and joins(end):
        end += 1
    return span if (start, end) == (span.start, span.end) else PhiSpan(start, end, span.type)


def _require_tagger_labels(folder: Path) -> None:
    """Refuse a model folder that is no token tagger (an exported classifier, a base model).

    Loaded as a token classifier, such a folder gets a fresh random head: its labels ("cardiology",
    "LABEL_0") are no BIO tags, and tagging failed on the first note (or, with a "-" in a label,
    redacted at random).
    """
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ModelError(f"PHI tagger {folder}: its config.json cannot be read as JSON",
                         hint="pass the folder written by `domainkit tagger train`") from None
    if not isinstance(config, dict):
        config = {}
    labels = list((config.get("id2label") or {}).values())
    architectures = config.get("architectures") or []
    not_bio = [label for label in labels if not (label == "O" or (isinstance(label, str) and label[:2] in ("B-", "I-")))]
    is_token_model = any(str(name).endswith("ForTokenClassification") for name in architectures)
    if not labels or not_bio or "O" not in labels or not is_token_model:
        found = ", ".join(map(str, architectures)) or "no architecture"
        raise ModelError(
            f"PHI tagger {folder} is not a token tagger ({found}; {len(not_bio)} of {len(labels)} label(s) "
            "are not BIO tags O, B-TYPE, I-TYPE)",
            hint="pass a folder written by `domainkit tagger train`, not a classifier or a base model")
