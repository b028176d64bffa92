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
