"""Widen a found place over the facility words right after it, and over the name word before a
geographic noun that opens it.

Why a pass of its own: the place detectors find the distinctive part of a facility's name and stop
before its head, or start at a geographic noun: "Mercy Hospital" became "[LOCATION] Hospital" and
"Mystic Valley Pediatrics" "Mystic [LOCATION] Pediatrics". "Mystic" is part of the name, and a head
such as "Hospital" or "Medical Center" adds nothing a reader needs.

Only heads that say no more than "a place of care" join (``FACILITY_HEADS``). Heads that tell the
care itself stay outside the place for the reader: "[LOCATION] dialysis", "[LOCATION] nursing home",
"[LOCATION] rehab", "[LOCATION] ENT". After a place the heads join in any case; after a name only
title-case ones ("Smith Clinic"), and never "medical", "memorial" or "center" ("Dr. Smith medical
team"). Before a place that opens with a geographic noun ("Valley", "Point", "Ridge"), a capitalised
word joins when it is no title, cue or stop word and a single space separates them.
"""

from __future__ import annotations

import re

from domainkit.deid.cue_words import ROLES, TITLES
from domainkit.deid.lexicon import STOP_WORDS
from domainkit.deid.names import RELATIVES, SPEECH
from domainkit.deid.spans import PhiSpan, already_covered

#: Words that end a facility's name and say no more than "a place of care": taken into the place.
#: Heads that tell the care itself stay outside it, for the reader: "[LOCATION] dialysis", "[LOCATION]
#: nursing home", "[LOCATION] rehab", "[LOCATION] ENT" (a review found "Gets HD at [LOCATION] three
#: times weekly" lost the treatment).
FACILITY_HEADS = frozenset(
    """hospital hosp hospitals medical med memorial clinic infirmary manor healthcare sanitarium center
    centre campus pavilion towers""".split()
)
#: Heads that also read as plain words after a person's name ("Smith medical team", "Smith center line").
_AMBIGUOUS_AFTER_NAME = frozenset({"medical", "med", "memorial", "center", "centre", "campus", "home"})
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
        if head is not None and not already_covered(head, spans, protected):
            found.append(PhiSpan(*head, "LOCATION"))
        if span.type == "LOCATION":
            word = _name_word_before(text, span)
            if word is not None and not already_covered(word, spans, protected):
                found.append(PhiSpan(*word, "LOCATION"))
    return found


def _facility_head_after(text: str, span: PhiSpan) -> tuple[int, int] | None:
    """The facility words right after ``span`` ("Hospital", "Medical Center"), or None."""
    first = _NEXT_WORD.match(text, span.end)
    if first is None or not _head_word(first.group(1), after_name=span.type == "NAME"):
        return None
    end = first.end(1)
    second = _NEXT_WORD.match(text, end)
    if second is not None and first.group(1).lower() in ("medical", "med") and second.group(1).lower() in ("center", "centre", "ctr"):
        end = second.end(1)  # "Medical Center"
    return first.start(1), end


def _head_word(word: str, *, after_name: bool) -> bool:
    low = word.lower()
    if low not in FACILITY_HEADS:
        return False
    if after_name:  # "Smith Clinic"; not "Dr. Smith medical team" or a note in capitals ("SMITH HOSPITAL")
        return word.istitle() and low not in _AMBIGUOUS_AFTER_NAME
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
