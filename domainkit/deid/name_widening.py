"""Widen a found name to the name word right beside it that the detectors left out.

Why a pass of its own: each detector judges a word alone, and some first names fail every test
there: "Will" is a modal. Next to a surname that is already redacted, a listed first name is almost
surely part of the name: "Will Fortunato, MD". And the tokenizer starts no word after "/", so in
"Drs. Ferreira/Mbatha" the second colleague was left out.

A word before a name joins only when it is capitalised, one space before the name, a listed first
name, and no clinical, kept, title or cue word ("Miss", "See"). A word after a "/" joins only after
"Drs." and when no dictionary holds it: "Dr. Lee/Heart failure team" and "John Smith/Delaware" keep
their words. Unlisted words before a name stay ("Hospitalist", "Surg" and other note shorthand look
just like an unlisted first name such as "Nuala").

An initial before a name joins when it opens a line, follows punctuation or a cue word: "- k. ibarra,
lcsw", "Admitting: S. Kaur", "spoke with J. Okafor". After other words a letter and a full stop end
a phrase more often than they start a name ("hep B. Smith called", "Exhibit A. Jones shall").
"""

from __future__ import annotations

import re

from domainkit.deid.cue_words import CREDENTIAL_WORDS, ROLES, TITLES
from domainkit.deid.lexicon import Lexicon
from domainkit.deid.names import FIELD_LABELS, JUDICIAL_TITLES, RELATIVES, SPEECH
from domainkit.deid.spans import PhiSpan, already_covered

#: Words that stand before a name without being part of it, though some are listed first names
#: ("Miss", "Page", "See"): found in the legal licences' names.
_CUES = TITLES | JUDICIAL_TITLES | ROLES | RELATIVES | SPEECH | CREDENTIAL_WORDS | FIELD_LABELS | frozenset(
    {"see", "unless", "dear", "thanks", "thank", "cc", "re", "attn"})

_WORD_BEFORE = re.compile(r"(?<![\w'\-/.])([A-Z][a-z]{2,}) $")
_WORD_AFTER_SLASH = re.compile(r"/([A-Z][a-z]{2,})(?![\w'\-])")
_PLURAL_TITLE = re.compile(r"\bDrs\.?\s+$")
_INITIAL_AT_END = re.compile(r"(?<![\w.'])([A-Za-z])\. ?$")
_WORD_AT_END = re.compile(r"(?<![\w'/.])([A-Za-z]+)$")


def widened_names(text: str, spans: list[PhiSpan], lexicon: Lexicon,
                  protected: list[tuple[int, int]]) -> list[PhiSpan]:
    """NAME spans for the name words just before (or after a "/") each NAME span of ``spans``."""
    found: list[PhiSpan] = []
    for span in spans:
        if span.type != "NAME":
            continue
        window = max(0, span.start - 40)
        before = _WORD_BEFORE.search(text[window:span.start])
        if before and not (before.start(1) == 0 and window > 0 and text[window - 1].isalnum()):
            position = (window + before.start(1), window + before.end(1))
            if _is_name_word(before.group(1), lexicon, after_slash=False) and not already_covered(position, spans, protected):
                found.append(PhiSpan(*position, "NAME"))
        initial = _initial(text, span.start, window)
        if initial and not already_covered(initial, spans, protected):
            found.append(PhiSpan(*initial, "NAME"))
        after = _WORD_AFTER_SLASH.match(text, span.end)
        if (after and _PLURAL_TITLE.search(text[max(0, span.start - 8):span.start])
                and _is_name_word(after.group(1), lexicon, after_slash=True) and not already_covered(after.span(1), spans, protected)):
            found.append(PhiSpan(*after.span(1), "NAME"))
    return found


def _initial(text: str, name_start: int, window: int) -> tuple[int, int] | None:
    """The span of an initial and its full stop just before a name, when a line start, punctuation or
    a cue word comes before it; None otherwise."""
    match = _INITIAL_AT_END.search(text, window, name_start)
    if match is None or (match.start(1) == window and window > 0):
        return None  # the window cut the text just before the letter: its context is unknown
    letter = match.start(1)
    return (letter, letter + 2) if _opens_a_name(text, letter) else None


def _opens_a_name(text: str, letter: int) -> bool:
    """Before the initial: a line start, "(", ",", ":" or ";", a "-" or "/" that follows a space ("- k.
    ibarra", not "hep-b." or "A/B."), or a cue word ("per J. Okafor")."""
    k = letter - 1 if letter > 0 and text[letter - 1] == " " else letter
    if k == 0 or text[k - 1] in "\n(,:;":
        return True
    if text[k - 1] in "-/":
        return k == 1 or text[k - 2].isspace()
    cue = _WORD_AT_END.search(text, max(0, k - 20), k)
    return k < letter and cue is not None and cue.group(1).lower() in _CUES


def _is_name_word(word: str, lexicon: Lexicon, *, after_slash: bool) -> bool:
    """Before a name: a listed first name. After "Drs. X/": a word no dictionary holds. Never a
    clinical, kept, title or cue word, nor (after "/") a place."""
    low = word.lower()
    if low in _CUES or low in lexicon.clinical or lexicon.is_keep(low):
        return False
    if after_slash:
        return not lexicon.is_english(low) and not lexicon.is_place(low)
    return low in lexicon.first_names  # a stop word too ("Will") when it is a listed first name
