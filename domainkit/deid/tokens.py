"""Words of a note as the name and place rules see them: tokens with a folded lower-case form.

Kept apart from the rules so both rule families (``names``, ``place_names``) and the passes that
widen their spans share one idea of what a word is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from domainkit.deid.cue_words import TITLES

# Words start at a word boundary ("4L" holds no token "L"); hyphens split words ("DR.-WILLIAMS").
# A word glued to a digit ("SpO2", "cmH2O") is a measurement, not a name: it gets no token.
# Letters are any script's (``[^\W\d_]``): "Núñez" or "Müller" cut at their first accent would leave
# the rest of the name in the clear.
_LETTER = r"[^\W\d_][\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*"
_TOKEN = re.compile(rf"(?<![^\W_])(?<!['/]){_LETTER}(?:{_LETTER}|'(?={_LETTER}))*+(?!\d)")
# Letters NFKD does not take apart into a base letter and a mark.
_UNFOLDED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d"})


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    low: str  # lower case without accents (see ``fold``), possessive 's removed

    @property
    def is_title_case(self) -> bool:
        return self.text[0].isupper() and not self.text.isupper()


def fold(word: str) -> str:
    """Lower case without accents ("Núñez" -> "nunez", "Łukasz" -> "lukasz"): the word lists' spelling."""
    low = word.lower()
    if low.isascii():
        return low
    decomposed = unicodedata.normalize("NFKD", low.translate(_UNFOLDED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        low = fold(word)
        if low.endswith("'s") and len(low) > 3:
            low = low[:-2]
        tokens.append(Token(match.start(), match.end(), word, low))
    return tokens


def case_mode(text: str) -> str:
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


def joined(text: str, left: Token, right: Token | None) -> bool:
    """Two tokens belong to one name: spaces between them, or a period after an initial or title."""
    if right is None:
        return True
    gap = text[left.end : right.start]
    if len(gap) > 3 or gap.strip(" .") != "" or "\n" in gap:
        return False
    return "." not in gap or len(left.text) == 1 or left.low in TITLES or left.low == "st"
