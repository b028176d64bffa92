"""F1: harmonic mean of precision and recall — a local `evaluate` metric module shipped inside domainkit.

`evaluate.load("f1")` fetches the module from the Hugging Face Hub and
fails offline; this file is loaded by path instead
(`evaluate.load(str(path_to_this_file))`) and wraps scikit-learn.
Use config name `"multilabel"` for 0/1 label matrices.
"""

import datasets
import evaluate
from sklearn.metrics import f1_score

_DESCRIPTION = "F1: harmonic mean of precision and recall."
_CITATION = "Pedregosa et al., Scikit-learn: Machine Learning in Python, JMLR 12, 2011."
_KWARGS_DESCRIPTION = """
Args:
    predictions: predicted label ids (or 0/1 rows for the multilabel config).
    references: true label ids (or 0/1 rows for the multilabel config).
    average: 'macro', 'micro', 'weighted', 'binary' or None (per class).
    labels: label ids to include (for average='macro' by default the labels in the references or the
        predictions, multilabel included: domainkit's macro definition, which the report uses).
    zero_division: value when a class has no predicted/true examples (default 0).
Returns:
    {"f1": float}
"""


def _features(config_name):
    if config_name == "multilabel":
        return datasets.Features(
            {"predictions": datasets.Sequence(datasets.Value("int32")),
             "references": datasets.Sequence(datasets.Value("int32"))}
        )
    return datasets.Features({"predictions": datasets.Value("int32"), "references": datasets.Value("int32")})


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class F1(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=_features(self.config_name),
            reference_urls=["https://scikit-learn.org/stable/modules/model_evaluation.html"],
        )

    def _compute(self, predictions, references, average="macro", labels=None, zero_division=0, sample_weight=None):
        # Imported here: evaluate checks a module's top-level imports.
        from domainkit.evaluation.metrics import macro_labels

        labels = macro_labels(labels, average, references, predictions, self.config_name)
        score = f1_score(
            references, predictions, average=average, labels=labels,
            zero_division=zero_division, sample_weight=sample_weight,
        )
        value = score.tolist() if hasattr(score, "tolist") and getattr(score, "ndim", 0) else float(score)
        return {"f1": value}
