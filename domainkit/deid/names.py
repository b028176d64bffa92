"""Rule-based detection of person names and places from word lists and the words around them.

Clinical notes are often all upper case or all lower case, so capitalisation is only one clue.
A word is tagged when:
- a title or role stands before it (``Dr. Okafor``, ``mrs powers``, ``NP Janice``);
- a relative stands before it and it is a first name (``son bill``, ``Daughter Odette``);
- it signs the note (``Mary Ostrander, RN``);
- it is in a name list and is no English or clinical word (``healey``), or, for a name that is
  also a word (``Bill``, ``Grant``), a neighbouring word is a name.

Places (a hospital such as ``Beaumont Hospital``, a city, a state or a country) are found by the
place rules in ``place_names``, which ``NameFinder`` inherits: they run after the names, in the same
tokens. Eponyms and drug names from ``data/keep_terms.txt`` are never tagged unless a title precedes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from domainkit.deid.cue_words import CREDENTIAL_WORDS, HOSPITAL_WORDS, ROLES, TITLES
from domainkit.deid.lexicon import STOP_WORDS, US_STATE_NAMES, Lexicon
from domainkit.deid.place_names import _NOT_PLACES, PlaceRules
from domainkit.deid.spans import PhiSpan
from domainkit.deid.tokens import Token, case_mode, joined, tokenize

# Importable from here as before the rules were split into tokens, cue_words and place_names (packs
# and scripts written against one module).
from domainkit.deid.cue_words import TWO_WORD_HEADS  # noqa: E402,F401
from domainkit.deid.place_names import states_after_places  # noqa: E402,F401
from domainkit.deid.tokens import fold  # noqa: E402,F401

# "law" is a relative only in "daughter-in-law"/"son in law": after "applicable law, MICROSOFT" it is none.
_IN_LAW = re.compile(r"\bin[- ]law$", re.I)
RELATIVES = frozenset(
    """son sons daughter daughters dtr dtrs dau wife husband hus hub sister sisters brother
    brothers sis bro mother father mom dad niece nieces nephew nephews grandson grandsons
    granddaughter granddaughters grandaughter grandchild grandchildren cousin aunt uncle friend
    friends neighbor neighbour partner fiance fiancee proxy hcp spouse stepson stepdaughter
    boyfriend girlfriend in-law son-in-law daughter-in-law dtr-in-law sil dil caseworker
    manager coordinator worker chaplain gf bf sibling siblings social coping family law mum mam nan
    nana grandma grandpa grandmother grandfather granny stepmother stepfather godmother godfather
    roommate housemate flatmate carer caregiver lodger""".split()
)
# Nursing shorthand for family that the census lists hold as surnames: alone, "updated fam re plan"
# and "bro aware" are no names; after a title or before a credential ("Mr. Fam", "Lan Fam, MD") they
# still are, found by those cues rather than by the word alone.
_FAMILY_SHORTHAND = frozenset({"fam", "bro"})
# Judicial titles before a surname ("Judge Lee", "Justice Baker", "Hon. Patel"). Kept apart from
# TITLES: "judge" and "justice" are everyday words too ("hard to judge volume status"), so they
# mark a name only when written as a title (see ``_judicial_name``).
JUDICIAL_TITLES = frozenset({"judge", "justice", "magistrate", "hon", "honourable", "honorable"})
# Titles after which a clinical abbreviation is no name: "mild MR, TR", "MS changes".
_WEAK_TITLES = frozenset({"mr", "ms", "drs"})  # "drs." also abbreviates dressings
_MODALS = frozenset({"may", "might", "must", "shall", "should", "can", "could", "would", "will"})
# Words after which a first name is a person ("spoke with helen", "per Odette").
SPEECH = frozenset(
    """with per by page paged call called notified informed ask asked told tell and to from
    contact contacted""".split()
)
#: Speech words after which a worded first name and a surname are a person ("spoke with Hope Jones");
#: not "to", "and", "from" or "by" ("switched to Crystal Light", "Rock and Roll").
_PERSON_SPEECH = SPEECH - {"to", "and", "from", "by"}
#: Acronyms that follow a name after a comma without being its first name ("Guy Steele, ISBN 0-201").
_ACRONYMS_NOT_NAMES = frozenset("isbn issn doi pdf url llc inc ltd corp plc gmbh usa uk eu".split())
CREDENTIALS = re.compile(
    r"\s*,?\s*(?:r\.?n\.?|n\.?p\.?|m\.?d\.?|rnc|sn|pa-c|rrt|lpn|bsn|msw|lcsw|licsw|pharmd|mbbs|mbchb|frcp|mrcp"
    r"|frcs|mrcs|frcr|phd|dnp|crna|cnm|aprn|fnp|(?-i:DO|PA|StR|SpR|RGN))\b",
    re.I,
)
# Field labels of a record header: the name before "MRN", "DOB" or "Born:" ends there.
FIELD_LABELS = frozenset(
    """mrn dob dod born nhs acct acc ssn tel ph fax sex age gender ins ref id""".split()
)
# Cues before a quoted nickname: 'known as "Buddy"', 'goes by "Gaz"'.
_NICKNAME_CUE = re.compile(r"(?:known as|goes by|aka|a\.k\.a\.|nicknamed|calls? (?:him|her)self|prefers)\s*$", re.I)
# Nouns that end a place's name, never a surname: "Santa Clara County", "Yugoslav Republic".
_PLACE_NOUNS = frozenset(
    """county city town township state republic kingdom island islands valley university college
    school church street avenue road park lake river mountain beach bay harbor harbour port fort
    region district province parish borough village expressway highway freeway boulevard drive lane
    parkway plaza square court place""".split()
)


def _relative_cue(text: str, cue: Token) -> bool:
    """A relative word as a cue: "law" only as part of "daughter-in-law" / "son in law"."""
    return cue.low != "law" or bool(_IN_LAW.search(text, max(0, cue.start - 4), cue.end))


class NameFinder(PlaceRules):
    """Finds NAME and LOCATION spans in one text with the rules above."""

    def __init__(self, lexicon: Lexicon, *, keep_defined_terms: bool = False) -> None:
        self.lex = lexicon
        #: Legal drafting capitalises defined terms ("provided to Customer", "in Subsection 3"): with
        #: this on, a capitalised everyday word is such a term, not a place (see :meth:`defined_term`).
        self.keep_defined_terms = keep_defined_terms

    def defined_term(self, low: str) -> bool:
        """With ``keep_defined_terms``: an everyday English word that no gazetteer lists as a place.

        "to Customer", "to Reproduce", "in Arms Regulations" keep their words; "to Boston" and
        "in Dublin" (listed places that are words too) and "to Northwoods" (no word) are still places.
        Off for clinical notes, where "from Harbor" and "at Holy Cross" name hospitals.
        """
        return self.keep_defined_terms and self.lex.is_english(low) and low not in self.lex.places

    # -- word classes -----------------------------------------------------------------------
    def _unambiguous_name(self, low: str) -> bool:
        lex = self.lex
        return (
            len(low) >= 3
            and lex.is_name(low)
            and not lex.is_english(low)
            and not lex.is_keep(low)
            and not lex.near_keep(low)
            and low not in lex.places
            and not self._misspelling(low)
        )

    def _first_name(self, low: str) -> bool:
        lex = self.lex
        return (
            low in lex.first_names
            and len(low) >= 3
            and not lex.is_common(low)
            and not lex.is_keep(low)
        )

    def _relative_name(self, low: str, tok: Token, mode: str, cue: str, reads_as_name: bool = False) -> bool:
        """A first name after a relative word, even one that is also a word ("son Bill")."""
        if reads_as_name and mode == "mixed" and tok.is_title_case and low in _MODALS and low in self.lex.first_names:
            return True  # "her husband Will." (see ``_modal_read_as_name``)
        if low in STOP_WORDS or low in _MODALS or low in self.lex.clinical or low in RELATIVES or len(low) < 2:
            return False
        if cue in _SECTION_CUES:  # "Social: bill called" but not "Social: many visitors"
            if mode == "mixed" and tok.text.islower():
                return False
            return low in self.lex.first_names and (not self.lex.is_common(low) or low in _SHORT_NAMES)
        if mode == "mixed" and tok.text.isupper() and len(low) <= 4:
            return False  # "son HCP": an abbreviation in capitals
        # "wife barb", "niece Funmilayo": a listed first name, or a word no dictionary explains
        if low in self.lex.first_names or self._unknown_word(low):
            return True
        if mode == "mixed" and tok.is_title_case and len(low) >= 3:
            # "husband Angus", "wife Carys": capitalised mid-sentence, a listed surname that is no
            # everyday word, or an unknown word even one letter from a word (typos are seldom capitalised)
            lex = self.lex
            if lex.is_name(low) and not lex.is_common(low) and not lex.is_keep(low):
                return True
            if re.search(r"'(?:m|ll|re|ve|d|t)$", low):
                return False  # "I'm"
            return not lex.is_english(low) and not lex.is_keep(low) and not lex.near_keep(low) and low not in CREDENTIAL_WORDS
        return False

    def _unknown_word(self, low: str) -> bool:
        """A word of 3+ letters that no dictionary explains and that is no typo of a word or a kept term."""
        lex = self.lex
        return (
            len(low) >= 3
            and not re.search(r"'(?:m|ll|re|ve|d|t)$", low)  # "I'm", "we'll"
            and not lex.is_english(low)
            and not lex.is_keep(low)
            and low not in CREDENTIAL_WORDS
            and low not in FIELD_LABELS
            and not lex.near_keep(low)
            and not self._misspelling(low)
        )

    def _role_name(self, tok: Token, mode: str, role: str) -> bool:
        """A name after a role word that the stricter first-name test leaves: "charge nurse Bill",
        "nurse priya". Capitalised listed first names count even when they are words too."""
        low, lex = tok.low, self.lex
        if low in STOP_WORDS or low in _MODALS or low in lex.clinical or low in TITLES or low in ROLES or low in RELATIVES:
            return False
        if role in {"md", "pa"} or (mode == "mixed" and tok.text.isupper()):
            return False  # "PA CXR", "MD aware": abbreviations around abbreviations
        if low in lex.first_names and len(low) >= 3 and not lex.is_keep(low) and (mode != "mixed" or tok.is_title_case):
            return True
        if mode == "mixed" and tok.is_title_case and not tok.text.isupper():
            # "charge nurse Priya", "RN Anjali": in a mixed-case note a capitalised word right after a
            # role is a name even when it is one letter from an English word (the typo guard below
            # is for lower-case notes, where "nurse remian" is a slip of the keyboard).
            # A listed surname that WordNet also holds ("resident Chen") counts, unless it is an everyday word.
            surname = low in lex.last_names and not lex.is_common(low)
            return len(low) >= 3 and (surname or not lex.is_english(low)) and not lex.is_keep(low) and not lex.near_keep(low)
        return self._unknown_word(low)

    def _patient_name(self, tok: Token, mode: str) -> bool:
        """After "pt": a listed first name that is no everyday or clinical word ("pt marguerite");
        "pt alert", "pt rec'd", "pt hope" stay."""
        low, lex = tok.low, self.lex
        if mode == "mixed" and tok.text.isupper():
            return False
        return (
            len(low) >= 3
            and low in lex.first_names
            and not lex.is_common(low)
            and not lex.is_plain(low)
            and low not in _MODALS
            and low not in RELATIVES
        )

    def _cued_initial(self, text: str, tokens: list[Token], i: int, mode: str) -> bool:
        """ "X. Surname" after a title, role or "pt", in any case: "pt b. okafor", "RN: J. Smith"."""
        if i < 2:
            return False
        initial, cue, tok = tokens[i - 1], tokens[i - 2], tokens[i]
        if len(initial.text) != 1 or text[initial.end : tok.start] not in (". ", "."):
            return False
        if cue.low not in TITLES and cue.low not in ROLES and cue.low not in _PATIENT_CUES:
            return False
        if text[cue.end : initial.start].strip(" :") != "" or len(text[cue.end : initial.start]) > 3:
            return False
        low, lex = tok.low, self.lex
        if len(low) < 3 or low in STOP_WORDS or low in lex.clinical or lex.is_keep(low):
            return False
        if mode == "mixed" and tok.text.islower() != initial.text.islower():
            return False  # "pt A. fib"
        return (lex.is_name(low) and not lex.is_common(low)) or (lex.is_name(low) and tok.is_title_case) or self._unknown_word(low)

    def _label_word(self, text: str, tok: Token) -> bool:
        """A credential after a comma ("Patel, MD") or a header field label ("MRN", "DOB", "Born:"):
        neither a name nor a place, and a name before it ends there."""
        low = tok.low
        if low in CREDENTIAL_WORDS and not tok.text.islower():
            return bool(re.search(r",\s*$", text[max(0, tok.start - 3) : tok.start]))
        if low in FIELD_LABELS and not tok.text.islower():
            return (tok.text.isupper() and len(low) >= 3) or text[tok.end : tok.end + 1] in (":", "#")
        return False

    def _misspelling(self, low: str) -> bool:
        """A word one edit away from an English word ("remian", "deines") is a typo, not a name.

        Frequent names are exempt: "healey" is one edit from "healer" but a surname first.
        """
        if len(low) < 4 or low in self.lex.first_names or low in self.lex.common_last_names:
            return False
        return _is_misspelling(low, self.lex.common_forms)

    def _listed_surname(self, low: str) -> bool:
        """A census surname that is no everyday or clinical word: after "mr"/"ms" a name, not mitral
        regurgitation or mental status ("ms fitzgerald" but "ms intact", "mr moderate", "ms changes")."""
        lex = self.lex
        return low in lex.last_names and not lex.is_common(low) and not lex.is_plain(low) and not lex.near_keep(low)

    def _namelike(self, tok: Token, mode: str) -> bool:
        """A word that could be a surname next to a name: unknown or in a name list."""
        low = tok.low
        if self.lex.is_plain(low) or len(low) < 2:
            return False
        if mode == "mixed" and tok.text.islower():
            return False
        return not self.lex.is_english(low)

    # -- detection --------------------------------------------------------------------------
    def find(self, text: str, protected: list[tuple[int, int]]) -> Iterator[PhiSpan]:
        tokens = tokenize(text)
        mode = case_mode(text)
        is_protected = [any(s <= t.start < e for s, e in protected) or self._label_word(text, t) for t in tokens]
        names = [False] * len(tokens)
        places = [False] * len(tokens)

        for i in range(len(tokens)):
            if not is_protected[i]:
                self._mark_cued_name(text, tokens, names, i, mode)
        self._case_parties(text, tokens, names, is_protected)
        self._first_and_surname(text, tokens, names, is_protected, mode)
        self._unlisted_pairs(text, tokens, names, is_protected, mode)
        self._labelled_names(text, tokens, names, is_protected)
        self._extend_names(text, tokens, names, is_protected, mode)
        self._inverted_names(text, tokens, names, is_protected)
        self._signatures(text, tokens, names, is_protected, mode)
        self._nicknames(text, tokens, names, is_protected)
        self._parenthesised(text, tokens, names, is_protected, mode)
        self._recurrences(text, tokens, names, is_protected, mode)
        self._find_places(text, tokens, places, names, is_protected, mode)
        run_start = None
        for i, tok in enumerate(tokens):
            if names[i]:
                # one span for a double-barrelled name ("Pryce-Jones", "Min-jun"): "[NAME]", not "[NAME]-[NAME]"
                glued = i + 1 < len(tokens) and names[i + 1] and text[tok.end : tokens[i + 1].start] == "-"
                if glued:
                    run_start = tok.start if run_start is None else run_start
                    continue
                yield PhiSpan(tok.start if run_start is None else run_start, tok.end, "NAME")
                run_start = None
            elif places[i]:
                yield PhiSpan(tok.start, tok.end, "LOCATION")
        yield from self._ages_after_names(text, tokens, names)
        yield from self._state_after_city(text)
        yield from self._slash_wards(text, mode)

    def _mark_cued_name(self, text: str, tokens: list[Token], names: list[bool], i: int, mode: str) -> None:
        """Mark token i (and an initial before it) as a name when a cue beside it says so: a title, a role,
        a relative, a speech verb, an initial, or a name that is no everyday word."""
        tok = tokens[i]
        low = tok.low
        prev = tokens[i - 1].low if i > 0 else ""
        between = text[tokens[i - 1].end : tokens[i].start] if i > 0 else ""  # the text before the word
        close = i > 0 and len(between) <= 3 and "\n" not in between
        titled = i > 0 and between.strip(" .") == "" and len(between) <= 3
        initial = len(tok.text) == 1 and tok.text.isupper()
        if low in JUDICIAL_TITLES and i + 1 < len(tokens) and tokens[i + 1].text[0].isupper():
            return  # a title before a name ("Hon. Patel"), though "hon" is also a listed name
        # A judicial title after a title is a title ("Mr. Justice Baker"): the surname follows it.
        if titled and prev in TITLES and (initial or low not in STOP_WORDS) and low not in JUDICIAL_TITLES:
            if prev not in _WEAK_TITLES and low not in _MODALS and low not in RELATIVES:
                names[i] = True
                return
            if initial or (low not in self.lex.clinical and self._namelike(tok, mode)):
                names[i] = True
                return
            if self._listed_surname(low):
                names[i] = True  # "ms fitzgerald": WordNet lists the writer, so the surname reads as English
                return
            if tok.is_title_case and self.lex.is_keep(low) and low in self.lex.last_names:
                names[i] = True  # "Mr. Parkinson": after a title an eponym is the man's surname
                return
            if between.startswith(".") and self._dotted_title_name(low):
                names[i] = True  # "Mr. smith": with its period "Mr." is no mitral regurgitation
                return
            if (
                between.startswith(".")
                and mode == "mixed"
                and tokens[i - 1].is_title_case  # "Ms." (not "3-4+MR. Given")
                and tok.is_title_case
                and self.lex.is_name(low)
                and low not in self.lex.clinical
            ):
                names[i] = True  # "Ms. Lee": a capitalised listed name after "Ms."
                return
        if titled and prev in JUDICIAL_TITLES and self._judicial_name(tokens[i - 1], tok, mode):
            names[i] = True
            return
        if close and prev in ROLES and (
            self._first_name(low) or self._unambiguous_name(low) or self._role_name(tok, mode, prev)
        ):
            names[i] = True
            return
        if close and prev in _PATIENT_CUES and self._patient_name(tok, mode):
            names[i] = True  # "pt marguerite": a listed first name that is no everyday word
            return
        if self._cued_initial(text, tokens, i, mode):
            names[i] = names[i - 1] = True  # "pt b. okafor", "Triage RN: J. Smith"
            return
        if close and prev in RELATIVES and _relative_cue(text, tokens[i - 1]) and self._relative_name(low, tok, mode, prev, reads_as_name=_modal_read_as_name(text, between, tok)):
            names[i] = True
            return
        if _initial_before(text, tokens, i) and self._namelike(tok, mode) and len(low) >= 3:
            # "W. Okafor"; after "per", "to", "Dr" even a typo-like surname: "told to K. Brel"
            if not self._misspelling(low) or (i > 1 and tokens[i - 2].low in _INITIAL_CUES):
                names[i] = names[i - 1] = True
                return
        handover = close and low in self.lex.first_names and low not in _MODALS and low not in STOP_WORDS
        if handover and _HANDOVER.search(text, max(0, tok.start - 24), tok.start):
            names[i] = True  # "handover from sue": a first name even if it is a word
            return
        if close and prev in SPEECH and self._first_name(low) and (mode != "mixed" or tok.is_title_case):
            names[i] = True
            return
        if self.lex.is_keep(low):
            return
        if prev != "st" and low not in _FAMILY_SHORTHAND and self._unambiguous_name(low) and (mode != "mixed" or not tok.text.islower()):
            names[i] = True
            return
        # A first name that is no English word stands alone too ("DAVID IS SPEAKING").
        if (
            len(low) >= 4
            and prev != "st"
            and self._first_name(low)
            and not self.lex.is_place(low)
            and (mode != "mixed" or tok.is_title_case)
        ):
            names[i] = True
            return
        if mode == "mixed" and tok.is_title_case and i > 0 and self._first_name(low):
            if i + 1 < len(tokens) and self._namelike(tokens[i + 1], mode):
                names[i] = True

    def _unlisted_pairs(self, text, tokens, names, is_protected, mode) -> None:
        """Contracts (``keep_defined_terms``): two capitalised words side by side that no dictionary,
        kept-term or credential list explains are a party's name ("attention Zephyrine Harrowgate").

        Contracts name parties the census lists never saw, with no title before them; their own
        capitalised words (defined terms such as "Licensed Software") are dictionary words, which
        this leaves alone. Not for clinical text, where such pairs are often unlisted eponyms.
        """
        if not self.keep_defined_terms or mode != "mixed":
            return
        for i in range(len(tokens) - 1):
            first, second = tokens[i], tokens[i + 1]
            if is_protected[i] or is_protected[i + 1] or text[first.end : second.start] != " ":
                continue
            if all(_capitalised(t) and self._unexplained(t.low) for t in (first, second)):
                names[i] = names[i + 1] = True

    def _unexplained(self, low: str) -> bool:
        """No dictionary, kept term, credential or field label explains the word (names may be listed)."""
        lex = self.lex
        return (len(low) >= 3 and not lex.is_english(low) and not lex.is_keep(low) and not lex.near_keep(low)
                and low not in CREDENTIAL_WORDS and low not in FIELD_LABELS)

    def _first_and_surname(self, text, tokens, names, is_protected, mode) -> None:
        """A capitalised listed first name that is no everyday word, then a listed surname: "Georgia
        Jones", "Sydney Brown", "Olivia Brown", even at a sentence's start and even where each word
        alone is also a place or a word (the pair is the evidence). Mixed-case text only."""
        if mode != "mixed":
            return
        lex = self.lex
        for i in range(len(tokens) - 1):
            first, last = tokens[i], tokens[i + 1]
            if names[i] and names[i + 1] or is_protected[i] or is_protected[i + 1] or text[first.end : last.start] != " ":
                continue
            if not (first.is_title_case and last.is_title_case):
                continue
            if not self._first_name(first.low) and not self._worded_first_name_in_a_sentence(text, tokens, i):
                continue
            low = last.low
            if low not in lex.last_names or len(low) < 3 or lex.is_plain(low) or lex.near_keep(low):
                continue
            # A surname that is also an everyday word counts only among the frequent ones ("Brown",
            # "White"): "Allen Public License" and "Geneva Chamber" hold rare surnames that are words.
            if not lex.is_common(low) or low in lex.common_last_names:
                names[i] = names[i + 1] = True

    def _worded_first_name_in_a_sentence(self, text: str, tokens: list[Token], i: int) -> bool:
        """A listed first name that is also a word ("Sunny", "Will", "Pat") counts before a surname
        mid-sentence: after a lower-case word or a relative, role or speech cue on the same line, and
        with no capitalised word after the surname. "Referral for Sunny Jones, age 80" and "Son Will
        Baker visited" are names; "Will Wood" opening a sentence and "Grace Period Ends" are not."""
        first, lex = tokens[i], self.lex
        if i == 0 or first.low not in lex.first_names or len(first.low) < 3:
            return False
        if lex.is_keep(first.low) or first.low in lex.clinical:
            return False
        if first.low in TITLES or first.low in JUDICIAL_TITLES or first.low in ROLES or first.low in RELATIVES or first.low in SPEECH:
            return False  # "Ask Miss Brennan": a title, not a first name
        prev = tokens[i - 1]
        if "\n" in text[prev.end : first.start] or text[prev.end : first.start].strip(" ,") != "":
            return False
        if prev.low in RELATIVES or prev.low in ROLES or prev.low in _PERSON_SPEECH:
            return True  # "Son Will Baker", "spoke with Hope Jones"
        # After any other lower-case word only a name the sentence then leaves: "Referral for Sunny
        # Stone, age 80", not "Concern for Rocky Mountain spotted fever" or "Refer for Will Power evaluation".
        after = text[tokens[i + 1].end : tokens[i + 1].end + 2]
        return prev.text.islower() and (after[:1] in (",", "(", ";") or after in (". ", ".") or after[:1] == "")

    def _judicial_name(self, title: Token, tok: Token, mode: str) -> bool:
        """``tok`` is a surname after a judicial title, as "Dr" marks one: "Judge Lee", "Hon. Patel".

        Both must be capitalised, and the word a listed name or one no dictionary explains (so
        "Justice Department" stays), never a function, clinical or kept word or another title.
        In all-capital text, where every word is capitalised, it must look like a surname.
        """
        low, lex = tok.low, self.lex
        if not title.text[0].isupper() or not tok.text[0].isupper() or len(low) < 2:
            return False
        if low in STOP_WORDS or low in TITLES or low in JUDICIAL_TITLES or low in lex.clinical or lex.is_keep(low):
            return False
        if mode == "mixed":
            return tok.is_title_case and (lex.is_name(low) or not lex.is_english(low))
        return self._namelike(tok, mode)

    def _case_parties(self, text, tokens, names, is_protected) -> None:
        """The parties of a case name, "Smith v. Jones": each a person's surname, so a NAME.

        Without this, "In Smith" made "Smith" a place (a place cue and a listed town) and "Jones"
        (a surname that is also a word) stayed: half a case name, mislabelled. The existing rules
        redact a listed surname wherever a cue marks it as a person (a title, "Contact"); "v."
        between two capitalised words is such a cue for both sides, so both are redacted alike.
        A party that is a common word ("State v. Smith", "Brown v. Board") is no person: it stays.
        Only listed names count as parties, and only around "v"/"v.": notes compare treatments with
        "vs" and "v" ("Keytruda vs Opdivo", "Warfarin v Apixaban"), and a drug name is no listed name.
        """
        for i in range(1, len(tokens) - 1):
            if tokens[i].text != "v" or not _CASE_GAPS.fullmatch(text, tokens[i - 1].end, tokens[i + 1].start):
                continue
            for j in (i - 1, i + 1):
                tok = tokens[j]
                if is_protected[j] or not tok.is_title_case or len(tok.low) < 2 or tok.low in STOP_WORDS:
                    continue
                if self.lex.is_common(tok.low) or tok.low in self.lex.clinical:
                    continue
                if self.lex.is_name(tok.low):  # not "any unknown word": "Keytruda vs Opdivo" compares drugs
                    names[j] = True

    def _extend_names(self, text, tokens, names, is_protected, mode) -> None:
        """Grow names to neighbouring surnames, first names and initials ("Joyce Halvorsen")."""
        for _ in range(2):
            for i, tok in enumerate(tokens):
                if names[i] or is_protected[i]:
                    continue
                left = i > 0 and names[i - 1] and joined(text, tokens[i - 1], tok)
                right = i + 1 < len(tokens) and names[i + 1] and joined(text, tok, tokens[i + 1])
                if not (left or right or self._hyphen_part(text, tokens, names, i, mode)):
                    continue
                capitalised = not tok.text.islower() or mode == "lower"
                if len(tok.low) == 1 and tok.text.isupper() and right and text[tok.end : tok.end + 1] == ".":
                    names[i] = True  # an initial before a name: "W. Brightwell"
                elif right and self._first_name(tok.low):
                    names[i] = True
                elif right and self._unlisted_first_name(text, tok, mode):
                    names[i] = True  # a first name no list holds, before a surname: "Conor O'Mahony"
                elif left and self._namelike(tok, mode):
                    names[i] = True
                elif left and self.lex.is_name(tok.low) and not self.lex.is_common(tok.low) and capitalised:
                    names[i] = True  # "Lisa Hardy": a surname that WordNet also knows
                elif left and mode == "mixed" and tok.is_title_case and self.lex.is_name(tok.low):
                    names[i] = True  # "Dr. Art White": a capitalised surname that is also a word
                elif left and len(tok.low) == 1 and tok.text.isupper() and text[tok.end : tok.end + 1] == ".":
                    names[i] = True  # a middle initial: "Edward C. Jones"
                elif left and len(tok.low) == 1 and tok.text.isupper() and _FIELD_END.match(text, tok.end):
                    names[i] = True  # a middle initial ending a header field: "HOLLOWAY, FRANCES M  MRN"
                elif right and self._first_before_full_name(text, tokens, names, i, mode):
                    names[i] = True  # "Baby Amelia Rose Thornton": a listed first name that is also a clinical word
                elif left and self._after_particle(tokens, i):
                    names[i] = True  # "Dr. o neill", "Dr. van der berg": lower case after a particle
                elif self._hyphen_part(text, tokens, names, i, mode):
                    names[i] = True  # "Dr. Okafor-Lind": a double-barrelled surname
                elif left and mode == "mixed" and self._surname_after_titled_first(text, tokens, i):
                    names[i] = True  # "Dr. Ivan Farthing": a noun-only English word as surname
        # "Drs. Thornbury and Clifford", "son David and Theodore": a coordinated name.
        for i in range(2, len(tokens)):
            if names[i] or is_protected[i] or tokens[i - 1].low != "and" or not names[i - 2]:
                continue
            if tokens[i].low in TITLES or tokens[i].low in JUDICIAL_TITLES:
                continue  # "Dr. Ames and Dr. Bo": the title stays, the next name is found by it
            if self._first_name(tokens[i].low) or self._unambiguous_name(tokens[i].low) or (
                self._namelike(tokens[i], mode) and not self.lex.is_english(tokens[i].low)
            ):
                names[i] = True

    def _inverted_names(self, text, tokens, names, is_protected) -> None:
        """The other half of a "Last, First" name ("Smith, John", "GARCIA, MARIA"), as record headers write them.

        One half is already a name; the other must be capitalised and a listed name of its kind
        (a surname before the comma, a first name after it) or no English word at all.
        """
        for i in range(len(tokens) - 1):
            if names[i] == names[i + 1] or not _INVERTED_GAP.fullmatch(text, tokens[i].end, tokens[i + 1].start):
                continue
            j = i + 1 if names[i] else i
            tok = tokens[j]
            low = tok.low
            if is_protected[j] or not tok.text[0].isupper() or len(low) < 2 or self.lex.is_plain(low):
                continue
            if low in TITLES or low in ROLES or low in RELATIVES:
                continue
            if low in _ACRONYMS_NOT_NAMES or _in_acronym_list(text, tokens, j):
                continue  # "Guy Steele, ISBN 0-201", "RDF, XHTML, XML and XSL": acronyms, no first name
            listed = low in self.lex.first_names if j == i + 1 else low in self.lex.last_names
            # "Dr. Lee, Vanc ...": after a titled surname the comma ends a phrase, not a "Last, First" name.
            titled = j == i + 1 and i > 0 and tokens[i - 1].low in TITLES
            if listed or (not titled and not self.lex.is_english(low)):
                names[j] = True
                after = j + 1
                if j == i + 1 and after < len(tokens) and len(tokens[after].text) == 1 and tokens[after].text.isupper():
                    if text[tok.end : tokens[after].start] == " " and _FIELD_END.match(text, tokens[after].end):
                        names[after] = True  # the middle initial of "HOLLOWAY, FRANCES M  MRN"

    def _hyphen_part(self, text: str, tokens: list[Token], names: list[bool], i: int, mode: str) -> bool:
        """Token i is glued by a bare hyphen to a name and capitalised: "Lind" in "Okafor-Lind"."""
        tok = tokens[i]
        glued_left = i > 0 and names[i - 1] and text[tokens[i - 1].end : tok.start] == "-"
        glued_right = i + 1 < len(tokens) and names[i + 1] and text[tok.end : tokens[i + 1].start] == "-"
        if not (glued_left or glued_right) or len(tok.low) < 2:
            return False
        if not tok.text[0].isupper():
            # "Kim Min-jun", "Soo-ah", "t. nguyen-baker": a lower-case part after a hyphen
            low = tok.low
            if mode == "upper" or not glued_left or low in STOP_WORDS or low in _HYPHEN_SUFFIXES:
                return False
            return len(low) <= 3 or self.lex.is_name(low) or self._unknown_word(low)
        if mode == "upper" and self.lex.is_english(tok.low):
            return False  # "SMITH-AWARE" in capitals says nothing
        low = tok.low
        return not (self.lex.is_plain(low) or low in TITLES)

    def _first_before_full_name(self, text, tokens, names, i, mode) -> bool:
        """Token i is a capitalised listed first name before a name of two words."""
        tok = tokens[i]
        if mode != "mixed" or not tok.is_title_case or tok.low not in self.lex.first_names or self.lex.is_keep(tok.low):
            return False
        if tok.low in STOP_WORDS or tok.low in _MODALS or i + 2 >= len(tokens) or not names[i + 2]:
            return False
        return joined(text, tok, tokens[i + 1]) and joined(text, tokens[i + 1], tokens[i + 2]) and tokens[i + 1].is_title_case

    def _labelled_names(self, text, tokens, names, is_protected) -> None:
        """The words after a header label ("Patient: Gareth Pryce-Jones", "Name: Brown, T.",
        "RE: Destiny M. Running-Bear"): capitalised words on the line, up to a field label.

        Every word must be an initial, a listed name or a word no dictionary explains (a hyphen-
        joined part goes with its neighbour); a clinical word ends the run ("Re: Chest pain").
        """
        if not tokens:
            return
        starts = {tok.start: k for k, tok in enumerate(tokens)}
        lex = self.lex
        for match in _NAME_LABEL.finditer(text):
            k = starts.get(match.end())
            if k is None:
                continue
            while k < len(tokens) and tokens[k].low in TITLES and joined(text, tokens[k], tokens[k + 1] if k + 1 < len(tokens) else None):
                k += 1
            run: list[int] = []
            while k < len(tokens) and len(run) < 6:
                tok = tokens[k]
                if run:
                    between = text[tokens[k - 1].end : tok.start]
                    if between in (". ", ".") and len(tokens[k - 1].text) != 1:
                        break
                    if between not in (" ", "-", ". ", ".", ", ", "'"):
                        break
                    hyphen = between == "-"
                else:
                    hyphen = False
                if is_protected[k] or not (tok.text[0].isupper() or hyphen):
                    break
                low = tok.low
                initial = len(tok.text) == 1 and tok.text.isupper()
                if low in STOP_WORDS and not initial or low in lex.clinical or low in TITLES or low in ROLES or low in RELATIVES:
                    break  # "Caller: Daughter", "Mother: Stable"
                surname = low in lex.last_names and (not lex.is_english(low) or tok.is_title_case)
                # capitalised and in no dictionary, even one letter from a word ("Nuala"); not a noun
                # WordNet holds ("Mother: Lupus" is family history)
                unexplained = tok.is_title_case and not lex.is_keep(low) and not lex.near_keep(low) and not lex.is_english(low)
                if not (initial or hyphen or low in lex.first_names or surname or self._unknown_word(low) or unexplained
                        or low in _PARTICLES):
                    break  # in capitals a surname that is a word ("RE: HEART TRANSPLANT") says nothing
                run.append(k)
                k += 1
            while run and (len(tokens[run[-1]].text) == 1 and text[tokens[run[-1]].end : tokens[run[-1]].end + 1] not in (".", "")
                           and not _FIELD_END.match(text, tokens[run[-1]].end)):
                run.pop()  # a capital letter that is no initial
            words = [tokens[j] for j in run if len(tokens[j].text) > 1]
            if not words:
                continue
            single = words[0].low
            name_like = single in lex.first_names or self._unknown_word(single) or not lex.is_english(single)
            if len(run) == 1 and (lex.is_common(single) or not name_like):
                continue  # one everyday word after the label ("Re: Grace period") is no name
            for j in run:
                names[j] = True

    def _nicknames(self, text, tokens, names, is_protected) -> None:
        """A quoted nickname next to a name or after "known as": 'Harold "Hal" Jenkins', '"Big Mike" Donnelly',
        'known as "Buddy"'."""
        if '"' not in text:
            return
        for match in _QUOTED.finditer(text):
            inner = [k for k, tok in enumerate(tokens) if match.start(1) <= tok.start and tok.end <= match.end(1)]
            if not inner:
                continue
            first, last = inner[0], inner[-1]
            beside = any(names[k] for k in inner)
            if first > 0 and names[first - 1] and text[tokens[first - 1].end : match.start()].strip() == "":
                beside = True
            if last + 1 < len(tokens) and names[last + 1] and text[match.end() : tokens[last + 1].start].strip() == "":
                beside = True
            cue = bool(_NICKNAME_CUE.search(text, max(0, match.start() - 30), match.start()))
            if not (beside or cue):
                continue
            if any(is_protected[k] or not tokens[k].text[0].isupper() or self.lex.is_plain(tokens[k].low) for k in inner):
                continue
            for k in inner:
                names[k] = True

    def _parenthesised(self, text, tokens, names, is_protected, mode) -> None:
        """A name and what follows it in brackets: "Bill (William Ashworth)", "Bethan (anticoag nurse)",
        "Linda (wife)", and a first name in brackets after a name: "mrs kaur (harjit)"."""
        lex = self.lex
        for i, tok in enumerate(tokens):
            if names[i] or is_protected[i] or len(tok.low) < 3:
                continue
            opens = text[tok.end : tok.end + 2] == " ("
            if not opens and not (text[tok.end : tok.end + 1] == ")" and text[tok.start - 2 : tok.start] == " ("):
                continue
            low = tok.low
            if low in STOP_WORDS or lex.is_plain(low) or low in TITLES or low in ROLES or low in RELATIVES:
                continue
            listed = low in lex.first_names or self._unknown_word(low)
            if not listed:
                continue
            if opens and i + 1 < len(tokens) and (mode != "mixed" or tok.is_title_case):
                close = text.find(")", tok.end)
                inside = [k for k in range(i + 1, min(i + 5, len(tokens))) if close != -1 and tokens[k].end <= close]
                if inside and (names[inside[0]] or any(tokens[k].low in ROLES or tokens[k].low in RELATIVES for k in inside)):
                    names[i] = True
                    continue
            if i > 0 and names[i - 1] and text[tokens[i - 1].end : tok.start] == " (" and text[tok.end : tok.end + 1] == ")":
                if mode != "mixed" or not tok.text.isupper():
                    names[i] = True

    def _recurrences(self, text, tokens, names, is_protected, mode) -> None:
        """A name found once in a note is redacted wherever it recurs there ("RE: Destiny ...", later "assess Destiny,")."""
        lex = self.lex
        found = set()
        for i, tok in enumerate(tokens):
            if names[i] and self._recurring(tok, mode):
                found.add(tok.low)
        if not found:
            return
        for i, tok in enumerate(tokens):
            if names[i] or is_protected[i] or tok.low not in found or not self._recurring(tok, mode):
                continue
            if lex.is_common(tok.low) or lex.is_english(tok.low):  # ``_recurring`` kept listed names only
                # a name that is a word too recurs only capitalised mid-sentence ("assess Destiny,")
                if not tok.is_title_case or re.search(r"(?:^|[.!?:\n]\s*)$", text[max(0, tok.start - 3) : tok.start]):
                    continue
            names[i] = True

    def _recurring(self, tok: Token, mode: str) -> bool:
        # Only a listed first name or surname recurs (a common word only as a first name). A word no list explains
        # ("Esri", "QUALCOMM") is a name only where a cue made it one: repeating it would spread one
        # false alarm ("remedies at law, Esri") over every mention in a 10,000-word licence.
        low, lex = tok.low, self.lex
        if not lex.is_name(low) or (lex.is_common(low) and low not in lex.first_names):
            return False  # "See", a surname too, never recurs; "Destiny" may (capitalised mid-sentence)
        if len(low) < 3 or lex.is_plain(low) or low in TITLES or low in ROLES or low in RELATIVES or low in _NOT_PLACES:
            return False
        if low in JUDICIAL_TITLES or low in _MODALS or low in _PARTICLES:
            return False
        if mode == "mixed":
            return not tok.text.islower()
        return not lex.is_english(low)

    @staticmethod
    def _ages_after_names(text, tokens, names) -> Iterator[PhiSpan]:
        """An age over 89 right after a name: "Mrs Jenkins, 92,", "Stanislaw Nowak (97)" (HIPAA: ages over 89)."""
        for i, tok in enumerate(tokens):
            if not names[i] or (i + 1 < len(tokens) and names[i + 1] and joined(text, tok, tokens[i + 1])):
                continue
            match = _AGE_AFTER_NAME.match(text, tok.end)
            if match and (match.group("open") is None) == (match.group("close") is None):
                yield PhiSpan(match.start("age"), match.end("age"), "AGE")
        for person in _PERSON_WORD.finditer(text):  # "widow, 93,", "resident (104)"
            match = _AGE_AFTER_NAME.match(text, person.end())
            if match and (match.group("open") is None) == (match.group("close") is None):
                yield PhiSpan(match.start("age"), match.end("age"), "AGE")

    def _dotted_title_name(self, low: str) -> bool:
        """A word after "Mr."/"Ms." that is a listed or unknown name, in any case ("Mr. smith")."""
        lex = self.lex
        if len(low) < 2 or low in lex.clinical or lex.is_keep(low) or low in _MODALS or low in RELATIVES:
            return False
        return (lex.is_name(low) and not lex.is_common(low)) or not lex.is_english(low)

    def _after_particle(self, tokens: list[Token], i: int) -> bool:
        """Token i follows a surname particle already taken as a name ("o", "mc", "van", "de")."""
        low = tokens[i].low
        if tokens[i - 1].low not in _PARTICLES or len(low) < 2:
            return False
        return not self.lex.is_plain(low)

    def _unlisted_first_name(self, text: str, tok: Token, mode: str) -> bool:
        """A capitalised word no dictionary explains before a found surname, that is no role,
        relative or title."""
        low = tok.low
        if mode != "mixed" or not tok.is_title_case or len(low) < 3 or low in ROLES or low in RELATIVES or low in TITLES:
            return False
        before = text[max(0, tok.start - 40) : tok.start]
        stripped = before.rstrip()
        if not stripped or stripped[-1] in ".!?:;" or "\n" in before[len(stripped) :]:
            # A sentence's first word is capitalised anyway: there only a word that is no typo of an
            # English word counts ("Niamh O'Sullivan called", but "Carer Joanna" stays).
            return self._unknown_word(low)
        return self._namelike(tok, mode)

    def _surname_after_titled_first(self, text: str, tokens: list[Token], i: int) -> bool:
        """Token i is capitalised and follows "Title Firstname": a surname even if it is a noun.

        Verbs and adjectives ("Dr. Ann Notified", "Dr. Ann Aware") and clinical words stay.
        """
        if i < 2 or tokens[i - 2].low not in TITLES or not joined(text, tokens[i - 2], tokens[i - 1]):
            return False  # without a title, "Postictal Todd Paralysis" and "Austin Moore hemiarthroplasty"
        tok, first = tokens[i], tokens[i - 1].low
        if not tok.is_title_case or first not in self.lex.first_names or len(tok.low) < 3:
            return False
        low = tok.low
        lex = self.lex
        return not (lex.is_plain(low) or lex.is_common(low) or low in _PLACE_NOUNS or low in HOSPITAL_WORDS
                    or low in US_STATE_NAMES)

    def _signatures(self, text, tokens, names, is_protected, mode) -> None:
        """Names before a credential at the end of a line: "Nancy Jones, RN"."""
        for i, tok in enumerate(tokens):
            match = CREDENTIALS.match(text, tok.end)
            if not match or is_protected[i] or tok.low in ROLES or len(tok.low) < 2:
                continue
            end = match.end()
            while (more := CREDENTIALS.match(text, end)) and more.end() > end:
                end = more.end()  # "Avi Mehta, MD FACC": credentials in a row
            end = _FELLOWSHIPS.match(text, end).end()
            rest = text[end : end + 40]
            # "Will Fortunato, MD (Lynn)": a bracket may follow a comma-set credential; "Ozempic PA (prior
            # auth)" is no signature.
            ends = r"\s*[\n.(]" if "," in match.group(0) else r"\s*[\n.]"
            if rest.strip() and "\n" not in rest[:3] and not re.match(ends, rest):
                continue
            for j in (i, i - 1, i - 2):
                if j < 0 or not joined(text, tokens[j], tokens[j + 1] if j < i else None):
                    break
                low = tokens[j].low
                if low in STOP_WORDS or low in self.lex.clinical or low in TITLES or self.lex.is_keep(low):
                    break  # "Dr. Rajesh Venkataraman, MD": the title stays; "Humira, PA": a drug
                first_name = j < i and tokens[j].is_title_case and low in self.lex.first_names  # "Will Fortunato, MD"
                if len(low) > 1 and not ((self.lex.is_name(low) and not self.lex.is_common(low)) or not self.lex.is_english(low) or first_name):
                    break
                names[j] = True


