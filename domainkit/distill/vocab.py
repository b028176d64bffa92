"""Bridging teacher and student vocabularies.

Relations, from cheapest to costliest:
- ``identical``: same pieces under the same ids: teacher input = student input. The
  teacher may add pieces after the student's (``describe()`` counts them as
  ``teacher_only_pieces``): the student never produces those ids, and in the
  teacher's MLM top-k they map to -1 like any piece the student lacks.
- ``shifted``: the same pieces under ids moved by a constant (MPNet vs
  BERT-uncased: +4, because MPNet puts ``<s> <pad> </s> <unk>`` first).
- ``mapped``: the same pieces under a permutation.
  In these three cases the teacher reads the student's token ids through an id
  map (special tokens map by role: CLS<->BOS, SEP<->EOS, PAD, UNK, MASK), so
  hidden states align token by token and MLM logits can be compared after
  mapping the teacher's vocabulary into the student's.
- ``different``: the tokenizers split text differently. Hidden states are then
  aligned per *word* by character offsets: each side averages the pieces of
  each word (``offset_mapping`` of fast tokenizers); MLM-logit KL is impossible.
  A word that either side's truncation cut is left out on both (``whole_word_index``).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np

IDENTICAL, SHIFTED, MAPPED, DIFFERENT = "identical", "shifted", "mapped", "different"
#: Share of the student's ordinary pieces the teacher must also have for an id map.
#: Below it, too many student pieces would reach the teacher as UNK.
MIN_COVERAGE = 0.99
#: Special-token roles matched across tokenizers; the second name is the fallback
#: role on the other side (BERT's CLS plays the part of RoBERTa/MPNet's BOS).
SPECIAL_ROLES = (
    ("cls_token", "bos_token"),
    ("sep_token", "eos_token"),
    ("pad_token", None),
    ("unk_token", None),
    ("mask_token", None),
    ("bos_token", "cls_token"),
    ("eos_token", "sep_token"),
)
#: Word-character runs, or single other non-space characters. Python's ``\w`` does not match
#: combining marks (category M*: the U+0308 of a decomposed "ï", Devanagari vowel signs), so
#: ``word_spans`` joins the pieces this pattern leaves around a mark back into one word.
WORD_PATTERN = re.compile(r"\w+|[^\w\s]")
WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class VocabBridge:
    """How student token ids relate to teacher token ids."""

    relation: str
    offset: int | None
    coverage: float
    #: student id -> teacher id (or the teacher's UNK); None when ``different``.
    student_to_teacher: np.ndarray | None
    #: teacher id -> student id, -1 where the student has no such piece.
    teacher_to_student: np.ndarray | None
    #: ``identical`` only: teacher pieces after the student's last id (0 when the sizes match).
    teacher_only_pieces: int = 0

    @property
    def token_aligned(self) -> bool:
        """True when hidden states align position by position."""
        return self.relation != DIFFERENT

    def to_teacher_ids(self, student_ids: np.ndarray) -> np.ndarray:
        if self.student_to_teacher is None:
            raise ValueError("vocabularies are different: there is no id map, tokenize for the teacher instead")
        return self.student_to_teacher[np.asarray(student_ids)]

    @property
    def teacher_vocab_size(self) -> int:
        """Teacher ids that name a tokenizer piece; an output layer padded wider has rows past these."""
        if self.teacher_to_student is None:
            raise ValueError("vocabularies are different: teacher ids have no student equivalent")
        return len(self.teacher_to_student)

    def to_student_ids(self, teacher_ids: np.ndarray) -> np.ndarray:
        if self.teacher_to_student is None:
            raise ValueError("vocabularies are different: teacher ids have no student equivalent")
        return self.teacher_to_student[np.asarray(teacher_ids)]

    def describe(self) -> dict[str, Any]:
        # teacher_only_pieces only when there are some: the dict is part of the teacher-cache key,
        # and caches written for pairs of equal size stay valid.
        extra = {"teacher_only_pieces": self.teacher_only_pieces} if self.teacher_only_pieces else {}
        return {"relation": self.relation, "offset": self.offset, "coverage": round(self.coverage, 4), **extra}


def _special_ids(tokenizer: Any) -> dict[str, int]:
    out = {}
    for role, _ in SPECIAL_ROLES:
        token = getattr(tokenizer, role, None)
        if token is not None:
            token_id = tokenizer.convert_tokens_to_ids(str(token))
            if token_id is not None:
                out[role] = int(token_id)
    return out


def bridge_vocabularies(student_tokenizer: Any, teacher_tokenizer: Any) -> VocabBridge:
    """Detect the relation between two tokenizers' vocabularies and build the id maps."""
    s_vocab: dict[str, int] = student_tokenizer.get_vocab()
    t_vocab: dict[str, int] = teacher_tokenizer.get_vocab()
    s_special, t_special = _special_ids(student_tokenizer), _special_ids(teacher_tokenizer)
    s_special_ids, t_special_ids = set(s_special.values()), set(t_special.values())
    ordinary = [p for p, i in s_vocab.items() if i not in s_special_ids]
    shared = [p for p in ordinary if p in t_vocab and t_vocab[p] not in t_special_ids]
    coverage = len(shared) / max(1, len(ordinary))
    if coverage < MIN_COVERAGE:
        return VocabBridge(DIFFERENT, None, coverage, None, None)

    s_size = max(s_vocab.values()) + 1
    t_size = max(max(t_vocab.values()) + 1, len(teacher_tokenizer))
    t_unk = t_special.get("unk_token", 0)
    s2t = np.full(s_size, t_unk, dtype=np.int64)
    t2s = np.full(t_size, -1, dtype=np.int64)
    offsets = set()
    for piece in shared:
        s_id, t_id = s_vocab[piece], t_vocab[piece]
        s2t[s_id], t2s[t_id] = t_id, s_id
        offsets.add(t_id - s_id)
    for role, fallback in SPECIAL_ROLES:
        if role not in s_special:
            continue
        t_id = t_special.get(role, t_special.get(fallback) if fallback else None)
        if t_id is not None:
            s2t[s_special[role]] = t_id
            if t2s[t_id] < 0:
                t2s[t_id] = s_special[role]

    if len(offsets) == 1:
        offset = offsets.pop()
        # A teacher that only adds pieces (every student piece under its own id) reads the
        # student's ids unchanged: identical over the student's range, not "shifted by 0".
        if offset == 0 and (len(s_vocab) == len(t_vocab) or len(shared) == len(ordinary)):
            return VocabBridge(IDENTICAL, 0, coverage, s2t, t2s, teacher_only_pieces=max(0, t_size - s_size))
        return VocabBridge(SHIFTED, offset, coverage, s2t, t2s)
    return VocabBridge(MAPPED, None, coverage, s2t, t2s)


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def word_spans(text: str) -> list[tuple[int, int]]:
    r"""Character spans of the words (runs of word characters, or single punctuation marks).

    A combining mark belongs to the character before it, and a word goes on after a mark, so
    decomposed (NFD) "nai\u0308ve" is one word, as composed "na\u00efve" is. Otherwise the two
    tokenizers, which do not split at the mark, would pool different letters into one unit.
    """
    spans: list[tuple[int, int]] = []
    for match in WORD_PATTERN.finditer(text):
        start, end = match.span()
        if spans and spans[-1][1] == start and _continues(text, spans[-1][0], start):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _continues(text: str, previous_start: int, start: int) -> bool:
    """Whether the piece at ``start`` extends the piece just before it (they touch)."""
    if _is_mark(text[start]):  # a mark joins whatever it follows (a letter, or a punctuation mark)
        return True
    # A word-character run joins a word that ended in a mark (not punctuation carrying one).
    return bool(WORD_CHAR.match(text[previous_start])) and _is_mark(text[start - 1])


