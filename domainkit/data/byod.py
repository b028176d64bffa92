"""Bring your own documents: read a user's labelled files into a ``TaskData``.

Accepted: CSV, TSV, JSONL, Parquet, or a folder with one sub-folder of ``.txt``
files per label. Every problem is reported with the file, the row (1-based, as
a spreadsheet shows it, header = row 1) or column, and what to fix; messages
never quote document text. The input is only ever read.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from domainkit.data.taskdata import MULTI_LABEL, SINGLE_LABEL, TaskData
from domainkit.errors import COLUMN_NAMES_NOT_SHOWN, DataError, close_column

FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".parquet": "parquet"}
#: A class needs this many documents so that a stratified split leaves at
#: least one in test and the rest to learn from.
MIN_PER_CLASS = 2


@dataclass(frozen=True)
class ColumnSpec:
    text: str = "text"
    label: str = "label"
    labels: str = ""  # multi-label column (takes precedence over ``label``)
    separator: str = "|"

    @property
    def multi_label(self) -> bool:
        return bool(self.labels)

    @property
    def label_column(self) -> str:
        return self.labels or self.label


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    if path.is_dir():
        for file in sorted(path.rglob("*.txt")):
            digest.update(str(file.relative_to(path)).encode())
            digest.update(file.read_bytes())
    else:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _check_utf8(path: Path) -> None:
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DataError(
            f"{path}: line {line} (byte {error.start}) is not valid UTF-8",
            hint="re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8 IN > OUT)",
        ) from None


def read_table(path: Path) -> pd.DataFrame:
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise DataError(
            f"{path}: unsupported file type {path.suffix or '(none)'}",
            hint=f"use one of {', '.join(sorted(FORMATS))} or a folder of label sub-folders with .txt files",
        )
    if kind != "parquet":
        _check_utf8(path)
    try:
        if kind == "csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False)
        if kind == "tsv":
            return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
        if kind == "jsonl":
            return pd.read_json(path, lines=True, dtype=False)
        return pd.read_parquet(path)
    except (ValueError, OSError, pd.errors.ParserError) as error:
        # The parser's message names a line and token counts, never cell text.
        reason = str(error).splitlines()[0][:200]
        raise DataError(f"{path}: cannot be read as {kind.upper()} ({reason})", hint="check the file's format") from None


def _read_folder(path: Path, columns: ColumnSpec) -> pd.DataFrame:
    rows = []
    for label_dir in sorted(p for p in path.iterdir() if p.is_dir()):
        for file in sorted(label_dir.glob("*.txt")):
            _check_utf8(file)
            rows.append({columns.text: file.read_text(encoding="utf-8"), columns.label_column: label_dir.name})
    if not rows:
        raise DataError(f"{path}: no .txt files in label sub-folders", hint="lay it out as FOLDER/LABEL/doc.txt")
    return pd.DataFrame(rows)


def require_column(frame: pd.DataFrame, column: str, option: str, path: Path) -> None:
    """Raise a DataError naming the missing column and a near-spelled one, never the names found.

    ``option`` is the flag that sets the column (``--text-column``) or, for a fixed name,
    a phrase such as ``"a 'start' column"``.
    """
    if column in frame.columns:
        return
    fixed = not option.startswith("--")
    message = f"{path}: no column {column!r}" + ("" if fixed else f" (set with {option})")
    message += f" among its {len(frame.columns)} column(s); {COLUMN_NAMES_NOT_SHOWN}"
    suggestion = close_column(column, frame.columns)
    if fixed:
        raise DataError(message, hint=f"the file needs {option}" + (f" (is {suggestion!r} it?)" if suggestion else
                                                                     "; check the header row (head -1 FILE)"))
    raise DataError(message, hint=f"did you mean {option} {suggestion}?" if suggestion else
                    f"pass {option} NAME, a name from the file's header row (head -1 FILE shows it)")


def _clean_rows(frame: pd.DataFrame, columns: ColumnSpec, path: Path) -> tuple[list[str], list]:
    texts, labels = [], []
    for position, (text, label) in enumerate(zip(frame[columns.text], frame[columns.label_column], strict=True)):
        row = position + 2  # header is row 1
        if not isinstance(text, str):
            raise DataError(f"{path}: row {row}, column {columns.text!r} is not text ({type(text).__name__})",
                            hint="every document must be a non-empty string")
        if not text.strip():
            raise DataError(f"{path}: row {row}, column {columns.text!r} is empty",
                            hint="remove the row or fill in the document")
        label_text = "" if label is None else str(label).strip()
        if not label_text or label_text.lower() == "nan":
            raise DataError(f"{path}: row {row}, column {columns.label_column!r} is empty",
                            hint="every document needs a label")
        texts.append(text)
        if columns.multi_label:
            labels.append(sorted({part.strip() for part in label_text.split(columns.separator) if part.strip()}))
        else:
            labels.append(label_text)
    return texts, labels


def read_labelled(path: Path, columns: ColumnSpec) -> tuple[list[str], list]:
    """Texts and labels of one labelled file or folder, validated."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file or folder", hint="check the --data path")
    try:
        frame = _read_folder(path, columns) if path.is_dir() else read_table(path)
    except PermissionError:
        raise DataError(f"{path}: cannot be read (permission denied)") from None
    require_column(frame, columns.text, "--text-column", path)
    require_column(frame, columns.label_column, "--labels-column" if columns.multi_label else "--label-column", path)
    if frame.empty:
        raise DataError(f"{path}: holds no rows")
    return _clean_rows(frame, columns, path)


