"""``predict_file``: classify documents from a file, folder or stdin, offline.

Large inputs are streamed: documents are read in chunks of ``CHUNK`` and
each chunk is length-sorted into batches (see
:mod:`domainkit.evaluation.inference`), so memory stays bounded and padding
small. Output keeps input order. Nothing goes over the network: models load
with ``local_files_only`` and ``HF_HUB_OFFLINE`` is set for the process.
"""

from __future__ import annotations

import os
import time
from itertools import islice
from pathlib import Path
from typing import Any

from domainkit.errors import ConfigError
from domainkit.log import get_logger
from domainkit.predict.inputs import check_documents, read_documents
from domainkit.predict.outputs import STDOUT, check_output, prediction_writer
from domainkit.predict.precision import require_known_precision
from domainkit.predict.predictor import Predictor

log = get_logger(__name__)

#: Documents read at a time: large enough for good length sorting, small
#: enough that a huge input never sits in memory whole.
CHUNK = 2048


def _progress(enabled: bool, total: int | None):
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="doc", disable=not enabled, desc="predict", leave=False)


def predict_file(
    model_dir: str | Path,  # a folder, or a pkg:NAME / store:NAME reference
    input: str | Path,
    output: str | Path,
    *,
    text_column: str | None = None,
    input_format: str | None = None,
    output_format: str | None = None,
    batch_size: int = 32,
    deid_policy: Any = None,
    progress: bool = True,
    force: bool = False,
    allow_pickle: bool = False,
    precision: str = "fp32",
) -> dict[str, Any]:
    """Classify every document of ``input`` and write ``output`` (.jsonl or .csv, or "-": stdout).

    ``input_format`` (text, csv, tsv, jsonl) says how stdin (``input="-"``) is read; text lines
    by default. ``output_format`` (jsonl, csv) says how stdout (``output="-"``) is written; JSONL
    by default. A file is read or written by its suffix.

    ``deid_policy``: None applies the policy stored with the model (if any);
    a DeidPolicy overrides it (``DeidPolicy(enabled=False)`` switches it off).
    ``input`` is never modified; an existing ``output`` is kept unless ``force``.
    Pickle-only weights are refused unless ``allow_pickle`` (they can run code when loaded).
    ``precision``: ``fp32`` (the default) or ``bf16`` autocast, about twice as fast on a CPU with
    native bf16 (:mod:`domainkit.predict.precision`); refused for int8 and ONNX folders.
    Returns a summary: documents, seconds, documents per second, output path, precision.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    to_stdout = str(output) == STDOUT
    if not to_stdout and str(input) != "-" and Path(input).resolve() == Path(output).resolve():
        raise ConfigError(f"output {output} is the input file", hint="write predictions to another file")
    # Before the input is read and the model loads: a bad output would fail after all the work.
    check_output(output, force=force, fmt=output_format)
    require_known_precision(precision)
    # The whole input is read once before the model loads (seconds): a bad byte or an empty cell
    # fails at once, and the progress bar gets the true count.
    total = check_documents(input, text_column=text_column, input_format=input_format)
    predictor = Predictor(model_dir, deid_policy=deid_policy, allow_pickle=allow_pickle, precision=precision)
    documents = read_documents(input, text_column=text_column, input_format=input_format)
    started = time.perf_counter()
    count = 0
    # The writer refuses CSV for a multi-label model with '|' in a label before any document is classified.
    with (prediction_writer(output, predictor.label_names, force=force, fmt=output_format,
                            multi_label=predictor.classifier.multi_label) as writer,
          _progress(progress, total) as bar):
        while chunk := list(islice(documents, CHUNK)):
            ids, texts = zip(*chunk, strict=True)
            probabilities = predictor.probabilities(list(texts), batch_size=batch_size, on_batch=bar.update)
            for doc_id, label, row in zip(ids, predictor.labels(probabilities), probabilities, strict=True):
                writer.write(doc_id, label, row)
            count += len(chunk)
    seconds = time.perf_counter() - started
    if count == 0:  # a header-only table or an empty file: an empty output is right, but say why
        log.warning("input %s holds no documents: %s has no predictions", input, output)
    return {
        "documents": count,
        "seconds": seconds,
        "docs_per_s": count / seconds if seconds > 0 else 0.0,
        "output": str(output),
        "labels": predictor.label_names,
        "deid_applied": predictor.deid_applied,
        "precision": precision,
    }
