import numpy as np

from domainkit.heads.multilabel import (
    DEFAULT_THRESHOLD, apply_thresholds, multi_hot, thresholds_from_dict, thresholds_to_dict, tune_thresholds,
)
from domainkit.heads.settings import InferenceSettings, read_settings, write_settings


def test_multilabel_tuning_finds_the_separating_threshold_and_defaults_absent_labels():
    truth = multi_hot([[0], [0], [], [], [0, 1]], 3)
    probabilities = np.array([
        [0.30, 0.1, 0.9], [0.35, 0.1, 0.9], [0.10, 0.1, 0.9], [0.20, 0.1, 0.9], [0.40, 0.8, 0.9],
    ])
    thresholds = tune_thresholds(probabilities, truth)
    assert 0.2 < thresholds[0] <= 0.3  # separates 0.30/0.35/0.40 from 0.10/0.20
    assert apply_thresholds(probabilities, thresholds)[:, 0].tolist() == [1, 1, 0, 0, 1]
    assert thresholds[2] == DEFAULT_THRESHOLD  # label 2 never positive: untuned


def test_multilabel_thresholds_round_trip_through_the_model_folder(tmp_path):
    names = ["a", "b", "c"]
    stored = thresholds_to_dict(np.array([0.3, 0.5, 0.7]), names)
    write_settings(tmp_path, InferenceSettings(thresholds=stored))
    loaded = thresholds_from_dict(read_settings(tmp_path).thresholds, names + ["new"])
    assert loaded.tolist() == [0.3, 0.5, 0.7, DEFAULT_THRESHOLD]


def test_multilabel_classifier_uses_stored_thresholds(make_classifier):
    from domainkit.evaluation.inference import decide, predict_proba
    from domainkit.heads.loading import load_classifier

    folder = make_classifier(multi_label=True)
    classifier = load_classifier(folder)
    probabilities = predict_proba(classifier, ["heart pain", "lung"])
    assert classifier.multi_label and probabilities.shape == (2, 3)
    # thresholds at 0 predict every label; at 1 none
    write_settings(folder, InferenceSettings(thresholds={"cardio": 0.0, "pulmo": 1.0, "derm": 1.0}))
    decided = decide(probabilities, load_classifier(folder))
    assert decided.tolist() == [[1, 0, 0], [1, 0, 0]]
