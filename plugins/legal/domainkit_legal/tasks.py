"""The legal pack's labelled tasks and unlabelled pool, built from ScanCode's licence database.

Imported lazily by :mod:`domainkit_legal.pack` (numpy, scikit-learn, PyYAML).
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from domainkit.data.splits import build_task_data, normalise_text, sample_pool
from domainkit.data.taskdata import SINGLE_LABEL, TaskData
from domainkit.data import corpus_cache
from domainkit_legal import licensedcode

TEST_SIZE = 0.2
#: Seed whose test splits the pool always leaves out (the runner's default seed).
DEFAULT_SEED = 13
#: A licence category needs this many licences to be a class ("Unstated License" has 1).
MIN_LICENSES_PER_CATEGORY = 10
#: license-notice keeps the most frequent expressions (CORPORA.md floor: top 20).
TOP_EXPRESSIONS = 20
#: Near-duplicate notices kept per group in license-notice (see build_task_data).
MAX_NOTICES_PER_GROUP = 20
#: Pool passages: licence texts run to thousands of words; cut at paragraph
#: breaks into passages of about this many words so a 128-256 piece window
#: sees all of the text rather than its first lines.
PASSAGE_WORDS = 180


@dataclass(frozen=True)
class Examples:
    kind: str
    texts: list[str]
    labels: list[Any]
    sources: dict[str, str]
    max_per_group: int | None = None


def _source(data: dict[str, Any]) -> dict[str, str]:
    src = data["source"]
    return {f"{src['file']} ({src['distribution']}=={src['version']})": src["sha256"]}


def _examples(task: str) -> Examples:
    if task == "license-category":
        data = licensedcode.load_licenses()
        # Deprecated keys duplicate live ones; non-English texts (fr, de, ja ...)
        # are translations of licences already present in English.
        rows = [
            lic for lic in data["licenses"]
            if lic["text"] and not lic["deprecated"] and lic["language"] == "en"
        ]
        sizes = Counter(lic["category"] for lic in rows)
        rows = [lic for lic in rows if sizes[lic["category"]] >= MIN_LICENSES_PER_CATEGORY]
        return Examples(SINGLE_LABEL, [r["text"] for r in rows], [r["category"] for r in rows], _source(data))
    if task == "license-notice":
        data = licensedcode.load_rules()
        top = {e for e, _ in Counter(r["expression"] for r in data["rules"]).most_common(TOP_EXPRESSIONS)}
        rows = [r for r in data["rules"] if r["expression"] in top]
        # ScanCode keeps hundreds of variants of one notice (525 BSD-3-Clause
        # notices form one near-duplicate group): keep a sample per group.
        return Examples(
            SINGLE_LABEL,
            [r["text"] for r in rows],
            [r["expression"] for r in rows],
            _source(data),
            max_per_group=MAX_NOTICES_PER_GROUP,
        )
    raise KeyError(task)


def _groups(task: str, examples: Examples) -> list[str]:
    return corpus_cache.cached_groups(licensedcode.DISTRIBUTION, task, examples.texts, examples.labels)


def load_task(task: str, seed: int) -> TaskData:
    """The task's grouped, stratified 80/20 split for ``seed`` (a fresh copy each call)."""
    return copy.deepcopy(_split(task, seed))


@lru_cache(maxsize=16)
def _split(task: str, seed: int) -> TaskData:
    examples = _examples(task)
    return build_task_data(
        task=task,
        kind=examples.kind,
        texts=examples.texts,
        labels=examples.labels,
        seed=seed,
        test_size=TEST_SIZE,
        groups=_groups(task, examples),
        sources=examples.sources,
        max_per_group=examples.max_per_group,
        extra_info={
            "grouping": "identical normalised text or MinHash Jaccard >= 0.8 on word 3-shingles "
            "within one label (licence variants of one family share a group)"
        },
    )


def test_texts(tasks: Iterable[str], seeds: Iterable[int]) -> set[str]:
    out: set[str] = set()
    for seed in set(seeds):
        for task in tasks:
            out.update(normalise_text(t) for t in _split(task, seed).test_texts)
    return out


def passages(text: str, max_words: int = PASSAGE_WORDS) -> list[str]:
    """Cut a long text at blank lines into passages of at most ~``max_words`` words.

    Paragraphs are packed greedily; a single paragraph longer than the limit
    is cut at word boundaries.
    """
    out: list[str] = []
    current: list[str] = []
    for paragraph in (p.split() for p in text.split("\n\n")):
        while len(paragraph) > max_words:
            if current:
                out.append(" ".join(current))
                current = []
            out.append(" ".join(paragraph[:max_words]))
            paragraph = paragraph[max_words:]
        if current and len(current) + len(paragraph) > max_words:
            out.append(" ".join(current))
            current = []
        current.extend(paragraph)
    if current:
        out.append(" ".join(current))
    return out


def load_pool(*, tasks: Iterable[str], exclude: Iterable[str], limit: int | None, seed: int) -> list[str]:
    """Licence and rule texts as passages; a document equal to a test text is dropped whole."""
    excluded = test_texts(list(tasks), (DEFAULT_SEED, seed)) | {normalise_text(t) for t in exclude}
    documents = [lic["text"] for lic in licensedcode.load_licenses()["licenses"] if lic["text"]]
    documents += licensedcode.load_rules()["pool"]
    texts: list[str] = []
    for document in documents:
        if normalise_text(document) in excluded:
            continue
        # A passage can itself be a test text (a notice quoted inside a longer file).
        texts.extend(p for p in passages(document) if normalise_text(p) not in excluded)
    return sample_pool(texts, limit=limit, seed=seed)