# Words before an initial that make "X. Word" a person even when Word looks like a typo.
_INITIAL_CUES = TITLES | ROLES | SPEECH | {"reported", "discussed", "seen", "aware"}
# Surname particles: the word after one belongs to the name whatever its case ("Dr. o neill").
_PARTICLES = frozenset({"o", "mc", "mac", "van", "von", "de", "der", "den", "del", "della", "di", "da", "la", "le"})


_SECTION_CUES = frozenset({"social", "coping", "family"})
# Short, common-word first names that a section cue ("Social: bill called") still makes names.
_SHORT_NAMES = frozenset({"bill", "bob", "will", "pat", "sue", "ray", "don", "art", "rob", "ted", "jack", "frank", "mark", "grant", "rose"})
_INVERTED_GAP = re.compile(r",[ \t]{1,2}")
_HANDOVER = re.compile(r"\b(?:handover|handed over|hand-?off|handoff|report) (?:from|to) $", re.I)
_FIELD_END = re.compile(r"[ \t]{2,}|[ \t]*(?:\n|$)")
_PATIENT_CUES = frozenset({"pt", "patient"})
# Words after a hyphen that make no part of a name ("Smith-like").
_HYPHEN_SUFFIXES = frozenset({"like", "type", "based", "related", "induced", "year", "old", "term", "free", "up", "out", "ish"})
# Header labels after which the words on the line are a person's name.
# Labels a person's name follows in a record: "Patient: ...", "Decedent: ...", "Referring: ...", and
# a newborn's "Baby Girl ..." (no colon). Title case or capitals, as record headers write them.
_PERSON_LABELS = (
    "Patient", "Patient Name", "Pt", "Name", "Re", "Caller", "Decedent", "Deceased", "Referring",
    "Referring Physician", "Referred By", "Surgeon", "Assistant", "Attending", "Resident", "Pathologist",
    "Prosector", "Anesthesiologist", "Parent", "Parents", "Mother", "Father", "Guardian", "Spouse",
    "Next Of Kin", "NOK", "Informant", "Emergency Contact", "Caregiver",
)
# Fellowships after a doctor's degree ("MD FACC", "MD, FRCP"): the line may end after them.
_FELLOWSHIPS = re.compile(r"(?:,?\s*(?:FACC|FACP|FACS|FAAP|FACOG|FCCP|FAHA|FASE|FSCAI|FHRS|FRCPC?|FRCS))*")
_NAME_LABEL = re.compile(
    r"(?<![\w-])(?:(?:" + "|".join(
        re.escape(label) + "|" + re.escape(label.upper()) + ("|" + re.escape(label.lower().capitalize()) if " " in label else "")
        for label in _PERSON_LABELS
    ) + r")[ \t]*:[ \t]*|(?:Baby|BABY)[ \t]+(?:Girl|Boy|GIRL|BOY)[ \t]+)"
)
_PERSON_WORD = re.compile(r"\b(?:man|woman|gentleman|lady|male|female|patient|pt|resident|widow|widower)\b", re.I)
_QUOTED = re.compile(r'"([^"\n]{1,30})"')
_AGE_AFTER_NAME = re.compile(
    r'(?:"?,[ \t]*|[ \t]*(?P<open>\()[ \t]*)(?P<age>9\d|1[01]\d|120)(?:[ \t]*(?:y/?o|yo|yrs?|years?(?: old)?)\b)?'
    r'(?:[ \t]*(?P<close>\)))?(?![\d.]|[ \t]*(?:mg|mcg|ml|kg|g\b|%|/|units?\b|mmol|mm))'
)
# What stands between two parties of a case name: " v. ", " v ", " vs. " (the "v"/"vs" token between).
_CASE_GAPS = re.compile(r" v\.? ")  # not "vs": notes compare treatments with it ("Warfarin vs Apixaban")


