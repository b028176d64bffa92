"""The built-in medical pack (plugins/medical): contract, tasks and pool on the real corpora."""

from __future__ import annotations

import pytest
from pack_checks import check_attributes, check_groups_never_straddle, check_import_is_light, check_task_data, load_entry_point

from domainkit.data.splits import normalise_text
from domainkit.errors import PackError

SEED = 13


@pytest.fixture(scope="module")
def medical(corpus_home):
    return load_entry_point("medical")()


def test_medical_pack_meets_the_contract() -> None:
    pack_class = load_entry_point("medical")
    check_attributes(pack_class, "dmis-lab/biobert-base-cased-v1.2")
    assert pack_class.deid_policy.enabled
    assert [t.name for t in pack_class.tasks] == ["hpo-organ-system", "hpo-organ-systems", "icd10-chapter"]


def test_medical_pack_import_is_light() -> None:
    check_import_is_light("domainkit_medical.pack")


def test_medical_pack_unknown_task_names_the_choices() -> None:
    with pytest.raises(PackError, match="hpo-organ-system"):
        load_entry_point("medical")().load_task("hpo-organ", seed=SEED)


@pytest.mark.slow
@pytest.mark.parametrize("task", ["hpo-organ-system", "hpo-organ-systems", "icd10-chapter"])
def test_medical_pack_load_task_gives_a_grouped_stable_split(medical, task: str) -> None:
    data = medical.load_task(task, seed=SEED)
    check_task_data(data, medical.task(task), SEED)
    again = medical.load_task(task, seed=SEED)
    assert again.test_texts == data.test_texts and again is not data
    other = medical.load_task(task, seed=SEED + 1)
    assert other.test_texts != data.test_texts
    assert data.split_info["sources"] == other.split_info["sources"]
    from domainkit_medical import tasks

    examples = tasks._examples(task)
    check_groups_never_straddle(data, examples.texts, tasks._groups(task, examples))


@pytest.mark.slow
def test_medical_pack_hpo_labels_are_organ_systems(medical) -> None:
    data = medical.load_task("hpo-organ-system", seed=SEED)
    assert len(data.label_names) == 21
    assert "Abnormality of the nervous system" in data.label_names
    multi = medical.load_task("hpo-organ-systems", seed=SEED)
    assert any(len(row) > 1 for row in multi.train_labels)


@pytest.mark.slow
def test_medical_pack_pool_excludes_every_test_text(medical) -> None:
    extra = medical.load_task("icd10-chapter", seed=99).test_texts[:50]
    pool = medical.load_pool(exclude=frozenset(extra), limit=None, seed=SEED)
    assert len(pool) > 50_000
    pool_norm = {normalise_text(t) for t in pool}
    assert len(pool_norm) == len(pool)  # deduplicated
    for task in ("hpo-organ-system", "hpo-organ-systems", "icd10-chapter"):
        test = {normalise_text(t) for t in medical.load_task(task, seed=SEED).test_texts}
        assert not pool_norm & test, task
    assert not pool_norm & {normalise_text(t) for t in extra}
    sample = medical.load_pool(exclude=frozenset(), limit=500, seed=1)
    assert len(sample) == 500 and sample == medical.load_pool(exclude=frozenset(), limit=500, seed=1)
