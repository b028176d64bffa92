"""Per-class precision/recall/F1 table and confusion matrix (pandas)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, multilabel_confusion_matrix, precision_recall_fscore_support


def per_class_table(
    predictions: np.ndarray, references: np.ndarray, label_names: list[str], *, multi_label: bool
) -> pd.DataFrame:
    """One row per label: precision, recall, f1, support (test examples with the label) and predicted
    (test examples predicted with it). A label with neither is left out of the macro averages
    (:func:`domainkit.evaluation.metrics.present_labels`), though its row shows zeros."""
    labels = list(range(len(label_names)))
    precision, recall, f1, support = precision_recall_fscore_support(
        references, predictions, labels=None if multi_label else labels, zero_division=0
    )
    if multi_label:
        predicted = np.asarray(predictions).sum(axis=0).astype(int)
    else:
        predicted = np.bincount(np.asarray(predictions, dtype=int).ravel(), minlength=len(label_names))
    return pd.DataFrame(
        {"precision": precision, "recall": recall, "f1": f1, "support": support.astype(int),
         "predicted": predicted[: len(label_names)]},
        index=pd.Index(label_names, name="label"),
    )


def confusion_table(
    predictions: np.ndarray, references: np.ndarray, label_names: list[str], *, multi_label: bool
) -> pd.DataFrame:
    """Single-label: rows = true label, columns = predicted label.

    Multi-label has no single confusion matrix; each label gets its own 2x2
    (tn, fp, fn, tp) as one row.
    """
    if multi_label:
        per_label = multilabel_confusion_matrix(references, predictions)
        flat = per_label.reshape(len(label_names), 4)
        return pd.DataFrame(flat, index=pd.Index(label_names, name="label"), columns=["tn", "fp", "fn", "tp"])
    matrix = confusion_matrix(references, predictions, labels=list(range(len(label_names))))
    return pd.DataFrame(
        matrix,
        index=pd.Index(label_names, name="true"),
        columns=pd.Index(label_names, name="predicted"),
    )
