"""Surrogate augmentation: same type, shape and case; offsets that point at the new identifiers."""

import random
import re

import pytest

from domainkit.deid.surrogates import augment, surrogate

MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"}


@pytest.fixture
def rng() -> random.Random:
    return random.Random(7)


def test_names_keep_case_word_count_and_initials(rng):
    for _ in range(20):
        upper = surrogate("NAME", "GRIMES", rng)
        assert upper.isupper() and upper != "GRIMES"
        assert surrogate("NAME", "healey", rng).islower()
        two = surrogate("NAME", "David Murray", rng)
        assert len(two.split()) == 2 and all(word[0].isupper() for word in two.split())
        assert re.fullmatch(r"[A-Z]\.", surrogate("NAME", "J.", rng))


def test_numeric_dates_stay_valid_in_the_same_layout(rng):
    for _ in range(50):
        month, day, year = surrogate("DATE", "8/21/02", rng).split("/")
        assert 1 <= int(month) <= 12 and 1 <= int(day) <= 28 and len(year) == 2
        assert re.fullmatch(r"\d{1,2}-\d{1,2}", surrogate("DATE", "3-4", rng))
        assert 1930 <= int(surrogate("DATE", "1977", rng)) <= 2030


def test_month_names_change_and_keep_their_case(rng):
    seen = {surrogate("DATE", "Dec 5", rng) for _ in range(30)}
    assert len(seen) > 1
    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}", value) for value in seen)


def test_locations_keep_facility_words_and_abbreviation_shape(rng):
    for _ in range(20):
        assert surrogate("LOCATION", "Baltimore Rehab", rng).endswith(" Rehab")
        hospital = surrogate("LOCATION", "St. Mary's Hospital", rng)
        assert hospital.startswith("St. ") and hospital.endswith("'s Hospital")
        assert re.fullmatch(r"[A-Z]{4}", surrogate("LOCATION", "GBMC", rng))


def test_digits_change_and_layout_stays_for_phones_ids_and_ages(rng):
    phone = surrogate("PHONE", "410-164-4517", rng)
    assert re.fullmatch(r"[1-9]\d\d-[1-9]\d\d-[1-9]\d{3}", phone)
    assert re.fullmatch(r"rg[1-9]\d", surrogate("ID", "rg17", rng))
    assert all(90 <= int(surrogate("AGE", "91", rng)) <= 104 for _ in range(20))


def test_augment_appends_copies_whose_spans_point_at_the_new_identifiers():
    text = "Seen by Dr. Smith on 3/4, from GH. Family at bedside."
    spans = [(12, 17, "NAME"), (21, 24, "DATE"), (31, 33, "LOCATION")]
    texts, all_spans = augment([text, "No PHI here."], [spans, []], copies=3, seed=1)
    assert texts[:2] == [text, "No PHI here."] and all_spans[0] == spans
    assert len(texts) == 5  # three copies of the one sentence that holds PHI
    for copy, copy_spans in zip(texts[2:], all_spans[2:]):
        assert copy.startswith("Seen by Dr. ") and copy.endswith(". Family at bedside.")
        assert [kind for *_, kind in copy_spans] == ["NAME", "DATE", "LOCATION"]
        name, date, place = (copy[start:end] for start, end, _ in copy_spans)
        assert name[0].isupper() and re.fullmatch(r"\d{1,2}/\d{1,2}", date) and re.fullmatch(r"[A-Z]{2}", place)


def test_augment_is_seeded_and_zero_copies_change_nothing():
    text, spans = ["Call Ann at 410-555-1234."], [[(5, 8, "NAME"), (12, 24, "PHONE")]]
    assert augment(text, spans, copies=2, seed=3) == augment(text, spans, copies=2, seed=3)
    assert augment(text, spans, copies=0, seed=3) == (text, spans)


def test_other_date_layouts_stay_valid(rng):
    for _ in range(50):
        year, month, day = surrogate("DATE", "2019-01-15", rng).split("-")
        assert len(year) == 4 and 1 <= int(month) <= 12 and 1 <= int(day) <= 28
        month, year = surrogate("DATE", "12/2020", rng).split("/")
        assert 1 <= int(month) <= 12 and 1930 <= int(year) <= 2030
        words = surrogate("DATE", "July 4, 2019", rng)
        month_name, day, year = re.fullmatch(r"([A-Z][a-z]+) (\d+), (\d{4})", words).groups()
        assert month_name.lower() in MONTHS and 1 <= int(day) <= 28 and 1930 <= int(year) <= 2030
        assert re.fullmatch(r"[A-Z][a-z]{2} \d+", surrogate("DATE", "Sept 3", rng))
        assert re.fullmatch(r"[A-Z][a-z]{2,}", surrogate("DATE", "June", rng))  # "May" is whole too


def test_one_letter_locations_end(rng):
    assert re.fullmatch(r"[A-Z]", surrogate("LOCATION", "A", rng))
    assert re.fullmatch(r"4[A-Z]", surrogate("LOCATION", "4B", rng))
