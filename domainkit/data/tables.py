"""What every reader of a user's CSV/TSV table shares (``--data``, ``deid``, ``predict``, ``tagger train``).

Kept apart from any one reader so that de-identification and prediction do not import each
other's file handling for it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from domainkit.errors import DataError

#: csv's default cap on a cell is 128 KiB; a long clinical or legal document is more than that.
_CELL_LIMIT = 2**31 - 1


def allow_long_cells() -> None:
    """Raise (never lower) the csv module's cell-size cap, for every reader in the process."""
    if csv.field_size_limit() < _CELL_LIMIT:
        csv.field_size_limit(_CELL_LIMIT)


def repeated_columns(names: list[str], noun: str = "columns") -> str:
    """Header names that repeat, by 1-based position ("columns 1 and 3; columns 2 and 4"), or "".

    Positions, not names: in a file without a header row the "names" are its first document.
    ``noun`` names what repeats ("keys" for a JSON object).
    """
    positions: dict[str, list[int]] = {}
    for position, name in enumerate(names, start=1):
        positions.setdefault(name, []).append(position)
    groups = [found for found in positions.values() if len(found) > 1]
    return "; ".join(f"{noun} " + ", ".join(map(str, found[:-1])) + f" and {found[-1]}" for found in groups)


def open_parquet(path):
    """A ``pyarrow.parquet.ParquetFile``; a file that is no Parquet, or has two columns of one name, is refused.

    Shared by ``deid`` (whole table) and ``predict`` (record batches), which read it differently.
    """
    import pyarrow
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
        names = source.schema_arrow.names
    except (OSError, pyarrow.ArrowException) as error:
        raise not_parquet(path, error) from None
    repeated = repeated_columns(names)
    if repeated:
        raise DataError(f"input {path}: {repeated} have the same name",
                        hint="give every column its own name; the input is left as it is")
    return source


def not_parquet(path, error: Exception) -> DataError:
    """The error for a file pyarrow cannot read, at opening or later (the exception's type only)."""
    return DataError(f"input {path}: cannot be read as Parquet ({type(error).__name__})",
                     hint="check that the file is complete and was written as Parquet")


#: Each delimiter a table reader accepts: the format's name and how a hint names the character.
DELIMITERS = {",": ("CSV", "a comma"), "\t": ("TSV", "a tab")}


