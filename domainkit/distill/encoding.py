"""Student-side encoding of the training examples, with static MLM masks for pool texts.

Labelled texts are encoded as they are (for soft + hard labels and hidden
alignment). Pool (unlabelled) texts get an MLM mask that is a pure function of
(seed, example key): the teacher, whose outputs are cached once, must see the
very same masked input as the student in every epoch (BERT's original static
masking; the teacher's MLM distribution on the *masked* text is what MLM-KL needs).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from domainkit.distill.fingerprint import example_key, tokenizer_fingerprint
from domainkit.distill.vocab import whole_word_index

LABELLED, POOL = "labelled", "pool"
#: BERT's 80/10/10 rule for masked positions: [MASK], a random piece, unchanged.
MASK_SHARE, RANDOM_SHARE = 0.8, 0.1


@dataclass
class Example:
    """One training example as the student sees it (token ids only; the text stays with the caller)."""

    key: str
    role: str
    input_ids: list[int]
    mlm_labels: list[int] | None = None
    label: Any = None  # int (single-label), multi-hot list (multi-label) or None (pool)
    word_index: list[int] | None = None  # per token, word number (different vocabularies only)
    extras: dict[str, Any] = field(default_factory=dict)


def encode_examples(
    texts: list[str],
    labels: list[Any] | None,
    tokenizer: Any,
    *,
    role: str,
    max_length: int,
    mlm_probability: float,
    seed: int,
    with_words: bool,
) -> list[Example]:
    """Tokenize ``texts`` for the student; pool texts also get their static MLM mask."""
    tok_fp = tokenizer_fingerprint(tokenizer)
    enc = tokenizer(texts, truncation=True, max_length=max_length, return_offsets_mapping=with_words)
    special = set(tokenizer.all_special_ids)
    examples = []
    for i, text in enumerate(texts):
        key = example_key(text, max_length=max_length, tokenizer_fp=tok_fp, role=role)
        ids = list(enc["input_ids"][i])
        example = Example(key=key, role=role, input_ids=ids, label=None if labels is None else labels[i])
        if with_words:  # a last word cut by the student's truncation is left out, as on the teacher's side
            example.word_index = whole_word_index(enc["offset_mapping"][i], text)
        if role == POOL:
            example.input_ids, example.mlm_labels = static_mask(
                ids, special, tokenizer.mask_token_id, len(tokenizer), mlm_probability, seed, key
            )
        examples.append(example)
    return examples


def static_mask(
    ids: list[int], special: set[int], mask_id: int, vocab_size: int, probability: float, seed: int, key: str
) -> tuple[list[int], list[int]]:
    """Masked ids and MLM labels (-100 where not masked), reproducible from (seed, key)."""
    rng = np.random.default_rng(int.from_bytes(hashlib.sha256(f"{seed}:{key}".encode()).digest()[:8], "little"))
    candidates = [i for i, t in enumerate(ids) if t not in special]
    labels = [-100] * len(ids)
    masked = list(ids)
    if not candidates:
        return masked, labels
    count = max(1, round(probability * len(candidates)))
    for pos in sorted(rng.choice(candidates, size=count, replace=False).tolist()):
        labels[pos] = ids[pos]
        draw = rng.random()
        if draw < MASK_SHARE:
            masked[pos] = mask_id
        elif draw < MASK_SHARE + RANDOM_SHARE:
            masked[pos] = int(rng.integers(0, vocab_size))
    return masked, labels


def pad_id_lists(ids: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad token id lists into ``(input_ids, attention_mask)`` tensors as wide as the longest."""
    width = max(len(x) for x in ids)
    input_ids = torch.full((len(ids), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(ids), width), dtype=torch.long)
    for row, x in enumerate(ids):
        input_ids[row, : len(x)] = torch.tensor(x)
        attention[row, : len(x)] = 1
    return input_ids, attention
