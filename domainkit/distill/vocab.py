"""Bridging teacher and student vocabularies.

Relations, from cheapest to costliest:
- ``identical``: same pieces under the same ids: teacher input = student input.
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
"""

from __future__ import annotations

import bisect
import re
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
WORD_PATTERN = re.compile(r"\w+|[^\w\s]")


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
        return {"relation": self.relation, "offset": self.offset, "coverage": round(self.coverage, 4)}


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
        relation = IDENTICAL if offset == 0 and len(s_vocab) == len(t_vocab) else SHIFTED
        return VocabBridge(relation, offset, coverage, s2t, t2s)
    return VocabBridge(MAPPED, None, coverage, s2t, t2s)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words (runs of word characters, or single punctuation marks)."""
    return [m.span() for m in WORD_PATTERN.finditer(text)]


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
