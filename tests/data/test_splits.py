"""Grouped, stratified, seeded splits and near-duplicate detection (domainkit.data.splits)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from domainkit.data.splits import (
    build_task_data,
    cap_group_sizes,
    grouped_stratified_split,
    label_partition,
    near_duplicate_groups,
    normalise_text,
    sample_pool,
    stratum_of_multilabel,
)

BSD_TEMPLATE = (
    "Copyright (c) {year} {holder}. All rights reserved. Redistribution and use in source and binary "
    "forms, with or without modification, are permitted provided that the following conditions are met: "
    "redistributions of source code must retain the above copyright notice, this list of conditions and "
    "the following disclaimer; redistributions in binary form must reproduce the above copyright notice; "
    "neither the name of the copyright holder nor the names of its contributors may be used to endorse or "
    "promote products derived from this software without specific prior written permission."
)
GPL_NOTICE = (
    "This program is free software; you can redistribute it and/or modify it under the terms of the GNU "
    "General Public License as published by the Free Software Foundation; either version 2 of the License, "
    "or (at your option) any later version. This program is distributed in the hope that it will be useful, "
    "but WITHOUT ANY WARRANTY."
)


def _corpus(n_per_class: int = 40, seed: int = 0) -> tuple[list[str], list[str]]:
    """Distinct synthetic texts in three classes (random word draws: no near-duplicates)."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(500)]
    texts, labels = [], []
    for label in ("a", "b", "c"):
        for _ in range(n_per_class):
            texts.append(f"{label} " + " ".join(rng.choice(vocab) for _ in range(12)))
            labels.append(label)
    return texts, labels


def test_splits_normalise_text_ignores_case_layout_and_punctuation() -> None:
    assert normalise_text("  The  Software,\nis PROVIDED “as is”. ") == "the software is provided as is"
    assert normalise_text("ﬁle") == "file"  # NFKC folds compatibility ligatures


def test_splits_near_duplicate_groups_join_licence_variants() -> None:
    texts = [
        BSD_TEMPLATE.format(year=1998, holder="The Regents of the University of California"),
        BSD_TEMPLATE.format(year=2011, holder="Acme Widgets Inc"),
        GPL_NOTICE,
        GPL_NOTICE.upper().replace(";", " ;"),  # identical once normalised
        "Patients with Crohn disease present with abdominal pain.",
    ]
    groups = near_duplicate_groups(texts)
    assert groups[0] == groups[1]
    assert groups[2] == groups[3]
    assert len({groups[0], groups[2], groups[4]}) == 3


def test_splits_near_duplicate_groups_are_order_independent_and_named_by_content() -> None:
    texts = [BSD_TEMPLATE.format(year=y, holder=h) for y, h in [(1990, "A B"), (2000, "C D")]] + [GPL_NOTICE]
    forward = dict(zip(texts, near_duplicate_groups(texts)))
    backward = dict(zip(texts[::-1], near_duplicate_groups(texts[::-1])))
    assert forward == backward
    assert all(name.startswith("g") and len(name) == 13 for name in forward.values())


def test_splits_partition_keeps_differently_labelled_near_duplicates_apart() -> None:
    v2 = GPL_NOTICE
    v3 = GPL_NOTICE.replace("version 2", "version 3")
    assert len(set(near_duplicate_groups([v2, v3]))) == 1
    assert len(set(near_duplicate_groups([v2, v3], partition=["gpl-2.0", "gpl-3.0"]))) == 2
    # identical texts are joined whatever their labels: otherwise one text is in both splits
    assert len(set(near_duplicate_groups([v2, v2.lower()], partition=["x", "y"]))) == 1


def test_splits_extra_keys_join_texts_sharing_a_key() -> None:
    texts = ["Displaced fracture of shaft of right femur", "Nondisplaced fracture of shaft of left femur", "Cholera"]
    groups = near_duplicate_groups(texts, extra_keys=["S72.3", "S72.3", None])
    assert groups[0] == groups[1] != groups[2]


def test_splits_grouped_split_never_straddles_and_is_stable_per_seed() -> None:
    texts, labels = _corpus()
    groups = [f"grp{i // 4}" for i in range(len(texts))]  # groups of 4 within a class
    train, test = grouped_stratified_split(labels, groups, test_size=0.2, seed=7)
    assert sorted(train + test) == list(range(len(texts)))
    assert not {groups[i] for i in train} & {groups[i] for i in test}
    assert (train, test) == grouped_stratified_split(labels, groups, test_size=0.2, seed=7)
    assert test != grouped_stratified_split(labels, groups, test_size=0.2, seed=8)[1]


