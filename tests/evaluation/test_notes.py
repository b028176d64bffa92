"""The notes under a report's model table (domainkit/evaluation/notes.py)."""

from __future__ import annotations

from domainkit.evaluation.notes import busy_load, measurement_notes

MODELS = ("teacher", "student", "student_int8", "tfidf_logreg", "student_finetune_only")


def _report(load, scope="inference", cpus=2):
    entry = {"seq_per_s_min": 90.0, "seq_per_s_max": 110.0, "timed_passes": 4, "load_average_1m": load,
             "peak_rss_scope": scope}
    return {"models": {name: dict(entry) for name in MODELS}, "cpu_count": cpus}


def test_notes_warn_of_a_busy_machine_only_above_the_cpu_count():
    assert busy_load(_report(load=1.9)) is None and busy_load(_report(load=2.0)) is None
    assert busy_load(_report(load=2.5)) == 2.5
    assert not any("busy machine" in note for note in measurement_notes(_report(load=1.9)))
    assert busy_load({"models": {"student": {"load_average_1m": 9.0}}}) is None  # no CPU count: no verdict


def test_notes_say_what_peak_rss_covers():
    assert any("the transient peak of loading is left out" in note for note in measurement_notes(_report(1.0)))
    mixed = _report(1.0)
    mixed["models"]["teacher"]["peak_rss_scope"] = "process"
    assert any("loading included" in note for note in measurement_notes(mixed))
    older = {"models": {"student": {"seq_per_s": 10.0}}}  # a report from before these fields: no claim either way
    assert not any("Peak RSS" in note for note in measurement_notes(older))
