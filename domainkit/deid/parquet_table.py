"""Parquet input and output for ``domainkit deid``: a table in, the same table's kept columns out.

Parquet is binary and typed, so it does not fit the text readers and writers of ``fileio.py``:
the whole table is read with pyarrow, the text column is replaced by its redacted cells, and the
written table keeps each kept column's type. A null text cell stays null (as in JSONL).

The input's schema metadata (pandas' index and column description) is not copied: it describes
columns that may have been dropped, and the output holds only what the user chose to keep.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from domainkit.atomic import new_file_mode, os_reason
from domainkit.data.tables import open_parquet
from domainkit.errors import DataError


def read_table(path: Path):
    """The whole table; a file that is no Parquet, or has two columns of one name, is refused."""
    import pyarrow

    source = open_parquet(path)
    try:
        return source.read()
    except (OSError, pyarrow.ArrowException) as error:
        raise DataError(f"input {path}: cannot be read as Parquet ({type(error).__name__})",
                        hint="check that the file is complete and was written as Parquet") from None


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

    original = table.column(text_column).to_pylist()
    cells = [None if before is None else after for before, after in zip(original, redacted, strict=True)]
    arrays = [pyarrow.array(cells, type=pyarrow.string()) if name == text_column else table.column(name)
              for name in columns]
    return pyarrow.Table.from_arrays(arrays, names=columns)


def write_atomic(target: Path, table) -> None:
    """Write the table next to ``target``, then rename: a failure never leaves half a file."""
    import pyarrow.parquet as pq

    mode = new_file_mode(target)  # the replaced file's (--force), else as open() would give it
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.fchmod(handle, mode)
    os.close(handle)
    try:
        pq.write_table(table, temporary)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise DataError(f"--output {target} cannot be written ({os_reason(error)})",
                        hint="check the folder's free space and permissions, then run again") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
