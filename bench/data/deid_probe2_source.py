"""Source for bench/data/deid_probe2.jsonl: synthetic clinical notes with gold PHI spans.

All people, phone numbers, identifiers and most facilities are invented.

Inline markup (stripped when the JSONL is written; offsets are computed, never typed):
    [[TYPE:text]]   gold PHI span of TYPE (NAME, DATE, AGE, PHONE, EMAIL, URL, IP,
                    ID, ADDRESS, LOCATION, ORGANIZATION)
    {{text}}        debatable span (counts neither way)

Conventions:
  * Titles / credentials (Dr., Mr., Mrs., RN, MD, Atty., fr.) are outside NAME spans.
  * Multi-word facility names are one LOCATION span ("St. Agnes Hospital", "CVS on Main St").
    Care agencies (VNA, hospice, rehab, nursing home, dialysis unit) are LOCATION.
    Employers, insurers, schools and vendors are ORGANIZATION.
  * "City, ST" is two LOCATION spans (city and state separately).
  * Street addresses with a house number (or a P.O. box) are ADDRESS; the town is a
    separate LOCATION. A bare street name is LOCATION.
  * Phone spans cover the digits only (with area-code parentheses / leading +1), not
    "x", "ext", "pager #", etc. A number and its extension are two spans.
  * AGE only for ages over 89, number/word only (not "yo"); ages 80-89 are debatable.
  * DATE covers the date expression only ("DOB" outside); holidays are DATE;
    weekdays alone, vague seasons, ward names and clinic departments are debatable.

Run:  python bench/data/deid_probe2_source.py
"""
import json
import os
import re
from collections import Counter

TYPES = {"NAME", "DATE", "AGE", "PHONE", "EMAIL", "URL", "IP", "ID", "ADDRESS",
         "LOCATION", "ORGANIZATION"}

