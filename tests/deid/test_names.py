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


# -- names in nursing notes, headers and sign-offs (synthetic probe, all names invented) ----------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # lower case after a relative word in mixed-case text; a word no dictionary explains
        ("HR 88 SR. pt's daughter maria called at 0830, updated.", "HR 88 SR. pt's daughter [NAME] called at 0830, updated."),
        ("K 4.6, Mg 0.9. wife barb & son mike visited.", "K 4.6, Mg 0.9. wife [NAME] & son [NAME] visited."),
        ("RASS -3. sister rosa phoned x2, very anxious.", "RASS -3. sister [NAME] phoned x2, very anxious."),
        ("Foley out. uncle emeka is nok.", "Foley out. uncle [NAME] is nok."),
        ("Met with Ms. Adebayo and her niece Funmilayo at bedside.", "Met with Ms. [NAME] and her niece [NAME] at bedside."),
        ("Lesion noticed by wife Carys last week.", "Lesion noticed by wife [NAME] last week."),
        ("Her husband Angus is struggling as carer.", "Her husband [NAME] is struggling as carer."),
        ("Confusion with his brother Piotr's meds.", "Confusion with his brother [NAME] meds."),
        ("Returned call to pt's son, Vikram, at home.", "Returned call to pt's son, [NAME], at home."),
        ("Carer Joanna confirmed doses.", "Carer [NAME] confirmed doses."),
        # a modal that is a listed first name, capitalised right after a relative word
        ("Supported by her husband Will. Poor sleep.", "Supported by her husband [NAME]. Poor sleep."),
        ("son Will visited at 1400.", "son [NAME] visited at 1400."),
        # the shorthand "fam" is still a surname after a title
        ("Mr. Fam called back.", "Mr. [NAME] called back."),
        ('Possible financial abuse by lodger ("Gaz").', 'Possible financial abuse by lodger ("[NAME]").'),
        # roles, "pt" and handover
        ("Discussed with charge nurse Bill on the ward.", "Discussed with charge nurse [NAME] on the ward."),
        ("GCS 14. pt marguerite resting, HR 88.", "GCS 14. pt [NAME] resting, HR 88."),
        ("HR 90. handover from sue at 1900.", "HR 90. handover from [NAME] at 1900."),
        ("Calcium gluconate 10 ml. RN t. nguyen-baker.", "Calcium gluconate 10 ml. RN [NAME]."),
        ("INR 3.1, pt b. okafor on warfarin.", "INR 3.1, pt [NAME] on warfarin."),
        ("Triage cat 2. Triage RN: J. Smith.", "Triage cat 2. Triage RN: [NAME]."),
        ("Interpreter Ms. Lee via video.", "Interpreter Ms. [NAME] via video."),
        # a capitalised word after a role in mixed-case text, though one letter from an English word
        ("Charge nurse Priya aware.", "Charge nurse [NAME] aware."),
        ("Discussed with RN Priya at 1400.", "Discussed with RN [NAME] at 1400."),
        ("Seen by Nurse Practitioner Anjali Rao today.", "Seen by Nurse Practitioner [NAME] today."),
        ("Seen by the chaplain Thaddeus Okoro.", "Seen by the chaplain [NAME]."),
    ],
)
def test_names_after_relative_role_and_patient_words(rules_only, text, expected):
    assert rules_only.redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "GCS 14. pt alert, HR 88. wife aware. son at bedside.",
        "Seen by nurse practitioner today. daughter called, updated.",
        "nurse priya aware of k 3.1",  # lower case: one letter from an English word may be a typo
        "RN Aware of plan. Nurse Manager notified.",
        "Nurse Practitioner Note: pt stable. Dietitian Consult: TF at goal.",
        "HR 88. pt hope to go home. nurse will call back.",
        "Her husband will visit. Called husband. Will call back at 1600.",
        "updated fam re plan. bro aware, pt's fam in to visit.",  # family shorthand, surnames in the lists
        "daughter May be HCP, to confirm. Son Will call back.",  # modals, not names
        "Plan: Husband Will Bring Meds",  # a title-case line
        "HR 88. pt rec'd 40 meq KCl. daughter in to visit.",
        'BP 120/70. daughter "I\'m worried", reassured.',
        "ECHO showed 25% EF w/ 3-4+MR. Given 6u PRBC.",
        "CONT AWAIT RESULTS OF W/U RE: HEART TRANSPLANT.",
    ],
)
def test_words_after_cue_words_stay(rules_only, text):
    assert rules_only.redact(text).text == text


