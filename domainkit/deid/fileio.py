"""De-identify a file of documents: .txt (one per line), .csv, .tsv, .jsonl or .parquet, into the same format.

The input is never modified; an existing output is kept unless ``force``; the output appears
atomically (temporary file, then rename) so a crash never leaves half a file behind.

Only the text column is redacted, so only it is written by default: the other columns of a
table (a patient's name, a record number) would otherwise pass into the "de-identified" file
unchanged. ``keep_columns`` names those to copy as they are; the audit lists which columns were
kept and which dropped (names only).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from domainkit.atomic import atomic_path, new_file_mode, os_reason, unwritable_reason
from domainkit.deid.audit import Audit
from domainkit.data.tables import jsonl_records, one_column_hint, require_record_encodable, split_elsewhere, table_rows
from domainkit.deid.policy import DeidPolicy
from domainkit.errors import DataError, close_column, no_column_message

FORMATS = {".txt": "txt", ".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".parquet": "parquet"}
#: Inputs with at least this many documents show a progress bar on stderr.
PROGRESS_MIN_DOCUMENTS = 1000


def deidentify_file(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    policy: DeidPolicy = DeidPolicy(),
    workers: int = 1,
    text_column: str | None = None,
    keep_columns: Sequence[str] = (),
    force: bool = False,
) -> Audit:
    """De-identify every document of ``input_path`` into ``output_path``; return the audit.

    ``text_column`` names the text field of .csv/.tsv/.jsonl inputs. Other fields are dropped
    unless named in ``keep_columns``, which are copied unchanged.
    """
    source, target = Path(input_path), Path(output_path)
    if source.is_dir():  # before the suffix check, which would call a folder's empty suffix unsupported
        raise DataError(f"input {source} is a folder", hint=f"point --input at a file ({', '.join(FORMATS)})")
    kind = _format_of(source, "input")
    if _format_of(target, "output") != kind:
        raise DataError(
            f"output {target} must have the same format as input {source} ({kind})",
            hint=f"name the output with the {source.suffix} suffix",
        )
    _check_paths(source, target, force)
    if kind == "parquet":
        # Binary: read and written as a table, not as text (see parquet_table.py).
        from domainkit.deid import parquet_table

        table = parquet_table.read_table(source)
        header = table.column_names
        texts = parquet_table.text_cells(table, source, _require_column(source, text_column, header, ""))
        written = _written_columns(source, header, text_column, keep_columns)
        audit, redacted = _redact_all(texts, policy, workers, source)
        out = parquet_table.redacted_table(table, written, text_column, redacted)
        _write_atomic(target, lambda path: parquet_table.write_table(out, path))
    else:
        text, encoding = _read_utf8(source)
        reader, writer = _HANDLERS[kind]
        header, rows, texts = reader(text, source, text_column)
        written = _written_columns(source, header, text_column, keep_columns)
        audit, redacted = _redact_all(texts, policy, workers, source)
        content = writer(written, rows, redacted, text_column)
        _write_atomic(target, lambda path: _write_text(path, content, encoding))
    if header is not None:
        # Names only. They are a real header row: the text column was found among them.
        audit.columns = {"text": text_column, "kept": [c for c in written if c != text_column],
                         "dropped": [c for c in header if c not in written]}
    return audit


def _redact_all(texts: list[str], policy: DeidPolicy, workers: int, source: Path) -> tuple[Audit, list[str]]:
    from domainkit.deid.deidentifier import Deidentifier

    deidentifier = Deidentifier(policy)
    audit = Audit()
    redacted: list[str] = []
    for redaction in _progress(deidentifier.redact_many(texts, workers=workers), len(texts), source):
        audit.add(redaction)
        redacted.append(redaction.text)
    return audit, redacted


# -- checks ---------------------------------------------------------------------------------------
def _format_of(path: Path, role: str) -> str:
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise DataError(
            f"{role} file {path} has an unsupported suffix {path.suffix!r}",
            hint=f"use one of {', '.join(FORMATS)}",
        )
    return kind


def _check_paths(source: Path, target: Path, force: bool) -> None:
    if not source.exists():
        raise DataError(f"input file {source} does not exist", hint="check the path")
    if not source.is_file():
        raise DataError(f"input {source} is not a file", hint="point --input at a file")
    if target.exists() and target.resolve() == source.resolve():
        raise DataError(f"output {target} is the input file", hint="the input is never overwritten; choose another output")
    if target.is_dir():
        # Checked before --force: replacing a folder with a file is never what was meant.
        raise DataError(f"--output {target} is a folder", hint=f"name a file in it, e.g. {target / source.name}")
    if target.exists() and not force:
        raise DataError(f"output file {target} already exists", hint="choose another output or pass --force to replace it")
    if not target.parent.exists():
        raise DataError(f"output folder {target.parent} does not exist", hint="create it first")
    _check_writable(target.parent)


def _check_writable(folder: Path) -> None:
    """Refuse a folder the output cannot be written to, before minutes of redaction, not after."""
    reason = unwritable_reason(folder)
    if reason:
        raise DataError(f"--output folder {folder} cannot be written ({reason})",
                        hint="choose another --output, or make the folder writable")


def _read_utf8(path: Path) -> tuple[str, str]:
    """The file's text, and the encoding to write the output in: with a BOM if the input had one.

    Excel's "CSV UTF-8" starts with a BOM and opens a file without one as ANSI, garbling accents.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DataError(f"cannot read input file {path}: {error.strerror}", hint="check its permissions") from None
    encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return data.decode("utf-8-sig"), encoding
    except UnicodeDecodeError as error:
        offset = error.start  # utf-8-sig counts offsets in the raw bytes, BOM included
        line = data.count(b"\n", 0, offset) + 1
        raise DataError(
            f"input file {path}: line {line} (byte offset {offset}) is not valid UTF-8",
            hint="re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)",
        ) from None