@lru_cache(maxsize=65536)
def _is_misspelling_cached(low: str, forms_id: int) -> bool:
    return _is_misspelling_impl(low, _FORMS[forms_id])


_FORMS: dict[int, frozenset[str]] = {}


def _is_misspelling(low: str, forms: frozenset[str]) -> bool:
    _FORMS.setdefault(id(forms), forms)
    return _is_misspelling_cached(low, id(forms))


def _is_misspelling_impl(low: str, forms: frozenset[str]) -> bool:
    """One deletion, transposition, substitution or insertion away from a common word form."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    for k in range(len(low) + 1):
        left, right = low[:k], low[k:]
        if right and left + right[1:] in forms:
            return True
        if len(right) > 1 and left + right[1] + right[0] + right[2:] in forms:
            return True
        for ch in letters:
            if (right and left + ch + right[1:] in forms) or left + ch + right in forms:
                return True
    return False


# What follows a first name that is also a modal, and never a modal: a stop, a past or third-person
# verb, or a preposition ("husband Will visited", "son Will, 45", "wife May at bedside").
_AFTER_A_NAME = re.compile(r"\s*(?:[.,;:)]|$|(?:is|was|has|had|and|at|in|with|from|who|\w+ed|\w+s)\b)")


def _capitalised(tok: Token) -> bool:
    """Capitalised like a name: "Harrowgate", "O'Brien" (not "HARROWGATE" or "harrowgate")."""
    return tok.text[0].isupper() and tok.text[1:].replace("'", "").islower()


def _modal_read_as_name(text: str, between: str, tok: Token) -> bool:
    """A capitalised modal right after a relative word reads as a first name only where a modal cannot
    stand: "her husband Will." or "son Will visited", but not "daughter May be HCP", "Son Will
    call", "Husband Will Bring Meds" (a title-case heading) or "husband. Will call back"."""
    return between.strip(" ") == "" and bool(_AFTER_A_NAME.match(text, tok.end))


def _in_acronym_list(text: str, tokens: list[Token], j: int) -> bool:
    """Token j is in capitals and the next token, after ", ", " and " or " or ", is too: a list of
    acronyms ("RDF, XHTML, XML and XSL"), not "KOWALCZYK, ZBIGNIEW seen today"."""
    if not tokens[j].text.isupper() or j + 1 >= len(tokens) or not tokens[j + 1].text.isupper():
        return False
    if tokens[j + 1].low in FIELD_LABELS or tokens[j + 1].low in CREDENTIAL_WORDS:
        return False  # "KOWALCZYK, ZBIGNIEW, MRN 123": a record header, the field after the name
    return text[tokens[j].end : tokens[j + 1].start] in (", ", " and ", " or ")


def _initial_before(text: str, tokens: list[Token], i: int) -> bool:
    """Token i follows a capital initial and a period: "W. Brightwell"."""
    if i == 0:
        return False
    prev = tokens[i - 1]
    return len(prev.text) == 1 and prev.text.isupper() and text[prev.end : tokens[i].start] in (". ", ".")


