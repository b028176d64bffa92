"""Read documents to classify: text lines, CSV, TSV, JSONL, a folder of .txt, or stdin.

Every reader yields ``(id, text)`` lazily so a large input is streamed (Parquet by record batches).
A file is read by its suffix; stdin as text lines unless ``input_format``
(``--input-format csv|tsv|jsonl``) says it holds a table.
Ids: the line number (1-based) for text and JSONL, the file name for folders,
and for CSV/TSV the data row's number counted from 1 for the first row under the
header (error messages count spreadsheet rows, header = row 1: document 1 is
"row 2" there). An ``id`` column (CSV/TSV) or field (JSONL) replaces these, and
then every row must have one and no two may be equal: a missing or empty id, or a
repeat, is refused by row, so that predictions always join back to their rows
(a fallback number could equal another row's explicit id).
Blank lines of text input separate documents and are skipped (ids keep the
line numbers); an empty text cell, JSONL field or .txt file is refused. Blank
means no character outside whitespace and invisible format characters (see
:func:`is_blank`).
Bytes are decoded here, line by line, so that a non-UTF-8 byte is reported
with its file, line and byte offset. Errors name the file and row, never the text.
"""

from __future__ import annotations

import codecs
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from domainkit.data.tables import jsonl_records, open_parquet, require_encodable, table_rows
from domainkit.errors import ConfigError, DataError, close_column, no_column_message, unknown_choice

