"""Grouped, stratified, seeded train/test splits that keep near-duplicates together.

Real domain corpora are full of near-duplicates: licence variants of the BSD
and MIT families differ by a copyright holder, ICD-10-CM descriptions differ by
laterality, HPO terms share a definition. A plain random split puts one copy in
train and its twin in test, and the test score then measures memory, not
generalisation. Here every text gets a *group* (near-duplicates share one) and
groups never straddle train and test.

Used by the built-in packs and by the bring-your-own-data reader:

>>> groups = near_duplicate_groups(texts)
>>> train_idx, test_idx = grouped_stratified_split(labels, groups, test_size=0.2, seed=13)

or, all in one, :func:`build_task_data`.

Near-duplicate detection is MinHash over word shingles with LSH banding
(numpy only, content-based hashes), so the groups of a text do not depend on
the input order or on ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
import warnings
import zlib
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

#: Word k-grams hashed into the MinHash signature: 3 words tolerate a changed
#: name or year (only the few shingles touching it change) yet keep order.
SHINGLE_WORDS = 3
#: 64 hash functions = 16 bands x 4 rows: pairs above ~0.5 Jaccard become
#: candidates with high probability; candidates are then checked against
#: ``threshold`` on the estimated Jaccard similarity.
NUM_PERM = 64
BAND_ROWS = 4
#: Two texts are near-duplicates at or above this Jaccard similarity of their
#: shingle sets (a BSD-3-Clause notice with another holder and year scores
#: ~0.83; GPL v2 and v3 notices ~0.9, which is why ``partition`` exists).
DEFAULT_THRESHOLD = 0.8
#: Bump when grouping or splitting changes output: cached splits carry it.
SPLIT_ALGORITHM_VERSION = 5
#: Fixed seed of the hash family: signatures must be the same in every run.
_HASH_SEED = 20240601
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def normalise_text(text: str) -> str:
    """Lower-cased words of ``text`` joined by single spaces (punctuation and layout dropped).

    Two texts that differ only by case, whitespace, punctuation or Unicode
    compatibility forms normalise to the same string.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


def _word_hashes(words: list[str], cache: dict[str, int]) -> np.ndarray:
    out = np.empty(len(words), dtype=np.uint64)
    for i, word in enumerate(words):
        value = cache.get(word)
        if value is None:
            # crc32 is content-based and stable across processes (unlike hash()).
            value = zlib.crc32(word.encode("utf-8")) | (zlib.adler32(word.encode("utf-8")) << 32)
            cache[word] = value
        out[i] = value
    return out


def _shingle_hashes(words: list[str], cache: dict[str, int]) -> np.ndarray:
    """One 64-bit hash per word k-gram (a single shingle for short texts)."""
    if not words:
        return np.zeros(1, dtype=np.uint64)
    return kgram_hashes(words, min(SHINGLE_WORDS, len(words)), cache)


def kgram_hashes(words: list[str], k: int, cache: dict[str, int]) -> np.ndarray:
    """One 64-bit hash per run of ``k`` consecutive words (``len(words) >= k >= 1``), in order."""
    h = _word_hashes(words, cache)
    n = len(h) - k + 1
    out = h[:n].copy()
    mult = np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        for j in range(1, k):
            out = out * mult + h[j : j + n]
    return out


def shingle_sets(normalised: Sequence[str]) -> list[np.ndarray]:
    """Sorted unique 64-bit word-shingle hashes of each normalised text."""
    cache: dict[str, int] = {}
    return [np.unique(_shingle_hashes(text.split(), cache)) for text in normalised]


def minhash_signatures(shingles: Sequence[np.ndarray], num_perm: int = NUM_PERM) -> np.ndarray:
    """MinHash signatures (``len(shingles) x num_perm``, uint64) of shingle sets (:func:`shingle_sets`).

    Hash family: multiply-add-shift on 64 bits (universal enough for Jaccard
    estimation), evaluated in numpy batches so 100k texts take seconds.
    """
    rng = np.random.default_rng(_HASH_SEED)
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    signatures = np.empty((len(shingles), num_perm), dtype=np.uint64)
    start = 0
    while start < len(shingles):
        # Batches of ~100k shingles: ~50 MB of uint64 at 64 permutations.
        end, size = start, 0
        while end < len(shingles) and (size < 100_000 or end == start):
            size += len(shingles[end])
            end += 1
        lengths = np.array([len(x) for x in shingles[start:end]])
        flat = np.concatenate(shingles[start:end])
        with np.errstate(over="ignore"):
            hashed = (flat[:, None] * a[None, :] + b[None, :]) >> np.uint64(16)
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        signatures[start:end] = np.minimum.reduceat(hashed, offsets, axis=0)
        start = end
    return signatures


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)


