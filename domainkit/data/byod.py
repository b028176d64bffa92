"""Bring your own documents: read a user's labelled files into a ``TaskData``.

Accepted: CSV, TSV, JSONL, Parquet, or a folder with one sub-folder of ``.txt``
files per label. Every problem is reported with the file, the place in it and
what to fix. The place is what the user's tools show: a CSV/TSV row as a
spreadsheet numbers it (header = row 1), a JSONL line, a Parquet record (from
1), a folder's .txt file. Messages never quote document text, nor a label that
does not look like one (a label column that holds text would print documents), and
show the labels they list as de-identification writes them.
The input is only ever read.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from domainkit.data.splits import normalise_text
from domainkit.data.tables import jsonl_records, one_column_hint, require_record_encodable, table_rows
from domainkit.data.taskdata import MULTI_LABEL, OWN_DOCUMENTS_TASK, SINGLE_LABEL, TaskData
from domainkit.errors import DataError, close_column, no_column_message
from domainkit.log import get_logger
from domainkit.predict.inputs import is_blank

log = get_logger(__name__)

FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".parquet": "parquet"}
DELIMITERS = {"csv": ",", "tsv": "\t"}
#: A class needs this many documents to be in both train and test at all. The
#: grouped split does not promise it: a small class's groups go to whichever
#: folds balance best, so a class this small often has no test document.
MIN_PER_CLASS = 2
#: Labels echoed in a message must look like labels: a short name, few words.
LABEL_LIKE = re.compile(r"[\w .:/()#+-]{1,40}")
MAX_LABEL_WORDS = 4
LABELS_SHOWN = 10
#: A file with more rows than this whose distinct labels outnumber half its
#: rows has text in its label column (or an ID), not a handful of classes.
TEXT_LIKE_MIN_ROWS = 20

#: Names a cell for messages: (row position, column) -> "docs.csv: row 3, column 'text'".
Locate = Callable[[int, str], str]


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

    @property
    def label_option(self) -> str:
        return "--labels-column" if self.multi_label else "--label-column"


def require_readable(path: Path, option: str) -> None:
    """Refuse a missing or unreadable input by its path and option, before anything reads or hashes it."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file or folder (given to {option})", hint=f"check the {option} path")
    needed = os.R_OK | os.X_OK if path.is_dir() else os.R_OK
    if not os.access(path, needed):
        raise DataError(f"{path}: cannot be read (permission denied, given to {option})",
                        hint=f"make it readable (chmod) or pass a copy to {option}")


def sha256_of(path: Path) -> str:
    """Hash of a file, or of the documents a folder gives (those :func:`_read_folder` reads, no others)."""
    digest = hashlib.sha256()
    try:
        if path.is_dir():
            for file in _label_files(path):
                digest.update(str(file.relative_to(path)).encode())
                digest.update(file.read_bytes())
        else:
            digest.update(path.read_bytes())
    except OSError as error:
        # Checked before, but a file inside a folder (or a race) can still fail: no traceback for that.
        raise DataError(f"{error.filename or path}: cannot be read ({error.strerror or type(error).__name__})",
                        hint="check that the file exists and is readable") from None
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
    """The table of a CSV, TSV, JSONL or Parquet file (see :func:`_read_located` for where rows came from)."""
    return _read_located(path)[0]


def _read_located(path: Path) -> tuple[pd.DataFrame, list[int], str]:
    """The table, each row's number in the file and what that number counts ("row", "line", "record")."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise DataError(
            f"{path}: unsupported file type {path.suffix or '(none)'}",
            hint=f"use one of {', '.join(sorted(FORMATS))} or a folder of label sub-folders with .txt files",
        )
    if kind != "parquet":
        _check_utf8(path)
    if kind == "jsonl":
        return (*_read_jsonl(path), "line")
    try:
        if kind == "parquet":
            frame = pd.read_parquet(path)
            return frame, list(range(1, len(frame) + 1)), "record"
        numbers = _record_numbers(path, kind)
        # index_col=False: a row with an extra field must never become the index (checked above anyway).
        frame = pd.read_csv(path, sep=DELIMITERS[kind], dtype=str, keep_default_na=False, index_col=False)
    except (ValueError, OSError, pd.errors.ParserError) as error:
        # The parser's message names a line and token counts, never cell text.
        reason = str(error).splitlines()[0][:200]
        raise DataError(f"{path}: cannot be read as {kind.upper()} ({reason})", hint="check the file's format") from None
    if len(numbers) != len(frame):  # pandas and the csv module disagree on an odd layout: count rows plainly
        numbers = list(range(2, len(frame) + 2))
    return frame, numbers, "row"


def _record_numbers(path: Path, kind: str) -> list[int]:
    """Row number (as a spreadsheet shows it) of each data row; refuses what pandas would read silently wrong.

    pandas takes a row with one field more than the header as index + fields (a document with an
    unquoted comma silently lost its start) and renames a repeated column (``label.1``), so the
    first one would be used without a word. One cheap pass with the csv module (same quoting
    rules), shared with ``deid``, counts every row's fields and checks the header's names.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = table_rows(handle, path, DELIMITERS[kind])
        next(rows, None)  # the header row
        return [number for number, _ in rows]


