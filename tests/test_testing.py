"""The contract suite packs reuse (``domainkit.testing``) catches what a third-party pack gets wrong."""

import os
import sys
import textwrap

import pytest

from domainkit.testing import PackContractTests

HASHED_SPLIT = '''
from fakepack_good import LABELS, TEXTS, Pack as Good
from domainkit.data.taskdata import TaskData


class Pack(Good):
    name = "hashed"

    def load_task(self, task, *, seed):
        # hash() of a str changes with PYTHONHASHSEED: this split differs between processes.
        order = sorted(range(len(TEXTS)), key=lambda i: hash(TEXTS[i]))
        train, test = order[:18], order[18:]
        return TaskData(task=task, kind="single_label", label_names=["alpha", "beta"],
                        train_texts=[TEXTS[i] for i in train], train_labels=[LABELS[i] for i in train],
                        test_texts=[TEXTS[i] for i in test], test_labels=[LABELS[i] for i in test],
                        split_info={"seed": seed, "method": "by hash"})
'''

LEAKY = '''
from fakepack_good import LABELS, TEXTS, Pack as Good
from domainkit.data.taskdata import TaskData


class Pack(Good):
    name = "leaky"

    def load_task(self, task, *, seed):
        return TaskData(task=task, kind="single_label", label_names=["alpha", "beta"],
                        train_texts=TEXTS[:18] + [TEXTS[18].upper()], train_labels=LABELS[:18] + ["alpha"],
                        test_texts=TEXTS[18:], test_labels=LABELS[18:-1] + ["gamma"],
                        split_info={"seed": seed, "method": "head"})
'''


def _suite(site, monkeypatch, name, body):
    (site / f"{name}.py").write_text(textwrap.dedent(body))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), *sys.path]))
    module = __import__(name)

    class Suite(PackContractTests):
        pack_class = module.Pack

    return Suite()


def test_the_suite_catches_a_split_that_follows_hash_randomisation(fake_packs, monkeypatch):
    suite = _suite(fake_packs, monkeypatch, "hashed_pack", HASHED_SPLIT)
    with pytest.raises(AssertionError, match="PYTHONHASHSEED"):
        suite.test_contract_split_does_not_depend_on_hash_randomisation()


def test_the_suite_catches_test_labels_outside_the_names_and_near_identical_train_texts(fake_packs, monkeypatch):
    suite = _suite(fake_packs, monkeypatch, "leaky_pack", LEAKY)
    with pytest.raises(AssertionError, match="test labels outside label_names"):
        suite.test_contract_tasks_load_valid_data()
    with pytest.raises(AssertionError, match="in both train and test"):
        suite.test_contract_train_and_test_do_not_overlap()
