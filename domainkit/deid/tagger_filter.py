"""Which PHI tagger spans to believe: a plausibility check before they join the rules' spans.

A token classifier trained on a few hundred notes tags word pieces, not words, and takes many
note-taking habits for names: abbreviations ("qhs"), misspellings, device eponyms, colours,
and blood-gas or ventilator numbers for dates. Added unchecked, its spans cost more precision
than they bring recall. The checks here use general knowledge only (the lexicon's word lists,
the shapes of dates, the note's capitalisation), never a list of the training corpus's words:

- a tagger span that overlaps or touches a span the rules or NER found is kept: it widens a
  redaction that happens anyway (it may hide a neighbouring word, but adds no new redaction);
- a standalone NAME or LOCATION needs a word shaped like a name (two letters or more, a vowel,
  capitalised where the note capitalises) that is not a common, clinical or kept word; a span
  of such ordinary words passes only after a title, role or relative word ("NP Mason") or
  before a facility word ("New Hope Rehab"); a US state is no identifier (HIPAA Safe Harbor
  keeps states);
- a standalone DATE needs a month or weekday word, or the shape of a date: day and month in
  range, a four-digit year, a two-digit year after a month; fractions, pain scores, ventilator
  settings and numbers with a unit are no dates, as for the date rules.

A tagger span that cuts a word ("Zebul" of "Zebulonix") is judged, and redacted, as the whole word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domainkit.deid.cue_words import HOSPITAL_WORDS, ROLES, TITLES
from domainkit.deid.lexicon import STATE_ABBREVIATIONS, US_STATE_NAMES, US_STATES, Lexicon
from domainkit.deid.names import RELATIVES
from domainkit.deid.patterns import FRACTIONS, MONTHS_BUT_MAY, UNIT_AFTER, is_pain_score, is_vent_setting
from domainkit.deid.spans import PhiSpan, adjacent
from domainkit.deid.tokens import case_mode


_NAME_TYPES = frozenset({"NAME", "LOCATION"})
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")  # letters of any script ("Ólafsson")
_VOWEL = re.compile(r"[aeiouy]", re.I)
_STATES = US_STATE_NAMES | frozenset(code.lower() for code in US_STATES) | STATE_ABBREVIATIONS
# Words after which even a common word is a name ("NP Mason", "brother Archer", "Dr. Baker").
# Not every RELATIVES word: "family", "social", "coping" start phrases ("FAMILY MEETING") more
# often than names.
_NAME_CUES = TITLES | ROLES | (RELATIVES - {"family", "social", "coping", "law", "manager", "worker", "coordinator"})
_LAST_WORD = re.compile(r"([A-Za-z]+)(\.?)[,:]?\s*$")
_NEXT_WORD = re.compile(r"[\s.,-]*([A-Za-z]+)")

# Month names and their abbreviations only: "decreased", "marked", "Augmentin" are no dates.
# "May" alone is too common a word; it counts next to a number ("May 3", "3 May").
_DATE_WORD = re.compile(
    rf"\b(?:{MONTHS_BUT_MAY})\b\.?"
    r"|\bmay\b\.?(?=\s*\d)|(?<=\d)\s*\bmay\b"
    r"|\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)day\b"
    r"|\b(?:christmas|thanksgiving|easter|hanukk?ah|halloween)\b",
    re.I,
)
# Three numbers: "4/6/81", "5-17-09", "1998-03-01", and "3/14.88" (a period before the year).
_THREE_PART_DATE = re.compile(r"(\d{1,4})([/.\-])(\d{1,2})([/.\-])(\d{2}|\d{4})")
_MONTH_DAY = re.compile(r"(\d{1,2})/(\d{1,2})")
_FULL_YEAR = re.compile(r"(?:19|20)\d\d")
_TWO_DIGITS = re.compile(r"\d\d")
# A two-digit year follows a month ("Jan, 88") or an apostrophe ("'88").
_SHORT_YEAR_CUE = re.compile(rf"(?:{_DATE_WORD.pattern})\W{{0,3}}$|'$", re.I)


@dataclass(frozen=True)
class TaggerSpanFilter:
    """Keeps the tagger spans that widen the rules' or look like the identifier they claim."""

    lexicon: Lexicon = field(repr=False)

    def filter(self, text: str, spans: list[PhiSpan], found: list[PhiSpan]) -> list[PhiSpan]:
        """The tagger's ``spans`` to add to ``found`` (the spans the rules found in ``text``)."""
        mixed_case = case_mode(text) == "mixed"
        groups = _adjacent_groups(text, [_whole_words(text, span) for span in spans])
        return [group for group in groups
                if _widens_any(text, group, found) or self._plausible(text, group, mixed_case)]

    def _plausible(self, text: str, span: PhiSpan, mixed_case: bool) -> bool:
        if span.type in _NAME_TYPES:
            return self._plausible_name(text, span, mixed_case)
        if span.type == "DATE":
            return _plausible_date(text, span)
        return True

    def _plausible_name(self, text: str, span: PhiSpan, mixed_case: bool) -> bool:
        words = _WORD.findall(text[span.start : span.end])
        lows = [_base_form(word) for word in words]
        if span.type == "LOCATION" and " ".join(lows) in _STATES:
            return False
        cued = _name_cue_before(text, span.start)
        # After "brother" or "Dr." a lower-case word is a name even where the note capitalises.
        candidates = [low for word, low in zip(words, lows) if _name_shaped(word, low, mixed_case and not cued)]
        if not candidates:
            return False
        if not all(self._ordinary_word(low) for low in candidates):
            return True
        return cued or _facility_after(text, span.end)

    def _ordinary_word(self, low: str) -> bool:
        """A word notes use as a word: common, clinical, a kept term or a misspelt kept term."""
        lexicon = self.lexicon
        return lexicon.is_plain(low) or lexicon.is_common(low) or lexicon.near_keep(low)


