"""Place rules in domainkit.deid.place_names: facilities, saints, states after towns.

Rules only (no NER), so each rule is what decides. All places and names here are invented.
"""

from __future__ import annotations

import pytest

from domainkit.deid.place_names import states_after_places
from domainkit.deid.spans import PhiSpan


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pt is resident of Brightview nursing home, returns there.", "Pt is resident of [LOCATION], returns there."),
        ("lives at kestrelview nursing home", "lives at [LOCATION]"),
        ("Pt from Oakmont assisted living.", "Pt from [LOCATION]."),
        # the heads alone, and after an everyday word, stay
        ("Plan for skilled nursing facility. Needs nursing home placement.", None),
        ("Long term care nursing home; considering assisted living.", None),
    ],
)
def test_facility_names_before_two_word_heads(rules_only, text, expected):
    assert rules_only.redact(text).text == (expected or text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("prior detox at st. jude detox in 2006", "prior detox at [LOCATION] in 2006"),  # the saint too
        ("pt was at st agnes for 2 wks", "pt was at [LOCATION] for 2 wks"),  # no dot, after a place cue
    ],
)
def test_saints_in_lower_case_facility_names(rules_only, text, expected):
    assert rules_only.redact(text).text.replace("[DATE]", "2006") == expected


@pytest.mark.parametrize("text", ["hr 110s st mary in to visit", "tele: nsr to st mary at bedside"])
def test_st_without_a_dot_or_at_or_from_is_no_saint(rules_only, text):
    # "st" is sinus tachycardia here: no hospital named "St Mary"
    assert "[LOCATION]" not in rules_only.redact(text).text


@pytest.mark.parametrize(
    ("text", "place", "state"),
    [
        ("Moved from Boulder, Colorado last year.", "Boulder", "Colorado"),
        ("Lives in Naples FL.", "Naples", "FL"),
        ("Lives in Naples FL 34102", "Naples", "FL"),
    ],
)
def test_a_state_after_a_found_place_joins_it(text, place, state):
    start = text.index(place)
    extra = states_after_places(text, [PhiSpan(start, start + len(place), "LOCATION")])
    assert [text[s.start : s.end] for s in extra] == [state]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Seen at Lakeside Hospital CT showed no bleed.", "Lakeside Hospital"),  # "CT" here is the scan
        ("Lives in Naples ma", "Naples"),  # codes count in capitals only
        ("Lives in Naples Hospital.", "Naples"),  # a title-case word that is no state
    ],
)
def test_no_state_after_a_place_without_one(text, place):
    start = text.index(place)
    assert states_after_places(text, [PhiSpan(start, start + len(place), "LOCATION")]) == []
