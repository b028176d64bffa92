import json

import pandas as pd
import pytest

from domainkit.data.byod import ColumnSpec, load_own_documents, read_labelled
from domainkit.errors import DataError

TOPICS = {"cardio": "heart murmur and chest pain", "renal": "kidney function and creatinine", "neuro": "headache and seizure"}


def _rows(n_per_class=6):
    return [{"text": f"note {i}: {words} observed on day {i}", "label": label}
            for label, words in TOPICS.items() for i in range(n_per_class)]


def _write(path, rows):
    frame = pd.DataFrame(rows)
    suffix = path.suffix
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".tsv":
        frame.to_csv(path, index=False, sep="\t")
    elif suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    elif suffix == ".parquet":
        frame.to_parquet(path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".parquet"])
def test_byod_reads_every_table_format(tmp_path, suffix):
    path = _write(tmp_path / f"docs{suffix}", _rows())
    texts, labels = read_labelled(path, ColumnSpec())
    assert len(texts) == 18 and set(labels) == set(TOPICS)


def test_byod_reads_label_folders(tmp_path):
    for row in _rows(3):
        folder = tmp_path / "docs" / row["label"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{len(list(folder.iterdir()))}.txt").write_text(row["text"])
    texts, labels = read_labelled(tmp_path / "docs", ColumnSpec())
    assert len(texts) == 9 and labels.count("renal") == 3


def test_byod_split_is_stratified_recorded_and_input_untouched(tmp_path):
    path = _write(tmp_path / "docs.csv", _rows(10))
    before = path.read_bytes()
    data = load_own_documents(path, ColumnSpec(), test_path=None, test_size=0.2, seed=3)
    assert set(data.test_labels) == set(TOPICS)
    assert data.split_info["seed"] == 3 and str(path) in data.split_info["sources"]
    assert path.read_bytes() == before


def test_byod_multi_label_column(tmp_path):
    rows = [{"text": f"report {i} text", "tags": "a|b" if i % 2 else "a"} for i in range(20)]
    rows += [{"text": f"other {i} words", "tags": "c"} for i in range(10)]
    path = _write(tmp_path / "docs.csv", rows)
    data = load_own_documents(path, ColumnSpec(labels="tags"), test_path=None, test_size=0.2, seed=1)
    assert data.kind == "multi_label" and data.label_names == ["a", "b", "c"]


def test_byod_misspelled_column_suggests_closest(tmp_path):
    path = _write(tmp_path / "docs.csv", _rows())
    with pytest.raises(DataError, match="no column 'lable'") as error:
        read_labelled(path, ColumnSpec(label="lable"))
    assert "did you mean --label-column label" in str(error.value)


def test_byod_headerless_file_never_echoes_its_first_document(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text("Patient John Smith has HIV,positive\nMary Jones seen,negative\n", encoding="utf-8")
    with pytest.raises(DataError, match="no column 'text'") as error:
        read_labelled(path, ColumnSpec())
    assert "John" not in str(error.value) and "positive" not in str(error.value)
    assert "not shown" in str(error.value) and "head -1" in str(error.value)


def test_byod_empty_cell_names_row_without_text(tmp_path):
    rows = _rows()
    rows[4]["text"] = "   "
    path = _write(tmp_path / "docs.csv", rows)
    with pytest.raises(DataError, match=r"docs.csv: row 6, column 'text' is empty") as error:
        read_labelled(path, ColumnSpec())
    assert "heart" not in str(error.value)


def test_byod_non_text_cell_is_reported(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"text": 42, "label": "x"}) + "\n")
    with pytest.raises(DataError, match="row 2, column 'text' is not text"):
        read_labelled(path, ColumnSpec())


def test_byod_non_utf8_names_line(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_bytes(b"text,label\nok note,a\nbad \xe9 note,b\n")
    with pytest.raises(DataError, match="line 3 .* not valid UTF-8"):
        read_labelled(path, ColumnSpec())


def test_byod_one_class_and_tiny_classes_are_refused(tmp_path):
    one = _write(tmp_path / "one.csv", [{"text": f"t {i}", "label": "a"} for i in range(5)])
    with pytest.raises(DataError, match="only one class"):
        load_own_documents(one, ColumnSpec(), test_path=None, test_size=0.2, seed=0)
    rows = _rows() + [{"text": "lonely", "label": "rare"}]
    tiny = _write(tmp_path / "tiny.csv", rows)
    with pytest.raises(DataError, match="fewer than 2 documents, too few to split: rare"):
        load_own_documents(tiny, ColumnSpec(), test_path=None, test_size=0.2, seed=0)


def test_byod_unsupported_and_missing_files(tmp_path):
    with pytest.raises(DataError, match="unsupported file type .xlsx"):
        read_labelled(tmp_path / "x.xlsx", ColumnSpec()) if (tmp_path / "x.xlsx").write_text("") is not None else None
    with pytest.raises(DataError, match="no such file"):
        read_labelled(tmp_path / "missing.csv", ColumnSpec())


def test_byod_test_file_with_unseen_label_is_refused(tmp_path):
    train = _write(tmp_path / "train.csv", _rows())
    test = _write(tmp_path / "test.csv", [{"text": "some note", "label": "derm"}])
    with pytest.raises(DataError, match="label\\(s\\) not in the training file: derm"):
        load_own_documents(train, ColumnSpec(), test_path=test, test_size=0.2, seed=0)
