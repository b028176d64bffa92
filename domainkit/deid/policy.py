"""What a pack asks de-identification to do. Plain data: configs name things."""

from __future__ import annotations

from dataclasses import dataclass

#: Every placeholder type de-identification can emit, as ``[TYPE]`` in text.
PHI_TYPES: tuple[str, ...] = (
    "NAME",
    "DATE",
    "AGE",
    "PHONE",
    "EMAIL",
    "URL",
    "IP",
    "ID",
    "ADDRESS",
    "LOCATION",
)


@dataclass(frozen=True)
class DeidPolicy:
    """De-identification settings a pack declares and a run records.

    ``enabled``: run the de-identification stage before anything derived is
    written. ``use_ner``: add spaCy NER to the rules and patterns.
    ``types``: placeholder types to redact. ``keep_terms``: extra terms
    (eponyms, drug names) that must survive redaction. ``tagger``: folder of
    a PHI token classifier trained on your own annotated notes, whose spans
    are added to the rules' (see :mod:`domainkit.deid.tagger`); empty = none.
    ``tagger_min_confidence``: drop tagger spans less sure than this (0-1;
    raise it for precision, after checking recall on your own annotated notes).
    ``tagger_filter``: add only the tagger spans that widen a span the rules
    found or look like the identifier they claim (see
    :mod:`domainkit.deid.tagger_filter`); off = every tagger span is added.
    ``keep_jurisdictions``: keep the place right after "laws of", "courts of" or
    "jurisdiction of" (a contract's governing law or forum identifies no one;
    see :mod:`domainkit.deid.keep_rules`); for legal text, off for clinical text.
    ``keep_defined_terms``: keep a capitalised everyday word where the rules would take it for a
    place ("provided to Customer", "in Subsection 3", "to Reproduce"): legal drafting capitalises
    its defined terms; for legal text, off for clinical text, where "from Harbor" names a hospital.
    """

    enabled: bool = True
    use_ner: bool = True
    types: tuple[str, ...] = PHI_TYPES
    keep_terms: tuple[str, ...] = ()
    tagger: str = ""
    tagger_min_confidence: float = 0.0
    tagger_filter: bool = True
    keep_jurisdictions: bool = False
    keep_defined_terms: bool = False

    def __post_init__(self) -> None:
        if not 0.0 <= self.tagger_min_confidence <= 1.0:
            raise ValueError(f"tagger_min_confidence must be between 0 and 1; found {self.tagger_min_confidence!r}")
        unknown = sorted(set(self.types) - set(PHI_TYPES))
        if unknown:
            raise ValueError(
                f"unknown PHI type(s) {unknown}; available: {', '.join(PHI_TYPES)}"
            )


#: Policy for packs whose sources hold no personal data (still available on demand).
DEID_OFF = DeidPolicy(enabled=False)