def _check_classes(labels: list, path: Path, multi_label: bool, needs_split: bool) -> None:
    counts = Counter(name for row in labels for name in row) if multi_label else Counter(labels)
    if len(counts) < 2:
        raise DataError(f"{path}: only one class ({len(counts)} distinct label), a classifier needs at least two")
    if needs_split:
        small = sorted(name for name, n in counts.items() if n < MIN_PER_CLASS)
        if small:
            raise DataError(
                f"{path}: {len(small)} class(es) have fewer than {MIN_PER_CLASS} documents, too few to split: "
                + ", ".join(small[:10]),
                hint="add documents, merge rare classes, or pass --test-data with a separate test file",
            )


def load_own_documents(
    path: Path, columns: ColumnSpec, *, test_path: Path | None, test_size: float, seed: int
) -> TaskData:
    """The user's documents as a ``TaskData``: their test file, or a recorded stratified split."""
    from domainkit.data.splits import build_task_data

    path = Path(path)
    texts, labels = read_labelled(path, columns)
    kind = MULTI_LABEL if columns.multi_label else SINGLE_LABEL
    _check_classes(labels, path, columns.multi_label, needs_split=test_path is None)
    sources = {str(path): sha256_of(path)}
    if test_path is None:
        return build_task_data(task="own-documents", kind=kind, texts=texts, labels=labels, seed=seed,
                               test_size=test_size, sources=sources, extra_info={"origin": "--data split"})
    test_texts, test_labels = read_labelled(Path(test_path), columns)
    flat = lambda rows: {n for row in rows for n in row} if columns.multi_label else set(rows)  # noqa: E731
    unseen = sorted(flat(test_labels) - flat(labels))
    if unseen:
        raise DataError(f"{test_path}: label(s) not in the training file: {', '.join(unseen[:10])}",
                        hint="every test label must occur in --data")
    sources[str(test_path)] = sha256_of(Path(test_path))
    return TaskData(
        task="own-documents", kind=kind, label_names=sorted(flat(labels)),
        train_texts=texts, train_labels=labels, test_texts=test_texts, test_labels=test_labels,
        split_info={"seed": seed, "method": "user test file", "sources": sources,
                    "counts": {"train": len(texts), "test": len(test_texts)}},
    )
