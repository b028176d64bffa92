import numpy as np
import pytest

from domainkit.evaluation.calibration import N_BINS, expected_calibration_error, reliability


def test_calibration_ece_of_a_known_case():
    # 10 predictions, all with confidence 0.9, 7 correct: ECE = |0.7 - 0.9| = 0.2
    probabilities = np.tile([0.9, 0.1], (10, 1))
    references = np.array([0] * 7 + [1] * 3)
    assert expected_calibration_error(probabilities, references, multi_label=False) == pytest.approx(0.2)


def test_calibration_perfectly_calibrated_bins_give_zero_and_bins_are_15():
    # confidence 0.5 with half right, confidence 1.0 always right
    probabilities = np.array([[0.5, 0.5]] * 4 + [[1.0, 0.0]] * 4)
    references = np.array([0, 1, 0, 1, 0, 0, 0, 0])
    bins = reliability(probabilities, references, multi_label=False)
    assert len(bins.counts) == N_BINS and bins.counts.sum() == 8
    assert bins.ece == pytest.approx(0.0)
    assert bins.counts[-1] == 4  # 1.0 falls in the last, right-closed bin


def test_calibration_multi_label_treats_each_label_as_a_binary_forecast():
    probabilities = np.array([[0.8, 0.1], [0.8, 0.1]])
    truth = np.array([[1, 0], [0, 0]])
    # bin 0.8: mean forecast 0.8, frequency 0.5; bin 0.1: forecast 0.1, frequency 0
    expected = 0.5 * 0.3 + 0.5 * 0.1
    assert expected_calibration_error(probabilities, truth, multi_label=True) == pytest.approx(expected)
