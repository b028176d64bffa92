import numpy as np

from domainkit.evaluation.baselines import (
    baseline_proba, count_baseline_parameters, load_baseline, save_baseline, train_tfidf_logreg,
)


def test_baselines_tfidf_logreg_learns_keywords_and_round_trips(tiny_task, tmp_path):
    baseline = train_tfidf_logreg(tiny_task.train_texts, tiny_task.train_label_ids, 3, multi_label=False)
    probabilities = baseline_proba(baseline, tiny_task.test_texts)
    accuracy = np.mean(probabilities.argmax(1) == np.array(tiny_task.test_label_ids))
    assert accuracy > 0.9
    loaded = load_baseline(save_baseline(baseline, tmp_path / "b.pkl"))
    assert np.allclose(baseline_proba(loaded, tiny_task.test_texts), probabilities)
    assert count_baseline_parameters(baseline) > 3


def test_baselines_multi_label_gives_a_probability_per_label():
    texts = ["heart lung", "heart", "lung", "skin", "heart skin", "lung skin"] * 3
    labels = [[0, 1], [0], [1], [2], [0, 2], [1, 2]] * 3
    baseline = train_tfidf_logreg(texts, labels, 3, multi_label=True)
    probabilities = baseline_proba(baseline, ["heart lung"])
    assert probabilities.shape == (1, 3) and probabilities[0, 2] < probabilities[0, 0]