def _require_column(path: Path, text_column: str | None, columns: list[str], where: str,
                    delimiter: str | None = None) -> str:
    """The text column; ``delimiter`` (CSV/TSV only) lets a one-column header hint at another separator."""
    one_column = delimiter is not None and split_elsewhere(columns)
    if text_column is None:
        raise DataError(f"{path} has {len(columns)} column(s); say which one holds the text",
                        hint=one_column_hint(delimiter) if one_column else
                        "pass --text-column NAME, a name from the file's header row (head -1 FILE shows it)")
    if text_column not in columns:
        suggestion = close_column(text_column, columns)
        raise DataError(no_column_message(f"{path}{where}", text_column, len(columns)),
                        hint=one_column_hint(delimiter) if one_column else
                        f"did you mean {suggestion!r}?" if suggestion else "check --text-column against the header row")
    return text_column


def _written_columns(path: Path, header: list[str] | None, text_column: str | None,
                     keep_columns: Sequence[str]) -> list[str]:
    """The columns the output holds, in the input's order: the text column and those kept."""
    if header is None:
        if keep_columns:
            raise DataError(f"--keep-column applies to a table; {path} is one document per line",
                            hint="drop --keep-column, or de-identify a .csv, .tsv, .jsonl or .parquet file")
        return []
    for name in keep_columns:
        if name not in header:
            suggestion = close_column(name, header)
            raise DataError(no_column_message(str(path), name, len(header), option="--keep-column"),
                            hint=f"did you mean --keep-column {suggestion}?" if suggestion else
                            "check --keep-column against the header row (head -1 FILE shows it)")
    return [column for column in header if column == text_column or column in keep_columns]


# -- formats --------------------------------------------------------------------------------------
def _read_txt(text: str, path: Path, text_column: str | None):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the file's final newline ends the last document, it opens no new one
    return None, None, [line.rstrip("\r") for line in lines]


