"""A reusable contract test suite for domain packs (pytest).

A pack's own tests subclass it and name their pack class::

    from domainkit.testing import PackContractTests
    from my_pack.pack import MyPack

    class TestContract(PackContractTests):
        pack_class = MyPack

Each check loads the pack's real data, so it tells a pack author early when
a split leaks, a task is mis-declared or the pool includes test texts.
"""

from __future__ import annotations

from typing import ClassVar

from domainkit.data.taskdata import MULTI_LABEL, TaskData
from domainkit.packs.contract import DomainPack
from domainkit.packs.validate import contract_problems


class PackContractTests:
    """Subclass with ``pack_class = YourPack``; pytest collects the ``test_*`` methods."""

    pack_class: ClassVar[type[DomainPack] | None] = None
    seed: ClassVar[int] = 13

    def _pack(self) -> DomainPack:
        assert self.pack_class is not None, "set pack_class = YourPack on the test class"
        return self.pack_class()

    def _task_data(self) -> dict[str, TaskData]:
        cache = self.__class__.__dict__.get("_loaded")
        if cache is None:
            pack = self._pack()
            cache = {spec.name: pack.load_task(spec.name, seed=self.seed) for spec in pack.tasks}
            type(self)._loaded = cache
        return cache

    def test_contract_has_no_problems(self) -> None:
        assert contract_problems(self.pack_class, entry_point_name=None) == []

    def test_contract_tasks_load_valid_data(self) -> None:
        for name, data in self._task_data().items():
            assert data.task == name
            assert data.train_texts and data.test_texts, f"{name}: empty split"
            assert len(data.label_names) >= 2, f"{name}: a classifier needs at least two labels"
            labels = {n for row in data.train_labels for n in row} if data.kind == MULTI_LABEL else set(data.train_labels)
            assert labels <= set(data.label_names), f"{name}: train labels outside label_names"
            assert all(isinstance(t, str) and t.strip() for t in data.train_texts + data.test_texts)

    def test_contract_train_and_test_do_not_overlap(self) -> None:
        for name, data in self._task_data().items():
            assert not set(data.train_texts) & set(data.test_texts), f"{name}: a text is in both train and test"

    def test_contract_split_is_stable_and_recorded(self) -> None:
        pack = self._pack()
        first = pack.tasks[0].name
        again = pack.load_task(first, seed=self.seed)
        assert again.test_texts == self._task_data()[first].test_texts, "same seed must give the same split"
        assert "seed" in again.split_info and "method" in again.split_info

    def test_contract_pool_excludes_test_texts(self) -> None:
        pack = self._pack()
        data = self._task_data()[pack.default_task]
        pool = pack.load_pool(exclude=frozenset(data.test_texts), limit=None, seed=self.seed)
        assert not set(pool) & set(data.test_texts), "the unlabelled pool must not contain test texts"

    def test_contract_pool_respects_limit(self) -> None:
        pool = self._pack().load_pool(exclude=frozenset(), limit=5, seed=self.seed)
        assert len(pool) <= 5