NOTES = [
    # ------------------------------------------------------------------ icu_nursing
    ("icu_nursing", """
npn 1900-0700
neuro: pt a&ox2, oriented to self/place, not date. follows commands, mae. perrl 3mm brisk. ativan 1mg iv x1 at 0230 for agitation w/ good effect.
cv: nsr-st 90s-110s, no ectopy. sbp 100-130 on levophed 0.04 mcg/kg/min, weaned to 0.02 by 0500. k 3.4 repleted w/ 40meq kcl.
resp: ls coarse bilat, sx for mod amts thick tan sputum. 4L nc sats 94-97%.
gi/gu: abd soft, +bs. foley draining clear yellow, uop 30-60cc/hr.
social: pt transferred from [[LOCATION:St. Agnes Hospital]] on [[DATE:2/28]]. daughter [[NAME:Linda]] called x2 overnight, updated by this rn. she lives in [[LOCATION:worcester]], will be in after work, cell [[PHONE:508 555 7781]].
plan: cont to wean levo, f/u am lytes, ?tx to floor if stable.
""", ["levophed 0.04 mcg/kg/min", "ativan 1mg", "40meq kcl"]),

    ("icu_nursing", """
ccu nursing progress note 0700-1900
s: "i want to go home to [[LOCATION:revere]]"
o: [[AGE:92]]yo f admitted [[DATE:3/14/07]] w/ chf exacerbation, s/p cabg ([[DATE:2004]]). hoh, r hearing aid in place.
neuro: a&ox3, pleasant, calls out freq.
cv: afib 80s-100s, sbp 90-110. lasix 40mg iv given 1000 w/ 1.2L uop response. bnp 1840.
resp: 2L nc, crackles bases bilat. cxr w/ small bilat effusions.
gi: tol cardiac diet poorly, ate 25% lunch.
id: afebrile, wbc 9.1.
social: son [[NAME:mike]] here this afternoon, wants pt d/c'd to [[LOCATION:heritage manor]] rather than home. pcp is dr [[NAME:pham]] at [[LOCATION:chelsea health center]], office [[PHONE:617-555-0143]].
plan: diurese, goal neg 1L, daily wts, ?echo in am.
""", ["lasix 40mg iv", "bnp 1840", "afib 80s-100s"]),

    ("icu_nursing", """
micu nsg note
pt is a 67 yo m from [[LOCATION:brockton]], found down at home by neighbor [[NAME:frank]] {{sunday}} am, brought to [[LOCATION:good samaritan]] where ct showed sah, med flighted here.
neuro: gcs 7t (e2 vt m5). pupils r 4mm sluggish, l 3mm brisk. ventriculostomy open @ 10cm h2o, icp 8-14, drng 10-15cc/hr blood tinged. nimodipine 60mg q4h via ogt. dilantin level 14.2.
cv: sbp goal <140, nicardipine gtt 2.5-5 mg/hr. hr 60s sb.
resp: cmv 500x14 peep 5 fio2 40%. abg 7.41/38/112.
social: wife [[NAME:ann]] and brother [[NAME:Dusty]] at bedside until 2200. family meeting w/ dr [[NAME:okonkwo]] (nsurg) planned for [[DATE:3/18]] at 1500. pastoral care paged.
hcp: wife [[NAME:ann]], cell [[PHONE:(508) 555-2290]].
""", ["gcs 7t", "nimodipine 60mg q4h", "dilantin level 14.2"]),

    ("icu_nursing", """
sicu npn 7a-7p
s/p whipple procedure [[DATE:3/2]] (pod 5) for panc ca. hx dm2, htn. pt is visiting from [[LOCATION:Ireland]], staying w/ sister in [[LOCATION:dorchester]].
neuro: alert, anxious, oriented. pain controlled w/ dilaudid pca 0.2mg/10min lockout, using appropriately.
cv: st 100-115, afebrile. lr @ 100cc/hr.
resp: 40% face tent, ls dim bases, is to 750.
gi: ngt to lcws draining bilious 300cc/shift. jp x2 serosang. abd distended, tender incisionally.
gu: foley, uop >30cc/hr.
endo: insulin gtt per protocol, bg 140-180.
social: sister [[NAME:Siobhan Kearney]] at bedside most of day, # [[PHONE:617.555.0198]]. international pt office (x[[PHONE:4-5521]]) following re: insurance.
plan: ct abd in am to r/o leak, cont npo.
""", ["whipple procedure", "dilaudid pca 0.2mg/10min", "pod 5"]),

    ("icu_nursing", """
tsicu nursing 1900-0700
pt 24 yo m mvc vs tree on {{rt 9}} in [[LOCATION:natick]], s/p ex lap, splenectomy. c-collar in place, c3-c4 fx per ct, spine following.
neuro: sedated on propofol 40mcg/kg/min, rass -2. moves all 4 to noxious.
cv: sbp 110-140, hr 90s. hct 24.1 -> 1u prbc given 0400, repeat pending.
resp: simv 500x12/5/5 fio2 50%, sats 98%.
gi: ogt to lcws, abd soft.
social: parents drove down from [[LOCATION:vermont]], arrived 0200. mother [[NAME:Hope]] asking for updates, given resident beeper [[PHONE:1234]] and unit phone [[PHONE:617-555-0176]]. pt works at [[ORGANIZATION:Stop & Shop]] in [[LOCATION:framingham]]. police (officer [[NAME:grant]]) left card; pt's etoh 212 on arrival.
""", ["c3-c4 fx", "propofol 40mcg/kg/min", "hct 24.1"]),

    ("icu_nursing", """
cvicu progress note
pt s/p avr/cabg x3 [[DATE:3/20]]. {{81}} yo m. extubated 1100 w/o incident.
neuro: intact, mae.
cv: a-paced 88, underlying sb 50s. ci 2.3 via swan-ganz, svo2 68. ct's x2 draining 20-40cc/hr serosang. neo weaned off 1300.
resp: 4L nc, sats 96%, cough weak, splinting w/ pillow.
gi: sips clears.
gu: foley, uop 40-100/hr after lasix 20mg iv.
skin: sternal/leg incisions c/d/i.
social: wife [[NAME:Rose]] and daughter [[NAME:Faith]] visited this pm, they live in [[LOCATION:Hull]]. rose asks that all bills go to [[ADDRESS:P.O. Box 221]], [[LOCATION:Hull]] [[LOCATION:MA]] - admitting aware.
""", ["swan-ganz", "svo2 68", "lasix 20mg iv"]),

    ("icu_nursing", """
micu npn
pt is a 58 yo f w/ hx crohn's disease, admitted [[DATE:march 14]] w/ sepsis from ?line infx. hickman placed at [[LOCATION:Lakeview General]] [[DATE:2005]] for tpn.
neuro: lethargic but arousable, follows commands.
cv: map 60-65 on vasopressin 0.04u/min + levophed. cvp 12.
resp: bipap 12/5 40%, rr 20s.
id: zosyn and vanco, bld cx from hickman + gpc in clusters. tmax 101.8 at 0200.
gi: ?crohn's flare, stool guaiac +.
social: lives alone in [[LOCATION:somerville]], teaches 3rd grade at [[ORGANIZATION:Lincoln Elementary]]. brother [[NAME:will castellano]] is hcp, # [[PHONE:781-555-3010]], will be in after 1800.
""", ["crohn's flare", "zosyn", "vasopressin 0.04u/min"]),

    ("icu_nursing", """
npn 1500-2300
pt 49 yo m etoh w/d, last drink per pt "[[DATE:thanksgiving]]". ciwa 18-24 this shift, ativan 2mg iv q1h prn given x5. thiamine/folate/mvi given. r/o wernicke, neuro c/s by dr [[NAME:Jean-Luc Bessette]].
cv: hr 110s-120s st, bp 150s/90s, lopressor 5mg iv x2.
resp: ra sats 95%.
gi: npo except meds, aspiration precautions.
safety: posey vest on, sitter requested.
social: homeless, staying at [[LOCATION:harbor light shelter]]. prior detox at [[LOCATION:st. jude detox]] in [[LOCATION:lowell]] [[DATE:2006]]. no family contact. sw ([[NAME:Kowalski]]) following, ext [[PHONE:2231]].
""", ["ciwa 18-24", "ativan 2mg iv q1h", "wernicke"]),

    ("icu_nursing", """
nursing progress note 7p-7a
pt is [[AGE:ninety-three]] year old woman who came from [[LOCATION:brookdale rehab]] w/ ugib, hct 21 on arrival. egd [[DATE:3/15]] w/ bleeding duodenal ulcer, clipped.
neuro: confused at baseline per rehab rn [[NAME:Beth]], hx dementia.
cv: hr 80s nsr, sbp 100-120. 2u prbc overnight, post-tx hct 27.8. pantoprazole gtt 8mg/hr.
resp: ra, no distress.
gi: melena x1 at 0300, small. ngt removed.
code status: dnr/dni confirmed w/ hcp, niece [[NAME:Sandy O'Malley]] (only living relative, lives in [[LOCATION:New Hampshire]]), tel [[PHONE:(603) 555-0117]].
plan: serial hcts q6h, ?back to [[LOCATION:brookdale]] when stable.
""", ["pantoprazole gtt 8mg/hr", "hct 27.8"]),

    ("icu_nursing", """
resp/nsg note
pt 72 yo m copd, home o2 2L, intubated [[DATE:3/10]] at osh ([[LOCATION:mercy medical]]), tx here [[DATE:3/11]].
neuro: sedated fentanyl 50mcg/hr, versed 2mg/hr. rass -1 to -2. sedation holiday 0800, pt followed commands.
cv: nsr 70s, bp stable.
resp: psv 10/5 40% since 0900, rsbi 68. abg 7.38/52/78. sx for small white secretions. plan sbt in am w/ rt [[NAME:Marcus]].
gi: tf promote @ 50cc/hr goal, residuals <50.
social: wife [[NAME:Mary Ellen]] speaks mainly portuguese, pt emigrated from the [[LOCATION:Azores]]. interpreter svcs called x[[PHONE:6-2100]]. pulmonologist is dr [[NAME:tran]] in [[LOCATION:fall river]].
""", ["rsbi 68", "fentanyl 50mcg/hr", "abg 7.38/52/78"]),

    ("icu_nursing", """
npn 0700-1500
19 yo f w/ dka, ag 26 on adm, now 14. insulin gtt 6u/hr, d5 1/2ns @ 150. fsbg 180-240. k 3.8, phos 1.9 repleted.
neuro: a&ox3, tearful, states she ran out of insulin after losing job at [[ORGANIZATION:Dunkin Donuts]].
cv: st 100s, sbp 110s.
gi: tol clears.
social: student at [[ORGANIZATION:Salem State]], lives at [[ADDRESS:12 Elm St, Apt 3]], [[LOCATION:Salem]]. boyfriend [[NAME:Tyler]] visiting. mom ([[NAME:Nguyen, Thi]]) lives in [[LOCATION:Texas]], called unit, # [[PHONE:214-555-0162]]. pt says [[ORGANIZATION:MassHealth]] lapsed, sw ref placed. dm teaching: [[NAME:Kathy]] (cde) pgr [[PHONE:3-1190]].
""", ["insulin gtt 6u/hr", "d5 1/2ns", "phos 1.9"]),

    ("icu_nursing", """
nursing note 1900-0700
pt (mr [[NAME:van der berg]], [[AGE:97]]) made cmo at 1600 after family mtg w/ micu team & dr [[NAME:adeyemi]]. extubated to 4L nc at 1730 w/ family present. morphine gtt 4mg/hr, titrated to 6mg/hr for rr 30s, resp distress. glyco 0.2mg iv x2 for secretions.
pt emigrated from [[LOCATION:Rotterdam]] in [[DATE:1956]]. daughters [[NAME:Greta]] and [[NAME:Anneke]] at bedside all night, son [[NAME:Art]] flying in from [[LOCATION:Phoenix]]. chaplain fr. [[NAME:donnelly]] in at 2100, anointed pt.
pt expired at 0412, pronounced by dr [[NAME:Shah]]. family notified, chose [[LOCATION:Keane Funeral Home]] in [[LOCATION:Quincy]], [[PHONE:617-555-0134]]. neob notified, ref # [[ID:0312-4471]].
""", ["morphine gtt 4mg/hr", "glyco 0.2mg iv"]),

    # ------------------------------------------------------------------ ed_triage
    ("ed_triage", """
TRIAGE NOTE  [[DATE:03/14/2007]] 1422
CC: chest pain x 2 hrs
HPI: 58M, substernal pressure 7/10, radiating L arm, diaphoretic, started while shoveling. Hx HTN, HLD, smoker 1ppd. Took ASA 325 at home. Brought by [[LOCATION:Randolph]] EMS.
PCP: Dr. [[NAME:Feldman]], [[LOCATION:Braintree]]
VS: T 98.1 HR 104 BP 168/94 RR 20 SpO2 96% RA
EKG 1425: STE II, III, aVF -> STEMI page 1428, cath lab activated.
Meds: lisinopril 20 mg, atorvastatin 40 mg
Allergies: PCN (hives)
Contact: wife [[NAME:Joan]], cell [[PHONE:781-555-4423]]
Acuity: ESI 1
RN: [[NAME:K. Murphy]]
""", ["ASA 325", "ESI 1", "STE II, III, aVF"]),

    ("ed_triage", """
ED TRIAGE  [[DATE:Mar 14th]] 0310
CC: fall, L hip pain
[[AGE:91]]F from [[LOCATION:Heritage Manor]] nursing home, unwitnessed fall getting to commode ~0200. L leg shortened/ext rotated. On coumadin for afib, INR unknown. Hx Parkinson disease, HTN, CKD.
VS: T 97.6 HR 88 irreg BP 142/70 RR 18 SpO2 95% RA FS 132
Pain 8/10. GCS 15.
Sent w/ W-10 from NH; nurse [[NAME:Grace]] at facility [[PHONE:(508) 555-0190]]. HCP son [[NAME:Bill Tierney]], lives in [[LOCATION:Plymouth]], [[PHONE:508-555-8821]], aware and on his way.
Acuity ESI 2. Placed in {{bed 12}}.
""", ["Parkinson disease", "coumadin", "GCS 15"]),

    ("ed_triage", """
TRIAGE [[DATE:3/15/07]] 2245
CC: "hearing voices"
29 y/o M brought in by [[LOCATION:Cambridge]] PD after disturbance at the [[LOCATION:CVS on Mass Ave]]. Pt states he stopped Haldol "around [[DATE:Christmas]]". Denies SI/HI. Calm in triage, cooperative. Hx schizophrenia, followed at [[LOCATION:Riverside Community Mental Health]], case mgr [[NAME:Dontae]] [[PHONE:617-555-0129]].
VS: T 98.9 HR 96 BP 132/84 RR 16 SpO2 99% RA. Utox pending. ETOH neg by breathalyzer.
Belongings searched by security ([[NAME:Ruiz]]), pt wanded. Section 12 signed by Dr. [[NAME:Abernathy]].
Acuity ESI 2, placed in psych hold room {{Pod C}}.
""", ["Haldol", "ETOH neg", "Section 12"]),

    ("ed_triage", """
PEDS ED TRIAGE  [[DATE:14 March 2007]] 1915
CC: fever, rash
3 y/o F, [[NAME:Aaliyah]], fever to 103.4 x 2 days, lacy rash on cheeks/trunk today. Tylenol 160 mg at 1700. Drinking ok, 3 wet diapers today. Immunizations UTD per mom. Attends daycare at [[ORGANIZATION:Bright Horizons]] in [[LOCATION:Waltham]], several kids sick there.
VS: T 102.2 HR 148 BP 98/60 RR 28 SpO2 99% Wt 14.2 kg
Cap refill <2 sec. Alert, playful, no neck stiffness, no petechiae.
PCP: [[LOCATION:Waltham Pediatrics]], Dr. [[NAME:Hsu]]
Mom [[NAME:Keisha]] cell [[PHONE:(781) 555-3397]]
ESI 4
""", ["Tylenol 160 mg", "T 102.2", "Cap refill <2 sec"]),

    ("ed_triage", """
Triage: [[DATE:2/28/08]] 0845
CC: dizziness, vomiting since yesterday
67F, room spinning with head turning, worse rolling to R. No focal weakness, no HA. Hx BPPV [[DATE:2005]], relieved by Epley manoeuvre at [[LOCATION:Bayside ENT]]. Summers in [[LOCATION:Naples]] [[LOCATION:FL]], flew back {{Sunday}}.
Meds: meclizine 25mg PRN (ran out), HCTZ. Allergies: sulfa.
VS: T 97.9 HR 78 BP 150/82 RR 16 SpO2 98% RA FS 101
Neuro: speech clear, no facial droop, grips equal, nystagmus with gaze to R.
Daughter [[NAME:Marguerite]] accompanying. Pt requests results sent to [[EMAIL:jdelisle47@comcast.net]].
ESI 3, to fast track.
""", ["Epley manoeuvre", "meclizine 25mg", "HCTZ"]),

    ("ed_triage", """
ED TRIAGE  [[DATE:12/26/06]] 0112   MRN [[ID:3345672]]
CC: SOB, leg swelling
74M w/ CHF (EF 25%), ESRD on HD MWF at [[LOCATION:Harborview Dialysis]], missed HD {{Monday}} for [[DATE:Christmas]]. Ate ham at son's house in [[LOCATION:Rhode Island]]. Hx DM2, s/p L BKA.
VS: T 98.4 HR 112 BP 188/102 RR 28 SpO2 88% RA -> 95% NRB. K pending.
L arm AV fistula + thrill/bruit. Crackles to mid-lung fields bilat, 2+ pitting edema to knees. Able to speak in short sentences only.
Renal fellow Dr. [[NAME:Lindqvist]] paged (#[[PHONE:3-7765]]).
ESI 2
""", ["EF 25%", "NRB", "BP 188/102"]),

    # ------------------------------------------------------------------ operative_note
    ("operative_note", """
OPERATIVE REPORT
Patient: [[NAME:Whitaker, Gerald]]   MRN: [[ID:0051937]]
Date of surgery: [[DATE:03/16/2007]]
Surgeon: [[NAME:Priya Raman]], MD   Assistant: [[NAME:Tom Eckert]], PA-C
Anesthesia: general endotracheal, Dr. [[NAME:Gallo]]
Preop dx: acute cholecystitis. Postop dx: gangrenous cholecystitis.
Procedure: laparoscopic converted to open cholecystectomy.
Indications: 63M, RUQ pain x 3 days, positive Murphy's sign, US with wall thickening and pericholecystic fluid. Transferred from [[LOCATION:Canton Regional]].
Findings: dense adhesions, necrotic fundus; unable to obtain critical view, converted.
EBL 250 mL. Fluids 2.4 L LR. UOP 310 mL via Foley. Specimen: gallbladder to pathology. Drains: 19 Fr Blake to RUQ.
Complications: none. Disposition: PACU, stable.
Dictated by [[NAME:P. Raman]] [[DATE:3/16/07]] 1815; job # [[ID:448127]]
""", ["Murphy's sign", "19 Fr Blake", "EBL 250 mL"]),

    ("operative_note", """
BRIEF OP NOTE  [[DATE:3-17-07]]
Pre-op: L4-L5 disc herniation w/ L radiculopathy
Post-op: same
Procedure: L4-L5 microdiscectomy, left
Surgeon: [[NAME:Hartigan]] / resident [[NAME:Chen]]
Anes: GETA
EBL: minimal (<50cc)
Findings: large extruded fragment compressing L5 root, removed.
Specimen: disc fragments
Complications: none, no durotomy
Cefazolin 2 g given 0742 prior to incision.
Pt is a 41 yo carpenter w/ [[ORGANIZATION:Coastal Framing Inc.]], workers comp claim # [[ID:WC-2007-04418]].
Dispo: PACU then home w/ wife [[NAME:Carla]]. F/u Dr. [[NAME:Hartigan]] clinic [[DATE:3/30]], call [[PHONE:617-555-0151]] w/ questions.
""", ["L4-L5 microdiscectomy", "Cefazolin 2 g", "EBL: minimal (<50cc)"]),

    ("operative_note", """
OPERATIVE NOTE
Date: [[DATE:March 2, 2007]]
Patient: [[NAME:Dolores Amaral]], [[AGE:90]] y/o F
Surgeon: Dr. [[NAME:Benedetto]]; Anesthesia: Dr. [[NAME:Lyle]] (spinal)
Procedure: L hip hemiarthroplasty (cemented)
Indication: displaced L femoral neck fx after fall at [[LOCATION:Maplewood Assisted Living]] on [[DATE:2/28]].
Findings: Garden IV fracture.
Implant: 46 mm unipolar head, size 11 stem.
EBL 300; 1 u PRBC intra-op. Foley placed. Cefazolin 1 g, vanco 1 g pre-op.
Complications: transient hypotension w/ cementing, SBP to 80s, responded to phenylephrine 100 mcg x2.
Disposition: PACU -> {{6 West}} ortho.
Discussed w/ pt's grandson [[NAME:Paulo]] (HCP) by phone [[PHONE:774-555-0166]].
""", ["Garden IV fracture", "phenylephrine 100 mcg x2", "Foley"]),

    ("operative_note", """
PROCEDURE NOTE - CARDIAC CATH LAB
Date: [[DATE:3/14/07]]   Operator: [[NAME:R. Sandoval]], MD   Fellow: [[NAME:J.T. Ambrose]], MD
Indication: inferior STEMI, door-to-balloon 71 min (pt from [[LOCATION:Randolph]] via EMS).
Access: R femoral 6 Fr.
Findings: RCA 100% mid thrombotic occlusion, TIMI 0 flow. LAD 40% prox. LCx mild disease. LVEDP 24.
Intervention: aspiration thrombectomy, 3.0 x 18 mm Cypher DES to mid RCA, TIMI 3 flow restored. Heparin, Integrilin bolus + gtt.
Closure: Angio-Seal.
Complications: transient CHB, resolved.
Plan: CCU, ASA/Plavix x 12 months min, echo, cardiac rehab referral ([[LOCATION:Braintree]]).
Report faxed to PCP Dr. [[NAME:Feldman]], fax [[PHONE:781-555-0100]].
""", ["TIMI 3 flow", "Integrilin", "Angio-Seal"]),

    ("operative_note", """
OPERATIVE REPORT
DATE OF PROCEDURE: [[DATE:04/02/2007]]
PATIENT: [[NAME:Hope Landry]]   UNIT #: [[ID:2219054]]
SURGEON: [[NAME:Marcus Oyelaran]], M.D.
PREOPERATIVE DIAGNOSIS: Morbid obesity, BMI 47, OSA, DM2.
PROCEDURE: Laparoscopic Roux-en-Y gastric bypass.
DESCRIPTION: After informed consent, pt placed supine, GETA induced. Pneumoperitoneum established via Veress needle at Palmer's point. 150 cm Roux limb created antecolic, linear stapled gastrojejunostomy. Leak test with methylene blue negative.
EBL 40 mL. No complications.
Insurance authorization from [[ORGANIZATION:Harvard Pilgrim]], auth # [[ID:HP7730218]].
Postop: CPAP for OSA, PCA, UGI study POD 1.
cc: Dr. [[NAME:Will Fortunato]], PCP, [[LOCATION:Lynn]]
""", ["Roux-en-Y gastric bypass", "Veress needle", "BMI 47"]),

    # ------------------------------------------------------------------ pathology_report
    ("pathology_report", """
SURGICAL PATHOLOGY REPORT
Accession: [[ID:S07-12345]]   Received: [[DATE:3/16/2007]]
Patient: [[NAME:WHITAKER, GERALD]]   MRN [[ID:0051937]]
Submitting physician: [[NAME:P. Raman]], MD
Clinical hx: acute cholecystitis.
GROSS: Received fresh labeled "gallbladder" is an opened 9.5 x 4.0 x 3.2 cm gallbladder. Serosa dusky green-black. Wall up to 0.8 cm. Multiple yellow-green faceted stones 0.3-1.4 cm. Representative sections in A1-A3.
MICROSCOPIC: Transmural acute inflammation with mucosal necrosis; Rokitansky-Aschoff sinuses.
DIAGNOSIS: Acute gangrenous cholecystitis with cholelithiasis. No dysplasia or malignancy.
Whole-slide images archived on [[IP:172.16.40.12]].
Signed out by [[NAME:Eleanor Baptiste]], MD  [[DATE:3/18/07]]
""", ["Rokitansky-Aschoff sinuses", "9.5 x 4.0 x 3.2 cm", "A1-A3"]),

    ("pathology_report", """
CYTOLOGY - FNA
Case #[[ID:2007-11832]]   Date: [[DATE:March 20, 2007]]
Pt: [[NAME:Okonjo, Adaeze]]   DOB: [[DATE:8/11/1962]]
Referring: [[NAME:Hashimi]], endocrinology, [[LOCATION:Westborough]] office
Specimen: FNA R thyroid nodule, 2.1 cm, US-guided, 3 passes.
Clinical: hx Hashimoto thyroiditis, enlarging nodule. TSH 3.1.
Adequacy: satisfactory, >6 groups of follicular cells.
Interpretation: Bethesda category II - benign. Features c/w lymphocytic thyroiditis: Hurthle cells, lymphocytes in background.
Recommend clinical/US f/u in 12-18 months.
CT: [[NAME:M.L.R.]]   Pathologist: [[NAME:Sunil Varghese]], MD
Result called to Dr. [[NAME:Hashimi]]'s office ([[NAME:Tina]]) [[DATE:3/21]] 1030.
""", ["Hashimoto thyroiditis", "Bethesda category II", "TSH 3.1"]),

    ("pathology_report", """
AUTOPSY - PRELIMINARY ANATOMIC DIAGNOSIS
Autopsy No.: [[ID:A07-0088]]
Decedent: [[NAME:Van der Berg, Hendrik]], [[AGE:97]] y/o M
Date/time of death: [[DATE:3/22/2007]] 0412   Date of autopsy: [[DATE:3/22/2007]] 1300
Consent from daughter [[NAME:Greta Voss]] by telephone, witnessed by [[NAME:L. Abbott]], RN.
Clinical: end-stage COPD, CHF, comfort measures.
PAD:
1. Emphysema, centrilobular, severe; bilateral apical bullae.
2. Bronchopneumonia, bilateral lower lobes.
3. Cardiomegaly (heart wt 610 g), LV wall 1.8 cm.
4. Coronary atherosclerosis, LAD 80% stenosis.
5. Arterionephrosclerosis.
Body released to [[LOCATION:Keane Funeral Home]], [[LOCATION:Quincy]].
Prosector: [[NAME:D. Mwangi]], MD / Attending: [[NAME:Eleanor Baptiste]], MD
""", ["heart wt 610 g", "LAD 80% stenosis", "centrilobular"]),

    ("pathology_report", """
SURGICAL PATHOLOGY
Acc#: [[ID:S07-4471]]   Collected [[DATE:02-27-2007]]   Received [[DATE:02-28-2007]]
Pt: [[NAME:Castellano, Maria]]   Loc: {{GI clinic}}
Physician: [[NAME:Aronson]] / [[NAME:Pfeiffer]]
Specimen: A) terminal ileum bx  B) random colon bx  C) rectum bx
Clinical: Crohn's disease on Remicade, r/o CMV, r/o active colitis.
DIAGNOSIS:
A) Terminal ileum: chronic active ileitis with architectural distortion and a non-necrotizing granuloma, c/w Crohn's disease.
B) Colon: unremarkable.
C) Rectum: unremarkable.
CMV immunostain negative (controls appropriate).
Outside slides from [[LOCATION:Essex County Gastroenterology]] ([[DATE:2004]]) reviewed; concur.
Pathologist: [[NAME:Sunil Varghese]], MD
""", ["Crohn's disease", "Remicade", "CMV immunostain negative"]),

    ("pathology_report", """
HEMATOPATHOLOGY - BONE MARROW
Case: [[ID:BM07-219]]   Date: [[DATE:Apr 3 2007]]
Patient: [[NAME:Frank Delvecchio]]   DOB [[DATE:1/30/1949]]   MRN [[ID:3390417]]
Clinician: Dr. [[NAME:Ingrid Solberg]] (heme-onc), pager [[PHONE:1587]]
Hx: pancytopenia; WBC 1.9, Hgb 8.4, Plt 41. Pipefitter x 30 yrs at the shipyard in [[LOCATION:Quincy]], ?benzene exposure.
Aspirate: dysplastic megakaryocytes, ring sideroblasts ~20%. Blasts 3%.
Biopsy: cellularity 20-30% (hypocellular for age).
Cytogenetics: del(5q) by FISH; karyotype pending at [[ORGANIZATION:Genzyme Genetics]]. Flow files on [[IP:10.2.118.54]].
Dx: Myelodysplastic syndrome, RCMD-RS, IPSS int-1.
Results d/w Dr. [[NAME:Solberg]] [[DATE:4/5]].
""", ["del(5q)", "IPSS int-1", "Hgb 8.4"]),

    # ------------------------------------------------------------------ psych_consult
    ("psych_consult", """
PSYCHIATRY C/L CONSULT
Date: [[DATE:3/15/07]]   Requesting: Dr. [[NAME:Adeyemi]], MICU
Reason: agitation, ?etoh w/d vs delirium
ID: 49M w/ EtOH dependence, hospital day 4, admitted from [[LOCATION:Harbor Light Shelter]].
HPI: Seen w/ RN [[NAME:Yolanda]]. Pt reports 1 pint vodka/day x 10 yrs, last drink {{tuesday}} [[DATE:3/13]]. Prior detox at [[LOCATION:St. Jude Detox]] ([[LOCATION:Lowell]]) in [[DATE:'06]] and at [[LOCATION:Cape Recovery]] ([[DATE:2004]]). Hx DTs, one w/d seizure [[DATE:2003]]. CIWA peaked 24; ativan 22 mg total past 24h.
MSE: disheveled, tremulous, diaphoretic. Mood "shaky". Visual hallucinations (bugs on wall). Oriented x2. No SI/HI.
Impression: alcohol withdrawal delirium, r/o Wernicke encephalopathy.
Recs: 1. thiamine 500 mg IV TID x 3d 2. cont CIWA, consider phenobarb if escalating 3. avoid Haldol unless severe 4. sitter
Only contact: sister [[NAME:Marie Tibbetts]] in [[LOCATION:Maine]], [[PHONE:207-555-0185]].
[[NAME:Renata Kowalczyk]], MD, psych C/L, pgr [[PHONE:3-2871]]
""", ["Wernicke encephalopathy", "thiamine 500 mg IV TID", "CIWA peaked 24"]),

    ("psych_consult", """
Psychiatry consult note
Pt: 22 yo F, student at [[ORGANIZATION:Fenwick College]]
CC: s/p intentional acetaminophen OD
HPI: pt took ~30 x 500 mg tabs [[DATE:3/13]] approx 2300 after breakup w/ boyfriend ([[NAME:Devon]]). Roommate [[NAME:Kayla]] found her and called 911. Initially seen at [[LOCATION:Charles River Hospital]], transferred here for NAC/liver eval. 4h APAP level 212, NAC 21-hr protocol completed. ALT peaked 340.
Psych hx: MDD, one prior attempt age 16 (cutting). Outpt therapist [[NAME:Ellen Marsh]], LICSW, in [[LOCATION:Allston]].
Family: parents in [[LOCATION:Shanghai]], [[LOCATION:China]]; pt requests they not be contacted.
MSE: flat affect, poor eye contact, endorses passive SI, no current plan.
Impression: MDD, severe, recurrent; high risk.
Plan: 1:1 sitter, section 12 if attempts to leave, inpt psych when medically cleared - bed search incl [[LOCATION:Glenside Pavilion]]. Start sertraline 50 mg.
[[NAME:R. Kowalczyk]], MD  x[[PHONE:4-7710]]
""", ["APAP level 212", "NAC 21-hr protocol", "sertraline 50 mg"]),

    ("psych_consult", """
PSYCH CONSULT - geriatric
Requested by Dr. [[NAME:Pham]] (medicine): capacity re: discharge to facility.
ID: {{88}} y/o widowed F, retired schoolteacher, lives alone in 2-family house on [[LOCATION:Linden St]] in [[LOCATION:Malden]].
HPI: Last seen well by neighbor on the [[DATE:7th]]; adm [[DATE:3/9]] after found by mail carrier, dehydrated, confused. Delirium now cleared (CAM neg x 48h). Pt insists on returning home. Son [[NAME:Richard]] (HCP, lives in [[LOCATION:Boulder]], [[LOCATION:Colorado]]) favors placement near him.
Cognition: MoCA 21/30 (delayed recall, visuospatial). Describes risks/benefits clearly: "i'd rather fall at home than live in a home."
Impression: mild neurocognitive d/o; pt HAS capacity for this decision.
Recs: home w/ services ([[LOCATION:Malden VNA]]), Lifeline, meals on wheels; geri psych f/u {{Thursday}}. D/w son by phone [[PHONE:303-555-0147]].
[[NAME:Abena Owusu]], MD
""", ["MoCA 21/30", "CAM neg x 48h"]),

    ("psych_consult", """
Psych f/u note  [[DATE:3/19]]
Pt followed for catatonia; seen w/ attending: [[NAME:grant]]. 35M, schizoaffective d/o, transferred from [[LOCATION:Fairhaven State Hospital]] on [[DATE:3/11]].
Bush-Francis score today 6 (19 on adm). Lorazepam challenge [[DATE:3/12]] w/ marked response; now ativan 2 mg tid. Eating 75% of meals, speaking in short phrases, asks staff to call him "[[NAME:Junior]]".
Prior clozapine trial [[DATE:2005]] stopped for neutropenia (ANC 900).
Guardian: Atty. [[NAME:Dana Whitcomb]] [[PHONE:(617) 555-0188]]; Rogers order in place.
Plan: cont ativan, hold antipsychotics until catatonia resolves, consider ECT if plateau; ECT service (Dr. [[NAME:Levesque]]) aware.
[[NAME:Abena Owusu]], MD
""", ["Bush-Francis score", "Rogers order", "ANC 900"]),

    ("psych_consult", """
PSYCHIATRY EMERGENCY SERVICE EVALUATION
Date: [[DATE:3/15/07]] 0130
Pt: [[NAME:Boyle, Terrence]] ("[[NAME:TJ]]"), 29M brought by [[LOCATION:Cambridge]] PD from [[LOCATION:CVS on Mass Ave]].
HPI: AH commanding him to "get the cameras out". Stopped Haldol decanoate after last injection around [[DATE:Christmas]]; missed appts at [[LOCATION:Riverside Community Mental Health]]. Lives w/ mother [[NAME:Loretta]] at [[ADDRESS:87 Prospect St, 2nd fl]], [[LOCATION:Cambridge]]. Works part-time at [[ORGANIZATION:Star Market]].
MSE: guarded, internally preoccupied, paranoid; no SI; vague HI toward "the people in the cameras," no target.
Risk: mod-high; poor insight.
Dispo: Section 12b, inpt psych. Bed at [[LOCATION:Glenside Pavilion]] accepted by Dr. [[NAME:Fitzgerald]] ([[PHONE:781-555-0139]]). Transport via [[ORGANIZATION:Metro Ambulance]].
[[NAME:K. Ibarra]], LICSW, PES
""", ["Haldol decanoate", "Section 12b"]),

    ("psych_consult", """
psych c/l note
consult q: depression/capacity in pt refusing dialysis. 61 yo m, esrd on hd at [[LOCATION:harborview dialysis]], refusing hd since [[DATE:3/10]]. pt says "im tired of it, ive been on the machine since [[DATE:'99]]" and hasn't felt right since [[DATE:xmas]]. retired bus driver ([[ORGANIZATION:MBTA]]); wife [[NAME:Gloria]] died {{last fall}}.
phq-9 17. not psychotic, cam neg. understands k will rise and death likely w/in 1-2 wks w/o hd.
imp: adjustment d/o vs mdd; retains capacity.
plan: start citalopram 10 mg, palliative care c/s (dr [[NAME:Sorensen]]), chaplain, family mtg w/ daughters [[NAME:Tasha]] & [[NAME:Monique]] [[DATE:3/16]] 1400 in {{8 North}} conf rm.
- [[NAME:kowalczyk]] pgr [[PHONE:3-2871]]
""", ["phq-9 17", "citalopram 10 mg", "cam neg"]),

    # ------------------------------------------------------------------ nicu_peds
    ("nicu_peds", """
nicu nursing note 0700-1900
baby boy [[NAME:Ferreira]] (twin a), dol 6, cga 31 2/7 wks. born [[DATE:3/8/07]] at [[LOCATION:St. Luke's Hospital]] in [[LOCATION:New Bedford]], transferred here for resp distress. apgars 6/8.
resp: cpap +5 fio2 23-28%. 2 bradys to 70s w/ desat to 80s, self-resolved x1, gentle stim x1. caffeine 5mg/kg daily.
fen: tfi 150cc/kg/d. bm 12ml q3h gavage, tol well, no residuals. wt 1420g (+20).
id: amp/gent d/c'd after 48h r/o, bld cx ngtd.
skin: in isolette, temps 36.8-37.2.
family: mom [[NAME:Luisa]] in for kangaroo care 1100-1300, pumping well. dad [[NAME:Joao]] works nights at fish plant in [[LOCATION:Fairhaven]]. twin b ([[NAME:Mateus]]) in {{pod 3}}.
""", ["apgars 6/8", "caffeine 5mg/kg", "cpap +5"]),

    ("nicu_peds", """
NICU ADMISSION NOTE
Baby Girl [[NAME:Delacroix]]
DOB [[DATE:4/2/2007]] 0347, BW 3210 g, GA 39 1/7 wks by LMP [[DATE:6/25/06]].
Mother: 34 y/o G2P1->2, O+, GBS +, adequately treated (PCN x 3 doses). ROM 19 hrs. Maternal Tmax 38.4.
Delivery: NSVD, thick mec, vigorous, Apgar 8/9.
Reason for admission: r/o sepsis (maternal fever), tachypnea RR 70s.
Exam: AFOF, +red reflex bilat, mild grunting, no murmur, hips stable (Ortolani/Barlow neg).
Plan: CBC/diff, bld cx, amp/gent, CXR.
Pediatrician: [[LOCATION:Mystic Valley Pediatrics]], Dr. [[NAME:Faith Adebayo]]
Parents: [[NAME:Renee]] and [[NAME:Marc Delacroix]], home [[PHONE:781-555-0112]]; given NICU webcam login at [[URL:nicuview.lakeviewgeneral.org]]
Admitting: [[NAME:S. Kaur]], NNP / attending [[NAME:Lindgren]]
""", ["Apgar 8/9", "Ortolani/Barlow neg", "GBS +"]),

    ("nicu_peds", """
PICU PROGRESS NOTE - Hospital Day 3
[[NAME:Diego]], 7 yo M w/ new-onset DKA, transferred from [[LOCATION:Andover Community Hospital]] [[DATE:3/13]].
Overnight: insulin gtt 0.1 u/kg/hr weaned to 0.05 at 0400 when AG closed (12). Neuro checks q1h, GCS 15, no HA, no signs of cerebral edema. Corrected Na 141.
Transitioned to SQ Lantus 8 u + Humalog sliding scale this AM.
Social: lives w/ mom [[NAME:Yesenia]] and abuela in [[LOCATION:Lawrence]]; family primarily Spanish-speaking, interpreter ([[NAME:Raul]]) used. Mom works at [[ORGANIZATION:Market Basket]]; insurance [[ORGANIZATION:Neighborhood Health Plan]], member ID [[ID:NHP22871045]].
Diabetes educator to begin teaching today.
Plan: transfer to floor ({{7 South}}) if BGs stable.
[[NAME:Amanda Pruitt]], MD PGY-2
""", ["Lantus 8 u", "Humalog", "GCS 15"]),

    ("nicu_peds", """
peds floor nsg note 3p-11p
pt [[NAME:lily]], 14 mo f admitted w/ rsv bronchiolitis, day 4 of illness.
resp: hfnc 6L 30%, rr 40s-50s, mild subcostal retractions, sats 94-97%. deep nasal sx at 1600 and 2000 for thick clear secretions. albuterol trial no effect.
fen: d5 1/2ns + 20kcl @ 30ml/hr, po poor (2oz pedialyte). 4 wet diapers.
id: tmax 100.9 at 1800, tylenol 15mg/kg given.
psychosocial: mom [[NAME:Courtney]] at bedside, very anxious; dad deployed w/ army in [[LOCATION:Iraq]]. mom asked us to email updates to him at [[EMAIL:sgt.r.barnes@us.army.mil]] - explained we can't send pt info by email, mom verbalized understanding. grandmother [[NAME:Dottie]] coming from [[LOCATION:Taunton]] to stay overnight.
""", ["hfnc 6L 30%", "rsv bronchiolitis", "tylenol 15mg/kg"]),

    ("nicu_peds", """
NICU DISCHARGE SUMMARY
Infant: Baby Boy A [[NAME:Ferreira]]
DOB: [[DATE:3/8/07]]   D/C date: [[DATE:4/19/07]]   MRN: [[ID:7021466]]
GA at birth 30 1/7 wks, BW 1290 g. DC wt 2240 g, HC 31 cm.
Course: RDS - surfactant x1, CPAP x 10d. AOP - caffeine d/c'd [[DATE:4/9]], no events x 8 days. Hyperbili - phototherapy x 5d, peak 9.8. ROP screen [[DATE:4/12]]: immature zone II, f/u 2 wks w/ Dr. [[NAME:Castellanos]] (ophtho) [[PHONE:508-555-0122]].
Hearing: passed ABR bilat. Hep B vaccine [[DATE:4/17]]. Synagis [[DATE:4/18]].
Car seat test passed (90 min).
F/u: PCP Dr. [[NAME:Beaulieu]], [[LOCATION:Dartmouth]], [[LOCATION:MA]], appt [[DATE:4/21]]; Early Intervention referral ([[LOCATION:New Bedford]]); [[LOCATION:Southcoast VNA]] home visit within 48 h.
Parents [[NAME:Luisa]] & [[NAME:Joao Ferreira]]
""", ["Synagis", "surfactant x1", "passed ABR bilat"]),

    # ------------------------------------------------------------------ hospice_home_health
    ("hospice_home_health", """
HOSPICE RN VISIT NOTE
Date: [[DATE:3/21/07]]   Time in 1030, out 1140
Pt: [[NAME:Kasprzak, Stella]], [[AGE:95]] yo F
Dx: end-stage Alzheimer's disease (FAST 7c).
Setting: pt's home, [[ADDRESS:19 Orchard Lane]], [[LOCATION:Hingham]]; lives w/ daughter [[NAME:Barbara]] (primary CG).
S: daughter reports pt sleeping 20 hrs/day, taking ~3 tsp pudding per meal. One episode of grimacing w/ turning overnight, relieved by Roxanol 5 mg SL.
O: BP 96/58, HR 104 irreg, RR 22 w/ 10-sec apneic periods. Mottling bilat knees. Stage II sacral ulcer 1.5 x 1 cm, duoderm changed.
A: actively transitioning, likely days.
P: Roxanol 5 mg SL q2h prn, add Levsin 0.125 SL for secretions; comfort kit in home. Notified Dr. [[NAME:Halvorsen]] (hospice MD). Daughter knows to call [[LOCATION:Old Colony Hospice]] 24h line [[PHONE:1-800-555-0144]], not 911.
[[NAME:Mary Pat Sullivan]], RN, CHPN
""", ["Alzheimer's disease", "Roxanol 5 mg", "Levsin 0.125"]),

    ("hospice_home_health", """
VNA SKILLED NURSING VISIT
[[LOCATION:Merrimack Valley VNA]]   Visit date [[DATE:02/14/2008]]
78 y/o M s/p CABG x3 [[DATE:1/30/08]] at [[LOCATION:Lakeview General]], d/c home [[DATE:2/6]] to [[ADDRESS:31 Lowell St, Apt 2B]], [[LOCATION:Methuen]].
Homebound: SOB w/ >20 ft, requires assist of 1.
VS: T 98.2 HR 82 NSR BP 118/66 RR 18 SpO2 95% RA. Wt 184 lb (up 3 lb since [[DATE:2/12]] visit).
Sternal incision well approximated, no drainage. L leg EVH site small serous drainage, dsg applied. 1+ pitting edema bilat ankles.
Meds reviewed: metoprolol 25 mg BID, Lasix 40 mg daily, ASA 81, Lipitor 40. Pt confusing Lasix w/ Plavix - pillbox filled by RN. Pharmacy: [[LOCATION:CVS on Main St]], [[PHONE:978-555-0170]].
Called Dr. [[NAME:Nakamura]]'s office (cardiac surg), spoke w/ NP [[NAME:Jo]]: lasix 40 BID x 3 days.
Next visit [[DATE:2/16]].
[[NAME:D. Rourke]], RN
""", ["metoprolol 25 mg BID", "Lasix 40 mg daily", "Plavix"]),

    ("hospice_home_health", """
HOSPICE SOCIAL WORK NOTE   [[DATE:3/23/2007]]
Bereavement call to [[NAME:Barbara Kasprzak]] (daughter) following death of her mother [[NAME:Stella]] at home on [[DATE:3/22]]. Funeral mass at [[LOCATION:St. Paul's]] in [[LOCATION:Hingham]] {{Monday}}, burial at [[LOCATION:Fort Hill Cemetery]]. Her brother [[NAME:Stan]] flying in from [[LOCATION:Krakow]]. Barbara tearful but coping, supported by church group and her husband [[NAME:Will]]. Reports poor sleep, appetite fair. Denies SI.
Provided bereavement packet and info on support group at [[LOCATION:Hingham Public Library]], {{Tuesdays}} 7pm.
Will call again in 2 wks and follow through 13 months per Medicare hospice bereavement benefit.
Contact: cell [[PHONE:781 555 0193]], email [[EMAIL:bkasprzak@verizon.net]]
[[NAME:Noreen Gallagher]], LICSW
""", ["bereavement packet", "13 months"]),

    ("hospice_home_health", """
HOME HEALTH RN VISIT - WOUND CARE
Agency: [[LOCATION:Cape Cod VNA]]   Date: [[DATE:Aug 3, 2006]]
Pt: [[NAME:Pelletier, Eugene]], 69M; summers in [[LOCATION:Wellfleet]], winters in [[LOCATION:Sarasota]] [[LOCATION:FL]].
Dx: DM2, PVD, s/p R TMA [[DATE:7/18/06]] at [[LOCATION:Barnstable County Hospital]].
Wound: R TMA incision 7 cm, 2 sutures w/ dehiscence 1.2 x 0.4 x 0.3 cm, pink granulation, scant serous. No erythema/odor, Wagner grade 1. Dressing: NS cleanse, Aquacel Ag, dry gauze, kerlix.
FSBG 188 (pt reports 140-200 at home). A1c [[DATE:7/06]] 8.9.
Pt asks about driving back to FL in [[DATE:October]]; advised to discuss w/ podiatry, Dr. [[NAME:Antonelli]], at f/u [[DATE:8/10]].
[[NAME:C. Nickerson]], RN
""", ["Aquacel Ag", "Wagner grade 1", "FSBG 188"]),

    ("hospice_home_health", """
HOSPICE ADMISSION SUMMARY
Referral from: Dr. [[NAME:Solberg]] (heme-onc), [[DATE:4/28/07]]
Pt: [[NAME:Frank Delvecchio]], DOB [[DATE:1/30/1949]], Medicare # [[ID:1EG4-TE5-MK72]]
Dx: MDS progressed to AML; declined further tx after 2 cycles Vidaza. Transfusion dependent; pt/wife elect no further transfusions as of [[DATE:4/25]].
Lives w/ wife [[NAME:Connie]] in split-level at [[ADDRESS:230 Sea St]], [[LOCATION:Quincy]]; 1st floor set up, hospital bed delivered by [[ORGANIZATION:Bay State Medical Supply]]. Vietnam veteran, VA clinic in [[LOCATION:Brockton]].
Symptoms: fatigue, gum bleeding, ecchymoses. Pain 2/10. PPS 40%.
DNR/comfort care MOLST signed.
Plan: RN 2x/wk, HHA 3x/wk, chaplain, SW. Comfort kit: morphine 20 mg/ml, lorazepam 0.5 mg, Haldol 0.5 mg.
Son [[NAME:Mark]] in [[LOCATION:Brooklyn]], [[PHONE:(718) 555-0175]].
""", ["Vidaza", "PPS 40%", "MOLST"]),

    ("hospice_home_health", """
VNA TELEHEALTH REVIEW   [[DATE:11/27/07]]
Pt: [[NAME:Ruth Abramowitz]], {{83}} F, ischemic CMP (EF 30%), on telemonitor since d/c from [[LOCATION:brigham]].
Wt trend: [[DATE:11/22]] ([[DATE:Thanksgiving]]) 142 lb -> today 147.4 lb (+5.4). Pt admits to turkey/stuffing/gravy at daughter's in [[LOCATION:Newton]]. Reports 2-pillow orthopnea, mild DOE. SpO2 93%, HR 88, BP 138/76.
Called pt at home [[PHONE:617-555-0105]]; confirms taking torsemide 20 mg daily. Ankles +2.
Paged cardiology NP [[NAME:Leah Dunn]] pgr [[PHONE:2-8841]] -> torsemide 40 mg x 3d, BMP [[DATE:11/29]] by home lab draw.
Monitor [[ID:TH-00417]] (IP [[IP:10.14.22.187]]) not transmitting [[DATE:11/25]]-[[DATE:11/26]]; pt had unplugged it to charge phone. Re-educated.
[[NAME:Priscilla Wong]], RN
""", ["torsemide 20 mg daily", "EF 30%", "2-pillow orthopnea"]),

    # ------------------------------------------------------------------ case_management
    ("case_management", """
CASE MANAGEMENT NOTE  [[DATE:3/19/07]]
Pt [[AGE:92]] yo F admitted [[DATE:3/14]] w/ CHF exacerbation (ICD-9 428.0). Lives alone in [[LOCATION:Revere]]; son [[NAME:Mike Iannuzzi]] (HCP) lives in [[LOCATION:Saugus]].
PT recs STR. Pt agreeable to short-term rehab, prefers [[LOCATION:Heritage Manor]] (her sister is a resident). Referral faxed [[DATE:3/19]] to Heritage Manor admissions ([[NAME:Donna]], ext [[PHONE:104]]); backup referrals to [[LOCATION:Bayview Rehab]] and [[LOCATION:Atlantic Point Skilled Nursing]].
Insurance: Medicare A/B, secondary [[ORGANIZATION:Tufts Health Plan]] Medicare Preferred, ID [[ID:TMP00482217]]. 3-midnight qualifying stay met.
Transport: chair car via [[ORGANIZATION:Metro Ambulance]] once bed offered.
Anticipate d/c [[DATE:3/21]] if bed available.
[[NAME:Deb Mancini]], RN CM  x[[PHONE:5-3318]]
""", ["3-midnight qualifying stay", "ICD-9 428.0", "CHF exacerbation"]),

    ("case_management", """
sw/cm d/c planning note
pt 49 m etoh dependence, homeless ~2 yrs, previously lived in [[LOCATION:lynn]] w/ ex-wife. medically cleared per dr [[NAME:shah]] [[DATE:3/20]]. accepted to [[LOCATION:cape recovery]] (tss bed) for [[DATE:3/21]] 0900 admit; taxi voucher given, pt has 2 bags of belongings w/ security. masshealth id [[ID:100293384712]] verified active. pt agreeable to aa, plans to contact old sponsor "[[NAME:big al]]". pt's phone broken; reach via shelter case worker [[NAME:tonya]] at [[LOCATION:harbor light]] [[PHONE:617-555-0161]]. librium taper to be continued at facility per dr shah.
- [[NAME:kowalski]] lcsw
""", ["etoh dependence", "librium taper"]),

    ("case_management", """
CASE MANAGEMENT - DISCHARGE PLANNING
Date: [[DATE:April 20, 2007]]
Pt: [[NAME:Hope Landry]], 44F, POD 18 after RYGB c/b anastomotic leak, now on TPN via PICC.
Plan: home w/ home infusion ([[ORGANIZATION:Northeast Home Infusion]]) and [[LOCATION:VNA of Greater Lynn]] for PICC care and TPN teaching.
Insurance: [[ORGANIZATION:Harvard Pilgrim]] HMO, TPN auth obtained, ref # [[ID:HP7730218-02]]; HP case mgr [[NAME:Sharon Bettencourt]] [[PHONE:1-888-555-0120]] ext [[PHONE:4417]].
Pt on FMLA from [[ORGANIZATION:Raytheon]]; paperwork faxed to HR [[PHONE:978-555-0150]].
Lives at [[ADDRESS:9 Birch Hill Rd]], [[LOCATION:Lynnfield]]; husband [[NAME:Ray]] to be trained on pump.
First VNA visit [[DATE:4/21]].
[[NAME:Deb Mancini]], RN CM
""", ["TPN via PICC", "RYGB", "POD 18"]),

    ("case_management", """
CM note [[DATE:2/29/08]]
Pt {{86}} yo M s/p fall w/ SDH, nonoperative, now medically stable. Was living w/ wife in senior apartment bldg ([[LOCATION:Carter Towers]], [[LOCATION:Brighton]]); wife cannot manage his care. Daughter [[NAME:Patricia Healey]] ([[LOCATION:Arlington]]) requests LTC.
MassHealth LTC application started (SSN [[ID:031-44-8217]] verified); has [[ORGANIZATION:Blue Cross]] Medex. Referrals to [[LOCATION:st. joseph manor]] and [[LOCATION:Pleasant Hill Nursing]].
Bed offer from st. joseph manor for [[DATE:3/3]]. PASRR level I completed, no MI/MR.
Transport: wheelchair van ([[ORGANIZATION:Liberty Transport]]), pickup 1100.
HCP form in chart; copy faxed to daughter's office [[PHONE:781.555.0107]].
[[NAME:J. Okafor]], LICSW
""", ["SDH", "PASRR level I"]),

    ("case_management", """
DISCHARGE PLANNING  [[DATE:03-22-2007]]
pt: 72M COPD s/p prolonged intubation, trach/PEG [[DATE:3/20]]. on trach mask 40%, PMV trials w/ speech.
plan: LTACH. referrals to [[LOCATION:Whittier Ridge LTACH]] and [[LOCATION:Lakeshore Specialty Hospital]]; Whittier Ridge accepted pending ins auth.
ins: [[ORGANIZATION:BCBS of MA]], ID [[ID:XJG448812201]]. auth submitted to [[NAME:Arlene]] in utilization review [[PHONE:800-555-0186]], clinicals faxed to [[PHONE:617-555-0100]].
wife [[NAME:Mary Ellen]] prefers a facility closer to home in [[LOCATION:Fall River]]; [[LOCATION:Whittier Ridge]] ~40 min away, acceptable to her. portuguese interpreter used for mtg.
transport via ALS ambulance ([[ORGANIZATION:Metro Ambulance]]) once auth'd, est [[DATE:3/23]].
- [[NAME:Deb Mancini]] RN CM
""", ["trach mask 40%", "PMV trials", "plan: LTACH"]),

    ("case_management", """
utilization review / cm note  [[DATE:1/4/2008]]
pt 38 yo f visiting from [[LOCATION:Canada]] ([[LOCATION:Halifax]], [[LOCATION:Nova Scotia]]), admitted [[DATE:12/31]] w/ ruptured appy, s/p lap appy, iv abx complete. no US insurance; has provincial coverage (MSI # [[ID:0012 345 678]]) + travel policy via [[ORGANIZATION:Medavie]], policy # [[ID:TRV-7781245]]. international pt office ([[NAME:Claudette]]) coordinating direct billing, fax [[PHONE:+1 902 555 0148]]. pt staying w/ cousin in [[LOCATION:jamaica plain]] until flight home [[DATE:1/6]] from [[LOCATION:logan]]. cleared to fly per surgery (dr [[NAME:raman]]). augmentin x 5 more days, rx filled.
- [[NAME:k. ibarra]], lcsw
""", ["lap appy", "augmentin x 5 more days"]),

    # ------------------------------------------------------------------ cardiology_clinic_letter
    ("cardiology_clinic_letter", """
[[DATE:April 18, 2007]]

[[NAME:Harold Feldman]], MD
[[ADDRESS:400 Washington St, Suite 210]]
[[LOCATION:Braintree]], [[LOCATION:MA]]

Re: [[NAME:Raymond Doucette]]   DOB: [[DATE:06/03/1948]]

Dear [[NAME:Harold]],
I saw [[NAME:Ray]] in follow-up today, 5 weeks after his inferior STEMI treated with a drug-eluting stent to the RCA on [[DATE:3/14/07]]. He is back at work as a lineman for [[ORGANIZATION:NSTAR]] and is completing cardiac rehab. No angina, NYHA class I. He has stopped smoking.
Exam: BP 124/76, HR 62. JVP normal. RRR, no murmur. Groin site healed.
Echo [[DATE:4/10]]: EF 50%, inferobasal hypokinesis, mild MR. ECG: sinus, Q waves III/aVF.
Plan: continue ASA 81 mg, Plavix 75 mg (uninterrupted through at least [[DATE:March 2008]]), metoprolol succinate 50 mg, lisinopril 10 mg, atorvastatin 80 mg. LDL 71. Return in 3 months.
Sincerely,
[[NAME:Rafael Sandoval]], MD
""", ["Plavix 75 mg", "NYHA class I", "Q waves III/aVF"]),

    ("cardiology_clinic_letter", """
Heart Failure Clinic   [[DATE:11/30/07]]
Dear Dr. [[NAME:Goldfarb]]:
Mrs. [[NAME:Abramowitz]] returns to clinic after weight gain following [[DATE:Thanksgiving]], managed by our telehealth team with a brief torsemide increase. She is {{83}}, with ischemic cardiomyopathy, EF 30%, ICD (Medtronic) placed [[DATE:2005]]. Interrogation today: no shocks, 2 episodes NSVT, 0% RV pacing, lead impedances normal. Remote transmissions reviewed at [[URL:https://carelink.mdtportal.example.com/clinic/2291]].
Exam: wt 143 lb (dry wt 142), JVP 8 cm, no edema. BNP 412.
She is staying with her daughter in [[LOCATION:Newton]] for the winter and returns to her condo in [[LOCATION:Delray Beach]], [[LOCATION:Florida]] {{in the spring}}; we will coordinate with Dr. [[NAME:Ostrowski]] there.
Plan: torsemide 20 mg daily, carvedilol 12.5 BID, spironolactone 25, lisinopril 5. 2 g Na diet.
Sincerely,
[[NAME:Leah Dunn]], NP / [[NAME:Avi Mehta]], MD
""", ["ICD (Medtronic)", "carvedilol 12.5 BID", "BNP 412"]),

    ("cardiology_clinic_letter", """
[[DATE:9 May 2007]]
Re: [[NAME:Nuala Brennan]], age 54
Dear Dr. [[NAME:O'Donoghue]],
Thank you for asking me to see this pleasant woman, seen here while visiting family in [[LOCATION:Dorchester]], for palpitations. Holter [[DATE:5/2]]-[[DATE:5/3]] showed paroxysmal AF, burden 8%, longest episode 3h 12m. CHADS2 score 1 (HTN). TSH 1.2. Echo normal, LA 3.9 cm.
I started diltiazem CD 120 mg daily; we discussed Coumadin vs aspirin and she chose ASA 325 for now, to revisit at home.
She flies home to [[LOCATION:Ireland]] on [[DATE:5/20]] with copies of the Holter and echo on CD. Please contact me at [[PHONE:+1 617 555 0192]] or [[EMAIL:a.mehta@lakeviewgeneral.org]].
Yours sincerely,
[[NAME:Avi Mehta]], MD FACC
[[LOCATION:Lakeview General Hospital]], {{Division of Cardiology}}
""", ["CHADS2 score 1", "diltiazem CD 120 mg", "Coumadin"]),

    ("cardiology_clinic_letter", """
CARDIOLOGY CONSULTATION - OUTPATIENT
Date of visit: [[DATE:10/02/2006]]
Referring: [[NAME:Will Fortunato]], MD ([[LOCATION:Lynn]])
Patient: [[NAME:Kimball, Arthur]]   MRN [[ID:00812276]]
Reason: syncope x2.
HPI: 71M, retired letter carrier ([[ORGANIZATION:USPS]]), two episodes of syncope - first at church {{Sunday}} [[DATE:9/24]], second while golfing at [[LOCATION:Kelley Greens]] in [[LOCATION:Nahant]] on [[DATE:9/29]]. No prodrome. Wife [[NAME:Bev]] witnessed the second: "he went down like a tree," ~20 sec, no seizure activity.
Meds: Hytrin 2 mg (BPH), HCTZ 25.
ECG: sinus brady 48, 1st deg AVB PR 260, RBBB + LAFB (bifascicular block).
Impression: syncope, likely intermittent high-grade AV block.
Plan: admit to telemetry, EP eval for pacemaker; Dr. [[NAME:Bhattacharya]] (EP) aware. No driving. Spoke with daughter [[NAME:Joanne]] at [[PHONE:781-555-0183]].
[[NAME:Avi Mehta]], MD
""", ["Hytrin 2 mg", "bifascicular block", "PR 260"]),

    ("cardiology_clinic_letter", """
[[LOCATION:Lakeview General Hospital]] - {{Adult Congenital Heart Clinic}}
[[DATE:July 11, 2006]]
To: [[NAME:Naomi Whitfield]], MD, OB-GYN, [[LOCATION:Cambridge]]
Re: [[NAME:Marisol Rivera-Quinones]]   DOB [[DATE:2/14/1979]]   unit # [[ID:4120098]]
Dear [[NAME:Naomi]],
Ms. [[NAME:Rivera-Quinones]], 27 and now 14 weeks pregnant (LMP [[DATE:4/4/06]]), has repaired tetralogy of Fallot (surgery at age 2 in [[LOCATION:San Juan]], [[LOCATION:Puerto Rico]]). She is asymptomatic, NYHA I. MRI [[DATE:2005]]: RV EDVI 140 mL/m2, free PR. Echo today: moderate-severe PR, RV mildly dilated, RVSP 32.
Plan: serial echo at 24 and 32 wks; delivery at our center; vaginal delivery with early epidural is reasonable. Pulmonary valve replacement to be considered postpartum.
Please call with questions (pager [[PHONE:617-555-0137]], beeper [[PHONE:4682]]).
Best,
[[NAME:Ines Albuquerque]], MD
""", ["tetralogy of Fallot", "RVSP 32", "NYHA I"]),

    # ------------------------------------------------------------------ pt_ot_note
    ("pt_ot_note", """
PT EVALUATION  [[DATE:3/18/07]]
Pt: [[NAME:Iannuzzi, Carmela]], age [[AGE:92]], adm [[DATE:3/14]] w/ CHF exacerbation.
PLOF: I w/ rolling walker in 1st floor apt in [[LOCATION:Revere]], 3 STE w/ L rail. Son [[NAME:Mike]] does groceries; neighbor [[NAME:Sal]] checks in daily.
Subj: "my legs are like jelly."
Obj: A&Ox3, HOH. BLE strength 4-/5 hips, 4/5 knees. Bed mobility min A. Sit<>stand mod A x1 w/ RW, posterior lean. Gait 25 ft w/ RW, min A, SpO2 91% on 2L, HR 102. Tinetti 11/28 (high fall risk).
Assessment: decline from PLOF 2/2 deconditioning; high fall risk.
Plan: rec STR at d/c (pt requests [[LOCATION:Heritage Manor]]). PT 5x/wk while inpatient.
[[NAME:Jenna Morrissey]], PT, DPT   pgr [[PHONE:2-6650]]
""", ["Tinetti 11/28", "4-/5", "Gait 25 ft w/ RW"]),

    ("pt_ot_note", """
OT EVAL  [[DATE:3-20-07]]
Pt 63F s/p R MCA CVA [[DATE:3/16]] w/ L hemiparesis and L neglect; tPA given at [[LOCATION:Hopedale Community Hospital]] before transfer.
PLOF: I w/ all ADLs, bank teller at [[ORGANIZATION:Citizens Bank]] in [[LOCATION:Milford]], drives, R hand dominant.
Cog: A&Ox3, impulsive, impaired safety awareness. Line bisection test w/ R deviation.
UE: LUE Brunnstrom stage 2, trace shoulder shrug, flaccid hand. RUE WFL.
ADLs: grooming min A (misses L side of face), UB dressing mod A, LB dressing max A, toilet transfer mod A x2.
Rec: acute inpatient rehab - referral to [[LOCATION:Fairlawn Rehab]] (pt and husband [[NAME:Doug]] prefer, close to home in [[LOCATION:Hopkinton]]). Husband's work # [[PHONE:508-555-0131]].
[[NAME:A. Castillo]], OTR/L
""", ["Brunnstrom stage 2", "tPA", "Line bisection test"]),

    ("pt_ot_note", """
pt tx note - icu
pt seen in sicu {{bed 6}} for early mobility per protocol. dx: s/p ex lap/splenectomy, c3-c4 fx in miami j collar, 24 yo m.
rn [[NAME:dana]] cleared pt; propofol off since 0800, extubated [[DATE:3/19]], 4L nc. rass 0.
supine>sit w/ mod a x2 maintaining spinal precautions, sat eob 8 min, c/o dizziness, bp 118/70 -> 96/58 (orthostatic), returned supine. chair position in bed x 30 min.
pt asking when he can go back to work ([[ORGANIZATION:Stop & Shop]]) and see his dog. mother [[NAME:hope]] present, educated on log roll and collar care.
plan: daily, progress to standing at eob. goal d/c to [[LOCATION:spaulding]] or rehab near home in [[LOCATION:brattleboro]] [[LOCATION:vt]].
- [[NAME:j. morrissey]] pt
""", ["miami j", "rass 0", "c3-c4 fx"]),

    ("pt_ot_note", """
PHYSICAL THERAPY - OUTPATIENT PROGRESS NOTE
[[LOCATION:Chelmsford Sports & Spine]]   Visit 8 of 12   Date: [[DATE:Oct 17, 2007]]
Pt: [[NAME:Rhoades, Dusty]], 41M s/p L ACL reconstruction (BTB autograft) [[DATE:8/22/07]] by Dr. [[NAME:Lucchesi]].
S: 2/10 pain after playing with kids; back on light duty at the [[ORGANIZATION:UPS]] hub in [[LOCATION:Chelmsford]]. Wife [[NAME:Tammy]] present.
O: AROM knee 0-128. Quad lag 0. Lachman 1A (firm endpoint). Single leg hop 78% of uninvolved. Y-balance anterior reach deficit 6 cm.
A: progressing well.
P: cont 2x/wk x 2 wks, begin agility/plyo per ACL protocol phase 4. HEP updated; videos at [[URL:www.kneerehabvideos.example.com/acl/phase4]]. RTW form to employer fax [[PHONE:978-555-0114]].
Next appt {{Thursday}} [[DATE:10/19]].
[[NAME:Brendan Shea]], PT, DPT, SCS
""", ["Lachman 1A", "BTB autograft", "AROM knee 0-128"]),
]

