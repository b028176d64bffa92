"""Accuracy: the fraction of exactly correct predictions (subset accuracy for multilabel) — a local `evaluate` metric module shipped inside domainkit.

`evaluate.load("accuracy")` fetches the module from the Hugging Face Hub and
fails offline; this file is loaded by path instead
(`evaluate.load(str(path_to_this_file))`) and wraps scikit-learn.
Use config name `"multilabel"` for 0/1 label matrices.
"""

import datasets
import evaluate
from sklearn.metrics import accuracy_score

_DESCRIPTION = "Accuracy: the fraction of exactly correct predictions (subset accuracy for multilabel)."
_CITATION = "Pedregosa et al., Scikit-learn: Machine Learning in Python, JMLR 12, 2011."
_KWARGS_DESCRIPTION = """
Args:
    predictions: predicted label ids (or 0/1 rows for the multilabel config).
    references: true label ids (or 0/1 rows for the multilabel config).
    normalize: return the fraction (True) or the count (False).
    sample_weight: optional weights per example.
Returns:
    {"accuracy": float}
"""


def _features(config_name):
    if config_name == "multilabel":
        return datasets.Features(
            {"predictions": datasets.Sequence(datasets.Value("int32")),
             "references": datasets.Sequence(datasets.Value("int32"))}
        )
    return datasets.Features({"predictions": datasets.Value("int32"), "references": datasets.Value("int32")})


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class Accuracy(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=_features(self.config_name),
            reference_urls=["https://scikit-learn.org/stable/modules/model_evaluation.html"],
        )

    def _compute(self, predictions, references, normalize=True, sample_weight=None):
        score = accuracy_score(references, predictions, normalize=normalize, sample_weight=sample_weight)
        return {"accuracy": float(score)}
