"""A found place takes in the facility words after it and the name word before its geographic noun."""

from __future__ import annotations

import pytest

from domainkit.deid import DeidPolicy, Deidentifier
from domainkit.deid.place_widening import widened_places
from domainkit.deid.spans import PhiSpan


@pytest.fixture(scope="module")
def rules():
    return Deidentifier(DeidPolicy(use_ner=False))


@pytest.mark.parametrize(("note", "redacted"), [
    ("transferred from baltimore rehab", "transferred from [LOCATION]"),
    ("referrals to Whittier Ridge LTACH today", "referrals to [LOCATION] today"),
])
def test_place_widening_takes_the_facility_words_after_a_place(rules, note, redacted):
    assert rules.redact(note).text == redacted


@pytest.mark.parametrize("note", [
    "took Mr. Okafor home today.",  # "home" after a name is no facility
    "Dr. Okafor medical team aware.",
    "TO MEET S. OKAFOR NURSING AGENCY AT 9AM",  # capitals: no title case to tell a facility by
    "lives in Towson. Hospital course uneventful.",  # a full stop between
])
def test_place_widening_leaves_words_that_name_no_facility(rules, note):
    redacted = rules.redact(note).text
    for word in ("home", "medical", "NURSING", "Hospital"):
        if word in note:
            assert word in redacted


def _span(text: str, word: str, kind: str, nth: int = 0) -> PhiSpan:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return PhiSpan(start, start + len(word), kind)


def test_place_widening_reads_only_the_words_beside_a_place_or_name():
    text = "Bayside ENT; Smith Clinic; Smith clinic; Mystic Valley Pediatrics; Per Valley"
    spans = [_span(text, "Bayside", "LOCATION"), _span(text, "Smith", "NAME"), _span(text, "Smith", "NAME", 1),
             _span(text, "Valley Pediatrics", "LOCATION"), _span(text, "Valley", "LOCATION", 1)]
    added = [text[s.start:s.end] for s in widened_places(text, spans, [])]
    # "clinic" in lower case after a name stays; "Per" before "Valley" is a cue word, no name
    assert added == ["ENT", "Clinic", "Mystic"]
    assert widened_places(text, [_span(text, "Bayside", "DATE")], []) == []
    assert widened_places("Bayside ENT", [PhiSpan(0, 7, "LOCATION")], [(8, 11)]) == []  # a kept phrase