def _write_txt(columns, rows, redacted: list[str], text_column) -> str:
    return "".join(line + "\n" for line in redacted)


def _read_delimited(delimiter: str):
    def read(text: str, path: Path, text_column: str | None):
        """Header, rows and the text column's cells; refuses what would lose or shift a cell.

        ``table_rows`` (shared with ``--data``) refuses repeated header names and any row whose field
        count is not the header's: a quote that never closes would otherwise swallow the rows after it
        into one cell and blank that row's other columns.
        """
        records = table_rows(io.StringIO(text, newline=""), path, delimiter)
        first = next(records, None)
        if first is None:
            raise DataError(f"{path} is empty or has no header row", hint="the first row must name the columns")
        header = first[1]
        column = _require_column(path, text_column, header, "", delimiter)
        rows = [dict(zip(header, fields, strict=True)) for _, fields in records]
        return header, rows, [row[column] for row in rows]

    return read


def _write_delimited(delimiter: str):
    def write(columns: list[str], rows, redacted: list[str], text_column) -> str:
        out = io.StringIO(newline="")
        # Columns left out of the output (not named with --keep-column) are ignored by the writer.
        writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, lineterminator="\n",
                                extrasaction="ignore")
        writer.writeheader()
        for row, text in zip(rows, redacted, strict=True):  # one output row per input row, or a loud failure
            writer.writerow({**row, text_column: text})
        return out.getvalue()

    return write


def _read_jsonl(text: str, path: Path, text_column: str | None):
    """Records, their text fields and every key any record has (in first-seen order), as a header."""
    rows, texts, keys = [], [], {}
    for number, record in jsonl_records(text.split("\n"), path, example='{"text": "..."}'):
        column = _require_column(path, text_column, list(record), f" line {number}")
        value = record[column]
        if value is not None and not isinstance(value, str):
            raise DataError(f"{path} line {number}: column {column!r} holds a {type(value).__name__}, not text", hint="the text column must hold strings")
        # Refused here, by line, not after minutes of redaction when the output cannot be encoded.
        require_record_encodable(record, f"{path}, line {number}")
        keys.update(dict.fromkeys(record))
        rows.append(record)
        texts.append(value or "")
    return list(keys), rows, texts


def _write_jsonl(columns: list[str], rows, redacted: list[str], text_column) -> str:
    lines, kept = [], set(columns)
    for record, text in zip(rows, redacted, strict=True):
        written = {key: value for key, value in record.items() if key in kept}
        if record[text_column] is not None:
            written[text_column] = text
        lines.append(json.dumps(written, ensure_ascii=False) + "\n")
    return "".join(lines)


_HANDLERS: dict[str, tuple[Callable, Callable]] = {
    "txt": (_read_txt, _write_txt),
    "csv": (_read_delimited(","), _write_delimited(",")),
    "tsv": (_read_delimited("\t"), _write_delimited("\t")),
    "jsonl": (_read_jsonl, _write_jsonl),
}


# -- output ---------------------------------------------------------------------------------------
def _progress(items: Iterable, total: int, path: Path) -> Iterator:
    if total < PROGRESS_MIN_DOCUMENTS:
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, total=total, desc=f"de-identifying {path.name}", unit="doc", file=sys.stderr)


def _write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """``write(path)`` into a sibling, then rename it onto ``target`` (``atomic_path``) with the mode
    the output should have: the replaced file's (--force), else as ``open()`` would give it. A
    failure (disk full, folder gone) is a DataError naming the output, and leaves no temporary."""
    mode = new_file_mode(target)
    try:
        with atomic_path(target) as temporary:
            write(temporary)
            os.chmod(temporary, mode)
    except OSError as error:
        raise DataError(f"--output {target} cannot be written ({os_reason(error)})",
                        hint="check the folder's free space and permissions, then run again") from None


def _write_text(path: Path, content: str, encoding: str) -> None:
    with open(path, "w", encoding=encoding, newline="") as handle:
        handle.write(content)
