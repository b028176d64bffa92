"""Shape detectors in domainkit.deid.patterns: bank identifiers and postal addresses.

All identifiers here are invented or published test values (the IBANs are the ISO/bank sample
numbers, "221B Baker Street" is fiction).
"""

from __future__ import annotations

import pytest

from domainkit.deid.patterns import find_patterns


def _covered(text: str, value: str, kind: str) -> bool:
    """Every character of ``value`` lies in a span of type ``kind``."""
    start = text.index(value)
    spans = [s for s in find_patterns(text) if s.type == kind]
    return all(any(s.start <= k < s.end for s in spans) for k in range(start, start + len(value)))


def _untouched(text: str, value: str) -> bool:
    start = text.index(value)
    return not any(s.start < start + len(value) and start < s.end for s in find_patterns(text))


BANK_IDS = [
    ("Payments to IBAN DE89 3704 0044 0532 0130 00 held by the Trustee.", "DE89 3704 0044 0532 0130 00"),
    ("Bank: Deutsche Bank AG, IBAN: DE89370400440532013000, BIC: DEUTDEFFXXX", "DE89370400440532013000"),
    ("Pay GB29NWBK60161331926819 by Friday.", "GB29NWBK60161331926819"),  # no "IBAN" cue: the check decides
    ("Pay GB29 NWBK 6016 1331 9268 19.", "GB29 NWBK 6016 1331 9268 19"),
    ("Payment to IBAN GB29NWBK60161331926819 (BIC NWBKGB2L).", "NWBKGB2L"),
    ("Bank: Deutsche Bank AG, IBAN: DE89370400440532013000, BIC: DEUTDEFFXXX", "DEUTDEFFXXX"),
    ("Wire to SWIFT/BIC code DEUTDEFF500 today.", "DEUTDEFF500"),
    ("Payments to Acct. No. 00123456789.", "00123456789"),
    ("Payments to Acct. 123456 monthly.", "123456"),  # six digits: no long number without the cue
    ("Remit to A/C 319268 at the branch.", "319268"),
]


@pytest.mark.parametrize(("text", "value"), BANK_IDS)
def test_bank_identifiers_are_ids(text, value):
    assert _covered(text, value, "ID"), list(find_patterns(text))


def test_iban_takes_only_the_valid_groups():
    text = "IBAN DE89 3704 0044 0532 0130 00 AND 1234 follows."
    spans = [s for s in find_patterns(text) if s.type == "ID"]
    assert [text[s.start : s.end] for s in spans] == ["DE89 3704 0044 0532 0130 00"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Ref AB12 CDEF 1234 5678 90 on file.", "AB12 CDEF 1234 5678 90"),  # fails the mod-97 check
        ("Part number DE88370400440532013000 shipped.", "DE88370400440532013000"),  # one check digit off
        ("See NWBKGB2L for the code list.", "NWBKGB2L"),  # a BIC shape without its cue
        ("FS a/c 145, insulin a/c and hs.", "145"),  # "a/c" is "before meals" in notes
    ],
)
def test_bank_shapes_without_their_evidence_stay(text, value):
    assert _untouched(text, value), list(find_patterns(text))


ADDRESSES = [
    ("Notices to Robert, 221B Baker Street, London NW1 6XE.", "221B Baker Street"),
    ("Notices to Robert, 221B Baker Street, London NW1 6XE.", "NW1 6XE"),
    ("Notices to David, 1600 Pennsylvania Avenue NW, Washington, DC 20500.", "1600 Pennsylvania Avenue NW"),
    ("Notices to Pierre, 45 Rue de Rivoli, 75001 Paris.", "45 Rue de Rivoli"),
    ("Notices to Pierre, 45 Rue de Rivoli, 75001 Paris.", "75001"),
    ("Notices to Hans, Königsallee 12, 40212 Düsseldorf, Germany.", "Königsallee 12"),
    ("Notices to Hans, Königsallee 12, 40212 Düsseldorf, Germany.", "40212"),
    ("Sede legale: Via Roma 5, 00184 Roma.", "Via Roma 5"),
    ("Anschrift: Berliner Straße 7a, 10115 Berlin.", "Berliner Straße 7a"),
]


@pytest.mark.parametrize(("text", "value"), ADDRESSES)
def test_addresses_and_postcodes_are_addresses(text, value):
    assert _covered(text, value, "ADDRESS"), list(find_patterns(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Heparin 25000 Units in 250 ml.", "25000"),  # a dose before a capitalised unit
        ("Gave 10 units regular insulin sq at noon.", "10 units regular insulin sq"),
        ("On 2L NC, sats 95%, dr aware.", "2L NC"),
        ("Disc bulge at L4 5S1 noted.", "L4 5S1"),  # no postcode: the inward code needs two letters
    ],
)
def test_clinical_shorthand_is_no_address(text, value):
    assert _untouched(text, value), list(find_patterns(text))


@pytest.mark.parametrize("text", [
    "Platelets 12000\nPlan: transfuse.", "Heparin drip at 25000\nPatient stable.", "Viral load 45000 Copies/mL",
    "Fee of 50000 Euros.", "Accession 12345 Pending",
])
def test_five_digit_values_before_words_are_no_postcodes(text):
    """A postcode needs a town after it on its line: not a lab value, a dose, an amount or an accession."""
    assert not [span for span in find_patterns(text) if span.type == "ADDRESS"], text


@pytest.mark.parametrize("text", [
    "6 Minute Walk Test: 350 m, no desaturation.", "Follow Up In 2 Weeks With Dr Patel.",
    "Post Op Day 2 Head Ct negative.", "Bed 4 Bay Close to nursing station.",
    "The claim was issued under CPR Part 7 High Court procedure.",
    "The matter was transferred under Section 2 Crown Court Rules.", "Appendix 3 Supreme Court Rules apply.",
])
def test_numbered_clinical_and_legal_phrases_are_no_street_addresses(text):
    assert not [span for span in find_patterns(text) if span.type == "ADDRESS"], text


REGULATION_CITATIONS = [
    ("Restricted Rights clause at DFARS 252.227-7013 or subparagraphs (c)(1)", "252.227-7013"),
    ("as applicable, DFAR 252.227-7015 (Technical Data - Commercial Items)", "252.227-7015"),
    ("consistent with 48 C.F.R. 227.7202-3 and FAR 52.227-19", "227.7202-3"),
    ("consistent with 48 C.F.R. 227.7202-3 and FAR 52.227-19", "52.227-19"),
]


@pytest.mark.parametrize(("text", "value"), REGULATION_CITATIONS)
def test_regulations_cited_by_number_are_no_phones(text, value):
    # Government licence clauses cite regulations whose numbers fall in a phone's digit groups.
    assert _untouched(text, value)


def test_a_phone_after_a_regulation_word_in_lower_case_is_still_a_phone():
    # The cue is the capitalised abbreviation: "far" in a note is an everyday word.
    assert _covered("lives far away, cell 617-555-0198", "617-555-0198", "PHONE")


def test_a_phone_in_brackets_leaves_the_closing_bracket():
    text = "The Landlord (phone (617) 555-2186) shall repair; call home (617) 555-2186."
    spans = [s for s in find_patterns(text) if s.type == "PHONE"]
    assert {text[s.start : s.end] for s in spans} == {"(617) 555-2186"}  # several patterns may find it


def test_a_hospital_called_usc_does_not_hide_a_phone():
    assert _covered("Seen at USC 323-442-5100 for a second opinion.", "323-442-5100", "PHONE")