def test_splits_grouped_split_stratifies_classes() -> None:
    texts, labels = _corpus(n_per_class=50)
    labels = labels[:50] + labels[50:100] + ["c"] * 50
    groups = [f"grp{i}" for i in range(len(texts))]
    _, test = grouped_stratified_split(labels, groups, test_size=0.2, seed=1)
    counts = Counter(labels[i] for i in test)
    assert counts == {"a": 10, "b": 10, "c": 10}


def test_splits_grouped_split_rejects_too_few_groups() -> None:
    with pytest.raises(ValueError, match="group"):
        grouped_stratified_split(["a", "b", "a"], ["g", "g", "h"], test_size=0.2, seed=0)


def test_splits_stratum_of_multilabel_is_the_rarest_label() -> None:
    labels = [["eye", "nervous"], ["nervous"], ["nervous", "ear"], ["ear"], ["eye"], ["eye"], ["eye"]]
    assert stratum_of_multilabel(labels) == ["nervous", "nervous", "ear", "ear", "eye", "eye", "eye"]
    assert label_partition([["b", "a"], "c"]) == ["a|b", "c"]


def test_splits_cap_group_sizes_keeps_at_most_n_per_group() -> None:
    groups = ["big"] * 10 + ["small"] * 2
    keep = cap_group_sizes(groups, 3, seed=0)
    assert Counter(groups[i] for i in keep) == {"big": 3, "small": 2}
    assert keep == sorted(keep) == cap_group_sizes(groups, 3, seed=0)


def test_splits_build_task_data_records_the_split_and_keeps_groups_whole() -> None:
    texts, labels = _corpus()
    variants = [BSD_TEMPLATE.format(year=1990 + i, holder=f"Holder {i}") for i in range(6)]
    texts, labels = texts + variants, labels + ["a"] * 6
    data = build_task_data(
        task="t", kind="single_label", texts=texts, labels=labels, seed=3, sources={"f.txt": "abc"}
    )
    info = data.split_info
    assert info["seed"] == 3 and info["test_size"] == 0.2 and info["sources"] == {"f.txt": "abc"}
    assert info["counts"] == {"train": len(data.train_texts), "test": len(data.test_texts)}
    assert info["groups"] == len(texts) - 5  # the six BSD variants form one group
    in_test = [t in data.test_texts for t in variants]
    assert all(in_test) or not any(in_test)
    assert not set(data.train_texts) & set(data.test_texts)
    assert data.label_names == ["a", "b", "c"] and len(data.train_groups) == len(data.train_texts)


def test_splits_build_task_data_multilabel() -> None:
    texts, _ = _corpus()
    labels = [["x"] if i % 3 else ["x", "y"] for i in range(len(texts))]
    data = build_task_data(task="m", kind="multi_label", texts=texts, labels=labels, seed=0)
    assert data.label_names == ["x", "y"]
    assert any("y" in row for row in data.test_labels) and any("y" in row for row in data.train_labels)


def test_splits_sample_pool_dedups_excludes_and_samples_stably() -> None:
    texts = ["Alpha beta.", "alpha BETA", "Gamma", "Delta", "Epsilon", ""]
    assert sample_pool(texts, exclude=frozenset({"GAMMA!"})) == ["Alpha beta.", "Delta", "Epsilon"]
    first = sample_pool(texts, limit=2, seed=5)
    assert len(first) == 2 and first == sample_pool(texts, limit=2, seed=5)


def test_splits_minhash_estimates_jaccard() -> None:
    from domainkit.data.splits import minhash_signatures, shingle_sets

    a = normalise_text(BSD_TEMPLATE.format(year=1998, holder="The Regents of the University of California"))
    b = normalise_text(BSD_TEMPLATE.format(year=2011, holder="Acme Widgets Inc"))
    sets = shingle_sets([a, b, GPL_NOTICE.lower()])
    exact = len(set(sets[0]) & set(sets[1])) / len(set(sets[0]) | set(sets[1]))
    signatures = minhash_signatures(sets)
    estimate = (signatures[0] == signatures[1]).mean()
    assert abs(estimate - exact) < 0.15
    assert (signatures[0] == signatures[2]).mean() < 0.2


