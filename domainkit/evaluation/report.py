"""Write a run's report: ``report.json`` (machine-readable), ``report.md`` and
a self-contained ``report.html`` (PNG plots embedded as data URIs).

``report.json`` schema (extra keys allowed)::

    {"pack": str, "task": str, "n_train": int, "n_test": int,
     "models": {"teacher": M, "student": M, "student_int8": M,
                "tfidf_logreg": M, "student_finetune_only": M},
     "retention": float, "speedup_vs_teacher": float, "wall_seconds": float}
    M = {"name": str, "accuracy": float, "macro_f1": float, "micro_f1": float, "ece": float,
         "params": int, "disk_mb": float, "seq_per_s": float, "peak_rss_mb": float}

plus, among the extra keys, ``checks``: ``[{"name": str, "passed": bool | None, "detail": str}]``
(see :mod:`domainkit.evaluation.checks`), ``preset`` and ``cpu_count``, and in each M the spread of
the speed measurement: ``seq_per_s_min`` and ``seq_per_s_max`` (the slowest and fastest timed pass),
``timed_passes`` and ``load_average_1m`` (the machine's 1-minute load average as the passes ended;
null where the OS has none). ``seq_per_s`` stays the median pass. ``peak_rss_scope`` says what
``peak_rss_mb`` covers: ``"inference"`` (the process while it classified, the model loaded) or
``"process"`` (loading included, where the high-water mark could not be reset).

A model that was not part of the run is ``null``, and so is a ratio that
needs it. Reports never contain document text: only label names, counts and
numbers.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

from domainkit.evaluation.calibration import ReliabilityBins
from domainkit.evaluation.metrics import DEFAULT_METRICS
from domainkit.evaluation.notes import measurement_notes
from domainkit.heads._atomic import atomic_write_text

REPORT_MODELS = ("teacher", "student", "student_int8", "tfidf_logreg", "student_finetune_only")
MODEL_FIELDS: dict[str, type | tuple[type, ...]] = {
    "name": str, "accuracy": float, "macro_f1": float, "micro_f1": float, "ece": float,
    "params": int, "disk_mb": float, "seq_per_s": float, "peak_rss_mb": float,
}
TOP_FIELDS: dict[str, type | tuple[type, ...]] = {
    "pack": str, "task": str, "n_train": int, "n_test": int,
    "retention": float, "speedup_vs_teacher": float, "wall_seconds": float,
}
#: Scores every report table shows; a pack's evaluation suite adds its own (``report["evaluation_suite"]``).
SCORE_COLUMNS = DEFAULT_METRICS
RESOURCE_COLUMNS = ("params", "disk_mb", "seq_per_s", "peak_rss_mb")


def table_columns(report: dict[str, Any]) -> tuple[str, ...]:
    """The model table's columns: the scores every report shows, the task's suite's others, then size and speed."""
    suite = [m for m in report.get("evaluation_suite") or () if m not in SCORE_COLUMNS]
    return (*SCORE_COLUMNS, *suite, *RESOURCE_COLUMNS)


def schema_problems(report: dict[str, Any]) -> list[str]:
    """Differences between ``report`` and the schema above (empty when it conforms)."""
    problems = []

    def check(where: str, value: Any, expected: type) -> None:
        ok = isinstance(value, expected) and not isinstance(value, bool)
        if expected is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not ok:
            problems.append(f"{where}: expected {expected.__name__}, found {type(value).__name__}")

    for key, expected in TOP_FIELDS.items():
        if key not in report:
            problems.append(f"missing key {key!r}")
        elif report[key] is not None or key not in ("retention", "speedup_vs_teacher"):
            check(key, report[key], expected)
    models = report.get("models")
    if not isinstance(models, dict) or set(models) != set(REPORT_MODELS):
        problems.append(f"models: expected keys {list(REPORT_MODELS)}, found {list(models or {})}")
        return problems
    for name, entry in models.items():
        if entry is None:
            continue
        for key, expected in MODEL_FIELDS.items():
            if key not in entry:
                problems.append(f"models.{name}: missing key {key!r}")
            else:
                check(f"models.{name}.{key}", entry[key], expected)
    return problems


