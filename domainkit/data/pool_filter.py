"""Keep the unlabelled pool clear of the texts a run evaluates on: copies, near-copies and pieces.

A pack's ``load_pool`` leaves out the test texts themselves, but a pool may still hold a
passage of a test licence, another version of a test notice, or the header of a test code
("Typhoid fever" beside the test text "Typhoid fever, unspecified"). Distilling on those
would show the student the test inputs (with the teacher's labels), which flatters the
distilled student against the labels-only one. Checked here, in the core, so that every
pack gets it, third-party ones included.

A pool text is dropped when at least ``CONTAINMENT`` of its word 3-grams (its words, for texts of
one or two words) occur anywhere in the held-out texts. Containment rather than Jaccard: a
200-word passage of a 3000-word licence has a small Jaccard with it but is contained in it whole.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from domainkit.data.splits import SHINGLE_WORDS, kgram_hashes, normalise_text

#: Share of a pool text's word k-grams found in the held-out texts at which it counts as theirs.
CONTAINMENT = 0.8


def drop_near_held_out(pool: Sequence[str], held_out: Sequence[str]) -> tuple[list[str], int]:
    """``pool`` without the texts contained in ``held_out`` (see the module docstring); and how many went."""
    if not pool or not held_out:
        return list(pool), 0
    cache: dict[str, int] = {}
    held_out_words = [normalise_text(text).split() for text in held_out]
    grams = {k: np.unique(np.concatenate([kgram_hashes(words, k, cache) for words in held_out_words if len(words) >= k]
                                         or [np.empty(0, dtype=np.uint64)]))
             for k in range(1, SHINGLE_WORDS + 1)}
    kept = [text for text in pool if not _contained(normalise_text(text).split(), grams, cache)]
    return kept, len(pool) - len(kept)


def _contained(words: list[str], grams: dict[int, np.ndarray], cache: dict[str, int]) -> bool:
    if not words:
        return False
    k = min(SHINGLE_WORDS, len(words))
    own = np.unique(kgram_hashes(words, k, cache))
    return bool(np.isin(own, grams[k], assume_unique=True).mean() >= CONTAINMENT)
