"""Speed measurement: repeated passes and the median."""

from domainkit.evaluation import measure


def test_short_passes_are_repeated_and_the_median_counts(monkeypatch):
    clock = iter(range(0, 1000))  # every perf_counter() call advances one second
    monkeypatch.setattr(measure.time, "perf_counter", lambda: float(next(clock)))
    monkeypatch.setattr(measure, "MIN_TIMED_SECONDS", 3.0)
    outputs = iter(["first", "second", "third", "fourth"])
    output, seconds = measure._timed_passes(lambda: next(outputs))
    assert output == "first"  # predictions come from the first pass
    assert seconds == [1.0, 1.0, 1.0]  # three one-second passes reach 3 s; every one is kept
    assert next(outputs) == "fourth"  # no fourth pass was run


def test_measure_reports_the_median_pass_and_the_spread_of_all():
    import numpy as np

    measurement = measure.Measurement(np.zeros((8, 2)), pass_seconds=(1.0, 2.0, 4.0), n_texts=8,
                                      peak_rss_mb=1.0, params=1)
    assert measurement.seq_per_s == 4.0  # 8 documents in the median pass's 2 s
    assert measurement.seq_per_s_range == (2.0, 8.0)  # slowest pass 4 s, fastest 1 s


def test_a_turn_makes_its_share_of_the_passes(monkeypatch):
    monkeypatch.setattr(measure, "MIN_TIMED_SECONDS", 1e9)
    monkeypatch.setattr(measure, "MAX_PASSES", 5)
    calls = []
    measure._timed_passes(lambda: calls.append(1), share=0.5)
    assert len(calls) == 3  # half of 5 passes, rounded up: two turns still make at least 5


def test_measure_alternating_times_two_models_in_turns_and_merges_each(monkeypatch, tmp_path):
    from pathlib import Path

    import numpy as np

    order = []

    def fake_child(job, texts):
        order.append((Path(job["model"]).name, job["share"]))
        turn = sum(1 for name, _ in order if name == Path(job["model"]).name)
        return measure.Measurement(np.full((len(texts), 2), turn), pass_seconds=(float(turn),), n_texts=len(texts),
                                   peak_rss_mb=100.0 * turn, params=7, load_average_1m=0.5 * turn)

    monkeypatch.setattr(measure, "measure_in_child", fake_child)
    result = measure.measure_alternating({"student": tmp_path / "fp32", "student_int8": tmp_path / "int8"},
                                         ["a", "b"], rounds=2, max_length=16)
    assert order == [("fp32", 0.5), ("int8", 0.5), ("fp32", 0.5), ("int8", 0.5)]  # A B A B
    student = result["student"]
    assert student.pass_seconds == (1.0, 2.0) and student.peak_rss_mb == 200.0 and student.load_average_1m == 1.0
    assert (student.probabilities == 1).all() and student.params == 7  # the first turn's predictions


def test_the_measuring_child_reports_every_pass_and_the_load_average(tmp_path):
    from domainkit.evaluation.baselines import save_baseline, train_tfidf_logreg

    texts = ["heart rate and rhythm", "skin rash and itching"] * 4
    baseline = train_tfidf_logreg(texts, [0, 1] * 4, 2, multi_label=False)
    measurement = measure.measure_sklearn(save_baseline(baseline, tmp_path / "b.pkl"), texts)
    assert len(measurement.pass_seconds) == measure.MAX_PASSES  # tiny passes: repeated up to the cap
    assert measurement.n_texts == 8 and measurement.seq_per_s > 0
    assert isinstance(measurement.load_average_1m, float)  # Linux and macOS have one


def test_passes_stop_at_the_cap(monkeypatch):
    monkeypatch.setattr(measure, "MIN_TIMED_SECONDS", 1e9)
    monkeypatch.setattr(measure, "MAX_PASSES", 4)
    calls = []
    measure._timed_passes(lambda: calls.append(1))
    assert len(calls) == 4


def test_one_long_pass_is_enough(monkeypatch):
    monkeypatch.setattr(measure, "MIN_TIMED_SECONDS", 0.0)
    calls = []
    measure._timed_passes(lambda: calls.append(1))
    assert len(calls) == 1


def test_a_failed_child_names_its_exception_but_never_its_message(monkeypatch, tmp_path):
    import subprocess

    import pytest

    from domainkit.errors import ModelError

    stderr = "Traceback (most recent call last):\n  ...\nKeyError: 'Patient John Smith seen today'\n"
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 1, "", stderr))
    with pytest.raises(ModelError, match=r"exit code 1, KeyError") as error:
        measure.measure_classifier(tmp_path / "model", ["Patient John Smith seen today"])
    assert "John" not in str(error.value)


def test_a_last_stderr_line_that_is_no_exception_class_is_not_shown():
    assert measure._exception_name("Traceback ...\nMemoryError") == "MemoryError"
    assert measure._exception_name("Traceback ...\ntorch.OutOfMemoryError: CPU") == "torch.OutOfMemoryError"
    assert measure._exception_name("some output\nQuillfeather") == "no exception named"


def test_the_baselines_measuring_child_does_not_load_torch():
    """Its peak memory is the baseline's: importing torch there would about double it."""
    import subprocess
    import sys

    code = ("import sys, domainkit.evaluation.measure, domainkit.evaluation.baselines; "
            "print('torch' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"