def near_duplicate_groups(
    texts: Sequence[str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    extra_keys: Sequence[Hashable | None] | None = None,
    partition: Sequence[Hashable] | None = None,
) -> list[str]:
    """A group name per text; near-duplicate texts share a group.

    Texts are joined when (1) their normalised forms are identical, (2) the
    MinHash estimate of the Jaccard similarity of their word-3-shingle sets is
    at least ``threshold`` (``threshold >= 1`` disables this), or (3) they
    carry the same non-None ``extra_keys`` entry (a caller's domain knowledge,
    e.g. an ICD-10-CM subcategory). Joining is
    transitive. With ``partition`` (e.g. the labels), rule (2) joins only
    texts in the same partition: near-identical texts with *different* labels
    (a "GPL version 2" and a "GPL version 3" notice) are the contrast a task
    is about, not a leak, and joining them chains whole label families into
    one giant group that no split can stratify. Identical texts are joined
    whatever their partition. Group names are ``g`` + 12 hex digits of the
    sha256 of the smallest normalised member; texts are processed in sorted
    order, so groups are stable across runs and input orders. The split's fold
    assignment follows the sorted names, so they stay as they are; but they are
    hashes of text that is not yet de-identified, so they are kept in memory
    only (``TaskData.to_dict`` writes numbers in their place).
    """
    for name, keys in (("extra_keys", extra_keys), ("partition", partition)):
        if keys is not None and len(keys) != len(texts):
            raise ValueError(f"{name} has {len(keys)} entries for {len(texts)} texts")
    normalised = [normalise_text(t) for t in texts]
    uf = _UnionFind(len(texts))
    _union_same_key(uf, normalised)
    if extra_keys is not None:
        _union_same_key(uf, extra_keys)
    if threshold < 1.0 and len(texts) > 1:
        _union_minhash(uf, normalised, threshold, partition)
    smallest: dict[int, str] = {}
    for i, norm in enumerate(normalised):
        root = uf.find(i)
        if root not in smallest or norm < smallest[root]:
            smallest[root] = norm
    names = {root: "g" + hashlib.sha256(norm.encode("utf-8")).hexdigest()[:12] for root, norm in smallest.items()}
    return [names[uf.find(i)] for i in range(len(texts))]


def _union_same_key(uf: _UnionFind, keys: Sequence[Hashable | None]) -> None:
    first: dict[Hashable, int] = {}
    for i, key in enumerate(keys):
        if key is None:
            continue
        if key in first:
            uf.union(first[key], i)
        else:
            first[key] = i


def _union_minhash(
    uf: _UnionFind, normalised: list[str], threshold: float, partition: Sequence[Hashable] | None
) -> None:
    """LSH banding: texts sharing a band are candidates, checked against a bucket representative.

    Every pair within a band bucket is checked (each member against the first
    in buckets over ``ALL_PAIRS_BUCKET``). A 64-hash estimate errs by ~0.05, so candidates just below the
    threshold are checked against their exact shingle Jaccard.
    """
    # Canonical order: bucket representatives (and so the pairs checked) do
    # not depend on the caller's row order.
    parts = [""] * len(normalised) if partition is None else [str(p) for p in partition]
    order = sorted(range(len(normalised)), key=lambda i: (normalised[i], parts[i]))
    shingles = shingle_sets([normalised[i] for i in order])
    signatures = minhash_signatures(shingles)
    if partition is not None:
        partition = [partition[i] for i in order]
        # The partition id becomes part of every band key: buckets never mix partitions.
        ids = {key: i for i, key in enumerate(sorted(set(partition), key=str))}
        part = np.array([ids[key] for key in partition], dtype=np.uint64)[:, None]
    else:
        part = np.zeros((len(order), 1), dtype=np.uint64)
    pairs = []
    for band in range(signatures.shape[1] // BAND_ROWS):
        rows = np.ascontiguousarray(np.hstack([signatures[:, band * BAND_ROWS : (band + 1) * BAND_ROWS], part]))
        keys = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
        _, inverse = np.unique(keys, return_inverse=True)
        pairs.extend(_bucket_pairs(inverse.ravel()))
    pairs_array = np.unique(np.concatenate(pairs), axis=0) if pairs else np.empty((0, 2), dtype=np.int64)
    if len(pairs_array) == 0:
        return
    estimate = (signatures[pairs_array[:, 0]] == signatures[pairs_array[:, 1]]).mean(axis=1)
    for (i, j), est in zip(pairs_array.tolist(), estimate.tolist()):
        borderline = threshold - _EXACT_CHECK_MARGIN <= est < threshold
        if est >= threshold or (borderline and _jaccard(shingles[i], shingles[j]) >= threshold):
            uf.union(order[i], order[j])


#: Buckets up to this size have every pair of members checked; larger ones (a family of hundreds of
#: licence variants) each member against the first, which keeps the work bounded.
ALL_PAIRS_BUCKET = 64


def _bucket_pairs(bucket_of: np.ndarray) -> list[np.ndarray]:
    """Candidate pairs ``(i, j)`` of texts that share a band bucket (``bucket_of[i]`` = bucket id).

    Every pair within a bucket, not only pairs with its first member: two near-identical texts
    whose bucket opened with a third text unlike both were never compared, and so could land on
    both sides of a split.
    """
    order = np.argsort(bucket_of, kind="stable")
    sorted_ids = bucket_of[order]
    starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    found = []
    for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist()):
        members = order[start : start + size]
        if size <= ALL_PAIRS_BUCKET:
            i, j = np.triu_indices(size, 1)
            found.append(np.stack([members[j], members[i]], axis=1))
        else:
            found.append(np.stack([members[1:], np.full(size - 1, members[0])], axis=1))
    return found


#: Estimates this far below the threshold get an exact check (about 3 standard errors).
_EXACT_CHECK_MARGIN = 0.15


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def label_partition(labels: Sequence[Any]) -> list[str]:
    """A hashable partition key per row for :func:`near_duplicate_groups`: the label or label set."""
    return ["|".join(sorted(label)) if isinstance(label, (list, tuple)) else str(label) for label in labels]


def stratum_of_multilabel(labels: Sequence[Sequence[str]]) -> list[str]:
    """One stratum per multi-label row: its rarest label (ties broken by name).

    Stratifying on the rarest label keeps every label present in both splits
    where possible, the usual proxy when label sets are too many to stratify on.
    """
    counts = Counter(label for row in labels for label in row)
    return [min(row, key=lambda name: (counts[name], name)) if row else "" for row in labels]


class TooFewGroupsError(ValueError):
    """Fewer near-duplicate groups than folds: no grouped split exists.

    A ``ValueError`` (callers that only skip an optional split catch that);
    carries the counts so that the data reader can tell the user what to do.
    """

    def __init__(self, groups: int, needed: int, test_size: float) -> None:
        self.groups, self.needed = groups, needed
        super().__init__(f"only {groups} group(s): cannot make a grouped split with test_size={test_size}")


def grouped_stratified_split(
    labels: Sequence[Hashable],
    groups: Sequence[str],
    test_size: float = 0.2,
    seed: int = 0,
) -> tuple[list[int], list[int]]:
    """Indices ``(train, test)``: groups never straddle, class shares kept close to equal.

    Uses scikit-learn's ``StratifiedGroupKFold`` with ``k = round(1/test_size)``
    folds, so the test share is about ``1/k`` (0.2 for the default, 0.25 for
    0.25, 0.33 for 0.3; the caller records the achieved share). Of the ``k``
    folds the test split is the one whose per-class shares come closest to
    ``1/k`` (a large group can unbalance the fold it lands in). ``labels`` are
    strata: for multi-label rows pass :func:`stratum_of_multilabel`. Same
    inputs and seed give the same split.
    """
    from sklearn.model_selection import GroupKFold, StratifiedGroupKFold

    if len(labels) != len(groups):
        raise ValueError(f"{len(labels)} labels but {len(groups)} groups")
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be between 0 and 1, got {test_size}")
    n_groups = len(set(groups))
    n_splits = max(2, round(1.0 / test_size))
    if n_groups < n_splits:
        raise TooFewGroupsError(n_groups, n_splits, test_size)
    strata = [str(label) for label in labels]
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    if max(Counter(strata).values()) < n_splits:
        # Every class is smaller than the number of folds (a few documents per class, or many
        # rare labels): scikit-learn refuses to stratify then, so the folds are grouped only.
        splitter = GroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        # Classes with fewer groups than folds are expected (small classes);
        # they still land in one split or the other as whole groups.
        warnings.simplefilter("ignore", UserWarning)
        folds = [test for _, test in splitter.split(np.zeros(len(strata)), strata, groups)]
    test_idx = min(folds, key=lambda fold: _imbalance(strata, fold, 1.0 / n_splits))
    in_test = np.zeros(len(strata), dtype=bool)
    in_test[test_idx] = True
    return [int(i) for i in np.flatnonzero(~in_test)], [int(i) for i in np.flatnonzero(in_test)]


def _imbalance(strata: list[str], test_idx: np.ndarray, share: float) -> float:
    """Mean absolute gap between each class's test share and ``share`` (0 = perfectly stratified)."""
    totals = Counter(strata)
    in_test = Counter(strata[i] for i in test_idx)
    return sum(abs(in_test[c] / n - share) for c, n in totals.items()) / len(totals)


def cap_group_sizes(groups: Sequence[str], max_per_group: int, seed: int) -> list[int]:
    """Indices to keep (in order) so no group has more than ``max_per_group`` members (seeded)."""
    if max_per_group < 1:
        raise ValueError(f"max_per_group must be >= 1, got {max_per_group}")
    members: dict[str, list[int]] = {}
    for i, group in enumerate(groups):
        members.setdefault(group, []).append(i)
    rng = random.Random(seed)
    keep: list[int] = []
    for group in sorted(members):
        rows = members[group]
        keep.extend(rows if len(rows) <= max_per_group else rng.sample(rows, max_per_group))
    return sorted(keep)


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def build_task_data(
    *,
    task: str,
    kind: str,
    texts: Sequence[str],
    labels: Sequence[Any],
    seed: int,
    test_size: float = 0.2,
    groups: Sequence[str] | None = None,
    sources: dict[str, str] | None = None,
    label_names: Sequence[str] | None = None,
    extra_info: dict[str, Any] | None = None,
    max_per_group: int | None = None,
) -> Any:
    """Group (unless ``groups`` given), split and wrap texts and labels as a ``TaskData``.

    ``max_per_group`` deduplicates: of a near-duplicate group larger than this,
    a seeded sample of that many members is kept (ScanCode holds 500 variants
    of one BSD notice; they add weight, not information, and a group that big
    cannot be placed without unbalancing its class). The number dropped is
    recorded.

    ``sources`` maps each source file (or package resource) to its sha256 and
    is recorded in ``split_info`` with the seed, method, test share, counts per
    split and number of groups.
    """
    from domainkit.data.taskdata import MULTI_LABEL, TaskData

    strata = stratum_of_multilabel(labels) if kind == MULTI_LABEL else list(labels)
    if groups is None:
        groups = near_duplicate_groups(texts, partition=label_partition(labels))
    dropped = 0
    if max_per_group is not None:
        # A fixed seed: the same texts survive at every split seed.
        keep = cap_group_sizes(groups, max_per_group, seed=_HASH_SEED)
        dropped = len(texts) - len(keep)
        texts, labels, groups, strata = ([seq[i] for i in keep] for seq in (texts, labels, groups, strata))
    train_idx, test_idx = grouped_stratified_split(strata, groups, test_size=test_size, seed=seed)
    if label_names is None:
        flat = (name for row in labels for name in row) if kind == MULTI_LABEL else iter(labels)
        label_names = sorted(set(flat))
    split_info = {
        "seed": seed,
        "method": "grouped-stratified (StratifiedGroupKFold, best-balanced fold as test; near-duplicate groups)",
        "test_size": test_size,
        "test_share": round(len(test_idx) / max(1, len(texts)), 4),
        "counts": {"train": len(train_idx), "test": len(test_idx)},
        "groups": len(set(groups)),
        "max_per_group": max_per_group,
        "dropped_near_duplicates": dropped,
        "sources": dict(sources or {}),
        # The split is a function of these too: record them, as a checksum is recorded for the data.
        "algorithm": {"version": SPLIT_ALGORITHM_VERSION, "scikit-learn": _version("scikit-learn"),
                      "numpy": _version("numpy")},
    }
    split_info.update(extra_info or {})
    return TaskData(
        task=task,
        kind=kind,
        label_names=list(label_names),
        train_texts=[texts[i] for i in train_idx],
        train_labels=[labels[i] for i in train_idx],
        test_texts=[texts[i] for i in test_idx],
        test_labels=[labels[i] for i in test_idx],
        split_info=split_info,
        train_groups=[groups[i] for i in train_idx],
    )


def sample_pool(
    texts: Sequence[str],
    *,
    exclude: Sequence[str] | frozenset[str] = frozenset(),
    limit: int | None = None,
    seed: int = 0,
) -> list[str]:
    """Deduplicated texts minus ``exclude``, then a seeded sample of at most ``limit``.

    Deduplication and exclusion compare :func:`normalise_text` forms, so a test
    text that differs only in case or layout still stays out of the pool. The
    result keeps first-seen order (sorted sample indices) so it is stable.
    """
    excluded = {normalise_text(t) for t in exclude}
    seen: set[str] = set()
    kept: list[str] = []
    for text in texts:
        norm = normalise_text(text)
        if not norm or norm in excluded or norm in seen:
            continue
        seen.add(norm)
        kept.append(text)
    return kept if limit is None else seeded_subset(kept, limit, seed)


def seeded_subset(texts: Sequence[str], limit: int, seed: int) -> list[str]:
    """At most ``limit`` of ``texts``, drawn with ``seed`` and kept in their order."""
    if limit >= len(texts):
        return list(texts)
    if limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    chosen = sorted(random.Random(seed).sample(range(len(texts)), limit))
    return [texts[i] for i in chosen]
