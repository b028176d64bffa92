"""A learned PHI tagger added to the rules: for teams with annotated notes of their own.

Rules and name lists generalise only as far as their author saw; a hospital
that has annotated a few hundred of its own notes can train a token
classifier on them (``domainkit.heads.token.train_token_classifier``, see
``bench/bench_phi_tagger.py``) and pass its folder as ``DeidPolicy.tagger``
(``domainkit deid --tagger DIR``). Its spans are added to the rules' spans
(a union: the tagger can only add redactions), so recall can only rise.
Entity types the tagger knows that are not placeholder types are redacted as
``ID`` (e.g. a corpus's "OTHER").
"""

from __future__ import annotations

from pathlib import Path

from domainkit.deid.policy import PHI_TYPES
from domainkit.deid.spans import PhiSpan
from domainkit.errors import ModelError

#: Window and overlap for tagging: a clinical note runs to a few hundred word pieces.
TAGGER_MAX_LENGTH = 256
TAGGER_STRIDE = 64


class PhiTagger:
    """Wraps a token classifier folder; returns typed PHI spans per text."""

    def __init__(self, model_dir: str | Path, *, min_confidence: float = 0.0) -> None:
        from domainkit.heads.token import TokenTagger

        folder = Path(model_dir)
        if not (folder / "config.json").is_file():
            raise ModelError(f"PHI tagger {folder} is not a model folder (no config.json)",
                             hint="pass a folder saved by train_token_classifier (see bench/bench_phi_tagger.py)")
        self._tagger = TokenTagger(folder, max_length=TAGGER_MAX_LENGTH, stride=TAGGER_STRIDE,
                                   min_confidence=min_confidence)

    def find_many(self, texts: list[str]) -> list[list[PhiSpan]]:
        return [[PhiSpan(start, end, kind if kind in PHI_TYPES else "ID") for start, end, kind in spans]
                for spans in self._tagger(texts)]
