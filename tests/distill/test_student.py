import math

import pytest

from domainkit.data.taskdata import TaskData
from domainkit.distill.student import build_classifier


def _data(kind, labels):
    return TaskData(task="t", kind=kind, label_names=["cardio", "pulmo", "derm"], train_texts=["a", "b", "c", "d"],
                    train_labels=labels, test_texts=["e"], test_labels=[labels[0]])


def test_multi_label_head_starts_from_the_label_priors(make_classifier):
    data = _data("multi_label", [["cardio"], ["cardio", "pulmo"], ["cardio"], ["derm"]])
    model = build_classifier(make_classifier(), data)
    expected = [math.log(p / (1 - p)) for p in (0.75, 0.25, 0.25)]
    assert model.classifier.bias.tolist() == pytest.approx(expected, abs=1e-5)
    assert model.config.problem_type == "multi_label_classification"


def test_single_label_head_keeps_its_initialisation(make_classifier):
    folder = make_classifier()
    model = build_classifier(folder, _data("single_label", ["cardio", "pulmo", "cardio", "derm"]))
    assert model.config.problem_type == "single_label_classification"
    assert model.classifier.bias.tolist() != pytest.approx([math.log(0.5 / 0.5), math.log(0.25 / 0.75), math.log(0.25 / 0.75)])