def table_rows(lines: Iterable[str], where: object, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """``(row number, fields)`` of each record of a CSV/TSV input, the header row first; DataError otherwise.

    The one field-count check behind every reader that must not lose or shift a cell. A header
    that repeats a name is refused (by position), and so is a record whose field count differs
    from the header's: one field more is an unquoted delimiter, fewer is usually a quote that
    never closed and swallowed the rows after it.
    The row number is the record's as a spreadsheet numbers it (header = row 1, blank lines
    count, a quoted line break does not), not the physical line. Blank lines are skipped.
    """
    allow_long_cells()
    header: list[str] | None = None
    number = 0
    try:
        # strict: a quote that opens in the last column and never closes would otherwise swallow
        # every later row into that one cell, with the header's field count, silently.
        for number, record in enumerate(csv.reader(lines, delimiter=delimiter, strict=True), start=1):
            if _blank(record, header):
                continue
            if header is None:
                header = _checked_header(record, where)
            elif len(record) != len(header):
                hint = one_column_hint(delimiter) if split_elsewhere(header) else _quoting_hint(delimiter)
                raise DataError(f"{where}: row {number} has {len(record)} fields, the header row has {len(header)}",
                                hint=hint)
            yield number, record
    except csv.Error as error:  # the csv module's messages name no cell text
        raise DataError(f"{where}: row {number + 1} cannot be read as {DELIMITERS[delimiter][0]} ({error}): "
                        "a quote opens and never closes, or text follows a closing quote",
                        hint=_quoting_hint(delimiter)) from None


def _blank(record: list[str], header: list[str] | None) -> bool:
    """An empty line, or one of spaces where a row needs several fields (pandas skips both too).

    In a one-column table a line of spaces is a (blank) document: it stays, so no row goes missing.
    """
    if not record:
        return True
    return len(record) == 1 and not record[0].strip() and (header is None or len(header) > 1)


def _checked_header(header: list[str], where: object) -> list[str]:
    repeated = repeated_columns(header)
    if repeated:
        # Every reader keys cells by name: a repeated name's cells would be merged or one picked silently.
        raise DataError(f"{where}: header {repeated} have the same name",
                        hint="give every column of the header row its own name; the input is left as it is")
    return header


def _quoting_hint(delimiter: str) -> str:
    return (f"put double quotes around every field that contains {DELIMITERS[delimiter][1]}, a quote or a line "
            "break (quotes inside a quoted field are doubled); a field that starts with a quote runs on, "
            "across lines, to the next quote")


def split_elsewhere(header: list[str]) -> bool:
    """A one-column header holding a semicolon, bar, tab or comma: a file split by another character
    (an export whose texts hold commas), not a quoting slip nor a fine file whose column was not named."""
    return len(header) == 1 and any(ch in header[0] for ch in ";|\t,")


def one_column_hint(delimiter: str) -> str:
    """Hint for a CSV/TSV whose header row is one column: it is probably split by another character.

    A semicolon-separated export (European Excel) reads as one column; the column name the user
    gave is then not the problem. The header itself is never quoted (it may be a document).
    """
    return (f"its header row is a single column, so the file may be separated by another character than "
            f"{DELIMITERS[delimiter][1]} (a semicolon, as some Excel exports are): save it comma-separated as "
            ".csv or tab-separated as .tsv")


_CONTROL_HINT = "a tab or line break inside a JSON string must be written \\t or \\n; "
_JSON_KINDS = {list: "array", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}


def jsonl_records(lines: Iterable[str], where: object, *, example: str = '{"text": "..."}') -> Iterator[tuple[int, dict]]:
    """``(line number, object)`` for each non-blank line of a JSON-lines input; DataError otherwise.

    The one parser behind every JSONL reader, so a broken line reads the same whichever command
    met it. Messages name the line and what was wrong (the decoder's ``msg`` names what it
    expected, never the text), and ``example`` shows the reader's own layout in the hint.
    """
    hint = f"write one JSON object per line, e.g. {example}"
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, object_pairs_hook=_object_without_repeats)
        except json.JSONDecodeError as error:
            # json's messages end "... at" before a position it prints itself: "Invalid control character at".
            reason = error.msg.removesuffix(" at")
            raise DataError(f"{where}: line {number} is not valid JSON ({reason}, column {error.colno})",
                            hint=_CONTROL_HINT + hint if "control character" in reason else hint) from None
        except _RepeatedKeys as error:
            raise DataError(f"{where}: line {number} has an object whose {error} have the same name",
                            hint="give each key of an object once; JSON readers keep only the last value") from None
        if not isinstance(record, dict):
            raise DataError(f"{where}: line {number} is a JSON {_JSON_KINDS.get(type(record), 'value')}, not an object",
                            hint=hint)
        yield number, record


def require_record_encodable(record: dict, where: str) -> None:
    """:func:`require_encodable` on every field of a JSONL record (nested lists and objects as JSON text).

    Numbers, booleans and null hold no text, so only strings and containers are checked.
    """
    for key, field in record.items():
        if isinstance(field, str):
            require_encodable(field, f"{where}: field {key!r}")
        elif isinstance(field, (list, dict)):
            require_encodable(json.dumps(field, ensure_ascii=False), f"{where}: field {key!r}")


def require_encodable(value: str, where: str) -> None:
    """Refuse a string holding an unpaired surrogate (JSON ``"\\ud83d"``, an emoji cut in half).

    json.loads accepts such escapes, but no UTF-8 text holds them: the tokenizer or the output writer
    would fail later, mid-run and naming no row. Found by the reader, the error names file and line.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(value[error.start])  # the escape's code point, not the text around it
        raise DataError(f"{where} holds an unpaired surrogate escape (\\u{code:04x}) at character {error.start}",
                        hint="repair the export (a string cut inside an emoji), or drop the character") from None


class _RepeatedKeys(Exception):
    """An object's keys repeat; the message names their positions (a key may be anything)."""


def _object_without_repeats(pairs: list[tuple[str, object]]) -> dict:
    # json.loads keeps a repeated key's last value and drops the others without a word.
    repeated = repeated_columns([key for key, _ in pairs], noun="keys")
    if repeated:
        raise _RepeatedKeys(repeated)
    return dict(pairs)
