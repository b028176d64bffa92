"""Deidentifier: every identifier type is replaced, clinical meaning survives."""

from __future__ import annotations

from importlib import resources

import pytest

from domainkit.deid import PHI_TYPES, DeidPolicy, Deidentifier, PhiSpan, Redaction

# (note, identifier text, expected placeholder) -- synthetic notes, written for these tests.
IDENTIFIERS = [
    ("Seen today by Dr. Okonkwo-Baptiste in clinic.", "Okonkwo", "NAME"),
    ("Pt examined by dr healey this am.", "healey", "NAME"),
    ("Social: son Bill called twice for updates.", "Bill", "NAME"),
    ("Daughter Odette Marlow at bedside.", "Odette", "NAME"),
    ("Events reviewed with Mrs. Kowalczyk at noon.", "Kowalczyk", "NAME"),
    ("Will follow as needed. Joyce Halvorsen, RN\n", "Halvorsen", "NAME"),
    ("Reported to W. Brightwell, who agreed.", "Brightwell", "NAME"),
    ("Admitted on 12/3/2001 with chest pain.", "12/3/2001", "DATE"),
    ("Found on floor 7/22, CT negative.", "7/22", "DATE"),
    ("Surgery planned for March 14, 2019.", "March 14, 2019", "DATE"),
    ("PMH: CAD s/p MI 1992, CABG '95.", "1992", "DATE"),
    ("PMH: CAD s/p MI 1992, CABG '95.", "95", "DATE"),
    ("Discharged 2019-04-05 to home.", "2019-04-05", "DATE"),
    ("Patient is a 94 yo woman with CHF.", "94", "AGE"),
    ("Call daughter at 410-555-0199 with questions.", "410-555-0199", "PHONE"),
    ("Pager 83554 for consents.", "83554", "PHONE"),
    ("Fax (617) 555-0100 the results.", "555-0100", "PHONE"),
    ("Send the report to jane.doe@example.org today.", "jane.doe@example.org", "EMAIL"),
    ("Portal at https://portal.example-hospital.org/login for results.", "portal.example-hospital.org", "URL"),
    ("Device at 192.168.10.24 logged the alarm.", "192.168.10.24", "IP"),
    ("MRN: 00482913 verified at admission.", "00482913", "ID"),
    ("Driver licence number A1234567 on file.", "A1234567", "ID"),
    ("Lives alone at 19 Juniper St. in town.", "19 Juniper St.", "ADDRESS"),
    ("Transferred from Beaumont Hospital for care.", "Beaumont", "LOCATION"),
    ("Pt lives in Bethesda with her son.", "Bethesda", "LOCATION"),
    ("Old records from Elkton, MD requested.", "Elkton", "LOCATION"),
    ("Will transfer to St. Brigid tomorrow.", "Brigid", "LOCATION"),
    # Hospitals named with ordinary words, after "to"/"at"/"from" in mixed-case text.
    ("Family wants him moved to Lakeside for the work-up.", "Lakeside", "LOCATION"),
    ("Her cousin had surgery at Good Samaritan. She is anxious.", "Good Samaritan", "LOCATION"),
    ("pt is a 70 yo man who presented to holy cross hospital from home.", "holy cross", "LOCATION"),
    ("Went back to OR on 7-8 for repair.", "7-8", "DATE"),
]


@pytest.mark.parametrize(("note", "identifier", "kind"), IDENTIFIERS)
def test_deidentifier_redacts_each_identifier_type(deidentifier, note, identifier, kind):
    redaction = deidentifier.redact(note)
    assert identifier not in redaction.text
    assert f"[{kind}]" in redaction.text
    start = note.index(identifier)
    end = start + len(identifier)
    assert any(span.start <= start < span.end and span.type == kind for span in redaction.spans)
    assert any(span.start < end <= span.end for span in redaction.spans)  # the whole identifier


def test_deidentifier_covers_every_placeholder_type():
    assert {kind for _, _, kind in IDENTIFIERS} == set(PHI_TYPES)


