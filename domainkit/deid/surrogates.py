"""Surrogate augmentation for PHI tagger training: the same sentences, other identifiers.

Why: a team's annotated notes name a few hundred people and places, and a tagger trained on them
learns those very names ("Quartermain", "GH") more than the contexts that announce a name ("seen
by Dr ...", "daughter ... called", "transferred from ..."). Training on copies of each sentence
with every annotated span swapped for another identifier of the same type and shape (census names,
GeoNames places, valid dates in the same layout, other digits) teaches the context. This is the
surrogate substitution that de-identified corpora such as PhysioNet deid already use, applied at
training time; no library offers it over arbitrary annotated spans, so it is written here.

A surrogate keeps the original's letter case (``SMITH`` -> ``JONES``, ``smith`` -> ``jones``), word
count and separators; types with no generator here (``EMAIL``, ``URL``, ...) keep their digits'
positions but change the digits, and spans without digits stay as they are.
"""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass
from functools import lru_cache

from domainkit.deid.annotations import Span
from domainkit.deid.lexicon import data_lines, load_lexicon

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")  # fmt: skip
_NUMERIC_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})(?:([/.-])(\d{2}|\d{4}))?$")
_WORD = re.compile(r"[A-Za-z]+(?='s\b)|[A-Za-z]+")  # "Mary's": the word is "Mary", the "'s" stays
_NAME_WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")  # "O'Brien", "Mary-Ann": one name each
_ISO_DATE = re.compile(r"^(\d{4})([/.-])\d{1,2}\2\d{1,2}$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})([/.-])(\d{4})$")
_NUMBER = re.compile(r"\d+")
_YEAR = re.compile(r"^(19|20)\d\d$")
# Census surnames past this rank are rarer than most annotators' notes hold; they stay out of samples.
_SURNAME_RANKS = 20_000
_ABBREVIATION_TRIES = 50
_FACILITY_WORDS = frozenset("""hospital hosp rehab rehabilitation center centre medical nursing home clinic
    general university memorial county st saint street ave avenue road rd unit house health care of the
    and at""".split())


@dataclass(frozen=True)
class _Pools:
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    one_word_places: tuple[str, ...]


@lru_cache(maxsize=1)
def _pools() -> _Pools:
    places = tuple(line for line in data_lines("places.txt.gz") if line.isalpha())
    return _Pools(first_names=tuple(data_lines("first_names.txt.gz")),
                  last_names=tuple(data_lines("last_names.txt.gz")[:_SURNAME_RANKS]), one_word_places=places)


def surrogate(kind: str, original: str, rng: random.Random) -> str:
    """Another identifier of type ``kind`` shaped like ``original`` (same case, words, layout)."""
    if kind == "NAME":
        return _name(original, rng)
    if kind == "LOCATION":
        return _location(original, rng)
    if kind == "DATE":
        return _date(original, rng)
    if kind == "AGE" and original.strip().isdigit():
        return original.replace(original.strip(), str(rng.randint(90, 104)))  # only ages over 89 are PHI
    return _other_digits(original, rng)


def augment(texts: list[str], spans: list[list[Span]], *, copies: int, seed: int) -> tuple[list[str], list[list[Span]]]:
    """``texts`` and ``spans`` followed by ``copies`` surrogate copies of every text that holds a span."""
    rng = random.Random(seed)
    out_texts, out_spans = list(texts), [list(s) for s in spans]
    for _ in range(copies):
        for text, text_spans in zip(texts, spans, strict=True):
            if text_spans:
                new_text, new_spans = _substitute(text, text_spans, rng)
                out_texts.append(new_text)
                out_spans.append(new_spans)
    return out_texts, out_spans


def _substitute(text: str, spans: list[Span], rng: random.Random) -> tuple[str, list[Span]]:
    """``text`` with each span replaced by a surrogate; offsets moved to match."""
    pieces, new_spans, cursor, shift = [], [], 0, 0
    for start, end, kind in sorted(spans):
        if start < cursor:  # overlapping annotation: keep the first, drop this one
            continue
        replacement = surrogate(kind, text[start:end], rng)
        pieces.append(text[cursor:start])
        pieces.append(replacement)
        new_spans.append((start + shift, start + shift + len(replacement), kind))
        shift += len(replacement) - (end - start)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), new_spans


