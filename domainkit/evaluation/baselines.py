"""The floor every transformer must beat: TF-IDF + logistic regression.

Trained on the same training split and scored on the same test split as the
transformers. Word uni- and bigrams with sublinear term frequency (long
documents do not drown short ones); ``C=10`` (weak regularisation) because
TF-IDF features are already small and sparse. Multi-label uses one binary
logistic regression per label. Parameters reported = coefficients +
intercepts (the vocabulary is a lookup table, not learned weights).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline

from domainkit.heads._atomic import atomic_write_bytes

#: Vocabulary cap: keeps the pickled baseline small on large corpora.
MAX_FEATURES = 200_000


@dataclass
class Baseline:
    pipeline: Pipeline
    n_labels: int
    multi_label: bool


def train_tfidf_logreg(
    texts: list[str], label_ids: list, n_labels: int, *, multi_label: bool, seed: int = 0
) -> Baseline:
    """Fit the baseline; ``label_ids`` are ids (single-label) or lists of ids (multi-label)."""
    classifier = LogisticRegression(C=10.0, max_iter=2000, random_state=seed)
    if multi_label:
        from domainkit.heads.multilabel import multi_hot

        targets = multi_hot(label_ids, n_labels)
        classifier = OneVsRestClassifier(classifier)
    else:
        targets = np.asarray(label_ids)
    pipeline = Pipeline(
        [
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, max_features=MAX_FEATURES)),
            ("logreg", classifier),
        ]
    )
    pipeline.fit(texts, targets)
    return Baseline(pipeline=pipeline, n_labels=n_labels, multi_label=multi_label)


def baseline_proba(baseline: Baseline, texts: list[str]) -> np.ndarray:
    """``(n, n_labels)`` probabilities; labels unseen in training get 0."""
    probabilities = baseline.pipeline.predict_proba(texts)
    if baseline.multi_label:
        return np.asarray(probabilities)
    full = np.zeros((len(texts), baseline.n_labels))
    full[:, baseline.pipeline.classes_.astype(int)] = probabilities
    return full


def count_baseline_parameters(baseline: Baseline) -> int:
    model = baseline.pipeline.named_steps["logreg"]
    estimators = model.estimators_ if hasattr(model, "estimators_") else [model]
    return int(sum(e.coef_.size + e.intercept_.size for e in estimators if hasattr(e, "coef_")))


def save_baseline(baseline: Baseline, path: Path) -> Path:
    atomic_write_bytes(Path(path), pickle.dumps(baseline, protocol=pickle.HIGHEST_PROTOCOL))
    return Path(path)


def load_baseline(path: Path) -> Baseline:
    # Only ever loads a file this module wrote into the run folder.
    return pickle.loads(Path(path).read_bytes())
