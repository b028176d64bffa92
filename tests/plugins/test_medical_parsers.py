"""HPO and ICD-10-CM parsers of the medical pack, on tiny inline files."""

from __future__ import annotations

from domainkit_medical import hpo, icd10cm

OBO = """format-version: 1.2

[Term]
id: HP:0000001
name: All

[Term]
id: HP:0000118
name: Phenotypic abnormality
is_a: HP:0000001 ! All

[Term]
id: HP:0000707
name: Abnormality of the nervous system
def: "A \\"neurological\\" abnormality." [HPO:probinson]
is_a: HP:0000118 ! Phenotypic abnormality

[Term]
id: HP:0000478
name: Abnormality of the eye
is_a: HP:0000118 ! Phenotypic abnormality

[Term]
id: HP:0001250
name: Seizure
def: "A seizure is an intermittent abnormality of nervous system physiology." [x]
synonym: "Epileptic seizure" EXACT []
comment: Seizures are common.
is_a: HP:0000707

[Term]
id: HP:0007663
name: Optic ataxia with seizures
def: "Both." []
is_a: HP:0001250
is_a: HP:0000478

[Term]
id: HP:0009999
name: Old term
is_obsolete: true
"""

XML = b"""<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular>
  <chapter>
    <name>1</name>
    <desc>Certain infectious and parasitic diseases (A00-B99)</desc>
    <excludes1><note>certain localized infections</note></excludes1>
    <section id="A00-A09">
      <desc>Intestinal infectious diseases (A00-A09)</desc>
      <diag>
        <name>A00</name>
        <desc>Cholera</desc>
        <diag>
          <name>A00.0</name>
          <desc>Cholera due to Vibrio cholerae 01, biovar cholerae</desc>
          <inclusionTerm><note>Classical cholera</note></inclusionTerm>
        </diag>
        <diag><name>A00.9</name><desc>Cholera, unspecified</desc></diag>
      </diag>
    </section>
  </chapter>
</ICD10CM.tabular>
"""


def test_hpo_parse_obo_reads_definitions_synonyms_and_skips_obsolete() -> None:
    terms = hpo.parse_obo(OBO)
    assert "HP:0009999" not in terms
    assert terms["HP:0000707"].definition == 'A "neurological" abnormality.'
    seizure = terms["HP:0001250"]
    assert seizure.synonyms == ("Epileptic seizure",) and seizure.comment == "Seizures are common."
    assert terms["HP:0007663"].parents == ("HP:0001250", "HP:0000478")


def test_hpo_organ_systems_follow_the_is_a_closure() -> None:
    terms = hpo.parse_obo(OBO)
    systems = hpo.organ_systems(terms)
    assert systems["HP:0001250"] == {"HP:0000707"}
    assert systems["HP:0007663"] == {"HP:0000707", "HP:0000478"}
    assert systems["HP:0000118"] == frozenset()


def test_icd10cm_parse_tabular_gives_codes_chapters_and_notes() -> None:
    codes, notes = icd10cm.parse_tabular(XML)
    assert [c["code"] for c in codes] == ["A00", "A00.0", "A00.9"]
    assert {c["chapter"] for c in codes} == {"Certain infectious and parasitic diseases"}
    assert [c["leaf"] for c in codes] == [False, True, True]
    assert codes[0]["block"] == "A00-A09"
    assert set(notes) == {"certain localized infections", "Classical cholera"}


def test_icd10cm_chapter_title_drops_the_code_range() -> None:
    assert icd10cm.chapter_title("Neoplasms (C00-D49)") == "Neoplasms"
