"""spaCy NER, run only where the rules leave doubt (keeps de-identification fast).

The small English pipeline tags about 44 notes a second here; the rules run several times faster.
So NER sees only the sentences that hold a capitalised word no list explains (not English,
clinical or a kept term), or a capitalised word of the name and place lists, not yet redacted; an
entity counts only when it covers such a word: NER alone would also tag drug names and
abbreviations.

NER reads case, and many notes are ALL CAPS or all lower case. For those, NER reads a re-cased
copy of the same length (offsets map one to one): names, places and words no list explains are
capitalised, English and clinical words lower-cased, and sentences start with a capital.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from domainkit.deid.cue_words import CREDENTIAL_WORDS, ROLES, TITLES
from domainkit.deid.lexicon import SPACY_MODEL, STOP_WORDS, Lexicon
from domainkit.deid.names import NameFinder
from domainkit.deid.spans import PhiSpan
from domainkit.deid.tokens import case_mode, tokenize

# A sentence starts at its first non-space character: spaCy reads a leading space as a token of its
# own, and that changed its entities ("Contact Łukasz Nowak" after "See Exhibit A." lost "Łukasz").
_SENTENCE = re.compile(r"[^\s.!?][^.!?\n]*[.!?]?")
_SENTENCE_BREAK = re.compile(r"[.!?\n:]")
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
# How strongly the lists point to a name or place for a doubtful word.
LISTED = "listed"  # in a name or place list and no English word ("Kowalczyk", "Tacoma")
UNKNOWN = "unknown"  # in no list at all ("Brennoldi", but also drug names and typos)
AMBIGUOUS = "ambiguous"  # in a name or place list and an English word ("Grant", "Lakeside")
# A listed town that WordNet holds only as a proper noun ("Cambridge", "Worcester"): as good as LISTED
# for a place entity, AMBIGUOUS for a person ("the Gateway", "Bison" are towns too).
PROPER_PLACE = "proper place"
# Only NER is needed: the tagger, parser and lemmatizer would triple the cost.
_EXCLUDE = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


class NerTagger:
    """Adds NAME/LOCATION spans from spaCy NER on doubtful sentences."""

    def __init__(self, lexicon: Lexicon, names: NameFinder | None = None, *, proper_places: bool = True) -> None:
        """``proper_places=False`` (legal text) leaves towns WordNet also lists in doubt: there such
        a word is often a jurisdiction or a country ("England and Wales", "Georgia")."""
        import spacy

        self.lex = lexicon
        self.names = names or NameFinder(lexicon)
        self.proper_places = proper_places
        self.nlp = spacy.load(SPACY_MODEL, exclude=_EXCLUDE)

    def find_many(self, texts: list[str], found: list[list[PhiSpan]]) -> Iterator[list[PhiSpan]]:
        """For each text, the NER spans to add (``found`` holds the rule spans so far)."""
        views = [self.recase(text) for text in texts]
        recased = [view is not text for view, text in zip(views, texts)]
        pieces: list[tuple[int, int, dict[tuple[int, int], str]]] = []  # (text, offset, doubtful words)
        for index, (view, spans) in enumerate(zip(views, found)):
            pieces.extend((index, start, words) for start, words in self._doubtful(view, spans))
        extra: list[list[PhiSpan]] = [[] for _ in texts]
        sentences = (views[index][start : start + _length(views[index], start)] for index, start, _ in pieces)
        for (index, start, words), doc in zip(pieces, self.nlp.pipe(sentences, batch_size=256)):
            for ent in doc.ents:
                span = self._accept(ent, start, words, recased[index])
                if span is not None:
                    extra[index].append(span)
        return iter(extra)

    def _accept(self, ent, offset: int, words: dict[tuple[int, int], str], recased: bool) -> PhiSpan | None:
        """The span for entity ``ent`` if it is a person or place the lists leave in doubt."""
        label = ent.label_
        if label != "PERSON" and label not in _PLACE_LABELS and label != "ORG":
            return None
        if any(self.lex.is_keep(tok.lower_) or self.lex.near_keep(tok.lower_) for tok in ent):
            return None  # "Von Willebrand", "Bair Hugger", a misspelt drug: eponyms and drugs stay
        if label != "PERSON" and self._defined_terms_only(ent):
            return None  # legal drafting: "the Collective Works", "Department of Commerce"
        if label != "PERSON" and (" - " in ent.text or " | " in ent.text) or all(_role_or_credential(tok.lower_) for tok in ent):
            return None  # "9 North - Stanislaw Nowak" straddles two header fields; "PharmD.", "Nurse Practitioner" are no names
        if label == "PERSON":
            # No name holds a number: "Zilxi 1" of "Zilxi 1.5 mg", "Roxanol 5 mg SL" end at the number.
            end = next((tok.i for tok in ent if tok.like_num), ent.end)
            if end == ent.start:
                return None
            ent = self._without_leading_words(ent.doc[ent.start : end])
            if ent is None:
                return None
            # "Started Keytruda 200 mg": one word before a dose is a drug; "Adaeze Nwosu 25 mg" stays a person.
            if len(ent) == 1 and _DOSE_AFTER.match(ent.doc.text, ent.end_char) and not self.lex.is_name(ent[0].lower_):
                return None
        start, end = offset + ent.start_char, offset + ent.end_char
        covered = [unknown for (w_start, w_end), unknown in words.items() if start <= w_start and w_end <= end]
        if not covered:
            return None
        if label == "ORG":
            return PhiSpan(start, end, "LOCATION") if _facility(ent.text) else None
        as_proper_place = LISTED if label in _PLACE_LABELS else AMBIGUOUS
        covered = [as_proper_place if kind == PROPER_PLACE else kind for kind in covered]
        if recased and LISTED not in covered:
            return None  # in re-cased text drugs and typos look like names: a list must back NER
        if covered == [AMBIGUOUS] * len(covered) and len(ent) - self._clinical_tokens(ent) < 2:
            # a listed word that is also English ("Grant", "Hope") needs a neighbour that is no
            # clinical word: "Warm Neb" is a nebuliser, "Grant Smith" a person
            return None
        return PhiSpan(start, end, "NAME" if label == "PERSON" else "LOCATION")

    def _defined_terms_only(self, ent) -> bool:
        """Every word of ``ent`` is a defined term (see ``NameFinder.defined_term``) or a function word."""
        words = [tok.lower_ for tok in ent if tok.is_alpha]
        return bool(words) and all(w in STOP_WORDS or self.names.defined_term(w) for w in words)

    def _without_leading_words(self, ent):
        """``ent`` less the everyday words it starts with ("Started Xarelto" -> "Xarelto"), or None if nothing is left.

        A sentence's first word is capitalised, so NER often pulls a verb into the name after it.
        """
        first = ent.start
        while first < ent.end and ent.doc[first].lower_ not in self.lex.first_names and self.lex.is_common(ent.doc[first].lower_):
            first += 1
        if first == ent.end:
            return None
        return ent.doc[first : ent.end]  # no kept term in it: _accept has refused such entities already

    def _clinical_tokens(self, ent) -> int:
        """How many tokens of ``ent`` are clinical or function words."""
        clinical, stop = self.lex.clinical, STOP_WORDS
        return sum(1 for tok in ent if tok.lower_ in clinical or tok.lower_ in stop)

    # -- which sentences NER reads -----------------------------------------------------------
    def recase(self, text: str) -> str:
        """``text`` itself if mixed case, else a copy of equal length cased like ordinary prose."""
        mode = case_mode(text)
        if mode == "mixed":
            return text
        chars = list(text)
        cursor = 0
        for number, tok in enumerate(tokenize(text)):
            sentence_start = number == 0 or bool(_SENTENCE_BREAK.search(text, cursor, tok.start))
            cased = self._cased(tok.text, tok.low, mode, sentence_start)
            # Offsets into the copy are offsets into the text: a word whose case change alters its
            # length ("İ" lower-cases to two characters, "ß" upper-cases to "SS") stays as written.
            chars[tok.start : tok.end] = cased if len(cased) == len(tok.text) else tok.text
            cursor = tok.end
        return "".join(chars)

    def _cased(self, word: str, low: str, mode: str, sentence_start: bool) -> str:
        lex = self.lex
        lower = word.lower()
        if mode == "upper" and len(word) <= 4 and (low in lex.clinical or not lex.is_english(low)):
            if not lex.is_name(low):
                return word  # "BP", "ICU", "SBP": abbreviations stay upper case
        capital = lower[:1].upper() + lower[1:]
        if sentence_start:
            return capital
        if len(low) < 3 or low in STOP_WORDS or lex.is_keep(low) or low in lex.clinical:
            return lower
        if lex.is_english(low):
            return capital if low in lex.first_names and not lex.is_common(low) else lower
        if lex.is_name(low) or low in lex.places:
            return capital
        if len(low) >= 4 and not self.names._misspelling(low):
            return capital
        return lower

    def _doubtful(self, text: str, spans: list[PhiSpan]) -> Iterator[tuple[int, dict[tuple[int, int], str]]]:
        """Sentences (offset) and their doubtful words, each marked LISTED, UNKNOWN or AMBIGUOUS."""
        lex = self.lex
        for match in _SENTENCE.finditer(text):
            words: dict[tuple[int, int], str] = {}
            for number, tok in enumerate(tokenize(match.group(0))):
                if number == 0 or not tok.is_title_case or len(tok.low) < 3:
                    continue  # a sentence's first word is capitalised anyway
                low = tok.low
                if lex.is_keep(low) or low in lex.clinical or low in STOP_WORDS:
                    continue
                listed = lex.is_name(low) or low in lex.places
                if lex.is_english(low):
                    if not listed:
                        continue
                    # WordNet lists proper nouns too ("Cambridge", "Ireland"): a listed place with no
                    # everyday use (no verb, adjective or adverb sense, no everyday noun) is a place.
                    # Not first names: short ones are words too in notes ("wen", "ada" diet, "Temp").
                    proper_place = (self.proper_places and low in lex.places and low not in lex.first_names
                                    and not lex.is_common(low))
                    kind = PROPER_PLACE if proper_place else AMBIGUOUS
                else:
                    kind = LISTED if listed else UNKNOWN
                start = match.start() + tok.start
                if any(s.start <= start < s.end for s in spans):
                    continue
                words[(start, start + len(tok.text))] = kind
            if words:
                yield match.start(), words


# A dose right after a word makes it a drug: "Xarelto 20 mg", "Lantus 10 units".
_DOSE_AFTER = re.compile(r"\s*\d+(?:\.\d+)?\s*(?:(?:mg|mcg|g|gm|units?|u|ml|meq|mmol|iu)\b|%)", re.I)


def _role_or_credential(low: str) -> bool:
    """A word that names a job, not a person: "PharmD.", "Nurse Practitioner", "Chaplain"."""
    return low.rstrip(".") in CREDENTIAL_WORDS or low in ROLES or low in TITLES


def _length(text: str, start: int) -> int:
    match = _SENTENCE.match(text, start)
    return match.end() - start if match else 0


def _facility(name: str) -> bool:
    return bool(re.search(r"\b(?:hospital|hosp|medical|center|clinic|rehab|memorial|health)\b", name, re.I))
