"""Rule-based detection of person names and places from word lists and the words around them.

Clinical notes are often all upper case or all lower case, so capitalisation is only one clue.
A word is tagged when:
- a title or role stands before it (``Dr. Vasquez``, ``mrs powers``, ``NP Janice``);
- a relative stands before it and it is a first name (``son bill``, ``Daughter Suzette``);
- it signs the note (``Mary Hulse, RN``);
- it is in a name list and is no English or clinical word (``healey``), or, for a name that is
  also a word (``Bill``, ``Grant``), a neighbouring word is a name;
- for places: it names a hospital (``Calvert Hospital``), a city, a state or a country.
Eponyms and drug names from ``data/keep_terms.txt`` are never tagged unless a title precedes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from domainkit.deid.lexicon import STOP_WORDS, US_STATES, Lexicon
from domainkit.deid.spans import PhiSpan

_TOKEN = re.compile(r"[A-Za-z](?:[A-Za-z]|['\-](?=[A-Za-z]))*")

TITLES = frozenset({"dr", "drs", "doctor", "mr", "mrs", "ms", "miss", "mister", "madam", "prof"})
# Roles that precede a name in notes ("NP Janice", "RN Smith", "attending dr x").
ROLES = frozenset({"np", "rn", "pa", "md", "attending", "resident", "fellow", "intern", "nurse"})
RELATIVES = frozenset(
    """son sons daughter daughters dtr dtrs dau wife husband hus hub sister sisters brother
    brothers sis bro mother father mom dad niece nieces nephew nephews grandson grandsons
    granddaughter granddaughters grandaughter grandchild grandchildren cousin aunt uncle friend
    friends neighbor neighbour partner fiance fiancee proxy hcp spouse stepson stepdaughter
    boyfriend girlfriend in-law son-in-law daughter-in-law dtr-in-law sil dil caseworker
    manager coordinator worker chaplain gf bf sibling siblings""".split()
)
# Words after which a first name is a person ("spoke with helen", "per Suzette").
SPEECH = frozenset(
    """with per by page paged call called notified informed ask asked told tell and to from
    contact contacted""".split()
)
CREDENTIALS = re.compile(r"\s*,?\s*(?:r\.?n\.?|n\.?p\.?|m\.?d\.?|rnc|sn|pa-c|rrt|lpn|bsn|msw|lcsw|licsw)\b", re.I)
HOSPITAL_WORDS = frozenset(
    """hospital hosp hospitals medical med memorial rehab rehabilitation clinic infirmary
    manor healthcare sanitarium hospice center centre nursing""".split()
)
_HOSPITAL_BLOCK = frozenset(
    """the a an this that outside other another local community general medical city county
    state university va nursing his her their our to from at in of for and or ccu icu micu
    sicu ed er ew osh floor""".split()
)
_PLACE_CUE = frozenset({"in", "from", "to", "at", "near", "of", "lives", "live", "living", "resides"})


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    low: str  # lower case, possessive 's removed

    @property
    def is_title_case(self) -> bool:
        return self.text[0].isupper() and not self.text.isupper()


def tokenize(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        low = word.lower()
        if low.endswith("'s") and len(low) > 3:
            low = low[:-2]
        tokens.append(_Token(match.start(), match.end(), word, low))
    return tokens


def _case_mode(text: str) -> str:
    """'upper', 'lower' or 'mixed': in mixed-case text capitalisation is evidence."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "mixed"
    upper = sum(ch.isupper() for ch in letters) / len(letters)
    if upper > 0.6:
        return "upper"
    if upper < 0.02:
        return "lower"
    return "mixed"


