"""Read documents to classify: text lines, CSV, JSONL, a folder of .txt, or stdin.

Every reader yields ``(id, text)`` lazily so a large input is streamed.
Ids: the line number (1-based) for text and stdin, the ``id`` column/field
when present else the row number for CSV/JSONL, the file name for folders.
Errors name the file and row, never the text.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from domainkit.errors import COLUMN_NAMES_NOT_SHOWN, DataError, close_column

DEFAULT_TEXT_COLUMN = "text"
Document = tuple[str, str]


def read_documents(source: str | Path, *, text_column: str | None = None) -> Iterator[Document]:
    """Documents of ``source`` ("-" for stdin); chooses the reader by suffix."""
    if str(source) == "-":
        return _read_lines(sys.stdin, "<stdin>")
    path = Path(source)
    if not path.exists():
        raise DataError(f"input {path} does not exist", hint="pass a file, a folder of .txt or '-' for stdin")
    if path.is_dir():
        return _read_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, text_column or DEFAULT_TEXT_COLUMN)
    if suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(path, text_column or DEFAULT_TEXT_COLUMN)
    return _read_text_file(path)


def _read_text_file(path: Path) -> Iterator[Document]:
    with path.open(encoding="utf-8") as handle:
        yield from _read_lines(handle, str(path))


def _read_lines(handle, name: str) -> Iterator[Document]:
    """One document per non-empty line; the id keeps the original line number."""
    for number, line in enumerate(handle, start=1):
        text = line.rstrip("\r\n")
        if text.strip():
            yield str(number), text


def _read_folder(path: Path) -> Iterator[Document]:
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
    if not files:
        raise DataError(f"folder {path} holds no .txt files", hint="put one document per .txt file")
    for file in files:
        yield file.name, file.read_text(encoding="utf-8")


def _read_csv(path: Path, column: str) -> Iterator[Document]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if column not in (reader.fieldnames or []):
            found = reader.fieldnames or []
            suggestion = close_column(column, found)
            raise DataError(f"{path}: no column {column!r} among its {len(found)} column(s); {COLUMN_NAMES_NOT_SHOWN}",
                            hint=f"did you mean --text-column {suggestion}?" if suggestion else
                            "name the text column with --text-column (head -1 FILE shows the header row)")
        for number, row in enumerate(reader, start=2):  # row 1 is the header
            text = row.get(column)
            if text is None:
                raise DataError(f"{path}, line {number}: row has fewer fields than the header")
            yield str(row.get("id") or number - 1), text


def _read_jsonl(path: Path, field: str) -> Iterator[Document]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise DataError(f"{path}, line {number}: not valid JSON ({error.msg})") from None
            if not isinstance(record, dict) or not isinstance(record.get(field), str):
                raise DataError(
                    f"{path}, line {number}: no string field {field!r}",
                    hint="name the text field with --text-column",
                )
            yield str(record.get("id", number)), record[field]
