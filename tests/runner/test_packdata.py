"""Where a pack's data enters a run (domainkit/runner/packdata.py): checked, and hashed as one dataset."""

from __future__ import annotations

import pytest

from domainkit.config import resolve_config
from domainkit.errors import PackError
from domainkit.runner.packdata import content_fingerprint, pack_pool, pack_task_data
from domainkit.runner.pipeline import RunContext
from domainkit.runner.rundir import RunFolder


@pytest.fixture
def ctx(tmp_path, fake_packs):
    from fakepack_good import Pack

    return RunContext(config=resolve_config("good", preset="smoke"), pack=Pack(), folder=RunFolder(tmp_path / "run"))


def test_packdata_wrong_return_type_names_pack_task_and_fix(ctx, monkeypatch):
    monkeypatch.setattr(ctx.pack, "load_task", lambda task, *, seed: {"train_texts": []})
    with pytest.raises(PackError) as error:
        pack_task_data(ctx)
    assert str(error.value).startswith("pack 'good' (fakepack_good), task 'topic': load_task returned dict, expected "
                                       "domainkit.data.taskdata.TaskData")
    assert "plugins check good --data" in error.value.hint


def test_packdata_single_class_and_undeclared_labels_are_refused_before_training(ctx, monkeypatch):
    data = ctx.pack.load_task("topic", seed=13)
    data.label_names = ["alpha"]  # "beta" is used by both splits
    monkeypatch.setattr(ctx.pack, "load_task", lambda task, *, seed: data)
    with pytest.raises(PackError) as error:
        pack_task_data(ctx)
    message = str(error.value)
    assert "a classifier needs at least two classes" in message and "train labels outside label_names" in message
    assert "beta" not in message


def test_packdata_list_labels_of_a_single_label_task_are_refused_naming_pack_and_task(ctx, monkeypatch):
    data = ctx.pack.load_task("topic", seed=13)
    data.train_labels = [[label] for label in data.train_labels]
    monkeypatch.setattr(ctx.pack, "load_task", lambda task, *, seed: data)
    with pytest.raises(PackError) as error:  # was a TypeError (unhashable type: 'list') from the check itself
        pack_task_data(ctx)
    assert str(error.value).startswith("pack 'good' (fakepack_good), task 'topic': train labels: ")
    assert "declare the task multi_label" in str(error.value) and "fix the pack's load_task" in error.value.hint


@pytest.mark.parametrize("pool", ["one unlabelled text", ["text", b"bytes"]])
def test_packdata_a_pool_that_is_not_a_list_of_str_is_refused(ctx, monkeypatch, pool):
    monkeypatch.setattr(ctx.pack, "load_pool", lambda *, exclude, limit, seed: pool)
    with pytest.raises(PackError, match=r"pack 'good' .*task 'topic': load_pool returned .*expected list\[str\]"):
        pack_pool(ctx, [], limit=10)


def test_packdata_a_pack_exception_names_its_line_not_its_message(ctx, monkeypatch):
    def failing(task, *, seed):
        raise KeyError("Patient John Smith")

    monkeypatch.setattr(ctx.pack, "load_task", failing)
    monkeypatch.delenv("DOMAINKIT_DEBUG", raising=False)
    with pytest.raises(PackError) as error:
        pack_task_data(ctx)
    assert "failed in load_task: KeyError" in str(error.value) and "John" not in str(error.value)


def test_packdata_fingerprint_follows_every_row_and_holds_no_text(ctx):
    data = ctx.pack.load_task("topic", seed=13)
    pool = ["unlabelled one", "unlabelled two"]
    first = content_fingerprint(data, pool)
    assert len(first) == 16 and first == content_fingerprint(ctx.pack.load_task("topic", seed=13), list(pool))
    data.train_texts[3] = data.train_texts[3] + " edited"
    assert content_fingerprint(data, pool) != first
    data = ctx.pack.load_task("topic", seed=13)
    data.test_labels[0] = "beta" if data.test_labels[0] == "alpha" else "alpha"
    assert content_fingerprint(data, pool) != first
    assert content_fingerprint(ctx.pack.load_task("topic", seed=13), pool[:1]) != first
