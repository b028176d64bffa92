"""Rule-based detection of places: hospitals and other facilities, wards, towns, states, countries.

``PlaceRules`` is the place half of ``names.NameFinder`` (which inherits it): places are found
after names, in the same tokens, so a word already read as a name is never a place. The methods
rely on what ``NameFinder`` provides: ``self.lex`` (the word lists) and its word tests
``_misspelling``, ``_namelike`` and ``_first_name``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from domainkit.deid.cue_words import CREDENTIAL_WORDS, HOSPITAL_WORDS, ROLES, TITLES, TWO_WORD_HEADS
from domainkit.deid.lexicon import STOP_WORDS, US_STATE_NAMES, US_STATES
from domainkit.deid.spans import PhiSpan
from domainkit.deid.tokens import Token, joined

_HOSPITAL_BLOCK = frozenset(
    """the a an this that outside other another local community general medical city county
    state university va nursing his her their our to from at in of for and or ccu icu micu
    sicu ed er ew osh floor acute subacute inpatient outpatient cardiac pulmonary physical
    short long term day rehab home new old previous prior same""".split()
)
# Nouns that say what kind of hospital one is, not which: "army hospital", "children's hospital".
_HOSPITAL_KINDS = frozenset(
    """army navy field cottage women womens children childrens veterans teaching psychiatric
    mental private public district regional base maternity opioid opiate alcohol drug substance
    developmental neurodevelopmental adolescent pediatric paediatric adult behavioral behavioural""".split()
)
_PLACE_CUE = frozenset({"in", "from", "to", "at", "near", "of", "lives", "live", "living", "resides"})
_PREPOSITIONS = frozenset({"to", "from", "at", "in"})
_TRANSFER_VERBS = frozenset({"transfer", "transferred", "transfering", "transferring", "xfer", "moved", "move", "sent", "going", "go", "admitted", "returned", "return"})
_RESIDENCE_CUE = re.compile(r"\b(?:lives|living|resides|residing|resident)\b[^.;\n]{0,24}\b(?:in|at)\s+$", re.I)
_COMPASS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western"})
_REGION_NOUNS = frozenset({"shore", "coast"})
# Capitalised words after "to"/"at"/"in" that name no place: directions, departments, rooms.
_NOT_PLACES = frozenset(
    """left right upper lower north south east west pharmacy respiratory radiology nursing surgery
    medicine cardiology neurology oncology nephrology psychiatry social work physical therapy
    rehab room bed chair floor unit home the this that these those his her their my our
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday english spanish""".split()
)
# A code must end the phrase (punctuation, a line end or a ZIP code after it): "CT", "PA", "MS"
# and "OR" are clinical abbreviations too ("from Lakeside Hospital CT showed ...").
_STATE_AFTER = re.compile(
    r"(?:, | )(?:(?P<code>" + "|".join(US_STATES) + r")(?=\s*(?:[.,;:)\n]|$|\d{5}))"
    r"|(?P<name>(?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+)\b(?!-|'s))"
)
_WARD_NUMBER = re.compile(r" \d{1,2}(?!\d|\.\d|\s*(?:mg|mcg|units?|u\b|cc|ml|%|l\b|mm|cm|x\b))", re.I)
_ACRONYM_CUE = frozenset({"to", "at", "from", "in", "via", "the", "by", "of"})
_UNIT_WORDS = frozenset({"micu", "ccu", "icu", "sicu", "csru", "ew", "er", "ed", "cath", "floor"})
_UNIT_ALTERNATIVES = "|".join(sorted(_UNIT_WORDS))
_SLASH_WARD = re.compile(
    rf"\b(?:{_UNIT_ALTERNATIVES})/(?P<a>[A-Za-z]{{4,}})\b|(?<![\w/])(?P<b>[A-Za-z]{{4,}})/(?:{_UNIT_ALTERNATIVES})\b",
    re.I,
)
_CITY_STATE = re.compile(r"\b([A-Z][A-Za-z]+),\s+([A-Z]{2})\b")


def states_after_places(text: str, spans: list[PhiSpan]) -> list[PhiSpan]:
    """A state right after a place found here is part of it: "Boulder, Colorado", "Naples FL".

    A state alone identifies nobody (HIPAA Safe Harbor keeps it), but after a town it narrows the
    town down. Codes count in capitals only ("ma" is a word too); names in title case.
    """
    extra = []
    for span in spans:
        if span.type != "LOCATION":
            continue
        match = _STATE_AFTER.match(text, span.end)
        if match is None:
            continue
        if match.lastgroup == "code" or match.group("name").lower() in US_STATE_NAMES:
            extra.append(PhiSpan(match.start(match.lastgroup), match.end(), "LOCATION"))
    return extra


def _two_word_head(tokens: list[Token], i: int) -> bool:
    """Tokens i and i + 1 are a facility head of two words: "Medical Center", "nursing home"."""
    low = tokens[i].low
    return low in TWO_WORD_HEADS and i + 1 < len(tokens) and tokens[i + 1].low in TWO_WORD_HEADS[low]


def _proper(tok: Token) -> bool:
    """Capitalised like a proper noun: "Lakeside", "Mary's" (not "LAKESIDE" or "lakeside")."""
    return tok.text[0].isupper() and tok.text[1:].replace("'", "").islower()


class PlaceRules:
    """The place rules of ``NameFinder`` (a mixin: see the module's docstring)."""

    def _find_places(self, text, tokens, places, names, is_protected, mode) -> None:
        lex = self.lex
        free = [not (is_protected[i] or names[i]) for i in range(len(tokens))]

        def capitalised(tok: Token) -> bool:
            return mode != "mixed" or not tok.text.islower()

        for i, tok in enumerate(tokens):
            if not free[i]:
                continue
            low = tok.low
            prev = tokens[i - 1].low if i > 0 else ""
            nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
            joined_next = i + 1 < len(tokens) and joined(text, tok, tokens[i + 1])
            # "Beaumont Hospital", "Good Samaritan Hospital", "Tacoma Rehab": name and facility word.
            if joined_next and self._is_facility(tokens, i + 1) and self._facility_word(tok, nxt, mode):
                places[i] = places[i + 1] = True
                if _two_word_head(tokens, i + 1):
                    places[i + 2] = True  # the head's second word: "Brightview nursing home"
                if i > 0 and free[i - 1] and joined(text, tokens[i - 1], tok) and self._facility_word(tokens[i - 1], nxt, mode):
                    places[i - 1] = True
                elif (i > 0 and free[i - 1] and tokens[i - 1].low == "st" and joined(text, tokens[i - 1], tok)
                      and not self.lex.is_common(low)):
                    places[i - 1] = True  # the saint of "st. jude detox", "St Joseph Hospital"
                continue
            # "St. Mary's", "St Brigid"; in lower case only with the dot and a first name: "st. jude detox"
            if prev == "st" and i > 0:
                saint = tokens[i - 1].text
                gap_text = text[tokens[i - 1].end : tok.start]
                upper = capitalised(tok) and (self._namelike(tok, mode) or self._first_name(low))
                # without the dot only after "at" or "from": "was at st agnes"; "nsr to st mary at bedside"
                # and "hr 110s st mary" are sinus tachycardia
                place_cue = i > 1 and tokens[i - 2].low in {"at", "from"}
                lower = (saint == "st" and (gap_text == ". " or (gap_text == " " and place_cue))
                         and low in lex.first_names and not lex.is_common(low))
                if ((saint == "St" and gap_text in (". ", " ")) or (saint == "ST" and gap_text == ". ")) and upper or lower:
                    places[i - 1] = places[i] = True
                    if joined_next and tokens[i + 1].low in HOSPITAL_WORDS:
                        places[i + 1] = True  # "st. joseph manor"
                    continue
            if low in lex.places and len(low) >= 4 and not lex.is_keep(low) and capitalised(tok):
                cue = prev in _PLACE_CUE or nxt in HOSPITAL_WORDS
                unknown = len(low) >= 5 and not lex.is_english(low) and not self._misspelling(low)
                if (cue and not lex.is_common(low)) or unknown:
                    places[i] = True
                    if prev in {"u", "univ", "university"}:
                        places[i - 1] = True
                    continue
            if (
                i > 0
                and tokens[i - 1].text in {"U", "Univ", "UNIV"}
                and lex.is_place(low)
                and not lex.is_keep(low)
                and text[tok.start - 1] == " "
            ):
                places[i - 1] = places[i] = True  # "U Maryland"
                continue
            # Hospital initials after a movement word: "sent to GH", "seen by MGH".
            if prev in _ACRONYM_CUE and 2 <= len(low) <= 5 and low.endswith(("h", "mc", "hc")):
                if not lex.is_english(low) and low not in lex.clinical and (tok.text.isupper() or (mode == "lower" and len(low) <= 3)):
                    places[i] = True
                    continue
            if mode == "mixed" and tok.text.islower() and self._residence(text, tok):
                places[i] = True  # "lives in glenford": a town in lower case after "lives in"
                continue
            if self._ward_name(text, tokens, i, mode):
                places[i] = True
                continue
            # "the North Shore", "west coast": a region named by a compass word.
            if low in _COMPASS and nxt in _REGION_NOUNS and joined_next and free[i + 1]:
                places[i] = places[i + 1] = True
                continue
            # "lives in DC": a state code after "lives in", in mixed-case text.
            before = text[max(0, tok.start - 12) : tok.start].lower()
            if mode == "mixed" and tok.text in US_STATES and re.search(r"\b(?:lives|living|resides) in $", before):
                places[i] = True
        self._multiword_places(text, tokens, places, free, mode)
        if mode == "mixed":
            self._after_preposition(text, tokens, places, names, free)

    def _residence(self, text: str, tok: Token) -> bool:
        """A listed town, or a word no dictionary explains, right after "lives/resides ... in"."""
        if not _RESIDENCE_CUE.search(text[max(0, tok.start - 40) : tok.start]):
            return False
        low, lex = tok.low, self.lex
        if len(low) < 4 or lex.is_plain(low):
            return False
        return (low in lex.places and not lex.is_common(low)) or (not lex.is_english(low) and not self._misspelling(low))

    def _ward_name(self, text: str, tokens: list[Token], i: int, mode: str) -> bool:
        """A ward or building named like a person or place: "Okafor MICU", "Brandt 2".

        Cues: a unit word after it, or "to"/"from" and a floor number after it (slash-joined
        wards, "MICU/Brandt", are found by ``_slash_wards``). Lower-case words in mixed-case text count only
        after a transfer verb ("transfer to brandt 2"), where a typo ("is to recieve 2 units") cannot be.
        """
        tok, lex = tokens[i], self.lex
        low = tok.low
        if len(low) < 4 or lex.is_english(low) or lex.is_keep(low):
            return False
        prev = tokens[i - 1] if i > 0 else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        lowered = mode == "mixed" and tok.text.islower()
        if nxt is not None and nxt.low in _UNIT_WORDS and not lowered and joined(text, tok, nxt):
            return True
        if prev is None or prev.low not in {"to", "from", "on", "plan"} or not _WARD_NUMBER.match(text, tok.end):
            return False
        if self._misspelling(low):
            return False  # "is to recieve 2 units": a typo before a number
        return not lowered or (i > 1 and tokens[i - 2].low in _TRANSFER_VERBS)

    @staticmethod
    def _is_facility(tokens: list[Token], i: int) -> bool:
        """Token i is "Hospital", "Rehab", ... or starts a two-word head ("Medical Center", "nursing home")."""
        low = tokens[i].low
        if low in TWO_WORD_HEADS:  # "medical" alone is an adjective: "supportive medical care"
            return _two_word_head(tokens, i)
        return low in HOSPITAL_WORDS

    def _facility_word(self, tok: Token, facility: str, mode: str) -> bool:
        """Could ``tok`` be (part of) the name of a hospital, rehab or clinic before ``facility``?"""
        low = tok.low
        if low in _HOSPITAL_BLOCK or low in _HOSPITAL_KINDS or low in STOP_WORDS or len(low) < 2:
            return False
        if mode == "mixed" and tok.text.isupper() and low not in _UNIT_WORDS and facility in {"hospital", "hosp", "medical"}:
            return True  # initials before "Hospital" in mixed case: "XYZ Hospital" (not "GI Clinic")
        if low in self.lex.clinical:
            return False
        if mode == "mixed" and tok.text.islower():
            # "from kestrel hospital": lower case counts only for a word no dictionary explains, or
            # a noun with no everyday use before "hospital" ("at samaritan hospital").
            lex = self.lex
            if facility not in {"hospital", "hosp", "rehab", *TWO_WORD_HEADS}:
                return False
            if not lex.is_english(low):
                return not self._misspelling(low)
            return facility in {"hospital", "hosp"} and not lex.is_common(low) and low not in lex.first_names
        if not self.lex.is_common(low):
            return True
        # A common word names a hospital only before "hospital"-like words: "Union Hosp", "Good Samaritan".
        return facility in {"hospital", "hosp", "memorial", "medical", "campus"}

    def _after_preposition(self, text, tokens, places, names, free) -> None:
        """In mixed-case text, capitalised words after "to", "from", "at", "in" mid-sentence.

        "went to Lakeside", "transplant at Good Samaritan", "lives in Tacoma": a capitalised word there
        that is no clinical word, title or direction names a place (or, for a first name, a person).
        """
        lex = self.lex
        for i in range(1, len(tokens)):
            tok = tokens[i]
            prev = tokens[i - 1]
            if prev.text not in _PREPOSITIONS or not free[i] or not _proper(tok):
                continue
            if text[prev.end : tok.start] != " " or not self._place_word(tok.low) or self.defined_term(tok.low):
                continue
            run = [i]
            while run[-1] + 1 < len(tokens) and len(run) < 3:
                k = run[-1] + 1
                if not (free[k] and _proper(tokens[k]) and joined(text, tokens[k - 1], tokens[k])):
                    break
                if (not self._place_word(tokens[k].low) and tokens[k].low not in HOSPITAL_WORDS) or self.defined_term(tokens[k].low):
                    break
                run.append(k)
            if len(run) == 1 and i + 1 < len(tokens) and joined(text, tok, tokens[i + 1]):
                following = tokens[i + 1].low
                if following in lex.clinical and following not in _UNIT_WORDS and lex.is_english(tok.low):
                    continue  # a word qualifying a clinical noun: "weaned to Warm Neb"
            person = len(run) == 1 and tok.low in lex.first_names and tok.low not in lex.places
            for k in run:
                (names if person else places)[k] = True
                free[k] = False

    def _place_word(self, low: str) -> bool:
        lex = self.lex
        return not (
            len(low) < 3
            or low in STOP_WORDS
            or low in TITLES
            or low in ROLES
            or low in lex.clinical
            or lex.is_keep(low)
            or lex.near_keep(low)
            or low in _NOT_PLACES
            or (len(low) >= 6 and low.endswith("ly") and lex.is_english(low[:-2]))  # "Nasally"
        )

    def _multiword_places(self, text, tokens, places, free, mode) -> None:
        """Places of two or three words from the list ("Virginia Beach", "New York")."""
        lowered = [t.low for t in tokens]
        for i in range(len(tokens) - 1):
            for width in (3, 2):
                if i + width > len(tokens) or not all(free[i : i + width]):
                    continue
                if " ".join(lowered[i : i + width]) not in self.lex.places:
                    continue
                if all(joined(text, tokens[k], tokens[k + 1]) for k in range(i, i + width - 1)):
                    if mode != "mixed" or tokens[i].text[0].isupper():
                        for k in range(i, i + width):
                            places[k] = True

    def _slash_wards(self, text: str, mode: str) -> Iterator[PhiSpan]:
        """A ward glued to a unit word by a slash: "MICU/Brandt", "Brandt/CCU" (the tokenizer
        skips words after a slash, "s/p", so these need their own pass)."""
        lex = self.lex
        for match in _SLASH_WARD.finditer(text):
            start, end = match.span("a") if match.group("a") else match.span("b")
            word = text[start:end]
            low = word.lower()
            if mode == "mixed" and word.islower():
                continue
            if lex.is_english(low) or lex.is_keep(low) or lex.near_keep(low) or low in _UNIT_WORDS:
                continue
            yield PhiSpan(start, end, "LOCATION")

    def _state_after_city(self, text: str) -> Iterator[PhiSpan]:
        """ "Elkton, MD": a place (or an unknown capitalised word), a comma and a state code."""
        for match in _CITY_STATE.finditer(text):
            city = match.group(1).lower()
            if match.group(2) not in US_STATES or self.lex.is_keep(city):
                continue
            credential = match.group(2).lower() in CREDENTIAL_WORDS and not re.match(r"\s+\d{5}", text[match.end() :])
            if credential and (city not in self.lex.places or city in self.lex.last_names):
                continue  # "Venkataraman, MD": a credential, not Maryland
            if city in self.lex.places or (not match.group(1).isupper() and not self.lex.is_english(city)):
                yield PhiSpan(match.start(), match.end(), "LOCATION")