def test_split_validation_moves_whole_groups_out_of_training():
    from domainkit.data.taskdata import TaskData

    texts = [f"note {i}" for i in range(40)]
    labels = [["a"] if i % 2 else ["a", "b"] for i in range(40)]
    groups = [f"g{i // 2}" for i in range(40)]  # twins share a group
    data = TaskData(task="t", kind="multi_label", label_names=["a", "b"], train_texts=texts, train_labels=labels,
                    test_texts=["x"], test_labels=[["a"]], train_groups=groups)
    split = data.split_validation(0.1, seed=3)
    assert len(split.validation_texts) + len(split.train_texts) == 40 and split.validation_texts
    fit_groups = set(split.train_groups)
    assert not {groups[texts.index(t)] for t in split.validation_texts} & fit_groups
    assert split.split_info["validation"]["n_validation"] == len(split.validation_texts)
    reread = TaskData.from_dict(split.to_dict())  # groups are written as numbers, in the same partition
    assert reread.train_texts == split.train_texts and reread.validation_texts == split.validation_texts
    pairs = set(zip(reread.train_groups, split.train_groups))
    assert len(pairs) == len(set(split.train_groups)) == len(set(reread.train_groups))
    assert data.split_validation(0.1, seed=3) == split  # seeded: the same split again


def test_training_windows_keep_labels_and_groups_of_their_document(make_tokenizer):
    from domainkit.data.taskdata import TaskData

    tokenizer = make_tokenizer("bert")
    long_text = " ".join(["patient has fever"] * 30)
    data = TaskData(task="t", kind="single_label", label_names=["a", "b"],
                    train_texts=[long_text, "short a"], train_labels=["b", "a"],
                    test_texts=[long_text], test_labels=["b"], train_groups=["g1", "g2"],
                    validation_texts=[long_text], validation_labels=["b"])
    windowed = data.with_training_windows(tokenizer, max_length=16, stride=4, max_windows=2)
    assert windowed.train_labels == ["b", "b", "a"] and windowed.train_groups == ["g1", "g1", "g2"]
    assert windowed.train_texts[2] == "short a" and all(t in long_text for t in windowed.train_texts[:2])
    assert windowed.test_texts == data.test_texts and windowed.validation_texts == data.validation_texts
    assert windowed.split_info["training_windows"] == {
        "documents": 2, "windows": 3, "max_windows": 2, "max_length": 16, "stride": 4, "selection": "first"}
    assert data.train_texts == [long_text, "short a"]  # the original is not changed


def test_splits_too_few_groups_error_carries_the_counts() -> None:
    from domainkit.data.splits import TooFewGroupsError

    with pytest.raises(TooFewGroupsError) as error:
        grouped_stratified_split(["a", "b", "a"], ["g", "g", "h"], test_size=0.2, seed=0)
    assert (error.value.groups, error.value.needed) == (2, 5)


def test_classes_all_smaller_than_the_folds_still_split_by_group():
    labels = [f"c{i % 10}" for i in range(40)]  # 4 documents per class, 5 folds
    train, test = grouped_stratified_split(labels, [str(i) for i in range(40)], test_size=0.2, seed=3)
    assert len(test) == 8 and not set(train) & set(test) and len(train) + len(test) == 40


def test_near_duplicates_are_joined_even_when_their_bucket_opened_with_another_text(monkeypatch):
    """Two twins that share a band bucket with a third, unlike text were once compared only with it."""
    import numpy as np

    from domainkit.data import splits

    texts = ["aaa alpha text", "bbb twin one", "bbb twin two"]  # sorted: the unlike text opens every bucket

    def crafted(shingles, num_perm=splits.NUM_PERM):
        rows = splits.BAND_ROWS
        signatures = np.arange(3 * num_perm, dtype=np.uint64).reshape(3, num_perm) + 1000
        signatures[2] = signatures[1]
        signatures[2, 4 * rows :: rows] += 1  # the twins differ in one row of each band after the fourth:
        # 52 of 64 hashes agree (0.81), yet the only buckets they share are bands 0-3 ...
        signatures[0, : 4 * rows] = signatures[1, : 4 * rows]  # ... which the unlike text shares too (0.25)
        return signatures

    monkeypatch.setattr(splits, "minhash_signatures", crafted)
    groups = splits.near_duplicate_groups(texts)
    assert groups[1] == groups[2] != groups[0]
