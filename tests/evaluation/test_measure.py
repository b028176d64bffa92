"""Speed measurement: repeated passes and the median."""

from domainkit.evaluation import measure


def test_short_passes_are_repeated_and_the_median_counts(monkeypatch):
    clock = iter(range(0, 1000))  # every perf_counter() call advances one second
    monkeypatch.setattr(measure.time, "perf_counter", lambda: float(next(clock)))
    monkeypatch.setattr(measure, "MIN_TIMED_SECONDS", 3.0)
    outputs = iter(["first", "second", "third", "fourth"])
    output, seconds = measure._timed_passes(lambda: next(outputs))
    assert output == "first"  # predictions come from the first pass
    assert seconds == 1.0  # three one-second passes reach 3 s; their median
    assert next(outputs) == "fourth"  # no fourth pass was run


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
