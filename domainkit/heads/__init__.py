"""Task heads: what sits on top of the encoder and turns logits into answers.

- :mod:`long_document`: sliding windows over texts longer than ``max_length``
  and pooling of window logits into one document prediction.
- :mod:`multilabel`: per-label decision thresholds tuned on validation data.
- :mod:`token`: token classification (BIO tags) from and back to character spans.
- :mod:`loading`: load a classifier folder (fp32 or int8) with its inference settings.
"""
