"""Widen a found place over the facility words right after it, and over the name word before a
geographic noun that opens it.

Why a pass of its own: the place detectors find the distinctive part of a facility's name and stop
before its head, or start at a geographic noun. "Bayside ENT" became "[LOCATION] ENT", "Cape Cod
VNA" "[NAME] VNA" and "Mystic Valley Pediatrics" "Mystic [LOCATION]". The head alone identifies
nobody, but it tells a reader the kind of practice for nothing, and "Mystic" is part of the name.

After a place, facility words join in any case ("[LOCATION] rehab", "Whittier Ridge LTACH"). After
a name only title-case ones ("Smith Clinic") or acronyms ("VNA") do, and never "home", "medical" or
"center": "took Mr. Smith home" and "Dr. Smith medical team" name no facility. Before a place that opens with a geographic noun ("Valley",
"Point", "Ridge"), a capitalised word joins when it is no title, cue or stop word and a single space
separates them.
"""

from __future__ import annotations

import re

from domainkit.deid.lexicon import STOP_WORDS
from domainkit.deid.names import TWO_WORD_HEADS, HOSPITAL_WORDS, RELATIVES, ROLES, SPEECH, TITLES
from domainkit.deid.spans import PhiSpan

#: Words that end a facility's name: the hospital words and a few practice kinds.
FACILITY_HEADS = HOSPITAL_WORDS | frozenset({"ent", "nursing", "dialysis", "pharmacy", "towers"})
#: Heads that also read as plain words after a person's name ("Smith medical team", "Smith center line").
_AMBIGUOUS_AFTER_NAME = frozenset({"medical", "med", "memorial", "center", "centre", "campus", "home"})
#: Heads written as acronyms: "Cape Cod VNA", "Bayside ENT".
_ACRONYM_HEADS = frozenset({"vna", "ent", "ltach"})
#: Nouns that open a place's name after its distinctive word: "Mystic Valley", "Atlantic Point".
GEOGRAPHIC_NOUNS = frozenset(
    """valley point hill hills ridge bay harbor harbour lake river park springs heights grove creek
    falls woods meadows gardens shore shores beach""".split()
)
_CUES = TITLES | ROLES | RELATIVES | SPEECH | STOP_WORDS

_NEXT_WORD = re.compile(r" ([A-Za-z][A-Za-z'&]*)")
_WORD_BEFORE = re.compile(r"(?<![\w'\-/.])([A-Z][a-z]{2,}) $")


def widened_places(text: str, spans: list[PhiSpan], protected: list[tuple[int, int]]) -> list[PhiSpan]:
    """LOCATION spans for the facility words after each place (or name) of ``spans`` and the name word
    before a place that opens with a geographic noun."""
    found: list[PhiSpan] = []
    for span in spans:
        if span.type not in ("LOCATION", "NAME"):
            continue
        head = _facility_head_after(text, span)
        if head is not None and not _inside(head, spans, protected):
            found.append(PhiSpan(*head, "LOCATION"))
        if span.type == "LOCATION":
            word = _name_word_before(text, span)
            if word is not None and not _inside(word, spans, protected):
                found.append(PhiSpan(*word, "LOCATION"))
    return found


def _facility_head_after(text: str, span: PhiSpan) -> tuple[int, int] | None:
    """The facility words right after ``span``, one or two ("Skilled Nursing"), or None."""
    first = _NEXT_WORD.match(text, span.end)
    if first is None or not _head_word(first.group(1), after_name=span.type == "NAME"):
        return None
    end = first.end(1)
    second = _NEXT_WORD.match(text, end)
    if second is not None and second.group(1).lower() in TWO_WORD_HEADS.get(first.group(1).lower(), ()):
        end = second.end(1)  # "Skilled Nursing", "Medical Center", "Funeral Home"
    elif first.group(1).lower() in TWO_WORD_HEADS and first.group(1).lower() not in FACILITY_HEADS:
        return None  # "skilled", "funeral", "assisted" name no facility without their second word
    return first.start(1), end


def _head_word(word: str, *, after_name: bool) -> bool:
    low = word.lower()
    if low not in FACILITY_HEADS and low not in TWO_WORD_HEADS:
        return False
    if after_name:  # "Smith Clinic", "Cape Cod VNA"; in a note in capitals "DOMINICO NURSING AGENCY" is no facility
        return (word.istitle() and low not in _AMBIGUOUS_AFTER_NAME) or (word.isupper() and low in _ACRONYM_HEADS)
    return True


def _name_word_before(text: str, span: PhiSpan) -> tuple[int, int] | None:
    """The capitalised word before a place whose first word is a geographic noun, or None."""
    first_word = re.match(r"[A-Za-z]+", text[span.start : span.end])
    if first_word is None or first_word.group(0).lower() not in GEOGRAPHIC_NOUNS:
        return None
    window = max(0, span.start - 30)
    before = _WORD_BEFORE.search(text, window, span.start)
    if before is None or before.group(1).lower() in _CUES:
        return None
    if before.start(1) == window and window > 0:
        return None  # the window cut the text just before the word
    return before.span(1)


def _inside(position: tuple[int, int], spans: list[PhiSpan], protected: list[tuple[int, int]]) -> bool:
    """The words are already redacted, or part of a kept phrase."""
    start, end = position
    return any(s.start < end and s.end > start for s in spans) or any(s < end and e > start for s, e in protected)