DEFAULT_TEXT_COLUMN = "text"
Document = tuple[str, str]
#: Suffix -> reader kind. TSV is read too (csv's tab dialect): `domainkit run` trains from TSV files,
#: so a user may well hold the documents to classify in one.
SUFFIXES = {".txt": "text", ".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".parquet": "parquet"}
#: How ``--input -`` is read (``--input-format``): stdin has no suffix to say it.
INPUT_FORMATS = ("text", "csv", "tsv", "jsonl")
SUPPORTED = (f"{', '.join(SUFFIXES)}, a folder of .txt files, "
             f"or '-' for stdin (--input-format {'|'.join(INPUT_FORMATS)})")
#: What messages call standard input where they would name a file.
STDIN = "<stdin>"
UTF8_HINT = "re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8 IN > OUT)"


def read_documents(source: str | Path, *, text_column: str | None = None,
                   input_format: str | None = None) -> Iterator[Document]:
    """Documents of ``source`` ("-" for stdin, read as ``input_format``; default text lines);
    a file's reader is chosen by its suffix. Options the reader would ignore are refused."""
    kind = source_kind(source, text_column=text_column, input_format=input_format)
    if str(source) == "-":
        return _read_kind(kind, _stdin_lines(), STDIN, text_column)
    path = Path(source)
    if kind == "folder":
        return _read_folder(path)
    if kind == "parquet":  # binary: read by columns, not lines
        return _read_parquet(path, text_column or DEFAULT_TEXT_COLUMN)
    return _read_kind(kind, _open_lines(path), path, text_column)


def check_documents(source: str | Path, *, text_column: str | None = None,
                    input_format: str | None = None) -> int | None:
    """Read all of ``source`` once, raising what reading it would raise; return its document count.

    Run before the model loads, so a bad byte, a missing column or an empty cell anywhere in the
    input fails in a moment rather than after the model has loaded or half the input is classified.
    Stdin can be read only once: its options are checked, its documents are not (None); their
    errors come as it is read.
    """
    if str(source) == "-":
        source_kind(source, text_column=text_column, input_format=input_format)
        return None
    return sum(1 for _ in read_documents(source, text_column=text_column, input_format=input_format))


def source_kind(source: str | Path, *, text_column: str | None = None, input_format: str | None = None) -> str:
    """The reader of ``source``: one of ``INPUT_FORMATS`` or "folder".

    Stdin is read as ``input_format`` (text lines by default); a file by its suffix, which
    ``input_format`` may repeat but not contradict. ``text_column`` with a reader that has no
    columns is refused: ignored, a table on stdin would be classified line by line, header
    included, with ids that are line numbers.
    """
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise ConfigError(unknown_choice("--input-format", input_format, INPUT_FORMATS))
    if str(source) == "-":
        kind = input_format or "text"
    else:
        kind = _file_kind(Path(source), input_format)
    if text_column is not None and kind in ("text", "folder"):
        raise ConfigError(f"--text-column applies to csv, tsv, jsonl and parquet input, but {_read_as(source, kind)}",
                          hint=_TEXT_COLUMN_HINTS[kind if str(source) != "-" else "stdin"])
    return kind


def _file_kind(path: Path, input_format: str | None) -> str:
    if not path.exists():
        raise DataError(f"input {path} does not exist", hint=f"pass one of: {SUPPORTED}")
    kind = "folder" if path.is_dir() else input_kind(path)
    if input_format is not None and input_format != kind:
        raise ConfigError(f"--input-format {input_format} contradicts input {path}, "
                          f"{'a folder' if kind == 'folder' else 'a ' + kind + ' file by its suffix'}",
                          hint="--input-format says how standard input (--input -) is read; "
                               "a file is read by its suffix: drop the option or rename the file")
    return kind


def _read_as(source: str | Path, kind: str) -> str:
    if str(source) == "-":
        return "standard input is read as text lines (one document per line)"
    if kind == "folder":
        return f"input {source} is a folder, read as one document per .txt file"
    return f"input {source} is read as text lines (one document per line)"


_TEXT_COLUMN_HINTS = {
    "stdin": "to read a table from standard input pass --input-format csv, tsv or jsonl",
    "text": "drop --text-column, or give the table's file its .csv, .tsv, .jsonl or .parquet suffix",
    "folder": "drop --text-column: every .txt file of the folder is one document",
}


def input_kind(path: Path) -> str:
    """The reader for a file's suffix; an unknown suffix is refused rather than read as text lines."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise DataError(f"input {path}: unsupported file type {path.suffix or '(no suffix)'!r}",
                        hint=f"use one of: {SUPPORTED}")
    return kind


# -- bytes to text -------------------------------------------------------------------------------
def _utf8_lines(raw_lines: Iterable[bytes], name: str) -> Iterator[str]:
    """Decode lines of bytes; a bad byte is named by line and byte offset (never its text)."""
    offset = 0
    for number, raw in enumerate(raw_lines, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            # Excel's "CSV UTF-8" starts with a BOM; kept, it would glue itself to the first column name.
            raw, offset = raw[len(codecs.BOM_UTF8):], len(codecs.BOM_UTF8)
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise DataError(f"{name}: line {number} (byte offset {offset + error.start}) is not valid UTF-8",
                            hint=UTF8_HINT) from None
        offset += len(raw)


def _open_lines(path: Path) -> Iterator[str]:
    """The decoded lines of a file (line ends kept, as csv needs them); unreadable -> DataError."""
    try:
        handle = path.open("rb")
    except OSError as error:
        raise DataError(f"cannot read input {path}: {error.strerror}", hint="check its permissions") from None
    with handle:
        yield from _utf8_lines(handle, str(path))


def _stdin_lines() -> Iterator[str]:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream without bytes underneath (tests, embedding): already decoded
        yield from sys.stdin
        return
    yield from _utf8_lines(buffer, STDIN)


# -- readers -------------------------------------------------------------------------------------
def _read_kind(kind: str, lines: Iterable[str], name: str | Path, text_column: str | None) -> Iterator[Document]:
    """Documents of ``lines`` (a file's or stdin's) read as ``kind``; ``name`` is what errors call them."""
    if kind == "text":
        return _read_lines(lines)
    column = text_column or DEFAULT_TEXT_COLUMN
    if kind == "jsonl":
        return _read_jsonl(lines, name, column)
    return _read_delimited(lines, name, column, "\t" if kind == "tsv" else ",")


def _read_lines(lines: Iterable[str]) -> Iterator[Document]:
    """One document per non-blank line; the id keeps the original line number.

    Blank lines are skipped, not refused: in a text file they separate documents and carry no row
    of their own to answer for (unlike a table's row with an empty cell).
    """
    for number, text in enumerate(_universal_lines(lines), start=1):
        if not is_blank(text):
            yield str(number), text


def _universal_lines(lines: Iterable[str]) -> Iterator[str]:
    """Lines split at \n, \r\n or a lone \r (old Mac files), as Python's text mode splits them."""
    for line in lines:
        line = line[:-1] if line.endswith("\n") else line
        line = line[:-1] if line.endswith("\r") else line
        yield from line.split("\r")


def _read_folder(path: Path) -> Iterator[Document]:
    try:
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
    except OSError as error:
        raise DataError(f"cannot read input folder {path}: {error.strerror}", hint="check its permissions") from None
    if not files:
        labelled = any(p.is_dir() and any(p.glob("*.txt")) for p in path.iterdir())
        hint = ("its sub-folders hold .txt files, as training data is laid out (one sub-folder per label): "
                "pass one sub-folder, or a folder with the documents themselves" if labelled
                else "put one document per .txt file")
        raise DataError(f"folder {path} holds no .txt files", hint=hint)
    for file in files:
        # Newlines as Path.read_text gives them (\r\n and \r -> \n), as this reader always did.
        text = "".join(_open_lines(file)).replace("\r\n", "\n").replace("\r", "\n")
        _require_text(text, f"{file} is empty or blank", "remove the file or give it the document's text")
        yield file.name, text


def _read_delimited(lines: Iterable[str], path: str | Path, column: str, delimiter: str) -> Iterator[Document]:
    """Documents of a CSV/TSV input through the shared ``table_rows`` check: a row whose field count is
    not the header's (an unclosed quote swallows the rows after it) stops the run by spreadsheet row."""
    records = table_rows(lines, path, delimiter)
    header = next((fields for _, fields in records), [])
    _check_header(path, column, header)
    text_at = header.index(column)
    id_at = header.index("id") if "id" in header else None
    ids = _UniqueIds(path, "row")
    for count, (number, fields) in enumerate(records, start=1):
        text = fields[text_at]
        _require_text(text, f"{path}, row {number}: column {column!r} is empty or blank",
                      "fill in the text or remove the row")
        if id_at is None:
            yield str(count), text  # no id column: documents are numbered from 1 (the header is no document)
            continue
        _require_text(fields[id_at], f"{path}, row {number}: column 'id' is empty or blank", _ID_HINT)
        yield ids.add(fields[id_at], number), text


def _read_parquet(path: Path, column: str) -> Iterator[Document]:
    """Documents of a Parquet file (``domainkit run`` trains from Parquet too), read batch by batch
    so a large file streams like the others. Rows are numbered from 1; an ``id`` column names them
    as a CSV's does. A text cell that is no string (a number, a null) is refused by row."""
    source = open_parquet(path)
    names = source.schema_arrow.names
    _check_header(path, column, names)
    with_id = "id" in names
    ids = _UniqueIds(path, "row")
    number = 0
    for batch in source.iter_batches(columns=[column, "id"] if with_id else [column]):
        identifiers = batch.column("id").to_pylist() if with_id else [None] * batch.num_rows
        for text, identifier in zip(batch.column(column).to_pylist(), identifiers, strict=True):
            number += 1
            if not isinstance(text, str):
                raise DataError(f"{path}, row {number}: column {column!r} holds no text",
                                hint="fill in the text or remove the row; --text-column names the text column")
            _require_text(text, f"{path}, row {number}: column {column!r} is empty or blank",
                          "fill in the text or remove the row")
            require_encodable(text, f"{path}, row {number}: column {column!r}")
            if not with_id:
                yield str(number), text
                continue
            identifier = _parquet_id(identifier)
            _require_text(identifier, f"{path}, row {number}: column 'id' is empty or blank", _ID_HINT)
            yield ids.add(identifier, number), text


def _parquet_id(value: object) -> str:
    """A Parquet id as text: whole floats without ".0" (pandas stores an integer column with nulls
    as floats), a null or NaN as "" (refused by the caller)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_header(path: str | Path, column: str, found: list[str]) -> None:
    """The text column exists (``table_rows`` has refused repeated names already)."""
    if column not in found:
        raise DataError(no_column_message(str(path), column, len(found)),
                        hint=_text_column_hint(column, found,
                                               "name the text column with --text-column "
                                               "(head -1 FILE shows the header row)"))


def _text_column_hint(column: str, found: Iterable[str], otherwise: str) -> str:
    """'did you mean --text-column NAME?' for a near miss among ``found`` (CSV header, JSONL keys)."""
    suggestion = close_column(column, found)
    return f"did you mean --text-column {suggestion}?" if suggestion else otherwise


def _read_jsonl(lines: Iterable[str], path: str | Path, field: str) -> Iterator[Document]:
    """Documents of a JSONL input; ids are line numbers unless the lines carry an ``id`` field
    (then every line must: see :class:`_UniqueIds`). ``"id": null`` counts as no id."""
    ids = _UniqueIds(path, "line")
    for number, record in jsonl_records(lines, path, example=f'{{"{field}": "..."}}'):
        if not isinstance(record.get(field), str):
            # a misspelled --text-column gets the suggestion a CSV header gives (not for a field
            # that is there but holds no string)
            raise DataError(
                f"{path}, line {number}: no string field {field!r}",
                hint="name the text field with --text-column" if field in record else
                _text_column_hint(field, [key for key in record if isinstance(record[key], str)],
                                  "name the text field with --text-column"),
            )
        _require_text(record[field], f"{path}, line {number}: field {field!r} is empty or blank",
                      "fill in the text or remove the line")
        identifier = record.get("id")
        for name, value in ((field, record[field]), ("id", identifier)):
            if isinstance(value, str):
                require_encodable(value, f"{path}, line {number}: field {name!r}")
        yield ids.jsonl_id(identifier, number), record[field]


_ID_HINT = ("give every row an id, or remove the id column (field) to have the rows numbered; "
            "ids must be unique so that each prediction joins back to its row")


class _UniqueIds:
    """The explicit ids of one input: each given once, and by every row once any row has one.

    Output ids are strings, so ``2`` and ``"2"`` are the same id. Messages name the rows, never the
    id itself (it may be a record number that identifies a patient). Ids are held in memory: a
    string per document, small beside the text being classified.
    """

    def __init__(self, where: str | Path, unit: str) -> None:
        self.where, self.unit = where, unit
        self.first: dict[str, int] = {}
        self.without: int | None = None  # the first JSONL line without an id

    def add(self, identifier: str, number: int) -> str:
        first = self.first.setdefault(identifier, number)
        if first != number:
            raise DataError(f"{self.where}, {self.unit}s {first} and {number} have the same id", hint=_ID_HINT)
        return identifier

    def jsonl_id(self, identifier: object, number: int) -> str:
        """A JSONL line's id: its field, or its line number when no line of the input has one.

        A line without an id beside lines with one is refused (in either order, as the input is
        streamed): its line number could be another line's explicit id.
        """
        if identifier is None:
            if self.first:
                raise DataError(f"{self.where}, line {number}: no field 'id', but line "
                                f"{min(self.first.values())} has one", hint=_ID_HINT)
            self.without = self.without or number
            return str(number)
        if self.without is not None:
            raise DataError(f"{self.where}, line {number}: field 'id' given, but line {self.without} has none",
                            hint=_ID_HINT)
        if isinstance(identifier, bool) or not isinstance(identifier, (str, int, float)):
            raise DataError(f"{self.where}, line {number}: field 'id' is not a string or a number", hint=_ID_HINT)
        text = str(identifier)
        _require_text(text, f"{self.where}, line {number}: field 'id' is empty or blank", _ID_HINT)
        return self.add(text, number)


def _require_text(text: str, where: str, hint: str) -> None:
    """Refuse an empty or blank document rather than skip it.

    A table row or file is there to be classified: a prediction for nothing would be noise, and
    skipping it would drop a row the user expects back in the output, noticed only by a count.
    An empty cell is usually a wrong --text-column or a broken export, which the user should see.
    """
    if is_blank(text):
        raise DataError(where, hint=hint)


def is_blank(text: str) -> bool:
    """True when ``text`` shows nothing: only whitespace and invisible format characters.

    ``str.strip()`` keeps the format characters (Unicode category Cf: zero-width space U+200B,
    word joiner U+2060, a stray byte-order mark U+FEFF, soft hyphen U+00AD...): a cell holding
    only those looks empty but would be classified. Shared by the readers and the spaCy component.
    """
    return all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in text)