def _base_form(word: str) -> str:
    low = word.lower()
    return low[:-2] if low.endswith("'s") and len(low) > 3 else low


def _name_shaped(word: str, low: str, mixed_case: bool) -> bool:
    """Could be a name by its form: no lone initial, no vowel-less abbreviation ("qhs", "bld"),
    not lower case in a note that capitalises."""
    if len(low) < 2 or (len(low) >= 3 and not _VOWEL.search(low)):
        return False
    return not (mixed_case and word.islower())


def _whole_words(text: str, span: PhiSpan) -> PhiSpan:
    """``span`` widened to whole words: word pieces are no unit of meaning ("Zebul" of
    "Zebulonix")."""
    start, end = span.start, span.end
    while start > 0 and text[start - 1].isalpha() and text[start].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha() and text[end - 1].isalpha():
        end += 1
    return PhiSpan(start, end, span.type)


def _adjacent_groups(text: str, spans: list[PhiSpan]) -> list[PhiSpan]:
    """Same-type spans that overlap or are apart by a space or period, joined as ``merge_spans``
    joins them: "New" and "Hope" are judged as one place."""
    groups: list[PhiSpan] = []
    for span in sorted(spans):
        last = groups[-1] if groups else None
        if last and last.type == span.type and (span.start <= last.end or adjacent(text, last.end, span.start)):
            groups[-1] = PhiSpan(last.start, max(last.end, span.end), last.type)
        else:
            groups.append(span)
    return groups


def _widens_any(text: str, span: PhiSpan, found: list[PhiSpan]) -> bool:
    """``merge_spans`` would fold ``span`` into one of ``found``: no new redaction, no new error."""
    for other in found:
        if span.start < other.end and other.start < span.end:
            return True
        if other.type == span.type and (adjacent(text, other.end, span.start) or adjacent(text, span.end, other.start)):
            return True
    return False


def _name_cue_before(text: str, start: int) -> bool:
    """A title, role or relative word just before ``start``; after a period only a title
    ("Dr. X"): "...with son. Marked improvement" starts a sentence, not a name."""
    match = _LAST_WORD.search(text, max(0, start - 24), start)
    if match is None:
        return False
    word, period = match.group(1).lower(), match.group(2)
    return word in TITLES if period else word in _NAME_CUES


def _facility_after(text: str, end: int) -> bool:
    match = _NEXT_WORD.match(text, end)
    return match is not None and match.group(1).lower() in HOSPITAL_WORDS


def _plausible_date(text: str, span: PhiSpan) -> bool:
    piece = text[span.start : span.end]
    if _date_word_at(text, span):
        return True
    if any(ch.isalpha() for ch in piece) or not any(ch.isdigit() for ch in piece):
        return False
    start, end = _number_bounds(text, span.start, span.end)
    return _date_shaped(text, start, end) and not UNIT_AFTER.match(text, end)


def _date_word_at(text: str, span: PhiSpan) -> bool:
    """A month, weekday or holiday overlaps ``span``; a few characters around it are read so
    that "May" can be judged by the number beside it."""
    offset = max(0, span.start - 4)
    for match in _DATE_WORD.finditer(text[offset : span.end + 4]):
        if match.start() + offset < span.end and span.start < match.end() + offset:
            return True
    return False


def _number_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole number around ``text[start:end]``: its digits and the separators between them
    (the tagger may tag "7" of the blood gas "7.41/38/92")."""

    def continues(i: int, step: int) -> bool:
        beyond = i + step
        return text[i].isdigit() or (text[i] in "/.-" and 0 <= beyond < len(text) and text[beyond].isdigit())

    while start > 0 and continues(start - 1, -1):
        start -= 1
    while end < len(text) and continues(end, 1):
        end += 1
    return start, end


def _date_shaped(text: str, start: int, end: int) -> bool:
    number = text[start:end]
    if match := _THREE_PART_DATE.fullmatch(number):
        first, separator, second, second_separator, third = match.groups()
        if separator != second_separator and (separator, second_separator) != ("/", "."):
            return False  # "4.2/51", "2-3/10": a decimal or a range before a fraction
        if len(first) == 4:
            return _in_range(second, third)
        return _in_range(first, second) or _in_range(second, first)  # month first, or day first ("17.05.09")
    if match := _MONTH_DAY.fullmatch(number):
        month, day = (int(part) for part in match.groups())
        return (_in_range(month, day) and number not in FRACTIONS
                and not is_pain_score(text, start, end, month, day)
                and not is_vent_setting(text, start, month, day))
    if _FULL_YEAR.fullmatch(number):
        return True
    return bool(_TWO_DIGITS.fullmatch(number) and _SHORT_YEAR_CUE.search(text, max(0, start - 12), start))


def _in_range(month: int | str, day: int | str) -> bool:
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31
