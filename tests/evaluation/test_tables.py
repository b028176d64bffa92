import numpy as np

from domainkit.evaluation.tables import confusion_table, per_class_table


def test_tables_per_class_and_confusion():
    names = ["a", "b", "c"]
    table = per_class_table(np.array([0, 1, 1]), np.array([0, 1, 2]), names, multi_label=False)
    assert list(table.index) == names
    assert table.loc["a", "f1"] == 1.0 and table.loc["c", "recall"] == 0.0
    assert table["support"].tolist() == [1, 1, 1]
    confusion = confusion_table(np.array([0, 1, 1]), np.array([0, 1, 2]), names, multi_label=False)
    assert confusion.loc["c", "b"] == 1 and confusion.to_numpy().sum() == 3


def test_tables_count_predictions_per_label():
    names = ["a", "b", "c"]
    multi = per_class_table(np.array([[1, 0, 0], [1, 1, 0]]), np.array([[1, 0, 0], [0, 0, 0]]), names, multi_label=True)
    assert multi["predicted"].tolist() == [2, 1, 0] and multi["support"].tolist() == [1, 0, 0]
    single = per_class_table(np.array([0, 0, 1]), np.array([0, 1, 1]), names, multi_label=False)
    assert single["predicted"].tolist() == [2, 1, 0]
