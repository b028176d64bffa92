"""Write predictions as JSONL or CSV (chosen by the output suffix), to a file or stdout.

JSONL: ``{"id", "label" (str, or list for multi-label), "probabilities": {label: p}}``.
CSV: ``id, label`` (multi-label names joined by ``|``), then one ``p_<label>``
column per label; a multi-label model with a ``|`` in a label name is refused
CSV output (its cells could not be split back). Output is written to a temporary
file and renamed when complete: an interrupted prediction leaves no half-written
output. The file gets the mode of the file it replaces (``--force``), or
``0o666`` less the umask when new, as ``open()`` would give it. ``-`` writes
to standard output as it goes (JSONL, or ``fmt="csv"``); progress and the
summary go to stderr.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from domainkit.atomic import new_file_mode, unwritable_reason
from domainkit.errors import ConfigError, unknown_choice

FORMATS = (".jsonl", ".csv")
#: ``--output-format`` -> suffix: how ``--output -`` is written (stdout has no suffix to say it).
OUTPUT_FORMATS = {"jsonl": ".jsonl", "csv": ".csv"}
STDOUT = "-"


def output_format(path: str | Path, fmt: str | None = None) -> str:
    """The output's suffix: a file's own, or for ``-`` the format ``fmt`` names (default jsonl).

    ``fmt`` may repeat a file's suffix but not contradict it.
    """
    if fmt is not None and fmt not in OUTPUT_FORMATS:
        raise ConfigError(unknown_choice("--output-format", fmt, OUTPUT_FORMATS))
    if str(path) == STDOUT:
        return OUTPUT_FORMATS[fmt or "jsonl"]
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ConfigError(f"output {path}: unknown format {suffix or '(none)'!r}; available: .jsonl, .csv",
                          hint="name a .jsonl or .csv file, or pass --output - to write JSONL to standard output")
    if fmt is not None and OUTPUT_FORMATS[fmt] != suffix:
        raise ConfigError(f"--output-format {fmt} contradicts output {path}, a {suffix} file by its suffix",
                          hint="--output-format says how standard output (--output -) is written; "
                               "a file is written by its suffix: drop the option or rename the file")
    return suffix


def check_output(path: str | Path, *, force: bool, fmt: str | None = None) -> str:
    """Refuse an output that cannot be written; return its suffix.

    Called before the input is read and the model loads: a folder, a path under a file or a
    read-only folder would otherwise fail with a traceback after every document was classified.
    """
    if str(path) != STDOUT and Path(path).is_dir():  # before the suffix: "runs/out" is a folder, not a format
        suffix = Path(path).suffix.lower() if Path(path).suffix.lower() in FORMATS else ".jsonl"
        raise ConfigError(f"output {path} is a folder",
                          hint=f"name a file in it, e.g. --output {Path(path) / ('predictions' + suffix)}")
    suffix = output_format(path, fmt)
    if str(path) == STDOUT:
        return suffix
    path = Path(path)
    if path.exists() and not force:
        raise ConfigError(f"output {path} exists already", hint="choose another --output or pass --force")
    _check_writable(path)
    return suffix


def _check_writable(path: Path) -> None:
    """The output's nearest existing folder is a folder that takes a file.

    Probed with a file made and removed at once; no folder is made here (the writer makes the
    missing ones when it writes), so a refused or failed prediction leaves nothing behind.
    """
    existing = path.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(f"cannot write output {path}: {existing} is a file, not a folder",
                          hint="choose another --output")
    reason = unwritable_reason(existing)
    if reason:
        raise ConfigError(f"cannot write output {path}: {reason} ({existing})",
                          hint="choose another --output, or check the folder's permissions")


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
            shown = CSV_LABEL_SEPARATOR.join(label) if isinstance(label, list) else label
            self.csv.writerow([doc_id, shown, *[f"{float(p):.6f}" for p in probabilities]])


#: What joins a multi-label prediction's labels in a CSV cell.
CSV_LABEL_SEPARATOR = "|"


def check_csv_labels(suffix: str, label_names: list[str], *, multi_label: bool) -> None:
    """Refuse CSV output for a multi-label model whose label names hold the ``|`` that joins them.

    ``a|b`` in a cell would read as the labels ``a`` and ``b``: the cell is ambiguous. JSONL
    writes the labels as a list.
    """
    if suffix != ".csv" or not multi_label:
        return
    for name in label_names:
        if CSV_LABEL_SEPARATOR in name:
            raise ConfigError(
                f"cannot write CSV output: label {name!r} contains {CSV_LABEL_SEPARATOR!r}, which joins a "
                "multi-label prediction's labels in a CSV cell (the cell could not be split back)",
                hint="write JSONL instead (--output FILE.jsonl, or --output-format jsonl for --output -): "
                     "it gives the labels as a list")


@contextmanager
def prediction_writer(path: str | Path, label_names: list[str], *, force: bool, fmt: str | None = None,
                      multi_label: bool = False):
    """Context manager yielding a writer; the file appears only when the block succeeds.

    ``-`` writes to standard output as predictions come (no file to rename into place).
    ``multi_label``: the labels are lists (see :func:`check_csv_labels`).
    """
    suffix = output_format(path, fmt)
    check_csv_labels(suffix, label_names, multi_label=multi_label)
    if str(path) == STDOUT:
        yield _Writer(sys.stdout, suffix, label_names)
        sys.stdout.flush()
        return
    path = Path(path)
    if path.exists() and not force:
        raise ConfigError(f"output {path} exists already", hint="choose another --output or pass --force")
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = new_file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield _Writer(handle, suffix, label_names)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
