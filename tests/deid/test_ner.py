"""NER helper: re-cased copies of ALL-CAPS and all-lower notes, and what NER may add."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "note",
    [
        "SPOKE WITH DR. FELTON ABOUT PLAN. BP 110/60, HR 88.",
        "spoke with dr. felton about plan. bp 110/60, hr 88.",
    ],
    ids=["upper", "lower"],
)
def test_ner_recase_keeps_offsets_and_capitalises_names_only(deidentifier, note):
    view = deidentifier._ner.recase(note)
    assert len(view) == len(note)
    assert view.lower() == note.lower()  # only the case changes: offsets map one to one
    assert "Felton" in view  # a listed surname reads as a name
    assert "about plan" in view  # English words read as prose
    assert view.startswith("Spoke")  # a sentence starts with a capital


def test_ner_recase_keeps_upper_case_abbreviations(deidentifier):
    view = deidentifier._ner.recase("SEEN BY DR. FELTON, BP AND HR STABLE.")
    assert "BP" in view and "HR" in view


def test_ner_recase_leaves_mixed_case_text_alone(deidentifier):
    note = "Spoke with Dr. Felton about plan."
    assert deidentifier._ner.recase(note) is note


@pytest.mark.parametrize(
    "note",
    [
        "PT STARTED ON CEFTAZIDINE AND PIPERCILLIN. MONITOR LABS AND LYTES.",
        "pt started on ceftazidine and pipercillin. monitor labs and lytes.",
        "COARSE BREATH SOUNDS. FOLLOW LABS. EXTUBATE TOMORROW IF ABLE.",
    ],
)
def test_ner_does_not_tag_drugs_or_typos_in_single_case_notes(deidentifier, note):
    assert deidentifier.redact(note).text == note


@pytest.mark.parametrize("note", ["Seen by Nurse Practitioner today.", "Seen by Doctor today.", "Reviewed by PharmD."])
def test_ner_entities_made_of_job_words_are_no_place_or_person(deidentifier, note):
    # spaCy read "Nurse Practitioner" as a place: a job title names nobody.
    assert deidentifier.redact(note).text == note


def test_ner_reads_a_sentence_the_same_after_another(deidentifier):
    # spaCy read the space after "2." as a token of the next sentence and lost "Łukasz" (a name in no
    # list, found by NER alone): context must not change the redaction.
    alone = "Contact Łukasz Nowak or Sofia Núñez at legal@northwind.com."
    after = "See Exhibit A and Schedule 2. " + alone
    assert deidentifier.redact(alone).text == "Contact [NAME] or [NAME] at [EMAIL]."
    assert deidentifier.redact(after).text == "See Exhibit A and Schedule 2. Contact [NAME] or [NAME] at [EMAIL]."


def test_ner_sentences_start_at_their_first_word(deidentifier):
    note = "Pt stable.  Son Bill visited.\n  Plan: home."
    starts = [start for start, _ in deidentifier._ner._doubtful(note, [])]
    assert all(not note[start].isspace() for start in starts)


@pytest.mark.parametrize(
    "text",
    [
        # HPO definitions the medical run's data stage redacted before: anatomy, lab and organism terms
        "Nephrocalcinosis is the deposition of calcium salts in renal parenchyma.",
        "Tiredness characterized by a lack of energy and motivation.",
        "A type of rosette in which the cells are wedge-shaped.",
        "Best evaluated on periodic acid-Schiff (PAS) stain.",
        "Infection by a Coccidioides species fungus. The scala vestibuli and scala tympani.",
        "Tumors located within the sellar and para sellar region.",
        "Separates the concha from the triangular fossa; manual automatisms at onset.",
    ],
)
def test_definitions_keep_their_clinical_words(deidentifier, text):
    assert deidentifier.redact(text).text == text

