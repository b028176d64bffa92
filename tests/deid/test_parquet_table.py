"""domainkit deid on Parquet: the text column redacted, kept columns keep their types, clear errors."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from domainkit.deid import DeidPolicy, deidentify_file
from domainkit.errors import DataError

RULES = DeidPolicy(use_ner=False)


def _write(path, **columns):
    pq.write_table(pa.table(columns), path)


def test_parquet_text_is_redacted_and_kept_columns_keep_their_types(tmp_path):
    source, target = tmp_path / "in.parquet", tmp_path / "out.parquet"
    _write(source, id=[7, 8, 9], patient=["Zebulon Quackenbush", "x", "y"],
           note=["Seen by Dr. Okafor on 7/22.", None, "BP 120/80."], score=[0.5, 1.5, 2.5])
    before = source.read_bytes()
    audit = deidentify_file(source, target, policy=RULES, text_column="note", keep_columns=["score", "id"])
    assert source.read_bytes() == before
    table = pq.read_table(target)
    assert table.column_names == ["id", "note", "score"]  # the input's order; "patient" dropped
    assert table.schema.field("id").type == pa.int64() and table.schema.field("score").type == pa.float64()
    assert table.column("note").to_pylist() == ["Seen by Dr. [NAME] on [DATE].", None, "BP 120/80."]
    assert audit.documents == 3 and audit.counts["NAME"] == 1
    assert audit.columns == {"text": "note", "kept": ["id", "score"], "dropped": ["patient"]}
    assert not list(tmp_path.glob(".*.tmp"))


def test_parquet_categorical_text_column_is_read_as_text(tmp_path):
    import pandas as pd

    source, target = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pd.DataFrame({"note": pd.Categorical(["Seen by Dr. Okafor.", "BP 120/80."])}).to_parquet(source)
    deidentify_file(source, target, policy=RULES, text_column="note")
    assert pq.read_table(target).column("note").to_pylist() == ["Seen by Dr. [NAME].", "BP 120/80."]


def test_parquet_column_of_numbers_is_refused_by_name_and_type(tmp_path):
    source = tmp_path / "in.parquet"
    _write(source, id=[1, 2], note=["a", "b"])
    with pytest.raises(DataError, match=r"column 'id' holds int64 values, not text"):
        deidentify_file(source, tmp_path / "out.parquet", policy=RULES, text_column="id")
    assert not (tmp_path / "out.parquet").exists()


def test_parquet_misspelled_column_is_named_with_a_suggestion(tmp_path):
    source = tmp_path / "in.parquet"
    _write(source, note=["a"])
    with pytest.raises(DataError) as error:
        deidentify_file(source, tmp_path / "out.parquet", policy=RULES, text_column="notes")
    assert "notes" in str(error.value) and "'note'" in error.value.hint


def test_parquet_file_that_is_no_parquet_is_refused(tmp_path):
    source = tmp_path / "in.parquet"
    source.write_text("id,note\n1,Seen by Dr. Okafor\n")
    with pytest.raises(DataError, match="cannot be read as Parquet") as error:
        deidentify_file(source, tmp_path / "out.parquet", policy=RULES, text_column="note")
    assert "Okafor" not in str(error.value) + error.value.hint


def test_parquet_output_must_be_parquet_too(tmp_path):
    source = tmp_path / "in.parquet"
    _write(source, note=["a"])
    with pytest.raises(DataError, match="same format"):
        deidentify_file(source, tmp_path / "out.csv", policy=RULES, text_column="note")


def test_parquet_failed_write_is_a_data_error_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    from domainkit.deid import fileio

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    source, target = tmp_path / "in.parquet", tmp_path / "out.parquet"
    _write(source, note=["Seen by Dr. Okafor."])
    monkeypatch.setattr(fileio.os, "replace", disk_full)
    with pytest.raises(DataError, match=r"--output .*out\.parquet cannot be written \(No space left on device\)"):
        deidentify_file(source, target, policy=RULES, text_column="note")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.parquet"]
