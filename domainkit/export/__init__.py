"""Export: a plain ``save_pretrained`` folder with a model card, int8 and ONNX
variants (:mod:`.exporter`, :mod:`.onnx`, :mod:`.card`), and an installable
wheel of the model (:mod:`.package`)."""

from domainkit.export.exporter import export_model
from domainkit.export.package import package_model

__all__ = ["export_model", "package_model"]
