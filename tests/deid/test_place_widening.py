"""A found place takes in the facility words after it and the name word before its geographic noun;
heads that tell the care itself stay for the reader."""

from __future__ import annotations

import pytest

from domainkit.deid import DeidPolicy, Deidentifier
from domainkit.deid.place_widening import widened_places
from domainkit.deid.spans import PhiSpan


@pytest.fixture(scope="module")
def rules():
    return Deidentifier(DeidPolicy(use_ner=False))


@pytest.mark.parametrize(("note", "redacted"), [
    ("transferred from Towson Medical Center today", "transferred from [LOCATION] today"),
    ("referrals to Whittier Ridge Hospital today", "referrals to [LOCATION] today"),
])
def test_place_widening_takes_the_facility_words_after_a_place(rules, note, redacted):
    assert rules.redact(note).text == redacted


@pytest.mark.parametrize("note", [
    "took Mr. Okafor home today.",  # "home" after a name is no facility
    "Dr. Okafor medical team aware.",
    "TO MEET S. OKAFOR NURSING AGENCY AT 9AM",  # capitals: no title case to tell a facility by
    "lives in Towson. Hospital course uneventful.",  # a full stop between
    "Gets HD at Denver dialysis three times weekly.",  # the care itself stays
    "Lives at Oak Park nursing home.",
    "Seen at Bayside ENT today.",
])
def test_place_widening_leaves_words_that_name_no_facility(rules, note):
    redacted = rules.redact(note).text
    for word in ("home", "medical", "NURSING", "Hospital", "dialysis", "nursing home", "ENT"):
        if word in note:
            assert word in redacted


def _span(text: str, word: str, kind: str, nth: int = 0) -> PhiSpan:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return PhiSpan(start, start + len(word), kind)


def test_place_widening_reads_only_the_words_beside_a_place_or_name():
    text = "Bayside Hospital; Smith Clinic; Smith clinic; Mystic Valley Pediatrics; Per Valley"
    spans = [_span(text, "Bayside", "LOCATION"), _span(text, "Smith", "NAME"), _span(text, "Smith", "NAME", 1),
             _span(text, "Valley Pediatrics", "LOCATION"), _span(text, "Valley", "LOCATION", 1)]
    added = [text[s.start:s.end] for s in widened_places(text, spans, [])]
    # "clinic" in lower case after a name stays; "Per" before "Valley" is a cue word, no name
    assert added == ["Hospital", "Clinic", "Mystic"]
    assert widened_places(text, [_span(text, "Bayside", "DATE")], []) == []
    assert widened_places("Bayside Hospital", [PhiSpan(0, 7, "LOCATION")], [(8, 16)]) == []  # a kept phrase
