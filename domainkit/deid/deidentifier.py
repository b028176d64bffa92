"""The de-identifier: rules and patterns first, spaCy NER only where they leave doubt,
and optionally a PHI tagger trained on the user's own annotated notes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice

from domainkit.deid.keep_rules import bank_cues, eponyms, jurisdictions, reference_words
from domainkit.deid.lexicon import load_lexicon
from domainkit.deid.name_widening import widened_names
from domainkit.deid.names import NameFinder
from domainkit.deid.patterns import find_patterns
from domainkit.deid.place_names import states_after_places
from domainkit.deid.place_widening import widened_places
from domainkit.deid.policy import DeidPolicy
from domainkit.deid.spans import PhiSpan, Redaction, apply_placeholders, merge_spans


class Deidentifier:
    """Replace identifiers in text with typed placeholders (``[NAME]``, ``[DATE]``, ...).

    >>> Deidentifier().redact("Seen by Dr. Okafor on 7/22.").text   # doctest: +SKIP
    'Seen by Dr. [NAME] on [DATE].'
    """

    def __init__(self, policy: DeidPolicy = DeidPolicy()) -> None:
        self.policy = policy
        self._lexicon = load_lexicon(tuple(policy.keep_terms))
        self._names = NameFinder(self._lexicon, keep_defined_terms=policy.keep_defined_terms)
        self._keep_phrase = _phrase_pattern(self._lexicon.keep_phrases)
        self._ner = None
        if policy.use_ner:
            from domainkit.deid.ner import NerTagger

            self._ner = NerTagger(self._lexicon, self._names, proper_places=not policy.keep_jurisdictions)
        self._tagger = None
        if policy.tagger:
            from domainkit.deid.tagger import PhiTagger
            from domainkit.deid.tagger_filter import TaggerSpanFilter

            span_filter = TaggerSpanFilter(self._lexicon) if policy.tagger_filter else None
            self._tagger = PhiTagger(policy.tagger, min_confidence=policy.tagger_min_confidence,
                                     span_filter=span_filter)

    def redact(self, text: str) -> Redaction:
        """Redact one text; spans are offsets into ``text``."""
        return self._redact_batch([text])[0]

    def redact_many(
        self, texts: Iterable[str], *, workers: int = 1, batch_size: int = 64
    ) -> Iterator[Redaction]:
        """Redact many texts in order; ``workers > 1`` spreads batches over processes."""
        if workers < 1 or batch_size < 1:
            raise ValueError("workers and batch_size must be >= 1")
        if workers == 1:
            iterator = iter(texts)
            while batch := list(islice(iterator, batch_size)):
                yield from self._redact_batch(batch)
            return
        from domainkit.deid.parallel import redact_in_processes

        yield from redact_in_processes(self, texts, workers=workers, batch_size=batch_size)

    # -- internals ----------------------------------------------------------------------------
    def _redact_batch(self, texts: list[str]) -> list[Redaction]:
        protected = [self._protected(text) for text in texts]
        found = [self._rule_spans(text, keep) for text, keep in zip(texts, protected)]
        if self._ner is not None:
            for spans, extra in zip(found, self._ner.find_many(texts, found)):
                spans.extend(extra)
        if self._tagger is not None:
            # The tagger sees what the rules and NER found (a span that only widens one is kept),
            # minus what will not be redacted: a span of a type the policy leaves, or a kept phrase,
            # must not vouch for a tagger span.
            redactable = [self._redactable(text, spans, keep) for text, spans, keep in zip(texts, found, protected)]
            for spans, extra in zip(found, self._tagger.find_many(texts, redactable)):
                spans.extend(extra)
        for text, spans, keep in zip(texts, found, protected):
            # from names that will be redacted only (not a kept eponym NER took for a person)
            spans.extend(widened_names(text, self._redactable(text, spans, keep), self._lexicon, keep))
            spans.extend(widened_places(text, self._redactable(text, spans, keep), keep))
        if not self.policy.keep_jurisdictions:  # legal text keeps states as jurisdictions
            for text, spans in zip(texts, found):
                spans.extend(states_after_places(text, spans))
        return [self._finish(text, spans, keep) for text, spans, keep in zip(texts, found, protected)]

    def _redactable(self, text: str, spans: list[PhiSpan], protected: list[tuple[int, int]]) -> list[PhiSpan]:
        """The spans of ``spans`` the policy redacts: its types, and no kept phrase."""
        return [span for span in spans if span.type in self.policy.types and not _kept(text, span, protected)]

    def _protected(self, text: str) -> list[tuple[int, int]]:
        """Character ranges of kept phrases ("Down syndrome", "Bell palsy") and eponyms ("Schirmer test")
        in ``text``, cross-references
        ("Section 4"), bank cue words ("IBAN") and, where the policy asks, jurisdictions ("the laws of England")."""
        if not text:
            return []
        ranges = reference_words(text) + bank_cues(text) + eponyms(text)
        if self.policy.keep_jurisdictions:
            ranges.extend(jurisdictions(text, self._lexicon.is_place))  # a listed town or a state
        if self._keep_phrase is not None:
            ranges.extend(match.span() for match in self._keep_phrase.finditer(text))
        return ranges

    def _rule_spans(self, text: str, protected: list[tuple[int, int]]) -> list[PhiSpan]:
        if not text:
            return []
        spans = list(find_patterns(text))
        spans.extend(self._names.find(text, protected))
        return spans

    def _finish(self, text: str, spans: list[PhiSpan], protected: list[tuple[int, int]]) -> Redaction:
        merged = merge_spans(self._redactable(text, spans, protected), text)
        return Redaction(apply_placeholders(text, merged), merged)


#: Words a span may add around a kept phrase and still be the kept phrase
#: ("the Licensed Work", "Parkinson's").
_FILLER = re.compile(r"(?:\b(?:the|a|an|this|that|such|any|each|its|their|s)\b|[\W_])*", re.I)


def _kept(text: str, span: PhiSpan, protected: list[tuple[int, int]]) -> bool:
    """True when ``span`` is a kept phrase, give or take articles and punctuation."""
    overlapping = [(s, e) for s, e in protected if s < span.end and e > span.start]
    if not overlapping:
        return False
    uncovered = []
    position = span.start
    for start, end in sorted(overlapping):
        uncovered.append(text[position:max(position, start)])
        position = max(position, end)
    uncovered.append(text[position:span.end])
    return all(_FILLER.fullmatch(piece) for piece in uncovered)


def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(rf"\b(?:{alternatives})\b", re.I)