def test_an_unlisted_word_taken_once_for_a_name_does_not_recur(rules_only):
    # "law, Esri" reads as "Surname, First"; repeating that over a licence redacted the licensor
    # at each of its mentions. Only listed first names and surnames recur.
    text = ("In addition to any and all remedies at law, Esri shall be entitled to relief. Esri reserves "
            "all rights. See the terms; the Software is licensed by Esri.")
    redacted = rules_only.redact(text).text
    assert "Esri reserves" in redacted and "licensed by Esri." in redacted
    assert "See the terms" in redacted


@pytest.mark.parametrize(
    ("text", "names", "kept"),
    [
        ("CHEST X-RAY Name: Brown, T.  MRN: 7788120", ["Brown", "T."], ["Name:", "MRN:"]),
        ("Salford Royal Patient: Gareth Pryce-Jones, 19/11/1961", ["Gareth", "Pryce", "Jones"], ["Patient:"]),
        ("Gastroenterology RE: Destiny M. Running-Bear   DOB Apr 1 1999\nPlease assess Destiny, a student.",
         ["Destiny", "M.", "Running", "Bear"], ["RE:", "DOB", "Please assess"]),
        ("Hospital Patient: Zhang Wei   MRN: JH-40019283", ["Zhang", "Wei"], ["Patient:", "MRN:"]),
        ("Patient: Jean-Luc Fournier   Born: 1949", ["Jean", "Luc", "Fournier"], ["Born:"]),
        ("Patient: Kim Min-jun, 62, Korean-speaking.", ["Kim", "Min", "jun"], ["Korean-speaking"]),
        ("Caller: Linda (wife) re: pt Gerald Humphries.", ["Linda", "Gerald", "Humphries"], ["Caller:", "(wife)"]),
        ("Next INR on discharge. Bethan (anticoag nurse).", ["Bethan"], ["(anticoag nurse)"]),
        ("PT CALL: Bill (William Ashworth) called.", ["Bill", "William", "Ashworth"], ["PT CALL:"]),
        ("14-MAR-2089 HOLLOWAY, FRANCES M  MRN 003349221", ["HOLLOWAY", "FRANCES", " M "], ["MRN"]),
    ],
)
def test_names_in_headers(rules_only, text, names, kept):
    redacted = rules_only.redact(text).text
    for name in names:
        assert name not in redacted
    for word in kept:
        assert word in redacted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Pt states attacker was "Big Mike" Donnelly.', 'Pt states attacker was "[NAME]" [NAME].'),
        ('Pt known as "Buddy" to staff.', 'Pt known as "[NAME]" to staff.'),
        ("Wife Soo-ah (phone on file) aware.", "Wife [NAME] (phone on file) aware."),
    ],
)
def test_nicknames_and_hyphenated_given_names(rules_only, text, expected):
    assert rules_only.redact(text).text == expected


def test_eponym_surname_after_a_title_or_label_is_a_name(rules_only):
    text = "Patient: Parkinson, Walter  MRN: 0-6612-0093\nMr. Parkinson has Parkinson disease; Parkinson's tremor."
    assert rules_only.redact(text).text == (
        "Patient: [NAME], [NAME]  MRN: [ID]\nMr. [NAME] has Parkinson disease; Parkinson's tremor."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Attending: Dr. Rajesh Venkataraman, MD\nDx: CAP", "Attending: Dr. [NAME], MD\nDx: CAP"),
        ("Dictated by: Helen Abernathy, MD. Reviewed.", "Dictated by: [NAME], MD. Reviewed."),
        ("Reconciled by Nasreen Qureshi, PharmD.", "Reconciled by [NAME], PharmD."),
        ("Admitting: Sunita Kaur, NNP / attending", "Admitting: [NAME], NNP / attending"),
        ("Seen by Ana Castillo, OTR/L today.", "Seen by [NAME], OTR/L today."),
        ("Re: Chloe Nakamura, DOB 7/3/1990", "Re: [NAME], DOB 7/3/1990"),
        ("Seen in Bethesda, MD 20814 last year.", "Seen in [LOCATION] [ADDRESS] last year."),
    ],
)
def test_credentials_and_field_labels_end_a_name(rules_only, text, expected):
    redacted = rules_only.redact(text).text
    assert redacted.replace("[DATE]", "7/3/1990") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pt: Harold Jenkins, 92 Mr. Jenkins has CKD.", "Pt: [NAME], [AGE] Mr. [NAME] has CKD."),
        ("Mrs Morag Fitzgerald-Hughes (90), of 4 Thistle Lane", "Mrs [NAME] ([AGE]), of [ADDRESS]"),
        ("Dr Lee (97) reviewed.", "Dr [NAME] ([AGE]) reviewed."),
        ("Seen a widow, 93, from home.", "Seen a widow, [AGE], from home."),
        ("Care home resident (104), reduced intake.", "Care home resident ([AGE]), reduced intake."),
    ],
)
def test_ages_over_89_after_a_name(rules_only, text, expected):
    assert rules_only.redact(text).text == expected


