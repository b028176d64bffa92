"""User-facing errors.

Every error a user can see says what was expected, what was found and what
to do next. Messages never contain document text: they name files, rows,
columns and options only.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class DomainkitError(Exception):
    """An error the user can act on; the CLI prints it without a traceback."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message}\n  hint: {hint}")


class ConfigError(DomainkitError):
    """A configuration value is missing, mistyped or out of range."""


class PackError(DomainkitError):
    """A domain pack cannot be found, loaded or does not meet the contract."""


class DataError(DomainkitError):
    """An input file cannot be used: names the file, row or column and the fix."""


class ModelError(DomainkitError):
    """A model reference cannot be resolved or loaded safely."""


def closest(name: str, choices: Iterable[str]) -> str | None:
    """Return the closest choice to ``name`` (for "did you mean"), or None."""
    matches = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return matches[0] if matches else None


#: Said instead of listing a file's column names. Listing the choices is the house rule for options,
#: but column names come from the file: in a file without a header row they are its first document.
_COLUMN_NAMES_NOT_SHOWN = "its column names are not shown, as a file without a header row would show its first document"


def no_column_message(where: str, column: str, n_columns: int, *, option: str | None = None) -> str:
    """"WHERE: no column 'x' (set with OPTION) among its N column(s); ...": the names found never appear."""
    set_with = f" (set with {option})" if option else ""
    return f"{where}: no column {column!r}{set_with} among its {n_columns} column(s); {_COLUMN_NAMES_NOT_SHOWN}"


def close_column(name: str, found: Iterable[str]) -> str | None:
    """The column of ``found`` spelled nearly like ``name`` (case aside), or None.

    Stricter than :func:`closest`: a name is echoed back only when it is nearly what the user
    typed, and only from a row that reads as a header. In a file without a header row the first
    row is a document and its cells are its text: "Noyes" beside a referral letter is a surname.
    """
    found = [str(column) for column in found]
    if not _reads_as_header(found):
        return None
    by_lower = {column.lower(): column for column in found}
    matches = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.75)
    return by_lower[matches[0]] if matches else None


def _reads_as_header(row: list[str]) -> bool:
    """No cell of ``row`` reads as a document. A table of documents has a text column, so its first
    row, when it is no header, holds one: more than 12 words or 120 characters, or more than 5 words
    with a comma or full stop inside ("Referral for chest pain on exertion, seen today"). A survey
    export's header ("What is the primary reason for your visit today?") stays a header."""
    def document(cell: str) -> bool:
        words = len(cell.split())
        return len(cell) > 120 or words > 12 or (words > 5 and (", " in cell or ". " in cell))

    return not any(document(cell) for cell in row)


def unknown_choice(kind: str, name: str, choices: Iterable[str]) -> str:
    """Message for an unknown name: lists the choices and suggests the closest."""
    choices = sorted(choices)
    listed = ", ".join(choices) if choices else "(none installed)"
    message = f"unknown {kind} {name!r}; available: {listed}"
    suggestion = closest(name, choices)
    if suggestion:
        message += f". Did you mean {suggestion!r}?"
    return message
