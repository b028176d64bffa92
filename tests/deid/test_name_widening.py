"""A found name takes in the name words beside it that every detector left out."""

from __future__ import annotations

import pytest

from domainkit.deid import DeidPolicy, Deidentifier
from domainkit.deid.lexicon import load_lexicon
from domainkit.deid.name_widening import widened_names
from domainkit.deid.spans import PhiSpan


@pytest.fixture(scope="module")
def rules():
    return Deidentifier(DeidPolicy(use_ner=False))


@pytest.mark.parametrize(("note", "redacted"), [
    ("Will Fortunato, MD", "[NAME], MD"),  # "Will" is a modal too
    ("Drs. Ferreira/Mbatha saw the patient.", "Drs. [NAME]/[NAME] saw the patient."),
])
def test_name_widening_takes_the_first_name_or_the_colleague_after_a_slash(rules, note, redacted):
    assert rules.redact(note).text == redacted


@pytest.mark.parametrize("note", [
    "Ask Brennan about it.",  # "Ask" is a surname, never a first name
    "Lasix Brennan",  # a drug stays
    "Marcus Gunn pupil on the left.",  # a kept eponym is no name to widen from
    "Parkinson disease, seen by Dr. Brennan.",
    "BP/Brennan",  # an abbreviation is no name
    "Unless Brennan agrees otherwise.",  # cue words from the legal licences
    "See Brennan conditions of use.",
    "Ask Miss Brennan.",
    "Discussed with Dr. Lee/Heart failure team.",  # after "/": only after "Drs.", only unlisted words
    "Dr. Smith/Hand surgery.",
    "Drs. Ferreira/Cancer center.",
    "Hospitalist John Smith aware.",  # note shorthand before a name looks like an unlisted first name
    "Surg Brennan aware.",
])
def test_name_widening_leaves_words_that_are_no_names(rules, note):
    kept = rules.redact(note).text
    for word in ("Ask", "Lasix", "Marcus Gunn", "Parkinson", "BP", "Unless", "See", "Miss", "Heart", "Hand",
                 "Cancer", "Hospitalist", "Surg"):
        if word in note:
            assert word in kept


def test_name_widening_keeps_a_jurisdiction_after_a_slash_under_the_legal_policy():
    legal = Deidentifier(DeidPolicy(use_ner=False, keep_jurisdictions=True, keep_defined_terms=True))
    assert "Delaware" in legal.redact("Signed by John Smith/Delaware.").text


def test_name_widening_reads_only_name_spans_and_the_text_beside_them():
    lexicon = load_lexicon()
    text = "Will 12/03 Brennan"
    assert text[5:10] == "12/03" and text[11:18] == "Brennan"
    assert widened_names(text, [PhiSpan(5, 10, "DATE")], lexicon, []) == []
    assert widened_names(text, [PhiSpan(11, 18, "NAME")], lexicon, []) == []  # a date between: not beside
    assert widened_names("Will Brennan", [PhiSpan(5, 12, "NAME")], lexicon, []) == [PhiSpan(0, 4, "NAME")]
    assert widened_names("Will Brennan", [PhiSpan(5, 12, "NAME")], lexicon, [(0, 4)]) == []  # a kept phrase
    assert widened_names("xWill Brennan", [PhiSpan(6, 13, "NAME")], lexicon, []) == []  # inside a word


@pytest.mark.parametrize(("note", "redacted"), [
    ("- k. ibarra, lcsw", "- [NAME], lcsw"),  # a signature line: the initial is part of the name
    ("Admitting: S. Kaur, NNP", "Admitting: [NAME], NNP"),
    ("A. Castillo, OTR/L", "[NAME], OTR/L"),
])
def test_name_widening_takes_an_initial_after_punctuation_or_a_line_start(rules, note, redacted):
    assert rules.redact(note).text == redacted


def test_name_widening_takes_an_initial_only_after_punctuation_or_a_cue_word():
    lexicon = load_lexicon()
    assert widened_names("per J. Okafor", [PhiSpan(7, 13, "NAME")], lexicon, []) == [PhiSpan(4, 6, "NAME")]
    # after any other word a letter and a full stop end a phrase: "hep B.", "Exhibit A."
    assert widened_names("hep B. Okafor", [PhiSpan(7, 13, "NAME")], lexicon, []) == []
    assert widened_names("Exhibit A. Okafor", [PhiSpan(11, 17, "NAME")], lexicon, []) == []
    assert widened_names("xB. Okafor", [PhiSpan(4, 10, "NAME")], lexicon, []) == []
    # a "-" or "/" glued to a word ends it: "hep-b.", "Hep A/B."
    assert widened_names("hep-b. okafor", [PhiSpan(7, 13, "NAME")], lexicon, []) == []
    assert widened_names("Hep A/B. Okafor", [PhiSpan(9, 15, "NAME")], lexicon, []) == []
    assert widened_names("- k. okafor", [PhiSpan(5, 11, "NAME")], lexicon, []) == [PhiSpan(2, 4, "NAME")]
