"""Kept phrases in domainkit.deid.keep_rules: cross-references (every policy) and jurisdictions
(policies with keep_jurisdictions, such as the legal pack's)."""

from __future__ import annotations

import pytest

from domainkit.deid import DeidPolicy, Deidentifier


@pytest.fixture(scope="module")
def jurisdiction_keeping():
    return Deidentifier(DeidPolicy(keep_jurisdictions=True))


REFERENCES = [
    "The Purchase Price and any Material Adverse Effect are defined in Schedule 4.",
    "Pursuant to Section 4.2(b) the Customer shall indemnify the Provider.",
    "See Exhibit A and Schedule 2 for the fees.",
    "As set out in Clause 14.3, Article 6 and Annex B, and in Appendix IV.",
]


@pytest.mark.parametrize("text", REFERENCES)
def test_cross_references_survive_the_default_policy(deidentifier, text):
    assert deidentifier.redact(text).text == text


JURISDICTIONS = [
    "This Agreement shall be governed by the laws of England and Wales.",
    "This Agreement is governed by the laws of Germany and the courts of Munich have jurisdiction.",
    "This Agreement is governed by the laws of the State of New York.",
    "The parties submit to the jurisdiction of the courts of Paris.",
]


@pytest.mark.parametrize("text", JURISDICTIONS)
def test_jurisdictions_survive_when_the_policy_keeps_them(jurisdiction_keeping, text):
    assert jurisdiction_keeping.redact(text).text == text


def test_jurisdictions_are_kept_only_on_request(deidentifier, jurisdiction_keeping):
    # Clinical text (the default policy) still redacts a place after "of".
    text = "Pt is a resident of Munich, here on holiday."
    assert "[LOCATION]" in deidentifier.redact(text).text
    assert "[LOCATION]" in jurisdiction_keeping.redact(text).text  # no "laws of": still a place
    governed = "Governed by the laws of England and Wales."
    assert "[LOCATION]" in deidentifier.redact(governed).text


def test_jurisdiction_keeps_no_person_after_it(jurisdiction_keeping):
    text = "Under the laws of England, Dr. Okafor signed for the Licensee."
    assert jurisdiction_keeping.redact(text).text == "Under the laws of England, Dr. [NAME] signed for the Licensee."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pay to Maria Müller, IBAN DE89 3704 0044 0532 0130 00, by Friday.", "Pay to [NAME], IBAN [ID], by Friday."),
        ("Pay Maria Müller, BIC DEUTDEFFXXX.", "Pay [NAME], BIC [ID]."),
        ("Held by Maria Müller, Acct. No. 00123456789.", "Held by [NAME], Acct. No. [ID]."),
    ],
)
def test_bank_cue_words_are_no_names(rules_only, text, expected):
    assert rules_only.redact(text).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Disputes go to the jurisdiction of John Smith as sole arbitrator.",
         "Disputes go to the jurisdiction of [NAME] as sole arbitrator."),
        ("The matter was heard by the court of Judge Maria Lopez in chambers.",
         "The matter was heard by the court of Judge [NAME] in chambers."),
    ],
)
def test_jurisdiction_keeps_only_a_known_place(jurisdiction_keeping, text, expected):
    """After "jurisdiction of" or "court of" may come a person: only a listed town or a state is kept."""
    assert jurisdiction_keeping.redact(text).text == expected


@pytest.fixture(scope="module")
def term_keeping():
    return Deidentifier(DeidPolicy(keep_defined_terms=True))


@pytest.mark.parametrize(
    "text",
    [
        "The Software is provided to Customer under this Agreement.",
        "Rights granted to Participant survive as set out in Subsection 3.1.",
        "You may not use the Software to Reproduce it.",
        "Exports are subject to the International Traffic in Arms Regulations.",
        "Such use is permitted in the Collective Works;",
    ],
)
def test_capitalised_everyday_words_stay_when_the_policy_keeps_defined_terms(term_keeping, text):
    assert term_keeping.redact(text).text == text


def test_defined_terms_are_kept_only_on_request_and_places_stay_places(deidentifier, term_keeping):
    # Clinical text (the default policy): a capitalised word after "to" may name a hospital.
    assert deidentifier.redact("Surgeon from Harbor in this eve.").text == "Surgeon from [LOCATION] in this eve."
    assert deidentifier.redact("The Software is provided to Customer.").text == "The Software is provided to [LOCATION]."
    # With defined terms kept, listed towns and words no dictionary explains are still places.
    assert term_keeping.redact("Licensor is located in Boston.").text == "Licensor is located in [LOCATION]."
    assert term_keeping.redact("Notices go to Northwoods Software.").text == "Notices go to [LOCATION] Software."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Notices to the Seller, attention Zephyrine Harrowgate.", "Notices to the Seller, attention [NAME]."),
        ("The arbitrator shall be Lucan Ashcombe as agreed.", "The arbitrator shall be [NAME] as agreed."),
        ("Copyright (C) 2021 Alexandros Theodotou.", "Copyright (C) 2021 [NAME]."),
    ],
)
def test_contracts_two_unlisted_capitalised_words_are_a_party(term_keeping, text, expected):
    # contracts name parties no census list holds, with no title before them (invented names)
    assert term_keeping.redact(text).text == expected


@pytest.mark.parametrize("text", ["The Licensed Software and the Confidential Information.",
                                  "GNU Affero General Public License", "ZEPHYRINE HARROWGATE"])
def test_contracts_dictionary_words_and_capitals_are_no_unlisted_pair(term_keeping, text):
    assert "[NAME]" not in term_keeping.redact(text).text


def test_clinical_text_keeps_unlisted_eponym_pairs():
    # without keep_defined_terms (the medical policy) the pair rule is off: unlisted eponyms stay
    text = "Features overlap with Hallermann Streiff syndrome."
    assert Deidentifier(DeidPolicy(use_ner=False)).redact(text).text == text
