"""The evaluation suite of one run: every model on the same held-out split.

``evaluate_run`` scores the teacher, the distilled student, its int8 variant
(made here when not given), the student fine-tuned on labels only and the
TF-IDF + logistic-regression floor; it writes ``report.{json,md,html}`` and
the plots into ``out_dir`` and returns the report dict (schema in
:mod:`domainkit.evaluation.report`).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from domainkit.data.taskdata import TOKEN, TaskData
from domainkit.errors import ConfigError
from domainkit.evaluation.calibration import ReliabilityBins, reliability
from domainkit.evaluation.measure import Measurement, measure_alternating, measure_classifier, measure_sklearn
from domainkit.evaluation.metrics import classification_metrics
from domainkit.evaluation.size import weights_disk_mb
from domainkit.evaluation.tables import confusion_table, per_class_table
from domainkit.heads.long_document import default_stride
from domainkit.heads.multilabel import apply_thresholds, multi_hot, thresholds_from_dict
from domainkit.heads.settings import read_settings
from domainkit.log import get_logger

log = get_logger(__name__)

#: Models every report lists, in this order (schema of report.json).
REPORT_MODELS = ("teacher", "student", "student_int8", "tfidf_logreg", "student_finetune_only")
TRANSFORMER_MODELS = ("teacher", "student", "student_int8", "student_finetune_only")
#: Timed in turns (A B A B): the int8 speed-up, checked against a target, is their ratio, and a load
#: that came and went while one of them ran alone would move it (see measure.measure_alternating).
ALTERNATED = ("student", "student_int8")


def references_of(data: TaskData) -> np.ndarray:
    if data.multi_label:
        return multi_hot(data.test_label_ids, len(data.label_names))
    return np.asarray(data.test_label_ids)


def decisions(probabilities: np.ndarray, data: TaskData, thresholds: np.ndarray | None) -> np.ndarray:
    if data.multi_label:
        return apply_thresholds(probabilities, thresholds)
    return probabilities.argmax(axis=-1)


def agreement(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of documents with identical predictions (whole label set for multi-label)."""
    a, b = np.asarray(a), np.asarray(b)
    same = (a == b).all(axis=-1) if a.ndim == 2 else a == b
    return float(np.mean(same)) if same.size else 1.0


def _model_entry(
    name: str, measurement: Measurement, predictions: np.ndarray, references: np.ndarray,
    bins: ReliabilityBins, disk_mb: float, multi_label: bool,
) -> dict[str, Any]:
    metrics = classification_metrics(predictions, references, multi_label=multi_label)
    slowest, fastest = measurement.seq_per_s_range
    return {
        "name": name,
        "accuracy": metrics["accuracy"],
        "macro_f1": metrics["macro_f1"],
        "micro_f1": metrics["micro_f1"],
        "macro_precision": metrics["macro_precision"],
        "macro_recall": metrics["macro_recall"],
        "ece": bins.ece,
        "params": measurement.params,
        "disk_mb": disk_mb,
        "seq_per_s": measurement.seq_per_s,
        "peak_rss_mb": measurement.peak_rss_mb,
        # beyond the schema: how far the timed passes spread, and how busy the machine was
        "seq_per_s_min": slowest,
        "seq_per_s_max": fastest,
        "timed_passes": len(measurement.pass_seconds),
        "load_average_1m": measurement.load_average_1m,
        "peak_rss_scope": measurement.peak_rss_scope,  # "inference" (after loading) or "process" (loading too)
    }


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return float(numerator) / float(denominator)


