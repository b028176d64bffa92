"""TaskData as it is written into a run folder."""

from domainkit.data.splits import build_task_data, near_duplicate_groups
from domainkit.data.taskdata import TaskData


def test_taskdata_writes_groups_as_numbers_that_keep_which_texts_share_one():
    groups = ["g5f1e2d3c4b5a", "g0a1b2c3d4e5f", "g5f1e2d3c4b5a", "g99aa88bb77cc"]
    data = TaskData(task="t", kind="single_label", label_names=["a"], train_texts=list("wxyz"),
                    train_labels=["a"] * 4, test_texts=["v"], test_labels=["a"], train_groups=groups)
    assert data.to_dict()["train_groups"] == ["g0", "g1", "g0", "g2"]
    assert data.train_groups == groups  # in memory: splits made before writing use the split's own names


def test_taskdata_split_is_unchanged_and_repeatable_while_its_groups_are_written_opaque():
    texts = [f"note {i} about {word} findings" for i, word in enumerate("chest head abdomen knee".split() * 10)]
    labels = ["x" if i % 2 else "y" for i in range(len(texts))]
    first = build_task_data(task="t", kind="single_label", texts=texts, labels=labels, seed=7)
    again = build_task_data(task="t", kind="single_label", texts=texts, labels=labels, seed=7)
    assert first.to_dict() == again.to_dict()
    hashed = near_duplicate_groups(texts, partition=labels)
    assert first.train_groups == [hashed[texts.index(text)] for text in first.train_texts]
    assert not set(hashed) & set(first.to_dict()["train_groups"])
