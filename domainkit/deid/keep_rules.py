"""Phrases that look like names or places but carry a document's meaning: kept, not redacted.

Each function returns character ranges; the de-identifier treats them like kept terms (no rule
tags a word inside one, and a span inside one is dropped).
- Cross-references, in every policy: "Section 4.2(b)", "Schedule 4", "Exhibit A". The capitalised
  word before a number or a numbered reference is never a place or a person.
- Cue words of bank identifiers, in every policy: "IBAN", "BIC", "Acct" before the number they
  announce. After a name and a comma ("Maria Müller, IBAN DE89 ...") the name rules took the cue
  for the first name of a "Last, First" pair.
- Jurisdictions, where the policy asks (``DeidPolicy.keep_jurisdictions``, the legal pack): the
  place right after "laws of", "courts of" or "jurisdiction of" ("the laws of England and Wales",
  "the courts of Munich") names the law that governs a contract or the court that hears it, which
  identifies no one. Clinical text keeps redacting places. Only a known place is kept (every part
  of "England and Wales" a listed town or a state): after "the jurisdiction of" or "the court of"
  may come a person ("the jurisdiction of John Smith as sole arbitrator"), who is redacted as ever.
- Eponyms, in every policy: a capitalised word (or a hyphenated pair) right before a clinical head
  noun ("Schirmer test", "Kayser-Fleischer rings", "Creutzfeldt-Jakob disease", "Murphy's sign")
  names a sign, test or disease, not a person, unless a title precedes it ("Dr Smith test ...") or
  "sign" is a verb ("Jane to sign the consent"... "Jane sign the form").
"""

from __future__ import annotations

import re
from collections.abc import Callable

# The reference word (any case) and then a number, a single capital letter or a Roman numeral.
_REFERENCE = re.compile(
    r"\b(?i:sections?|schedules?|clauses?|articles?|art\.|exhibits?|annex(?:es)?|appendix|appendices)"
    r"(?=\s+(?:\d|(?:[A-Z]|[IVXLC]+)\b))"
)
# The cue, then maybe "/BIC", "code" or "No." and punctuation, then the identifier's first characters.
# "SWIFT" (also a surname) counts only with a colon, "/BIC" or "code" after it.
_BANK_CUE = re.compile(
    r"\b(?:IBAN|BIC|Acct|ACCT)\b(?=[.:#/\s]*(?:(?:BIC|SWIFT|[Cc]ode|No|NO|Number)\b[.:#\s]*)?[A-Z0-9]{2})"
    r"|\bSWIFT\b(?=\s*(?::|/\s*BIC|[Cc]ode))"
)
_CAP_WORD = r"[A-ZÀ-ÖØ-Þ][\w'-]*"
# The head of a jurisdiction's formal name: "the State of", "the Federal Republic of".
_HEAD_WORDS = r"(?:State|Commonwealth|Republic|Kingdom|Province|Canton|Federal\s+Republic|District)\s+of\s+(?:the\s+)?"
_PLACE = rf"{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,3}}"
# "laws of [the State of] New York", "courts of England and Wales": the place, maybe two joined by
# "and", kept with its "State of"-like head so an NER span over "State of New York" is kept whole.
_JURISDICTION = re.compile(
    r"\b(?:laws?|courts?|jurisdiction)\s+of\s+(?:the\s+)?"
    rf"((?:{_HEAD_WORDS})?{_PLACE}(?:\s+and\s+{_PLACE})?)"
)


def reference_words(text: str) -> list[tuple[int, int]]:
    """Ranges of "Section", "Schedule", ... right before a numbered reference."""
    return [match.span() for match in _REFERENCE.finditer(text)]


def bank_cues(text: str) -> list[tuple[int, int]]:
    """Ranges of "IBAN", "BIC", "SWIFT", "Acct" right before the identifier they announce."""
    return [match.span() for match in _BANK_CUE.finditer(text)]


_HEAD = re.compile(f"^{_HEAD_WORDS}")


def jurisdictions(text: str, is_place: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Ranges of the place in a governing-law or forum phrase, where every part of it ``is_place``.

    ``is_place`` gets a part in lower case ("england", "new york"): the caller's place lists decide.
    """
    ranges = []
    for match in _JURISDICTION.finditer(text):
        parts = re.split(r"\s+and\s+", _HEAD.sub("", match.group(1)))
        if all(is_place(" ".join(part.split()).lower()) for part in parts):
            ranges.append(match.span(1))
    return ranges


_EPONYM_HEADS = (
    r"signs?|tests?|rings?|disease|syndrome|scores?|procedure|operation|approach|reflex|phenomenon|"
    r"manoeuvre|maneuver|criteria|classification|fracture|triad|nodes?|nodules?|murmur|palsy|ulcer|"
    r"bodies|cells|sarcoma|lymphoma|encephalopathy|aneurysm|cyst|hernia|anomaly|malformation|contracture|"
    r"dystrophy|ataxia|chorea|neuralgia|staging|grading"
)
_EPONYM = re.compile(
    r"(?<![\w'-])([A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:'s|’s|s')?)\s+"
    rf"(?:{_EPONYM_HEADS})\b"
    r"(?!\s+(?:the|a|an|this|that|consent|forms?|paperwork|off|for|her|him|his|them|their|it)\b)"
)
# A title or a first-name cue before the word makes it a person: "Dr Smith test results".
_TITLE_BEFORE = re.compile(r"(?i:\b(?:dr|mr|mrs|ms|miss|mx|prof|professor|nurse|sister|rn|pt|patient)\.?\s+)$")


def eponyms(text: str) -> list[tuple[int, int]]:
    """Ranges of a capitalised word right before a sign, test, disease ... head noun, with the noun."""
    ranges = []
    for match in _EPONYM.finditer(text):
        if _TITLE_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            continue
        ranges.append(match.span())
    return ranges
