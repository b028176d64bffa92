"""spaCy NER, run only where the rules leave doubt (keeps de-identification fast).

The small English pipeline tags about 44 notes a second here; the rules run several times faster.
So NER sees only the sentences of mixed-case text that hold a capitalised word no list explains
(not English, clinical, a kept term, or already redacted), and an entity counts only when it
covers such a word: NER alone would also tag drug names and abbreviations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from domainkit.deid.lexicon import SPACY_MODEL, Lexicon
from domainkit.deid.names import case_mode, tokenize
from domainkit.deid.spans import PhiSpan

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_LABELS = {"PERSON": "NAME", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION", "ORG": "LOCATION"}
# Only NER is needed: the tagger, parser and lemmatizer would triple the cost.
_EXCLUDE = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


class NerTagger:
    """Adds NAME/LOCATION spans from spaCy NER on doubtful sentences."""

    def __init__(self, lexicon: Lexicon) -> None:
        import spacy

        self.lex = lexicon
        self.nlp = spacy.load(SPACY_MODEL, exclude=_EXCLUDE)

    def find_many(self, texts: list[str], found: list[list[PhiSpan]]) -> Iterator[list[PhiSpan]]:
        """For each text, the NER spans to add (``found`` holds the rule spans so far)."""
        pieces: list[tuple[int, int, list[tuple[int, int]]]] = []  # (text index, offset, unknown words)
        for index, (text, spans) in enumerate(zip(texts, found)):
            pieces.extend((index, start, words) for start, words in self._doubtful(text, spans))
        extra: list[list[PhiSpan]] = [[] for _ in texts]
        sentences = (texts[index][start : start + _length(texts[index], start)] for index, start, _ in pieces)
        for (index, start, words), doc in zip(pieces, self.nlp.pipe(sentences, batch_size=256)):
            for ent in doc.ents:
                kind = _LABELS.get(ent.label_)
                if kind is None:
                    continue
                ent_start, ent_end = start + ent.start_char, start + ent.end_char
                if any(self.lex.is_keep(tok.lower_) for tok in ent):
                    continue  # "Von Willebrand", "Bair Hugger": eponyms and devices stay
                if any(ent_start <= w_start and w_end <= ent_end for w_start, w_end in words):
                    if kind == "LOCATION" and ent.label_ == "ORG" and not _facility(ent.text):
                        continue
                    extra[index].append(PhiSpan(ent_start, ent_end, kind))
        return iter(extra)

    def _doubtful(self, text: str, spans: list[PhiSpan]) -> Iterator[tuple[int, list[tuple[int, int]]]]:
        if case_mode(text) != "mixed":
            return  # NER reads case: on all-caps or all-lower notes it guesses
        for match in _SENTENCE.finditer(text):
            words = []
            first = True
            for tok in tokenize(match.group(0)):
                start = match.start() + tok.start
                if first:
                    first = False
                    continue  # a sentence's first word is capitalised anyway
                if not tok.is_title_case or len(tok.low) < 3:
                    continue
                if self.lex.is_english(tok.low) or self.lex.is_keep(tok.low):
                    continue
                if any(s.start <= start < s.end for s in spans):
                    continue
                words.append((start, start + len(tok.text)))
            if words:
                yield match.start(), words


def _length(text: str, start: int) -> int:
    match = _SENTENCE.match(text, start)
    return match.end() - start if match else 0


def _facility(name: str) -> bool:
    return bool(re.search(r"\b(?:hospital|hosp|medical|center|clinic|rehab|memorial|health)\b", name, re.I))