@pytest.mark.parametrize(
    "text", ["Mr. Smith, 45, seen today.", "Hb (92) low.", "Mr. Smith 92 mg given.", "Pt (95% on RA) stable.", "patient, 92.5 kg"]
)
def test_no_age_without_a_name_or_under_90(rules_only, text):
    assert "[AGE]" not in rules_only.redact(text).text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Caller: Linda (wife) re: pt Gerald Humphries. States he has had black stools.", "Linda"),
        ("Plan: mobilise to chair w/ PT. husband Tomasz to visit this pm.", "Tomasz"),
        ("MED REC - ward 9 North - Stanislaw Nowak (97) - Mar 14\nBrought in by carer.", "Stanislaw Nowak"),
        ("Reconciled by Nasreen Qureshi, PharmD.", "Nasreen Qureshi"),
    ],
)
def test_first_names_and_credentials_are_not_places_with_ner(deidentifier, text, name):
    redaction = deidentifier.redact(text)
    start = text.index(name)
    assert any(s.type == "NAME" and s.start <= start < s.end for s in redaction.spans)
    assert all(s.type != "LOCATION" or not (s.start < start + len(name) and start < s.end) for s in redaction.spans)
    assert "PharmD" not in text or "PharmD" in redaction.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # WordNet lists the writer, so "fitzgerald" reads as an English word; the census lists the surname
        ("per ms fitzgerald, pt ate well", "per ms [NAME], pt ate well"),
        ("family meeting with mr masterson and son", "family meeting with mr [NAME] and son"),
        # mitral regurgitation and mental status stay
        ("ms intact, mae x4", "ms intact, mae x4"),
        ("mr moderate per echo, ms changes noted", "mr moderate per echo, ms changes noted"),
        ("pt with ms flare, mr trace", "pt with ms flare, mr trace"),
    ],
)
def test_a_listed_surname_after_lower_case_mr_or_ms_is_a_name(rules_only, text, expected):
    assert rules_only.redact(text).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a first name that is also a word, before a listed surname, mid-sentence
        ("Referral for Sunny Stone, age 80.", "Referral for [NAME], age 80."),
        ("Son Will Baker visited.", "[NAME] visited."),
        ("Spoke with Hope Jones re plan.", "Spoke with [NAME] re plan."),
    ],
)
def test_worded_first_names_before_a_surname_mid_sentence(rules_only, text, expected):
    assert rules_only.redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Will Wood was seen today.",  # a sentence's first word may be a modal
        "See the Grace Period Ends section.",  # a title-case heading
        "Admitted for Rose Bengal staining.",  # a kept stain
        "Ask Miss Brennan.",  # a title, not a first name (Brennan alone is found elsewhere)
        "Specification by Guy Steele, ISBN 0-201-63451-1.",  # an acronym after a name is no first name
        "Written by Ada Okafor, RDF, XHTML, XML and XSL experts.",  # a list of acronyms
    ],
)
def test_worded_first_names_stay_outside_a_sentence_or_before_a_kept_term(rules_only, text):
    redacted = rules_only.redact(text).text
    for word in ("Will", "Grace Period", "Rose Bengal", "Miss", "ISBN", "RDF, XHTML, XML"):
        if word in text:
            assert word in redacted


@pytest.mark.parametrize(
    "text",
    [
        "Concern for Rocky Mountain spotted fever; start doxycycline.",  # a disease (and a kept term)
        "Refer for Will Power evaluation.",  # a worded name before a surname, with no person cue
        "Recorder of deeds recorded the Grant Deed on filing.",
        "Pt switched to Crystal Light for hydration.",
    ],
)
def test_worded_first_names_without_a_person_cue_stay(rules_only, text):
    assert "[NAME]" not in rules_only.redact(text).text


@pytest.mark.parametrize(("text", "expected"), [
    ("Kowalczyk, ZBIGNIEW seen today.", "[NAME], [NAME] seen today."),  # an all-caps first name
    ("Okafor, TJ seen today.", "[NAME], [NAME] seen today."),
    ("KOWALCZYK, ZBIGNIEW, MRN 123", "[NAME], [NAME], MRN [ID]"),  # a field label after the name
])
def test_all_caps_first_names_of_last_first_pairs_stay_names(rules_only, text, expected):
    assert rules_only.redact(text).text == expected
