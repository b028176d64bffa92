"""Seeded, class-balanced subsampling for the smoke and default presets."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any


def _key(label: Any) -> str:
    return "|".join(sorted(label)) if isinstance(label, list) else str(label)


def stratified_head(labels: list[Any], limit: int | None, seed: int) -> list[int]:
    """Indices of at most ``limit`` rows, drawn round-robin over classes.

    Round-robin (rather than proportional) keeps rare classes represented in
    small presets, which is what a macro-F1 comparison needs. Returned in the
    original order so outputs stay stable.
    """
    if limit is None or limit >= len(labels):
        return list(range(len(labels)))
    rng = random.Random(seed)
    by_class: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        by_class[_key(label)].append(i)
    queues = []
    for key in sorted(by_class):
        rows = by_class[key]
        rng.shuffle(rows)
        queues.append(rows)
    chosen: list[int] = []
    while len(chosen) < limit:
        progressed = False
        for rows in queues:
            if rows and len(chosen) < limit:
                chosen.append(rows.pop())
                progressed = True
        if not progressed:
            break
    return sorted(chosen)