def token_word_index(offsets: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[int]:
    """Word number of each token (by the word holding its first character), -1 for specials/padding."""
    starts = [s for s, _ in spans]
    out = []
    for start, end in offsets:
        if end <= start:  # special tokens and padding have empty offsets
            out.append(-1)
            continue
        w = bisect.bisect_right(starts, start) - 1
        # A token starting in the whitespace before a word (SentencePiece's "▁x") belongs to the next word.
        if w < 0 or start >= spans[w][1]:
            w += 1
        out.append(w if 0 <= w < len(spans) and spans[w][0] < end else -1)
    return out


def whole_word_index(offsets: list[tuple[int, int]], text: str) -> list[int]:
    """``token_word_index`` over ``text``'s words, with a word cut by truncation left out.

    Truncation at ``max_length`` may keep only the first pieces of the last word reached: its mean
    would not be the word's, while the other tokenizer, reading with other pieces, may hold all of
    it. Both sides (student in ``encoding``, teacher in ``teacher_outputs``) call this, so a word
    counts only when each side holds all of it.
    """
    spans = word_spans(text)
    index = token_word_index(offsets, spans)
    if _last_word_cut(offsets, index, spans, text):
        _drop_last_word(index)
    return index


def _last_word_cut(offsets: list[tuple[int, int]], index: list[int], spans: list[tuple[int, int]], text: str) -> bool:
    r"""Whether truncation kept only the first pieces of the last word the tokens reach.

    Only combining marks left after the last piece do not count: a tokenizer that strips accents
    ends its piece for NFD "cafe\u0301" before the mark even when nothing was cut.
    """
    last = max(index, default=-1)
    if last < 0:
        return False
    reached = max(end for (_, end), word in zip(offsets, index, strict=True) if word == last)
    return not all(_is_mark(char) for char in text[reached : spans[last][1]])


def _drop_last_word(index: list[int]) -> None:
    """Unmark (set to -1) every token of the last word, in place."""
    last = max(index, default=-1)
    if last >= 0:
        index[:] = [-1 if w == last else w for w in index]