MARK = re.compile(r"\[\[([A-Z]+):(.*?)\]\]|\{\{(.*?)\}\}", re.S)


def parse(marked):
    out, phi, deb, pos = [], [], [], 0
    for m in MARK.finditer(marked):
        out.append(marked[pos:m.start()])
        cur = sum(len(s) for s in out)
        if m.group(1) is not None:
            typ, span = m.group(1), m.group(2)
            assert typ in TYPES, typ
            out.append(span)
            phi.append({"start": cur, "end": cur + len(span), "type": typ})
        else:
            span = m.group(3)
            out.append(span)
            deb.append({"start": cur, "end": cur + len(span)})
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    assert "[[" not in text and "]]" not in text and "{{" not in text and "}}" not in text, text
    return text, phi, deb


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "deid_probe2.jsonl")
    records, type_counts, style_counts = [], Counter(), Counter()
    for i, (style, marked, keep) in enumerate(NOTES, 1):
        text, phi, deb = parse(marked.strip("\n"))
        rid = "p2-%03d" % i
        spans = sorted([(s["start"], s["end"]) for s in phi + deb])
        for s in phi + deb:
            frag = text[s["start"]:s["end"]]
            assert frag and frag == frag.strip(), (rid, frag)
        for (a1, b1), (a2, b2) in zip(spans, spans[1:]):
            assert b1 <= a2, (rid, text[a1:b1], text[a2:b2])
        for k in keep:
            assert k in text, (rid, k)
            start = 0
            while (j := text.find(k, start)) != -1:
                for s in phi:
                    assert s["end"] <= j or s["start"] >= j + len(k), (rid, k)
                start = j + 1
        nwords = len(text.split())
        if not 70 <= nwords <= 190:
            print("warning: %s has %d words" % (rid, nwords))
        type_counts.update(s["type"] for s in phi)
        style_counts[style] += 1
        records.append({"id": rid, "style": style, "text": text, "phi": phi,
                        "debatable": deb, "keep": keep})
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("wrote %d notes to %s" % (len(records), path))
    print("phi per type:", dict(type_counts.most_common()), "total", sum(type_counts.values()))
    print("debatable:", sum(len(r["debatable"]) for r in records))
    print("keep terms:", sum(len(r["keep"]) for r in records))
    print("notes per style:", dict(style_counts))


if __name__ == "__main__":
    main()
