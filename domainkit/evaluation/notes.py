"""The report's notes under the model table: what ECE, seq/s and peak RSS cover in this run.

A figure quoted without its conditions misleads: a multi-label ECE (every document-label decision)
reads far lower than a single-label one, speed taken on a busy machine is low and noisy, and a peak
memory figure means little without saying whether loading is in it. ``report.md`` and
``report.html`` both render :func:`measurement_notes`, so they say the same.
"""

from __future__ import annotations

from typing import Any

from domainkit.evaluation.memory import INFERENCE, PROCESS


def _speed_spread(report: dict[str, Any]) -> str:
    """The slowest and fastest pass of each transformer, in seq/s ("" for reports older than the spread)."""
    spreads = [f"{name} {entry['seq_per_s_min']:.1f}-{entry['seq_per_s_max']:.1f}"
               for name, entry in report["models"].items()
               if entry and entry.get("seq_per_s_min") is not None and name != "tfidf_logreg"]
    return f" Slowest to fastest timed pass (seq/s): {', '.join(spreads)}." if spreads else ""


def busy_load(report: dict[str, Any]) -> float | None:
    """The highest 1-minute load average a speed figure was taken at, when it exceeded the CPU count.

    The load average counts runnable threads machine-wide, this measurement's own included; above
    the CPU count, other work was competing for the cores while the models were timed.
    """
    cpus = report.get("cpu_count")
    loads = [entry["load_average_1m"] for entry in report["models"].values()
             if entry and entry.get("load_average_1m") is not None]
    return max(loads) if cpus and loads and max(loads) > cpus else None


def ece_note(multi_label: bool) -> str:
    """What ECE and the reliability diagram are computed over (see :mod:`domainkit.evaluation.calibration`)."""
    if multi_label:
        # Most (document, label) cells are confident negatives, which pulls the average gap down: a
        # multi-label ECE reads lower than a single-label one for the same miscalibration.
        return ("ECE: expected calibration error over 15 equal-width bins, taken over every (document, label) "
                "decision: each label's probability is a forecast that the label applies, compared with how "
                "often it did. The reliability diagram shows the same decisions. Most decisions are confident "
                "negatives, so this ECE is not comparable with a single-label task's (top-label) ECE.")
    return ("ECE: expected calibration error over 15 equal-width bins of the top label's probability, against "
            "how often the top label was right.")


def measurement_notes(report: dict[str, Any]) -> list[str]:
    """What the table's ECE, seq/s and peak RSS mean, and a warning when speed was taken on a busy machine."""
    models = report["models"]
    in_turns = all((models.get(name) or {}).get("timed_passes") for name in ("student", "student_int8"))
    notes = [
        ece_note(report.get("kind") == "multi_label") + " seq/s (test documents per "
        "second, tokenisation included; the median timed pass) and peak RSS (MiB) were measured on this "
        "machine, each model in its own process"
        + ("; the fp32 and int8 students were timed in turns (A B A B), so the int8 speed-up is a ratio "
           "taken under the same load." if in_turns else ".") + _speed_spread(report),
    ]
    scopes = {entry.get("peak_rss_scope") for entry in models.values() if entry}
    if scopes == {INFERENCE}:
        notes.append("Peak RSS: the highest resident memory of the model's process while it classified the test "
                     "set, with the model loaded (Python, torch and the tokenizer included), the same for every "
                     "model; the transient peak of loading is left out.")
    elif PROCESS in scopes:
        notes.append("Peak RSS: the highest resident memory of the model's whole process, loading included (this "
                     "system could not reset the high-water mark after loading).")
    load = busy_load(report)
    if load is not None:
        notes.append(f"Speed figures were taken on a busy machine: the 1-minute load average reached {load:.1f} "
                     f"on {report['cpu_count']} CPUs, so seq/s and the speed-ups are lower and noisier than on an "
                     "idle machine; measure again before quoting them.")
    return notes