def _keep_terms() -> list[str]:
    raw = resources.files("domainkit.deid").joinpath("data", "keep_terms.txt").read_text()
    return [line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")]


def test_deidentifier_keep_list_holds_the_required_eponyms():
    terms = {term.lower() for term in _keep_terms()}
    for eponym in ("parkinson", "crohn", "hodgkin", "babinski", "apgar", "alzheimer", "cushing",
                   "addison", "graves", "down syndrome", "bell palsy", "foley", "swan-ganz"):  # fmt: skip
        assert eponym in terms


@pytest.mark.parametrize("case", [str.title, str.upper, str.lower], ids=["title", "upper", "lower"])
def test_deidentifier_keeps_every_listed_term(deidentifier, case):
    terms = _keep_terms()
    note = "Assessment: " + "; ".join(f"history of {case(term)} noted" for term in terms) + "."
    redaction = deidentifier.redact(note)
    assert redaction.text == note, [note[s.start : s.end] for s in redaction.spans]


EPONYM_NOTES = [
    "Hx of Parkinson disease and Crohn disease, on Sinemet.",
    "Hodgkin lymphoma in remission. Babinski sign negative bilaterally.",
    "Apgar score 8 and 9. Down syndrome features noted.",
    "Alzheimer dementia, Cushing syndrome, Addison disease, Graves disease.",
    "Bell palsy on the left. Foley catheter draining. Swan-Ganz in place.",
    "Started on Lasix 40 mg IV, Lopressor 25 mg PO, Coumadin held, heparin gtt.",
    "Given Tylenol, Zofran and Ativan overnight; vancomycin and Zosyn continued.",
]


@pytest.mark.parametrize("note", EPONYM_NOTES)
def test_deidentifier_eponyms_and_drugs_survive(deidentifier, note):
    assert deidentifier.redact(note).text == note


MEASUREMENT_NOTES = [
    "BP 120/80, HR 88, RR 18, SpO2 96% on 2L NC.",
    "ABG 7.35/40/90 on PS 10/5, PEEP 5, FiO2 40%.",
    "Heparin 1100 units/hr, PTT 32.3, INR 2.0, K 3.9.",
    "Pain 4/10, given 1/2 tab percocet at 1900.",
    "Vent settings AC 600 x 14, then CPAP 5/5 at 0330.",
    "SVR 900-1300, CO 5.2, CI 2.8, CVP 13.",
    "Hct 27.9, plt 61, wbc 15.4, BUN 54, Cr 2.8.",
    "RR of 7-15 when anxious. Napped from 7-8 pm.",
]


CAPITALISED_NON_PLACES = [
    "Turned to Left side. Sent to Pharmacy for review. Seen in Radiology.",
    "Spoke to Dr about plan. Weaned in Nasally placed tube.",
]


@pytest.mark.parametrize("note", CAPITALISED_NON_PLACES)
def test_deidentifier_capitalised_words_after_prepositions_that_name_no_place(deidentifier, note):
    redaction = deidentifier.redact(note)
    assert redaction.text == note, [note[s.start : s.end] for s in redaction.spans]


@pytest.mark.parametrize("note", MEASUREMENT_NOTES)
def test_deidentifier_clinical_measurements_survive(deidentifier, note):
    redaction = deidentifier.redact(note)
    assert redaction.text == note, [note[s.start : s.end] for s in redaction.spans]


def test_deidentifier_spans_index_the_original_text(deidentifier):
    note = "Dr. Okafor saw pt on 7/22; call 410-555-0199."
    redaction = deidentifier.redact(note)
    assert isinstance(redaction, Redaction)
    assert [note[s.start : s.end] for s in redaction.spans] == ["Okafor", "7/22", "410-555-0199"]
    assert redaction.text == "Dr. [NAME] saw pt on [DATE]; call [PHONE]."
    assert all(isinstance(span, PhiSpan) for span in redaction.spans)


def test_deidentifier_policy_types_limit_what_is_redacted():
    only_dates = Deidentifier(DeidPolicy(use_ner=False, types=("DATE",)))
    assert only_dates.redact("Dr. Okafor saw pt on 7/22.").text == "Dr. Okafor saw pt on [DATE]."


def test_deidentifier_policy_keep_terms_protect_extra_words():
    policy = DeidPolicy(use_ner=False, keep_terms=("Okafor",))
    assert "Okafor" in Deidentifier(policy).redact("Seen by Okafor team.").text


def test_deidentifier_redact_many_keeps_order_and_empty_texts(rules_only):
    notes = ["Dr. Okafor here.", "", "Nothing to hide.", "Seen 7/22."] * 5
    results = list(rules_only.redact_many(notes, batch_size=3))
    assert [r.text for r in results] == [rules_only.redact(n).text for n in notes]
    assert results[1] == Redaction("", ())


def test_deidentifier_workers_give_identical_output(rules_only):
    notes = [f"Note {i}: seen by Dr. Ashworth on {i % 12 + 1}/{i % 28 + 1}; son Bill called." for i in range(40)]
    single = list(rules_only.redact_many(notes, workers=1, batch_size=8))
    parallel = list(rules_only.redact_many(notes, workers=2, batch_size=8))
    assert parallel == single


def test_deidentifier_rejects_bad_worker_counts(rules_only):
    with pytest.raises(ValueError, match="workers"):
        list(rules_only.redact_many(["x"], workers=0))


def test_deidentifier_keep_terms_survive_with_articles_around_them():
    from domainkit.deid import DeidPolicy, Deidentifier

    deidentifier = Deidentifier(DeidPolicy(use_ner=False, keep_terms=("Licensed Work", "Licensor", "Section")))
    text = "Subject to Section 3, the Licensor grants to the Licensed Work holder John Smith a licence."
    redacted = deidentifier.redact(text).text
    for term in ("Section 3", "the Licensor", "the Licensed Work"):
        assert term in redacted
    assert "John Smith" not in redacted

