"""The medical pack's labelled tasks and unlabelled pool, built from HPO and ICD-10-CM.

Imported lazily by :mod:`domainkit_medical.pack` (it pulls numpy, scikit-learn
and the corpus parsers).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from domainkit.data.splits import build_task_data, normalise_text, sample_pool
from domainkit.data.taskdata import MULTI_LABEL, SINGLE_LABEL, TaskData
from domainkit.data import corpus_cache
from domainkit_medical import hpo, icd10cm

#: Share of groups held out for testing.
TEST_SIZE = 0.2
#: Seed whose test splits the pool always leaves out (the runner's default seed).
DEFAULT_SEED = 13
#: ICD-10-CM classes with fewer leaf codes are dropped ("Codes for special purposes" has 5).
MIN_CODES_PER_CHAPTER = 30


@dataclass(frozen=True)
class Examples:
    """A task's rows before splitting; ``group_keys`` add domain knowledge to near-duplicate grouping."""

    kind: str
    texts: list[str]
    labels: list[Any]
    group_keys: list[str | None] | None
    sources: dict[str, str]
    distribution: str


def _source(data: dict[str, Any]) -> dict[str, str]:
    src = data["source"]
    return {f"{src['file']} ({src['distribution']}=={src['version']})": src["sha256"]}


def _examples(task: str) -> Examples:
    if task in ("hpo-organ-system", "hpo-organ-systems"):
        data = hpo.load()
        if task == "hpo-organ-system":
            texts, labels, _ = hpo.single_system_examples(data)
            kind = SINGLE_LABEL
        else:
            texts, labels, _ = hpo.multi_system_examples(data)
            kind = MULTI_LABEL
        # Terms with the same definition are joined by the normalised-text rule.
        return Examples(kind, texts, labels, None, _source(data), hpo.DISTRIBUTION)
    if task == "icd10-chapter":
        data = icd10cm.load()
        rows = [c for c in data["codes"] if c["leaf"] and c["desc"]]
        sizes: dict[str, int] = {}
        for row in rows:
            sizes[row["chapter"]] = sizes.get(row["chapter"], 0) + 1
        rows = [r for r in rows if sizes[r["chapter"]] >= MIN_CODES_PER_CHAPTER]
        # Billable codes of one subcategory (e.g. S72.3: shaft of femur) differ
        # only by laterality, displacement or encounter: near-duplicates that
        # word-shingle similarity misses on 7-word texts. Keep them together.
        keys = [r["code"][:5] for r in rows]
        return Examples(
            SINGLE_LABEL,
            [r["desc"] for r in rows],
            [r["chapter"] for r in rows],
            keys,
            _source(data),
            icd10cm.DISTRIBUTION,
        )
    raise KeyError(task)


def _groups(task: str, examples: Examples) -> list[str]:
    return corpus_cache.cached_groups(examples.distribution, task, examples.texts, examples.labels,
                                        extra_keys=examples.group_keys)


def load_task(task: str, seed: int) -> TaskData:
    """The task's grouped, stratified 80/20 split for ``seed`` (a fresh copy each call)."""
    return copy.deepcopy(_split(task, seed))


@lru_cache(maxsize=16)
def _split(task: str, seed: int) -> TaskData:
    """Memoised per process: the pool asks for every task's test split."""
    examples = _examples(task)
    groups = _groups(task, examples)
    return build_task_data(
        task=task,
        kind=examples.kind,
        texts=examples.texts,
        labels=examples.labels,
        seed=seed,
        test_size=TEST_SIZE,
        groups=groups,
        sources=examples.sources,
        extra_info={"grouping": _grouping_note(task)},
    )


def _grouping_note(task: str) -> str:
    base = "identical normalised text or MinHash Jaccard >= 0.8 on word 3-shingles within one label"
    if task == "icd10-chapter":
        return base + "; plus same ICD-10-CM subcategory (first 5 characters of the code)"
    return base


def test_texts(tasks: Iterable[str], seeds: Iterable[int]) -> set[str]:
    """Normalised test texts of ``tasks`` at every seed in ``seeds``."""
    out: set[str] = set()
    for seed in set(seeds):
        for task in tasks:
            out.update(normalise_text(t) for t in _split(task, seed).test_texts)
    return out


def pool_units() -> list[list[str]]:
    """The pool's texts grouped by source record (an HPO term's texts; one ICD text each).

    A unit is dropped whole when any of its texts is a test text, so a test
    term's name, synonyms and comment stay out of the pool along with its
    definition.
    """
    units: list[list[str]] = []
    for term in hpo.load()["terms"]:
        texts = [term["name"], term["definition"], *term["synonyms"], term["comment"]]
        units.append([t for t in texts if t])
    units.extend([text] for text in icd10cm.pool_texts(icd10cm.load()))
    return units


def load_pool(*, tasks: Iterable[str], exclude: Iterable[str], limit: int | None, seed: int) -> list[str]:
    excluded = test_texts(list(tasks), (DEFAULT_SEED, seed)) | {normalise_text(t) for t in exclude}
    texts = [
        text
        for unit in pool_units()
        if not any(normalise_text(t) in excluded for t in unit)
        for text in unit
    ]
    return sample_pool(texts, limit=limit, seed=seed)