def evaluate_run(
    models: dict[str, Path],
    data: TaskData,
    *,
    out_dir: Path,
    max_length: int,
    long_documents: bool,
    pack: str = "",
    preset: str = "",
    history: dict[str, list[dict]] | None = None,
    batch_size: int = 32,
    stride: int | None = None,
    max_windows: int = 0,
    window_selection: str = "first",
    previous_seconds: float = 0.0,
    check_onnx: bool = True,
    seed: int = 0,
    thresholds: dict[str, dict[str, float] | None] | None = None,
    metrics: tuple[str, ...] = (),
    teacher_max_length: int | None = None,
) -> dict[str, Any]:
    """Evaluate ``models`` (keys among REPORT_MODELS, values model folders) on ``data``'s test split.

    ``student_int8`` is quantised from ``student`` when not given;
    ``tfidf_logreg`` is always trained here. A model not given and not
    derivable appears as ``null`` in ``report["models"]`` (and ratios that need
    it are ``null``). ``history`` (Trainer ``log_history`` per model name) adds
    training curves. ``previous_seconds`` (the run's stages before evaluation)
    is added to ``wall_seconds`` so the report states the whole run's time. ``stride`` defaults to a quarter of ``max_length``;
    ``max_windows`` (0 = all) caps a long document's windows, picked by ``window_selection``. ``check_onnx`` exports the student to ONNX and records
    argmax agreement with fp32. ``thresholds`` (multi-label) gives per-label
    cut-offs by model name, for models whose folder does not hold its own
    (the cached teacher); others use their stored settings, else 0.5. ``metrics``: the task's
    evaluation suite (its pack's ``evaluation_suite``), the scores the report tables show besides
    the ones every table shows. ``teacher_max_length`` (default ``max_length``): the teacher's own
    window, at which it was fitted; it is read at that length with that length's default stride.
    """
    started = time.perf_counter()
    if data.kind == TOKEN:
        raise ConfigError(
            f"task {data.task!r} is token classification; evaluate_run scores document classifiers",
            hint="use domainkit.heads.token.evaluate_spans for token tasks",
        )
    unknown = sorted(set(models) - set(REPORT_MODELS))
    if unknown:
        raise ConfigError(f"unknown model name(s) {unknown}; available: {', '.join(REPORT_MODELS)}")
    out_dir = Path(out_dir)
    work = out_dir / "models"
    models = {name: Path(path) for name, path in models.items()}
    if "student" in models and "student_int8" not in models:
        from domainkit.evaluation.quantize import save_int8

        models["student_int8"] = save_int8(models["student"], work / "student_int8")

    references = references_of(data)
    texts = data.test_texts
    stride = default_stride(max_length) if stride is None else stride
    overrides = {"max_length": max_length, "long_documents": long_documents, "stride": stride,
                 "max_windows": max_windows, "window_selection": window_selection}
    entries: dict[str, dict | None] = {name: None for name in REPORT_MODELS}
    predictions: dict[str, np.ndarray] = {}
    bins: dict[str, ReliabilityBins] = {}
    with_thresholds: list[str] = []
    windows = model_windows(overrides, teacher_max_length)
    measured = _measure_transformers(models, texts, windows, batch_size)
    for name, measurement in measured.items():
        stored = (thresholds or {}).get(name) or read_settings(models[name]).thresholds
        if stored:
            with_thresholds.append(name)
        cutoffs = thresholds_from_dict(stored, data.label_names)
        predictions[name] = decisions(measurement.probabilities, data, cutoffs)
        bins[name] = reliability(measurement.probabilities, references, multi_label=data.multi_label)
        entries[name] = _model_entry(
            name, measurement, predictions[name], references, bins[name],
            weights_disk_mb(models[name]), data.multi_label,
        )
        log.info("evaluate: %s macro-F1 %s, %.1f sequences/s", name, _score_text(entries[name]["macro_f1"]),
                 entries[name]["seq_per_s"])

    log.info("evaluate: tfidf_logreg (%d of %d models)", len(measured) + 1, len(measured) + 1)
    baseline_entry, predictions["tfidf_logreg"], bins["tfidf_logreg"] = _evaluate_baseline(
        data, references, work, batch_size=batch_size, seed=seed
    )
    entries["tfidf_logreg"] = baseline_entry
    if _baseline_gets_thresholds(data):
        with_thresholds.append("tfidf_logreg")

    report: dict[str, Any] = {
        "pack": pack,
        "preset": preset,
        "task": data.task,
        "kind": data.kind,
        "n_train": len(data.train_texts),
        "n_test": len(texts),
        "label_names": list(data.label_names),
        "max_length": max_length,
        "teacher_max_length": windows["teacher"]["max_length"],
        "long_documents": long_documents,
        "models": entries,
        "retention": _ratio(_get(entries, "student", "macro_f1"), _get(entries, "teacher", "macro_f1")),
        "speedup_vs_teacher": _ratio(_get(entries, "student", "seq_per_s"), _get(entries, "teacher", "seq_per_s")),
        "int8_speedup": _ratio(_get(entries, "student_int8", "seq_per_s"), _get(entries, "student", "seq_per_s")),
        "int8_agreement": _agreement_of(predictions, "student_int8", "student"),
        "onnx_agreement": None,
        "split_info": data.split_info,
        "thresholds_tuned": sorted(with_thresholds) if data.multi_label else [],
        "evaluation_suite": list(metrics),
        "cpu_count": os.cpu_count(),  # beside each model's load average: more than this means a busy machine
    }
    if check_onnx and "student" in models:
        report["onnx_agreement"] = _onnx_agreement(models["student"], work / "student_onnx", texts, predictions["student"], data, overrides, batch_size)
    report["per_class"] = {
        name: per_class_table(pred, references, data.label_names, multi_label=data.multi_label)
        .reset_index().to_dict(orient="records")
        for name, pred in predictions.items()
    }
    report["confusion"] = {
        name: confusion_table(pred, references, data.label_names, multi_label=data.multi_label).to_numpy().tolist()
        for name, pred in predictions.items()
    }
    report["reliability"] = {name: b.to_dict() for name, b in bins.items()}
    report["wall_seconds"] = report["evaluation_seconds"] = time.perf_counter() - started
    report["wall_seconds"] += previous_seconds

    from domainkit.evaluation.report import write_report

    write_report(report, out_dir, history=history, reliability_bins=bins)
    return report


