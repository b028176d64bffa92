"""Offline prediction: files in, labels and probabilities out (:func:`predict_file`),
and the same predictions inside spaCy (``domainkit_textcat``)."""

from domainkit.predict.predictor import Predictor
from domainkit.predict.runner import predict_file

__all__ = ["Predictor", "predict_file"]