def _read_jsonl(path: Path) -> tuple[pd.DataFrame, list[int]]:
    """One JSON object per line; blank lines are skipped, every other line is checked."""
    with path.open(encoding="utf-8-sig") as handle:
        parsed = list(jsonl_records(handle, path, example='{"text": "...", "label": "..."}'))
    for number, record in parsed:
        # An unpaired surrogate ("\ud83d") parses but is no UTF-8: pandas would fail on it naming no line.
        require_record_encodable(record, f"{path}, line {number}")
    return pd.DataFrame.from_records([record for _, record in parsed]), [number for number, _ in parsed]


def _txt_files(folder: Path) -> list[Path]:
    """The folder's .txt files, sorted; the suffix in any case (Windows tools write .TXT)."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".txt" and p.is_file())


def _label_files(path: Path) -> list[Path]:
    """Every FOLDER/LABEL/*.txt file, by label then name: the documents a folder holds."""
    return [file for label_dir in sorted(p for p in path.iterdir() if p.is_dir()) for file in _txt_files(label_dir)]


def _read_folder(path: Path, columns: ColumnSpec) -> tuple[pd.DataFrame, list[Path]]:
    """One row per FOLDER/LABEL/*.txt file, and the files (messages name the file, not a row)."""
    stray = len(_txt_files(path))
    if stray:
        # A warning, not an error: the sub-folders may hold every document the user meant.
        log.warning("%s: %d .txt file(s) directly in the folder are ignored; documents go in FOLDER/LABEL/doc.txt",
                    path, stray)
    rows, files = [], []
    for file in _label_files(path):
        _check_utf8(file)
        rows.append({columns.text: file.read_text(encoding="utf-8"), columns.label_column: file.parent.name})
        files.append(file)
    if not rows:
        ignored = f"; the {stray} .txt file(s) directly in {path} are ignored" if stray else ""
        raise DataError(f"{path}: no .txt files in label sub-folders",
                        hint=f"lay it out as FOLDER/LABEL/doc.txt{ignored}")
    return pd.DataFrame(rows), files


def require_column(frame: pd.DataFrame, column: str, option: str, path: Path, *,
                   text_column: str | None = None) -> None:
    """Raise a DataError naming the missing column and a near-spelled one, never the names found.

    ``option`` is the flag that sets the column (``--text-column``) or, for a fixed name,
    a phrase such as ``"a 'start' column"``. ``text_column``, when given, was found in the file
    already: a file holding that column alone is what `domainkit deid` writes by default.
    """
    if column in frame.columns:
        return
    fixed = not option.startswith("--")
    message = no_column_message(str(path), column, len(frame.columns), option=None if fixed else option)
    # `domainkit deid` writes the text column and only the columns named with --keep-column: its
    # output lacks the label column unless the user kept it (and is then a one-column table).
    labels = option in ("--label-column", "--labels-column")
    if labels and text_column is not None and list(frame.columns) == [text_column]:
        # The text column was found by its name, so the file is split by the right character: the
        # delimiter hint below would be wrong, and deid's default output is by far the likelier cause.
        raise DataError(message, hint="the file holds the text column only, as `domainkit deid` writes it unless "
                                      "the label column is named there with --keep-column: de-identify the "
                                      f"original again with --keep-column and the label column, then pass {option}")
    after_deid = ("; a file written by `domainkit deid` holds a label column only when it was named there with "
                  "--keep-column" if labels else "")
    delimiter = DELIMITERS.get(FORMATS.get(Path(path).suffix.lower(), ""))
    if delimiter and len(frame.columns) == 1:
        # One column: the file is split by another character, the column name is not the problem.
        raise DataError(message, hint=one_column_hint(delimiter))
    suggestion = close_column(column, frame.columns)
    if fixed:
        raise DataError(message, hint=f"the file needs {option}" + (f" (is {suggestion!r} it?)" if suggestion else
                                                                     "; check the header row (head -1 FILE)"))
    raise DataError(message, hint=f"did you mean {option} {suggestion}?" if suggestion else
                    f"pass {option} NAME, a name from the file's header row (head -1 FILE shows it){after_deid}")


def _label_of(cell, where: str, columns: ColumnSpec) -> str | list[str]:
    """The label (single-label) or sorted label set (multi-label) of one cell."""
    if isinstance(cell, (list, tuple, np.ndarray)):  # JSONL arrays, Parquet list columns
        if not columns.multi_label:
            raise DataError(f"{where} holds a list of labels",
                            hint="for several labels per document pass --labels-column COLUMN instead of --label-column")
        parts = [str(part) for part in cell]
    elif isinstance(cell, dict):
        raise DataError(f"{where} is not a label (a JSON object)",
                        hint="a label is a text; for several labels use --labels-column with a list or 'a|b'")
    else:
        text = "" if cell is None else str(cell).strip()
        if text.lower() == "nan":  # pandas' missing value
            text = ""
        parts = text.split(columns.separator) if columns.multi_label else [text]
    names = sorted({part.strip() for part in parts if part.strip()})
    if not names:
        raise DataError(f"{where} is empty", hint="every document needs a label")
    return names if columns.multi_label else names[0]


def _no_value(cell) -> bool:
    """A JSON null, a Parquet null, or the NaN pandas puts where a JSONL line lacks the key."""
    return cell is None or (isinstance(cell, float) and math.isnan(cell))


def _clean_rows(frame: pd.DataFrame, columns: ColumnSpec, locate: Locate) -> tuple[list[str], list]:
    texts, labels = [], []
    for position, (text, label) in enumerate(zip(frame[columns.text], frame[columns.label_column], strict=True)):
        if _no_value(text):  # before the type check: a gap is not "a float"
            raise DataError(f"{locate(position, columns.text)} has no value (the field is missing or null)",
                            hint="give every document its text, or remove that one")
        if not isinstance(text, str):
            raise DataError(f"{locate(position, columns.text)} is not text ({type(text).__name__})",
                            hint="every document must be a non-empty string")
        if is_blank(text):  # whitespace or invisible format characters only (a zero-width space is no text)
            raise DataError(f"{locate(position, columns.text)} is empty", hint="remove that document or fill it in")
        texts.append(text)
        labels.append(_label_of(label, locate(position, columns.label_column), columns))
    return texts, labels


def _read_with_locator(path: Path, columns: ColumnSpec) -> tuple[pd.DataFrame, Locate]:
    if path.is_dir():
        frame, files = _read_folder(path, columns)
        return frame, lambda position, column: str(files[position])  # a file is one document: no column to name
    frame, numbers, unit = _read_located(path)
    return frame, lambda position, column: f"{path}: {unit} {numbers[position]}, column {column!r}"


def read_labelled(path: Path, columns: ColumnSpec, option: str = "--data") -> tuple[list[str], list]:
    """Texts and labels of one labelled file or folder, validated; ``option`` is the flag that named it."""
    path = Path(path)
    require_readable(path, option)
    try:
        frame, locate = _read_with_locator(path, columns)
    except PermissionError:
        raise DataError(f"{path}: cannot be read (permission denied, given to {option})") from None
    if frame.empty:
        raise DataError(f"{path}: holds no rows")
    require_column(frame, columns.text, "--text-column", path)
    require_column(frame, columns.label_column, columns.label_option, path, text_column=columns.text)
    return _clean_rows(frame, columns, locate)


def _label_names(labels: list, multi_label: bool) -> set[str]:
    return {name for row in labels for name in row} if multi_label else set(labels)


def _check_label_column(labels: list, path: Path, columns: ColumnSpec) -> None:
    """Refuse a label column in which nearly every label is given once: it holds text or ids, not classes.

    Counted over the labels given, so a multi-label column gets the same check: a coding task's
    many labels each occur on several rows, a column of names or notes' sentences does not.
    """
    given = [name for row in labels for name in row] if columns.multi_label else labels
    distinct = len(set(given))
    if len(given) > TEXT_LIKE_MIN_ROWS and distinct > len(given) / 2:
        counted = f" ({len(given)} labels given)" if columns.multi_label else ""
        raise DataError(
            f"{path}: {distinct} distinct labels in {len(labels)} rows{counted}: column {columns.label_column!r} "
            "probably holds text or ids, not labels (values not shown)",
            hint=f"check {columns.label_option} (and --text-column): it must name the column of class labels",
        )


def _shown_labels(names: list[str]) -> str:
    """Up to ten of ``names`` for a message, as de-identification writes them ("MRN [ID]", "[NAME]").

    A name that does not look like a label is counted, never shown; the others go through the
    de-identification rules first, because a label column can be a patient column (a mistyped
    ``--label-column``) and names, record numbers and dates all look like labels.
    """
    from domainkit.deid.labels import listing, redacted_labels

    label_like = [name for name in names if LABEL_LIKE.fullmatch(name) and len(name.split()) <= MAX_LABEL_WORDS]
    redacted = redacted_labels(label_like)
    shown, left = listing(redacted, LABELS_SHOWN)
    hidden = left + len(names) - len(label_like)
    note = " (identifiers shown as placeholders)" if redacted != label_like else ""
    return ", ".join(filter(None, [shown, f"{hidden} not shown" if hidden else ""])) + note


#: Characters that commonly separate labels in a cell; one other than --label-separator inside the
#: labels of a multi-label column most likely means the wrong separator was given.
COMMON_SEPARATORS = (";", ",", "|")
#: Share of rows whose labels hold such a character before a warning says so (a label name may hold
#: a comma now and then, "fractures, closed"; in every tenth row it is a separator).
SEPARATOR_SHARE = 0.1


def _warn_if_separator_looks_wrong(labels: list, path: Path, columns: ColumnSpec) -> None:
    """Warn when a multi-label column reads as one label per row, or its labels hold another separator.

    With the wrong --label-separator, "a;b" is one label: every combination becomes its own class and
    the task is, silently, single-label over them. A warning, not an error: a data set can be
    multi-label in form with one label per document. Counts and separators only, never a label.
    """
    if all(len(row) == 1 for row in labels):
        log.warning("%s: no document has more than one label with --labels-column and --label-separator %r "
                    "(%d rows): check the separator, or use --label-column for one label per document",
                    path, columns.separator, len(labels))
    for separator in COMMON_SEPARATORS:
        if separator == columns.separator:
            continue
        rows = sum(any(separator in name for name in row) for row in labels)
        if rows and rows >= SEPARATOR_SHARE * len(labels):
            log.warning("%s: the labels of %d of %d rows contain %r, which is not the label separator (%r): "
                        "if it separates labels, pass --label-separator %r", path, rows, len(labels), separator,
                        columns.separator, separator)


def _warn_untested_classes(data: TaskData, path: Path, multi_label: bool) -> None:
    """Warn when the split left a class without a test document: its scores will be missing from the report.

    A class of two or three documents passes the split check, but its near-duplicate groups may all
    land in training. The report notes it too; the warning says it before a long run starts.
    """
    tested = _label_names(data.test_labels, multi_label)
    untested = sorted(_label_names(data.train_labels, multi_label) - tested)
    if untested:
        log.warning("%s: %d class(es) have no document in the test split, so the report cannot score them: %s; "
                    "add test documents to them", path, len(untested), _shown_labels(untested))


def _check_classes(labels: list, path: Path, multi_label: bool, needs_split: bool) -> None:
    counts = Counter(name for row in labels for name in row) if multi_label else Counter(labels)
    if len(counts) < 2:
        raise DataError(f"{path}: only one class ({len(counts)} distinct label), a classifier needs at least two")
    if needs_split:
        small = sorted(name for name, n in counts.items() if n < MIN_PER_CLASS)
        if small:
            raise DataError(
                f"{path}: {len(small)} class(es) have fewer than {MIN_PER_CLASS} documents, too few to split: "
                + _shown_labels(small),
                hint="add documents, merge rare classes, or pass --test-data with a separate test file",
            )


def _split(path: Path, **split_args) -> TaskData:
    """The recorded grouped split; too few near-duplicate groups is the user's to fix, not a crash."""
    from domainkit.data.splits import TooFewGroupsError, build_task_data

    try:
        return build_task_data(**split_args)
    except TooFewGroupsError as error:
        raise DataError(
            f"{path}: its {len(split_args['texts'])} documents form only {error.groups} group(s) of near-duplicates; "
            f"a train/test split needs at least {error.needed}",
            hint="add documents or pass --test-data with a separate test file",
        ) from None


def load_own_documents(
    path: Path, columns: ColumnSpec, *, test_path: Path | None, test_size: float, seed: int
) -> TaskData:
    """The user's documents as a ``TaskData``: their test file, or a recorded stratified split."""
    path = Path(path)
    texts, labels = read_labelled(path, columns)
    if columns.multi_label:
        _warn_if_separator_looks_wrong(labels, path, columns)
    # Not for folders (labels are sub-folder names) or test files (few rows per class).
    if not path.is_dir():
        _check_label_column(labels, path, columns)
    kind = MULTI_LABEL if columns.multi_label else SINGLE_LABEL
    if test_path is None:
        _check_classes(labels, path, columns.multi_label, needs_split=True)
        data = _split(path, task=OWN_DOCUMENTS_TASK, kind=kind, texts=texts, labels=labels, seed=seed,
                      test_size=test_size, sources=_sources(path), extra_info={"origin": "--data split"})
        _warn_untested_classes(data, path, columns.multi_label)
        return data
    test_path = Path(test_path)
    require_readable(test_path, "--test-data")
    _refuse_same_file(path, test_path)
    test_texts, test_labels = read_labelled(test_path, columns, option="--test-data")
    texts, labels, dropped = _drop_test_copies(texts, labels, test_texts, path, test_path)
    _check_classes(labels, path, columns.multi_label, needs_split=False)
    known = _label_names(labels, columns.multi_label)
    unseen = sorted(_label_names(test_labels, columns.multi_label) - known)
    if unseen:
        left_out = f"; {dropped} training document(s) were left out as copies of test documents" if dropped else ""
        raise DataError(f"{test_path}: label(s) not in the training file: {_shown_labels(unseen)}",
                        hint=f"every test label must occur in --data{left_out}")
    sources = _sources(path, test_path)
    data = TaskData(
        task=OWN_DOCUMENTS_TASK, kind=kind, label_names=sorted(known),
        train_texts=texts, train_labels=labels, test_texts=test_texts, test_labels=test_labels,
        split_info={"seed": seed, "method": "user test file", "sources": sources,
                    "counts": {"train": len(texts), "test": len(test_texts)},
                    "train_copies_of_test_dropped": dropped},
    )
    _warn_untested_classes(data, test_path, columns.multi_label)
    return data


def _sources(*paths: Path) -> dict[str, str]:
    """Each input file's (or folder's) full sha256, recorded as ``split_info["sources"]``.

    Kept whole, on purpose: it is the model's provenance, and ``sha256sum FILE`` must be able to tell
    which file a run (and the model it exported) was trained and scored on. It is a checksum of the
    raw file, not of any document, except that a file holding one document is then a hash of that
    document (with its header and quoting): README's privacy section says so. It reaches data.json,
    the data stage's manifest and the reports, not the exported model, its card or a wheel.
    """
    return {str(path): sha256_of(path) for path in paths}


def _refuse_same_file(path: Path, test_path: Path) -> None:
    """A test file that is the training file would report training-set scores as held-out ones."""
    if os.path.samefile(path, test_path):  # also a symlink or hard link to it, or the same path spelt otherwise
        raise DataError(f"--test-data {test_path} is the --data file itself",
                        hint="pass a held-out file whose documents are not in --data, or drop --test-data "
                             "to hold out a share of --data")


def _drop_test_copies(texts: list[str], labels: list, test_texts: list[str], path: Path,
                      test_path: Path) -> tuple[list[str], list, int]:
    """Training documents minus those that are also test documents (case, spacing and punctuation aside).

    A test document the model trained on inflates every score. The comparison is the split's own
    (``normalise_text``), under which the grouped split keeps copies on one side. Only the count
    is logged and recorded, never a text.
    """
    held_out = {normalise_text(text) for text in test_texts} - {""}
    keep = [normalise_text(text) not in held_out for text in texts]
    dropped = keep.count(False)
    if dropped == len(texts):
        raise DataError(f"{path}: every training document is also in --test-data {test_path}",
                        hint="pass a held-out file whose documents are not in --data, or drop --test-data "
                             "to hold out a share of --data")
    if dropped:
        log.warning("%s: %d training document(s) also in --test-data %s (case, spacing and punctuation aside) "
                    "are left out of training", path, dropped, test_path)
    return ([text for text, kept in zip(texts, keep) if kept], [label for label, kept in zip(labels, keep) if kept],
            dropped)
