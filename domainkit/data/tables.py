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


def repeated_columns(names: list[str]) -> str:
    """Header names that repeat, by 1-based position ("columns 1 and 3; columns 2 and 4"), or "".

    Positions, not names: in a file without a header row the "names" are its first document.
    """
    positions: dict[str, list[int]] = {}
    for position, name in enumerate(names, start=1):
        positions.setdefault(name, []).append(position)
    groups = [found for found in positions.values() if len(found) > 1]
    return "; ".join("columns " + ", ".join(map(str, found[:-1])) + f" and {found[-1]}" for found in groups)


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
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataError(f"{where}: line {number} is not valid JSON ({error.msg}, column {error.colno})",
                            hint=hint) from None
        if not isinstance(record, dict):
            raise DataError(f"{where}: line {number} is a JSON {_JSON_KINDS.get(type(record), 'value')}, not an object",
                            hint=hint)
        yield number, record
