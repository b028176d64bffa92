"""Write predictions as JSONL or CSV (chosen by the output suffix).

JSONL: ``{"id", "label" (str, or list for multi-label), "probabilities": {label: p}}``.
CSV: ``id, label`` (multi-label names joined by ``|``), then one ``p_<label>``
column per label. Output is written to a temporary file and renamed when
complete: an interrupted prediction leaves no half-written output.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from domainkit.errors import ConfigError

FORMATS = (".jsonl", ".csv")


def output_format(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ConfigError(f"output {path}: unknown format {suffix or '(none)'!r}; available: .jsonl, .csv")
    return suffix


class _Writer:
    def __init__(self, handle, suffix: str, label_names: list[str]) -> None:
        self.handle = handle
        self.suffix = suffix
        self.label_names = label_names
        if suffix == ".csv":
            self.csv = csv.writer(handle)
            self.csv.writerow(["id", "label", *[f"p_{name}" for name in label_names]])

    def write(self, doc_id: str, label, probabilities) -> None:
        if self.suffix == ".jsonl":
            record = {
                "id": doc_id,
                "label": label,
                "probabilities": {n: round(float(p), 6) for n, p in zip(self.label_names, probabilities, strict=True)},
            }
            self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            shown = "|".join(label) if isinstance(label, list) else label
            self.csv.writerow([doc_id, shown, *[f"{float(p):.6f}" for p in probabilities]])


@contextmanager
def prediction_writer(path: Path, label_names: list[str], *, force: bool):
    """Context manager yielding a writer; the file appears only when the block succeeds."""
    path = Path(path)
    suffix = output_format(path)
    if path.exists() and not force:
        raise ConfigError(f"output {path} exists already", hint="choose another --output or pass --force")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield _Writer(handle, suffix, label_names)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
