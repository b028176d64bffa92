"""Words that mark a person or a place beside them, shared by the name and place rules."""

from __future__ import annotations

TITLES = frozenset({"dr", "drs", "doctor", "mr", "mrs", "ms", "miss", "mister", "madam", "prof"})
# Roles that precede a name in notes ("NP Janice", "RN Smith", "attending dr x").
ROLES = frozenset({"np", "rn", "pa", "md", "attending", "resident", "fellow", "intern", "nurse", "midwife",
                   "pharmacist", "interpreter", "physio", "therapist", "hca", "lpn", "cna", "practitioner",
                   "chaplain", "dietitian", "dietician", "nutritionist"})
# Post-nominal credentials ("Venkataraman, MD", "Qureshi, PharmD"): never a name and never a place
# (no "MD" for Maryland after a surname).
CREDENTIAL_WORDS = frozenset(
    """md do rn np pa pharmd mbbs mbchb frcp mrcp frcs mrcs frcr phd dnp crna cnm aprn fnp lpn
    bsn msw lcsw licsw rrt str spr rgn facp facc facs nnp otr cde ccrn slp""".split()
)
HOSPITAL_WORDS = frozenset(
    """hospital hosp hospitals medical med memorial rehab rehabilitation clinic infirmary
    manor healthcare sanitarium hospice center centre campus pavilion pediatrics paediatrics
    detox vna ltach shelter""".split()
)  # not "dialysis": notes capitalise the treatment after words no list explains ("Hemo Dialysis")
# Facility heads of two words, by their first: "Mercy Medical Center", "Brightview nursing home",
# "Oakmont assisted living", "Carrollton retirement community".
TWO_WORD_HEADS = {
    "medical": frozenset({"center", "ctr", "centre"}), "med": frozenset({"center", "ctr", "centre"}),
    "nursing": frozenset({"home", "facility"}), "assisted": frozenset({"living"}),
    "retirement": frozenset({"community", "home", "village"}),
    "funeral": frozenset({"home"}), "skilled": frozenset({"nursing"}), "mental": frozenset({"health"}),
}