class NameFinder:
    """Finds NAME and LOCATION spans in one text with the rules above."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon

    # -- word classes -----------------------------------------------------------------------
    def _unambiguous_name(self, low: str) -> bool:
        lex = self.lex
        return (
            len(low) >= 3
            and lex.is_name(low)
            and not lex.is_english(low)
            and not lex.is_keep(low)
            and low not in lex.places
        )

    def _first_name(self, low: str) -> bool:
        lex = self.lex
        return (
            low in lex.first_names
            and len(low) >= 3
            and not lex.is_common(low)
            and not lex.is_keep(low)
        )

    def _namelike(self, tok: _Token, mode: str) -> bool:
        """A word that could be a surname next to a name: unknown or in a name list."""
        low = tok.low
        if low in STOP_WORDS or self.lex.is_keep(low) or low in self.lex.clinical or len(low) < 2:
            return False
        if mode == "mixed" and tok.text.islower():
            return False
        if self.lex.is_name(low) and not self.lex.is_common(low):
            return True
        return not self.lex.is_english(low)

    # -- detection --------------------------------------------------------------------------
    def find(self, text: str, protected: list[tuple[int, int]]) -> Iterator[PhiSpan]:
        tokens = tokenize(text)
        mode = _case_mode(text)
        is_protected = [any(s <= t.start < e for s, e in protected) for t in tokens]
        names = [False] * len(tokens)
        places = [False] * len(tokens)

        def gap(i: int) -> str:
            """Text between token i-1 and token i."""
            return text[tokens[i - 1].end : tokens[i].start] if i > 0 else ""

        for i, tok in enumerate(tokens):
            if is_protected[i]:
                continue
            low = tok.low
            prev = tokens[i - 1].low if i > 0 else ""
            between = gap(i)
            close = i > 0 and len(between) <= 3 and "\n" not in between
            if close and prev in TITLES and low not in STOP_WORDS and low not in self.lex.clinical:
                if prev != "ms" or self._namelike(tok, mode) or len(low) == 1:
                    names[i] = True
                    continue
            if close and prev in ROLES and self._namelike(tok, mode) and not self.lex.is_english(low):
                names[i] = True
                continue
            if close and prev in RELATIVES and self._first_name(low):
                names[i] = True
                continue
            if close and prev in SPEECH and self._first_name(low) and (mode != "mixed" or tok.is_title_case):
                names[i] = True
                continue
            if self.lex.is_keep(low):
                continue
            if self._unambiguous_name(low) and (mode != "mixed" or not tok.text.islower()):
                names[i] = True
                continue
            if mode == "mixed" and tok.is_title_case and i > 0 and self._first_name(low):
                if i + 1 < len(tokens) and self._namelike(tokens[i + 1], mode):
                    names[i] = True
        self._extend_names(text, tokens, names, is_protected, mode)
        self._signatures(text, tokens, names, is_protected, mode)
        self._find_places(text, tokens, places, names, is_protected, mode)
        for i, tok in enumerate(tokens):
            if names[i]:
                yield PhiSpan(tok.start, tok.end, "NAME")
            elif places[i]:
                yield PhiSpan(tok.start, tok.end, "LOCATION")
        yield from self._state_after_city(text)

    def _extend_names(self, text, tokens, names, is_protected, mode) -> None:
        """Grow names to neighbouring surnames, first names and initials ("Joyce Jacobson")."""
        for _ in range(2):
            for i, tok in enumerate(tokens):
                if names[i] or is_protected[i]:
                    continue
                left = i > 0 and names[i - 1] and _joined(text, tokens[i - 1], tok)
                right = i + 1 < len(tokens) and names[i + 1] and _joined(text, tok, tokens[i + 1])
                if not (left or right):
                    continue
                if len(tok.low) == 1 and tok.text.isupper() and right:
                    names[i] = True  # an initial before a name: "W. Marotta"
                elif right and self._first_name(tok.low):
                    names[i] = True
                elif left and self._namelike(tok, mode) and not self.lex.is_common(tok.low):
                    names[i] = True
                elif left and len(tok.low) == 1 and tok.text.isupper():
                    names[i] = True  # "Mr. I" style initial after a name
        # "Drs. Camarda and Clifford", "son David and Theodore": a coordinated name.
        for i in range(2, len(tokens)):
            if names[i] or is_protected[i] or tokens[i - 1].low != "and" or not names[i - 2]:
                continue
            if self._first_name(tokens[i].low) or self._unambiguous_name(tokens[i].low) or (
                self._namelike(tokens[i], mode) and not self.lex.is_english(tokens[i].low)
            ):
                names[i] = True

    def _signatures(self, text, tokens, names, is_protected, mode) -> None:
        """Names before a credential at the end of a line: "Nancy Jones, RN"."""
        for i, tok in enumerate(tokens):
            match = CREDENTIALS.match(text, tok.end)
            if not match or is_protected[i] or tok.low in ROLES:
                continue
            rest = text[match.end() : match.end() + 40]
            if rest.strip() and "\n" not in rest[:3] and not re.match(r"\s*[\n.]", rest):
                continue
            for j in (i, i - 1, i - 2):
                if j < 0 or not _joined(text, tokens[j], tokens[j + 1] if j < i else None):
                    break
                low = tokens[j].low
                if low in STOP_WORDS or low in self.lex.clinical:
                    break
                if j < i and not (self.lex.is_name(low) or not self.lex.is_english(low)):
                    break
                names[j] = True

    def _find_places(self, text, tokens, places, names, is_protected, mode) -> None:
        lex = self.lex
        for i, tok in enumerate(tokens):
            if is_protected[i] or names[i]:
                continue
            low = tok.low
            prev = tokens[i - 1].low if i > 0 else ""
            nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
            # "Calvert Hospital", "St. Mary's", "Warren Grant hosp."
            if nxt in HOSPITAL_WORDS and low not in _HOSPITAL_BLOCK and _joined(text, tok, tokens[i + 1]):
                if not lex.is_common(low) and low not in lex.clinical and (mode != "mixed" or not tok.text.islower()):
                    places[i] = True
                    if i > 0 and _joined(text, tokens[i - 1], tok) and self._namelike(tokens[i - 1], mode) and prev not in _HOSPITAL_BLOCK and not lex.is_common(prev):
                        places[i - 1] = True
                    continue
            if prev == "st" and text[tokens[i - 1].end : tok.start] == ". " and self._namelike(tok, mode):
                places[i - 1] = places[i] = True
                continue
            if low in lex.places and len(low) >= 4 and not lex.is_keep(low):
                cue = prev in _PLACE_CUE or nxt in HOSPITAL_WORDS
                if not lex.is_english(low) or (cue and not lex.is_common(low) and (mode != "mixed" or tok.is_title_case or tok.text.isupper())):
                    places[i] = True
                    continue
            # Hospital initials ending in H after a movement word: "sent to GH", "followed at gh".
            if prev in {"to", "at", "from", "in", "via"} and 2 <= len(low) <= 4 and low.endswith("h"):
                if not lex.is_english(low) and low not in lex.clinical:
                    places[i] = True
                    continue
            # A ward named after a person or place: "transferred to Quartermain 2".
            if prev in {"to", "from", "on"} and re.match(r" \d{1,2}\b", text[tok.end : tok.end + 4]):
                if len(low) >= 4 and not lex.is_english(low) and low not in lex.clinical:
                    places[i] = True
        # Multi-word places from the list ("daytona beach", "new york").
        lowered = [t.low for t in tokens]
        for i in range(len(tokens) - 1):
            for width in (3, 2):
                phrase = " ".join(lowered[i : i + width])
                if i + width <= len(tokens) and phrase in lex.places and not any(is_protected[i : i + width]):
                    if all(_joined(text, tokens[k], tokens[k + 1]) for k in range(i, i + width - 1)):
                        if mode != "mixed" or tokens[i].text[0].isupper():
                            for k in range(i, i + width):
                                places[k] = True

    def _state_after_city(self, text: str) -> Iterator[PhiSpan]:
        """ "Annapolis, MD": a capitalised word, a comma and a US state code."""
        for match in _CITY_STATE.finditer(text):
            if match.group(2) in US_STATES and not self.lex.is_english(match.group(1).lower()):
                yield PhiSpan(match.start(), match.end(), "LOCATION")


_CITY_STATE = re.compile(r"\b([A-Z][A-Za-z]+),\s+([A-Z]{2})\b")


def _joined(text: str, left: _Token, right: _Token | None) -> bool:
    """Two tokens belong to one name: only spaces, a period or a comma-free gap between them."""
    if right is None:
        return True
    gap = text[left.end : right.start]
    return len(gap) <= 3 and gap.strip(" .") == "" and "\n" not in gap


def _sentence_start(text: str, tok: _Token) -> bool:
    before = text[max(0, tok.start - 3) : tok.start].strip()
    return tok.start == 0 or before.endswith((".", ":", "\n")) or before == ""