def model_windows(window: dict[str, Any], teacher_max_length: int | None) -> dict[str, dict[str, Any]]:
    """Each transformer's window settings: the students' ``window``, the teacher at its own length.

    The teacher's head was fitted, and its stage scores taken, at ``teacher.max_length``; reading it
    at the students' length would report (and compute retention for) a teacher cut to their window.
    """
    windows = {name: dict(window) for name in TRANSFORMER_MODELS}
    if teacher_max_length is not None and teacher_max_length != window["max_length"]:
        windows["teacher"].update(max_length=teacher_max_length, stride=default_stride(teacher_max_length))
    return windows


def _measure_transformers(
    models: dict[str, Path], texts: list[str], windows: dict[str, dict[str, Any]], batch_size: int
) -> dict[str, Measurement]:
    """Every transformer's measurement in TRANSFORMER_MODELS order, the ALTERNATED pair in turns."""
    names = [name for name in TRANSFORMER_MODELS if name in models]
    pair = [name for name in ALTERNATED if name in models]
    measured: dict[str, Measurement] = {}
    for position, name in enumerate(names, start=1):
        if name in measured:  # the second of the pair, measured in turns with the first
            continue
        # Each measurement runs in a child process whose output is not shown: say what is going on.
        if name in pair and len(pair) == len(ALTERNATED):
            log.info("evaluate: %s in turns (%d and %d of %d models) on %d test documents", " and ".join(pair),
                     position, position + 1, len(names) + 1, len(texts))
            measured.update(measure_alternating({other: models[other] for other in pair}, texts,
                                                batch_size=batch_size, **windows[name]))  # one window: the student's
        else:
            log.info("evaluate: %s (%d of %d models) on %d test documents", name, position, len(names) + 1, len(texts))
            measured[name] = measure_classifier(models[name], texts, batch_size=batch_size, **windows[name])
    return {name: measured[name] for name in names}


def _get(entries: dict[str, dict | None], name: str, key: str) -> float | None:
    entry = entries.get(name)
    return None if entry is None else entry[key]


def _agreement_of(predictions: dict[str, np.ndarray], a: str, b: str) -> float | None:
    if a not in predictions or b not in predictions:
        return None
    return agreement(predictions[a], predictions[b])


def _evaluate_baseline(
    data: TaskData, references: np.ndarray, work: Path, *, batch_size: int, seed: int
) -> tuple[dict[str, Any], np.ndarray, ReliabilityBins]:
    from domainkit.evaluation.baselines import save_baseline, train_tfidf_logreg

    baseline = train_tfidf_logreg(
        data.train_texts, data.train_label_ids, len(data.label_names), multi_label=data.multi_label, seed=seed
    )
    path = save_baseline(baseline, work / "tfidf_logreg.pkl")
    measurement = measure_sklearn(path, data.test_texts, batch_size=batch_size)
    predicted = decisions(measurement.probabilities, data, _baseline_thresholds(baseline, data))
    bins = reliability(measurement.probabilities, references, multi_label=data.multi_label)
    disk_mb = path.stat().st_size / 2**20
    entry = _model_entry("tfidf_logreg", measurement, predicted, references, bins, disk_mb, data.multi_label)
    return entry, predicted, bins


def _baseline_gets_thresholds(data: TaskData) -> bool:
    """Multi-label tasks with a validation split: where the transformers' thresholds are tuned too."""
    return data.multi_label and bool(data.validation_texts)


def _score_text(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.3f}"


def _baseline_thresholds(baseline, data: TaskData) -> np.ndarray | None:
    """Per-label cut-offs for a multi-label baseline, tuned on the validation split as the transformers' are.

    Without them the floor would be held to 0.5 for every label while the students get tuned
    thresholds, and "student beats TF-IDF" would compare a tuned model with an untuned one.
    """
    if not _baseline_gets_thresholds(data):
        return None
    from domainkit.evaluation.baselines import baseline_proba
    from domainkit.heads.multilabel import tune_thresholds

    truth = multi_hot(data.validation_label_ids, len(data.label_names))
    return tune_thresholds(baseline_proba(baseline, data.validation_texts), truth)


def _onnx_agreement(
    student: Path, onnx_dir: Path, texts: list[str], student_predictions: np.ndarray,
    data: TaskData, overrides: dict[str, Any], batch_size: int,
) -> float:
    from domainkit.evaluation.inference import predict_proba
    from domainkit.export.onnx import export_onnx, load_onnx_classifier

    export_onnx(student, onnx_dir)
    classifier = load_onnx_classifier(onnx_dir, **overrides)
    probabilities = predict_proba(classifier, texts, batch_size=batch_size)
    return agreement(decisions(probabilities, data, classifier.thresholds), student_predictions)
