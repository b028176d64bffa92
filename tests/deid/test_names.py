"""Name rules in domainkit.deid.names: judicial titles and the parties of a case name.

Rules only (no NER), so each rule is what decides. All names here are invented.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The hearing before Judge Lee was adjourned.", "The hearing before Judge [NAME] was adjourned."),
        ("Judge Lee and Judge Patel presided.", "Judge [NAME] and Judge [NAME] presided."),
        ("Mr. Justice Baker dissented.", "Mr. Justice [NAME] dissented."),
        ("Before Magistrate Okafor and Hon. Grant Lee.", "Before Magistrate [NAME] and Hon. [NAME]."),
        ("THE HEARING BEFORE JUDGE OKAFOR WAS ADJOURNED.", "THE HEARING BEFORE JUDGE [NAME] WAS ADJOURNED."),
    ],
)
def test_judicial_title_marks_a_name(rules_only, text, expected):
    assert rules_only.redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hard to judge volume status, will reassess.",
        "UNABLE TO JUDGE VOLUME STATUS AT THIS TIME.",
        "Referred to the Justice Department for review.",
    ],
)
def test_judge_as_a_word_marks_nothing(rules_only, text):
    assert rules_only.redact(text).text == text


def test_case_name_parties_are_both_names(rules_only):
    text = "In Smith v. Jones [2019] EWCA Civ 123 the court held that the Guarantor was liable."
    assert rules_only.redact(text).text == "In [NAME] v. [NAME] [2019] EWCA Civ 123 the court held that the Guarantor was liable."


def test_case_name_party_that_is_a_word_stays(rules_only):
    assert rules_only.redact("Compare State v. Okafor on this point.").text == "Compare State v. [NAME] on this point."


@pytest.mark.parametrize("text", ["Options: Keytruda vs Opdivo.", "Warfarin v Apixaban discussed with family.",
                                  "Ozempic vs Mounjaro for weight.", "Xarelto vs Eliquis: cost."])
def test_drug_comparisons_are_no_case_names(rules_only, text):
    """Notes compare treatments with "vs"/"v": only listed names around "v"/"v." are a case's parties."""
    assert rules_only.redact(text).text == text
