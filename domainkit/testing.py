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

from domainkit.data.taskdata import TaskData
from domainkit.packs.contract import DomainPack
from domainkit.packs.validate import contract_problems, task_data_problems


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
        pack = self._pack()
        for spec in pack.tasks:
            # The checks `domainkit run` makes before it trains (and `plugins check --data` reports).
            problems = task_data_problems(spec, self._task_data()[spec.name])
            assert not problems, f"{spec.name}: " + "; ".join(problems)

    def test_contract_train_and_test_do_not_overlap(self) -> None:
        from domainkit.data.splits import normalise_text

        for name, data in self._task_data().items():
            # Normalised: texts differing only in case, layout or punctuation are the same text.
            train = {normalise_text(t) for t in data.train_texts}
            assert not train & {normalise_text(t) for t in data.test_texts}, f"{name}: a text is in both train and test"

    def test_contract_split_is_stable_and_recorded(self) -> None:
        pack = self._pack()
        for spec in pack.tasks:
            again = pack.load_task(spec.name, seed=self.seed)
            assert again.test_texts == self._task_data()[spec.name].test_texts, \
                f"{spec.name}: the same seed must give the same split"
            assert "seed" in again.split_info and "method" in again.split_info

    def test_contract_split_does_not_depend_on_hash_randomisation(self) -> None:
        """``hash()`` of a string changes between processes: a split ordered by it changes between runs."""
        import json
        import os
        import subprocess
        import sys

        pack = self._pack()
        module, name = type(pack).__module__, type(pack).__name__
        code = ("import json, sys\n"
                f"from {module} import {name}\n"
                f"pack = {name}()\n"
                f"print(json.dumps({{s.name: pack.load_task(s.name, seed={self.seed}).test_texts for s in pack.tasks}}))")
        for hash_seed in ("1", "2"):
            found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                   env={**os.environ, "PYTHONHASHSEED": hash_seed}).stdout
            expected = {task: data.test_texts for task, data in self._task_data().items()}
            assert json.loads(found.strip().splitlines()[-1]) == expected, \
                f"PYTHONHASHSEED={hash_seed} gave another split: order rows by content, never by hash()"

    def test_contract_pool_excludes_test_texts(self) -> None:
        from domainkit.data.pool_filter import drop_near_held_out
        from domainkit.data.splits import normalise_text

        pack = self._pack()
        for task, data in self._task_data().items():
            pool = pack.load_pool(exclude=frozenset(data.test_texts), limit=None, seed=self.seed)
            test = {normalise_text(t) for t in data.test_texts}
            assert not {normalise_text(t) for t in pool} & test, f"{task}: the unlabelled pool holds test texts"
            # Near-copies and pieces are dropped again by the core; a pack that returns many of them
            # gets a pool much smaller than it meant.
            _, near = drop_near_held_out(pool, data.test_texts)
            assert near <= max(10, len(pool) // 2), f"{task}: {near} of {len(pool)} pool texts are near-copies of test texts"

    def test_contract_pool_respects_limit(self) -> None:
        pool = self._pack().load_pool(exclude=frozenset(), limit=5, seed=self.seed)
        assert len(pool) <= 5
