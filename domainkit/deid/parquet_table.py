"""Parquet input and output for ``domainkit deid``: a table in, the same table's kept columns out.

Parquet is binary and typed, so it does not fit the text readers and writers of ``fileio.py``:
the whole table is read with pyarrow, the text column is replaced by its redacted cells, and the
written table keeps each kept column's type (``fileio`` writes it atomically, as it does text). A null text cell stays null (as in JSONL).

The input's schema metadata (pandas' index and column description) is not copied: it describes
columns that may have been dropped, and the output holds only what the user chose to keep.
"""

from __future__ import annotations

from pathlib import Path

from domainkit.data.tables import not_parquet, open_parquet
from domainkit.errors import DataError


def read_table(path: Path):
    """The whole table; a file that is no Parquet, or has two columns of one name, is refused."""
    import pyarrow

    source = open_parquet(path)
    try:
        return source.read()
    except (OSError, pyarrow.ArrowException) as error:
        raise not_parquet(path, error) from None


def text_cells(table, path: Path, column: str) -> list[str]:
    """The column's cells as strings to redact (a null as ""); a column of another type is refused."""
    import pyarrow.types as types

    kind = table.schema.field(column).type
    if types.is_dictionary(kind):  # a pandas Categorical: its values decide
        kind = kind.value_type
    if not (types.is_string(kind) or types.is_large_string(kind) or types.is_null(kind)):
        raise DataError(f"{path}: column {column!r} holds {kind} values, not text",
                        hint="name the text column with --text-column (a column of strings)")
    return [cell or "" for cell in table.column(column).to_pylist()]


def redacted_table(table, columns: list[str], text_column: str, redacted: list[str]):
    """The kept ``columns`` in the input's order, the text column's non-null cells replaced."""
    import pyarrow

    nulls = table.column(text_column).is_null().to_numpy(zero_copy_only=False)
    text = pyarrow.array(redacted, type=pyarrow.string(), mask=nulls)
    arrays = [text if name == text_column else table.column(name) for name in columns]
    return pyarrow.Table.from_arrays(arrays, names=columns)


def write_table(table, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(table, path)