def _same_case(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template.islower():
        return word.lower()
    if template[:1].isupper():
        return word.capitalize()
    return word


def _name(original: str, rng: random.Random) -> str:
    pools = _pools()
    words = list(_NAME_WORD.finditer(original))

    def pick(match: re.Match, index: int) -> str:
        word = match.group()
        if len(word) == 1:  # an initial stays an initial
            return _same_case(word, rng.choice(string.ascii_uppercase))
        # In "Ann Smith" the first word is a given name, in "Smith, Ann" the last; a lone word is either.
        given_index = len(words) - 1 if "," in original else 0
        is_given = (len(words) > 1 and index == given_index) or (len(words) == 1 and rng.random() < 0.4)
        return _same_case(word, rng.choice(pools.first_names if is_given else pools.last_names))

    return _replace_words(original, words, pick)


def _location(original: str, rng: random.Random) -> str:
    words = list(_WORD.finditer(original))
    if len(words) == 1 and words[0].group().isupper() and len(words[0].group()) <= 5:
        # A hospital's or a town's abbreviation ("GH", "GBMC"): other capitals, same length.
        return _replace_words(original, words, lambda m, _: _abbreviation(len(m.group()), rng))
    places = _pools().one_word_places

    def pick(match: re.Match, _: int) -> str:
        # "Hospital", "Rehab", "St" keep the context; the identifying words change.
        word = match.group()
        if len(word) == 1 or word.lower() in _FACILITY_WORDS:
            return word
        return _same_case(word, rng.choice(places).capitalize())

    return _other_digits(_replace_words(original, words, pick), rng)


def _abbreviation(length: int, rng: random.Random) -> str:
    """Random capitals that spell no English, clinical or kept word ("IV", "AT" would teach the wrong thing)."""
    lexicon = load_lexicon()
    letters = ""
    for _ in range(_ABBREVIATION_TRIES):  # every single letter is a word: short ones may never pass
        letters = "".join(rng.choices(string.ascii_uppercase, k=length))
        if not (lexicon.is_english(letters.lower()) or lexicon.is_plain(letters.lower())):
            break
    return letters


def _date(original: str, rng: random.Random) -> str:
    core = original.strip()
    if _YEAR.match(core):
        return original.replace(core, _year("1977", rng))
    iso = _ISO_DATE.match(core)
    if iso:
        return original.replace(core, f"{_year(iso.group(1), rng)}{iso.group(2)}{rng.randint(1, 12):02d}"
                                      f"{iso.group(2)}{rng.randint(1, 28):02d}")
    month_year = _MONTH_YEAR.match(core)
    if month_year:
        month, sep, year = month_year.groups()
        return original.replace(core, f"{_pad(rng.randint(1, 12), month)}{sep}{_year(year, rng)}")
    numeric = _NUMERIC_DATE.match(core)
    if numeric:
        month, sep, day, sep2, year = numeric.groups()
        # Day-first or month-first, the first number keeps its role: whichever it is, 1-12 and 1-28 are valid.
        text = f"{_pad(rng.randint(1, 12), month)}{sep}{_pad(rng.randint(1, 28), day)}"
        return original.replace(core, text + (sep2 + _year(year, rng) if year else ""))
    return _word_date(original, rng)


def _word_date(original: str, rng: random.Random) -> str:
    """"June 5", "5th of Dec", "July 4, 2019": another month (same case, full or cut alike), a day 1-28, a year."""

    def month_word(match: re.Match, _: int) -> str:
        word = match.group()
        for month in _MONTHS:
            if len(word) >= 3 and month.startswith(word.lower()):
                other = rng.choice(_MONTHS)
                # A cut name ("Dec", "Sept") stays cut to three letters; a full one stays full.
                return _same_case(word, other if word.lower() == month else other[:3])
        return word

    renamed = _replace_words(original, list(_WORD.finditer(original)), month_word)
    return _NUMBER.sub(lambda m: _year(m.group(), rng) if len(m.group()) in (2, 4) and int(m.group()) > 31
                       else str(rng.randint(1, 28)), renamed)


def _year(template: str, rng: random.Random) -> str:
    year = rng.randint(1930, 2030)
    return f"{year % 100:02d}" if len(template) == 2 else str(year)


def _pad(value: int, template: str) -> str:
    return f"{value:02d}" if len(template) == 2 else str(value)


def _other_digits(original: str, rng: random.Random) -> str:
    """Each digit replaced by a random one, a leading digit never by 0 (so "0" never leads a number)."""
    out, previous_digit = [], False
    for char in original:
        if char.isdigit():
            out.append(str(rng.randint(0 if previous_digit else 1, 9)))
        else:
            out.append(char)
        previous_digit = char.isdigit()
    return "".join(out)


def _replace_words(original: str, words: list[re.Match], pick) -> str:
    pieces, cursor = [], 0
    for index, match in enumerate(words):
        pieces.append(original[cursor : match.start()])
        pieces.append(pick(match, index))
        cursor = match.end()
    pieces.append(original[cursor:])
    return "".join(pieces)