def write_report(
    report: dict[str, Any],
    out_dir: Path,
    *,
    history: dict[str, list[dict]] | None = None,
    reliability_bins: dict[str, ReliabilityBins] | None = None,
) -> dict[str, Path]:
    """Write plots, report.json, report.md and report.html into ``out_dir``; return their paths."""
    from domainkit.evaluation.checks import report_checks

    out_dir = Path(out_dir)
    report["checks"] = report_checks(report)
    plots = _write_plots(report, out_dir / "plots", history, reliability_bins)
    report["plots"] = {name: str(path.relative_to(out_dir)) for name, path in plots.items()}
    paths = {
        "json": out_dir / "report.json",
        "md": out_dir / "report.md",
        "html": out_dir / "report.html",
    }
    # allow_nan=False: NaN is not JSON, and a reader of report.json would choke on it; none should reach here.
    atomic_write_text(paths["json"], json.dumps(_finite(report), indent=2, default=_json_default, allow_nan=False) + "\n")
    atomic_write_text(paths["md"], render_markdown(report))
    atomic_write_text(paths["html"], render_html(report, out_dir))
    return paths


def _finite(value):
    """``value`` with every NaN or infinite float replaced by None (JSON has no such numbers)."""
    import math

    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return _finite(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _json_default(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _write_plots(
    report: dict[str, Any], plot_dir: Path, history: dict | None, bins: dict[str, ReliabilityBins] | None
) -> dict[str, Path]:
    import pandas as pd

    from domainkit.evaluation.plots import plot_confusion, plot_reliability, plot_training_curves

    plots: dict[str, Path] = {}
    if history:
        curves = plot_training_curves(history, plot_dir / "training_curves.png")
        if curves is not None:
            plots["training_curves"] = curves
    confusion = report.get("confusion", {})
    shown = next((name for name in ("student", "teacher", "tfidf_logreg") if name in confusion), None)
    if shown and report.get("kind") != "multi_label":
        labels = report["label_names"]
        table = pd.DataFrame(confusion[shown], index=labels, columns=labels)
        plots["confusion_matrix"] = plot_confusion(
            table, plot_dir / "confusion_matrix.png", title=f"Confusion matrix ({shown}, row-normalised)"
        )
    if bins:
        plots["reliability_diagram"] = plot_reliability(bins, plot_dir / "reliability_diagram.png",
                                                        multi_label=report.get("kind") == "multi_label")
    return plots


def format_cell(value: Any, key: str = "") -> str:
    """One figure as every table shows it (report, model card, the run's closing summary)."""
    if value is None:
        return "—"
    if key == "params":
        return f"{value / 1e6:.1f}M" if value >= 1e5 else str(value)
    if isinstance(value, float):
        return f"{value:.1f}" if key in ("disk_mb", "seq_per_s", "peak_rss_mb") else f"{value:.3f}"
    return str(value)


def summary_rows(report: dict[str, Any]) -> list[list[str]]:
    """The model table as strings: one row per model in REPORT_MODELS order, columns as ``table_columns``."""
    rows = []
    for name in REPORT_MODELS:
        entry = report["models"].get(name)
        rows.append([name] + [format_cell(None if entry is None else entry.get(col), col) for col in table_columns(report)])
    return rows


#: Why a model's row can be empty, for the line under the table.
NOT_RUN_REASONS = {"student_finetune_only": "run.baselines = false, or the smoke preset",
                   "teacher": "the run had no teacher to score"}


def not_run_note(report: dict[str, Any]) -> list[str]:
    """A line under the model table naming the rows of dashes: models that were not part of this run."""
    missing = [name for name in REPORT_MODELS if report["models"].get(name) is None]
    if not missing:
        return []
    reasons = "; ".join(f"{name}: {NOT_RUN_REASONS.get(name, 'not produced by this run')}" for name in missing)
    return ["", f"— : not part of this run ({reasons})."]


def _headline(report: dict[str, Any]) -> list[tuple[str, str]]:
    return _thresholds_line(report) + [
        ("retention (student / teacher macro-F1)", format_cell(report.get("retention"))),
        ("speed-up vs teacher (seq/s)", format_cell(report.get("speedup_vs_teacher"))),
        ("int8 speed-up vs fp32 student", format_cell(report.get("int8_speedup"))),
        ("int8 prediction agreement with fp32", format_cell(report.get("int8_agreement"))),
        ("ONNX prediction agreement with fp32", format_cell(report.get("onnx_agreement"))),
        ("wall seconds (whole run up to this report)", f"{report.get('wall_seconds', 0):.1f}"),
        ("wall seconds (evaluation alone)", f"{report.get('evaluation_seconds', report.get('wall_seconds', 0)):.1f}"),
    ]


def _thresholds_line(report: dict[str, Any]) -> list[tuple[str, str]]:
    """Multi-label only: which models decide with per-label thresholds, tuned on how many documents."""
    if report.get("kind") != "multi_label":
        return []
    tuned = report.get("thresholds_tuned") or []
    n_validation = (report.get("split_info") or {}).get("validation", {}).get("n_validation")
    where = f"tuned on {n_validation} validation documents" if n_validation else "stored with the model"
    return [("per-label thresholds", f"{', '.join(tuned)} ({where})" if tuned else "none (0.5 for every label)")]


SMOKE_CAVEAT = "smoke preset: a wiring check on a few examples; the checks say nothing of quality"


#: How each outcome of a check opens its line (``passed`` is True, False or None).
CHECK_MARKS = {True: "pass:", False: "FAIL:", None: "skip:"}


def check_lines(report: dict[str, Any], marks: dict[bool | None, str] = CHECK_MARKS) -> list[str]:
    """The smoke caveat (smoke runs) and ``report["checks"]`` as lines: mark, name, (detail)."""
    lines = [SMOKE_CAVEAT] if report.get("preset") == "smoke" else []
    return lines + [f"{marks[c['passed']]} {c['name']} ({c['detail']})" for c in report.get("checks", [])]


def _training_windows_line(report: dict[str, Any]) -> list[str]:
    """One sentence when the transformers trained on long documents' windows (empty list otherwise)."""
    windows = (report.get("split_info") or {}).get("training_windows")
    if not windows:
        return []
    scored = windows.get("scored_windows")
    selection = windows.get("selection") or "first"
    scored_text = "every window of it" if scored == 0 else capped_windows(scored, selection, "it")
    spread = spread_words(selection, windows["max_windows"])
    return [f"Transformers trained on {windows['windows']} windows of {windows['max_length']} word pieces "
            f"(at most {windows['max_windows']} of each training document{spread}, each labelled as its document); "
            f"a test document's prediction pools the logits of {scored_text}. TF-IDF reads whole documents."]


def capped_windows(count: int, selection: str, owner: str) -> str:
    """Which ``count`` windows of ``owner`` a cap keeps, in words (see domainkit.heads.long_document)."""
    spread = spread_words(selection, count)
    if spread:
        return f"{count} windows of {owner}{spread}"
    return f"the first {count} window{'s' if count != 1 else ''} of {owner}"


def spread_words(selection: str | None, count: int) -> str:
    """", spread from the first to the last" after a count of windows that ``spread`` picked, else "".

    One window is the opening one whichever way it was picked, so it gets no words.
    """
    return ", spread from the first to the last" if selection == "spread" and count > 1 else ""


def over_window_counts(counts: dict[str, Any], verb: str) -> str:
    """ "3 of 76 training and 1 of 20 test documents <verb> longer than the 128-word-piece window"."""
    return (f"{counts['train']} of {counts['n_train']} training and {counts['test']} of {counts['n_test']} test "
            f"documents {verb} longer than the {counts['max_length']}-word-piece window")


def over_window_sentence(split_info: dict[str, Any] | None) -> str:
    """How many of a run's own documents ran past the window and what became of them ("" when none did)."""
    counts = (split_info or {}).get("over_window")
    if not counts or not (counts["train"] or counts["test"]):
        return ""
    found = over_window_counts(counts, "were")
    if counts["windows"]:
        # Not "read in windows" alone: run.max_windows (2 on licences) reads only the first windows of a long one.
        return found + ("; they were split into overlapping windows (data.long_documents), of which "
                        "run.max_windows says how many were read (0 = all).")
    return found + (f" and were cut there (only their first {counts['max_length']} word pieces were read; "
                    "--set data.long_documents=true reads them in windows).")


def _over_window_line(report: dict[str, Any]) -> list[str]:
    sentence = over_window_sentence(report.get("split_info"))
    return [sentence] if sentence else []


def _teacher_window(report: dict[str, Any]) -> str:
    """" (teacher N)" when the teacher read another window length than the students (empty otherwise)."""
    length = report.get("teacher_max_length")
    return f" (teacher {length})" if length is not None and length != report.get("max_length") else ""


def render_markdown(report: dict[str, Any]) -> str:
    header = ["model", *table_columns(report)]
    lines = [
        f"# domainkit report: {report['pack']} / {report['task']}",
        "",
        f"{report.get('kind', '')} task, {len(report.get('label_names', []))} labels, "
        f"{report['n_train']} training and {report['n_test']} test documents, "
        f"max_length {report.get('max_length')}{_teacher_window(report)}, long documents {report.get('long_documents')}.",
        *_training_windows_line(report),
        *_over_window_line(report),
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in summary_rows(report)]
    lines += [*not_run_note(report)]
    lines += ["", *[f"- {label}: {value}" for label, value in _headline(report)], ""]
    for note in measurement_notes(report):
        lines += [note, ""]
    per_class = report.get("per_class", {}).get("student")
    if per_class:
        lines += ["## Per-class results (student)", "", "| label | precision | recall | f1 | support |",
                  "|---|---|---|---|---|"]
        lines += [
            f"| {r['label']}{_absent_mark(r)} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} "
            f"| {r['support']} |"
            for r in per_class
        ]
        for note in absent_label_notes(per_class):  # zero-support rows: their zeros are no score
            lines += ["", note]
        lines.append("")
    for name, path in report.get("plots", {}).items():
        lines += [f"![{name}]({path})", ""]
    if report.get("checks"):
        lines += ["## Checks", "", *[f"- {line}" for line in check_lines(report)], ""]
    return "\n".join(lines)


#: Marks a per-class row whose label no test document has (support 0).
ABSENT_MARK = " *"
ABSENT_PREDICTED_MARK = " †"


def _absent_mark(row: dict[str, Any]) -> str:
    """' *' for a label absent from the test set and never predicted (left out of the macro averages),
    ' †' for one absent but predicted (false alarms: F1 0, counted); '' for a label with support."""
    if row.get("support"):
        return ""
    return ABSENT_PREDICTED_MARK if row.get("predicted") else ABSENT_MARK


def absent_label_notes(per_class: list[dict[str, Any]]) -> list[str]:
    """The notes under a per-class table that has zero-support rows: their zeros are no score.

    The macro averages (the model table's macro_f1...) average over the labels that occur in the test
    references or the predictions: a label with neither shows precision, recall and F1 0.000 in the
    table but is left out of them. A report from before ``predicted`` was recorded cannot tell.
    """
    absent = [row for row in per_class if not row.get("support")]
    notes = []
    never = [row for row in absent if "predicted" in row and not row["predicted"]]
    predicted = [row for row in absent if row.get("predicted")]
    unknown = [row for row in absent if "predicted" not in row]
    if never:
        notes.append("\\* no test document has this label and none was predicted with it "
                     f"({len(never)} label(s)): its 0.000 scores are no measurement, and it is left out of the "
                     "macro averages.")
    if predicted:
        notes.append(f"{ABSENT_PREDICTED_MARK.strip()} no test document has this label, but some were predicted "
                     f"with it ({len(predicted)} label(s)): false alarms, F1 0, counted in the macro averages.")
    if unknown:
        notes.append(f"\\* no test document has this label ({len(unknown)} label(s)): its 0.000 "
                     "scores are no measurement; the macro averages leave it out unless it was predicted.")
    return notes


def _embedded_image(out_dir: Path, relative: str, alt: str) -> str:
    data = base64.b64encode((out_dir / relative).read_bytes()).decode("ascii")
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"><figcaption>{html.escape(alt)}</figcaption></figure>'


def render_html(report: dict[str, Any], out_dir: Path) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(h)}</th>" for h in ["model", *table_columns(report)])
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in summary_rows(report)
    )
    headline = "".join(f"<li>{esc(label)}: <b>{esc(value)}</b></li>" for label, value in _headline(report))
    checks = "".join(f"<li>{esc(line)}</li>" for line in check_lines(report))
    checks = f"<h2>Checks</h2><ul>{checks}</ul>" if checks else ""
    per_class = report.get("per_class", {}).get("student") or []
    class_rows = "".join(
        f"<tr><td>{esc(str(r['label']) + _absent_mark(r))}</td><td>{r['precision']:.3f}</td><td>{r['recall']:.3f}</td>"
        f"<td>{r['f1']:.3f}</td><td>{r['support']}</td></tr>"
        for r in per_class
    )
    class_rows_notes = "".join(f"<p>{esc(note.replace(chr(92), ''))}</p>" for note in absent_label_notes(per_class))
    notes = "\n".join(f"<p>{esc(note)}</p>" for note in [*not_run_note(report)[1:], *measurement_notes(report)])
    over_window = "".join(f"<p>{esc(line)}</p>\n" for line in _over_window_line(report))
    images = "".join(_embedded_image(out_dir, path, name) for name, path in report.get("plots", {}).items())
    title = f"domainkit report: {report['pack']} / {report['task']}"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>body{{font-family:sans-serif;max-width:1000px;margin:2em auto}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:right}}td:first-child{{text-align:left}}
img{{max-width:100%}}</style></head><body>
<h1>{esc(title)}</h1>
<p>{esc(str(report.get('kind', '')))} task; {report['n_train']} training and {report['n_test']} test documents.</p>
{over_window}<table><tr>{head}</tr>{body}</table>
<ul>{headline}</ul>
{notes}
<h2>Per-class results (student)</h2>
<table><tr><th>label</th><th>precision</th><th>recall</th><th>f1</th><th>support</th></tr>{class_rows}</table>
{class_rows_notes}
{images}
{checks}
</body></html>
"""
