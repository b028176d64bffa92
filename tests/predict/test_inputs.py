"""read_documents / check_documents: supported inputs, bad bytes, empty cells, clear errors without text."""

from __future__ import annotations

import io
import json

import pytest

from domainkit.errors import DataError
from domainkit.predict import predict_file
from domainkit.predict.inputs import check_documents, read_documents

SECRET = "Alice Ames"


def _bad_utf8(tmp_path, name):
    """A file whose line 2 holds a Latin-1 byte at byte offset 14 (line 1 is 11 bytes, "caf" 3 more)."""
    path = tmp_path / name
    if path.suffix == ".jsonl":
        path.write_bytes(b'{"text": "a"}\n{"text": "caf\xe9"}\n')
    elif path.suffix == ".csv":
        path.write_bytes(b"text\nheart pain\ncaf\xe9 " + SECRET.encode() + b"\n")
    else:
        path.write_bytes(b"heart pain\ncaf\xe9 " + SECRET.encode() + b"\n")
    return path


@pytest.mark.parametrize("name", ["d.txt", "d.csv", "d.jsonl"])
def test_inputs_non_utf8_names_file_line_and_byte_offset(tmp_path, name):
    path = _bad_utf8(tmp_path, name)
    with pytest.raises(DataError, match=r"d\.\w+: line \d \(byte offset \d+\) is not valid UTF-8") as error:
        check_documents(path)
    assert SECRET not in str(error.value) and "iconv" in error.value.hint


def test_inputs_non_utf8_offset_is_the_bad_bytes(tmp_path):
    with pytest.raises(DataError, match=r"line 2 \(byte offset 14\)"):
        check_documents(_bad_utf8(tmp_path, "d.txt"))


def test_inputs_non_utf8_in_a_folder_names_the_file(tmp_path):
    (tmp_path / "a.txt").write_text("fine")
    (tmp_path / "b.txt").write_bytes(b"line one\nna\xefve\n")
    with pytest.raises(DataError, match=r"b\.txt: line 2 \(byte offset 11\)"):
        check_documents(tmp_path)


def test_inputs_non_utf8_on_stdin_is_a_data_error(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"heart\ncaf\xe9\n")))
    documents = read_documents("-")
    assert next(documents) == ("1", "heart")
    with pytest.raises(DataError, match=r"<stdin>: line 2 \(byte offset 9\)"):
        next(documents)


def test_predict_file_checks_the_input_before_loading_the_model(tmp_path, monkeypatch):
    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded before the input was checked")

    monkeypatch.setattr("domainkit.predict.runner.Predictor", no_model)
    source = tmp_path / "docs.csv"
    source.write_text("text\nheart\n\t \n")  # the bad row is the last: the whole input is checked first
    with pytest.raises(DataError, match=r"docs\.csv, row 3: column 'text' is empty"):
        predict_file(tmp_path / "no-model", source, tmp_path / "out.jsonl", progress=False)
    with pytest.raises(DataError, match="byte offset"):
        predict_file(tmp_path / "no-model", _bad_utf8(tmp_path, "d.txt"), tmp_path / "out.jsonl", progress=False)
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("name", ["docs.md", "docs", "docs.TSV.bak"])
def test_inputs_unknown_suffix_is_refused_with_the_choices(tmp_path, name):
    (tmp_path / name).write_text("text\nheart\n")
    with pytest.raises(DataError, match="unsupported file type") as error:
        check_documents(tmp_path / name)
    assert ".csv" in error.value.hint and ".tsv" in error.value.hint and "'-' for stdin" in error.value.hint


def test_inputs_tsv_is_read_with_tabs_and_its_header_is_no_document(tmp_path):
    (tmp_path / "d.tsv").write_text("id\ttext\na7\theart, pain\na8\tlung cough\n")
    assert list(read_documents(tmp_path / "d.tsv")) == [("a7", "heart, pain"), ("a8", "lung cough")]


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("d.csv", "id,text\n1,heart\n2,   \n", r"d\.csv, row 3: column 'text'"),
        ("d.csv", 'text\nheart\n""\n', r"d\.csv, row 3: column 'text'"),
        ("d.tsv", "text\tnote\n\tAlice Ames\n", r"d\.tsv, row 2: column 'text'"),
        ("d.jsonl", '{"text": "heart"}\n{"text": " \\n ", "who": "Alice Ames"}\n', r"d\.jsonl, line 2: field 'text'"),
        # invisible format characters only (str.strip() keeps them): zero-width space, word joiner, BOM
        ("d.csv", "id,text\n1,heart\n2,\u200b\u2060 \ufeff\n", r"d\.csv, row 3: column 'text'"),
        ("d.jsonl", '{"text": "heart"}\n{"text": "\\u200b\\u2060"}\n', r"d\.jsonl, line 2: field 'text'"),
    ],
)
def test_inputs_empty_text_cells_are_refused_by_row(tmp_path, name, content, where):
    (tmp_path / name).write_text(content)
    with pytest.raises(DataError, match=where + " is empty or blank") as error:
        check_documents(tmp_path / name)
    assert SECRET not in str(error.value)


def test_inputs_empty_file_in_a_folder_is_refused(tmp_path):
    (tmp_path / "a.txt").write_text("heart")
    (tmp_path / "b.txt").write_text(" \n")
    with pytest.raises(DataError, match=r"b\.txt is empty or blank"):
        check_documents(tmp_path)


def test_inputs_blank_lines_of_text_separate_documents_and_keep_line_ids(tmp_path):
    (tmp_path / "d.txt").write_text("heart\n\n   \r\nlung\r\n")
    assert list(read_documents(tmp_path / "d.txt")) == [("1", "heart"), ("4", "lung")]
    assert check_documents(tmp_path / "d.txt") == 2


def test_inputs_invisible_only_documents_count_as_blank(tmp_path):
    from domainkit.predict.inputs import is_blank

    assert is_blank("\u200b \u2060\ufeff\n") and is_blank("")
    assert not is_blank("\u200bheart") and not is_blank("\u00e9")
    (tmp_path / "d.txt").write_text("heart\n\u200b\u2060\nlung\n", encoding="utf-8")
    assert list(read_documents(tmp_path / "d.txt")) == [("1", "heart"), ("3", "lung")]
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "a.txt").write_text("\ufeff\u200b\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"a\.txt is empty or blank"):
        check_documents(tmp_path / "f")


def test_inputs_repeated_header_names_are_refused_by_position(tmp_path):
    (tmp_path / "d.csv").write_text(f"{SECRET},text,{SECRET}\n1,heart,2\n")
    with pytest.raises(DataError, match=r"header columns 1 and 3 have the same name") as error:
        check_documents(tmp_path / "d.csv")
    assert SECRET not in str(error.value)


def test_inputs_bom_does_not_hide_the_first_column(tmp_path):
    (tmp_path / "d.csv").write_bytes(b"\xef\xbb\xbftext,id\nheart,x1\n")
    assert list(read_documents(tmp_path / "d.csv")) == [("x1", "heart")]


def test_inputs_ids_and_counts_match_what_is_classified(tmp_path):
    (tmp_path / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in [{"text": "a", "id": 7}, {"text": "b", "id": 1}]))
    assert list(read_documents(tmp_path / "d.jsonl")) == [("7", "a"), ("1", "b")]
    assert check_documents(tmp_path / "d.jsonl") == 2 and check_documents("-") is None


def test_inputs_unreadable_file_is_a_data_error(tmp_path, monkeypatch):
    path = tmp_path / "d.txt"
    path.write_text("heart\n")

    def refuse(self, *args, **kwargs):  # as chmod 000 would, which root ignores
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("pathlib.Path.open", refuse)
    with pytest.raises(DataError, match=r"cannot read input .*d\.txt: Permission denied"):
        check_documents(path)


def test_inputs_rows_with_extra_fields_long_cells_and_old_mac_lines(tmp_path):
    from domainkit.predict.inputs import read_documents

    extra = tmp_path / "extra.csv"
    extra.write_text("id,text\n1,Patient has pain, fever and cough\n", encoding="utf-8")
    with pytest.raises(DataError, match="row 2 has 3 fields, the header row has 2") as error:
        list(read_documents(extra, text_column="text"))
    assert "fever" not in str(error.value)
    long = tmp_path / "long.csv"
    long.write_text("id,text\n1," + "word " * 40_000 + "\n", encoding="utf-8")  # 200,000 characters
    assert len(list(read_documents(long, text_column="text"))[0][1]) == 200_000
    mac = tmp_path / "mac.txt"
    mac.write_bytes(b"doc one\rdoc two\r\rdoc four\r")
    assert list(read_documents(mac)) == [("1", "doc one"), ("2", "doc two"), ("4", "doc four")]
    nulls = tmp_path / "n.jsonl"
    nulls.write_text('{"id": null, "text": "heart"}\n', encoding="utf-8")
    assert list(read_documents(nulls, text_column="text")) == [("1", "heart")]


@pytest.mark.parametrize(("record", "field"), [({"id": "n2", "text": "Severe cough " + SECRET + " \ud83d"}, "text"),
                                               ({"id": "n2\udc00", "text": SECRET}, "id")])
def test_inputs_jsonl_unpaired_surrogate_is_refused_by_file_line_and_field(tmp_path, record, field):
    path = tmp_path / "d.jsonl"
    # json.dumps writes the lone surrogate as the escape "\ud83d", as a JavaScript exporter does
    path.write_text(json.dumps({"id": "n1", "text": "chest pain"}) + "\n" + json.dumps(record) + "\n")
    with pytest.raises(DataError, match=rf"d\.jsonl, line 2: field '{field}' holds an unpaired surrogate escape "
                                        r"\(\\u(d83d|dc00)\) at character \d+") as error:
        check_documents(path)
    assert SECRET not in str(error.value) and "emoji" in error.value.hint


def test_predict_file_refuses_a_surrogate_before_loading_the_model(tmp_path, monkeypatch):
    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded before the input was checked")

    monkeypatch.setattr("domainkit.predict.runner.Predictor", no_model)
    (tmp_path / "d.jsonl").write_text('{"text": "heart"}\n{"text": "cough \\ud83d"}\n')
    with pytest.raises(DataError, match="line 2"):
        predict_file("unused-model", tmp_path / "d.jsonl", tmp_path / "o.jsonl", progress=False)
    assert not (tmp_path / "o.jsonl").exists()


def test_inputs_jsonl_paired_surrogate_escapes_are_an_emoji_and_pass(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "cough \\ud83d\\ude00"}\n')
    assert list(read_documents(path)) == [("1", "cough \U0001F600")]


NOTES_CSV = 'id,note\n7,"Severe cough and wheezing,\nshortness of breath"\n8,chest pain\n'


def test_inputs_stdin_reads_a_table_with_input_format(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(NOTES_CSV.encode())))
    documents = list(read_documents("-", text_column="note", input_format="csv"))
    assert documents == [("7", "Severe cough and wheezing,\nshortness of breath"), ("8", "chest pain")]
    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": "n1", "body": "heart"}\n{"id": "n2", "body": "lung"}\n'))
    assert list(read_documents("-", text_column="body", input_format="jsonl")) == [("n1", "heart"), ("n2", "lung")]
    monkeypatch.setattr("sys.stdin", io.StringIO("text\tid\nskin rash\tx9\n"))
    assert list(read_documents("-", input_format="tsv")) == [("x9", "skin rash")]


def test_inputs_stdin_table_errors_name_stdin_and_row(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(f"id,note\n1,\n2,{SECRET}\n"))
    with pytest.raises(DataError, match=r"<stdin>, row 2: column 'note' is empty") as error:
        list(read_documents("-", text_column="note", input_format="csv"))
    assert SECRET not in str(error.value)


def test_inputs_text_column_where_it_would_be_ignored_is_refused(tmp_path):
    from domainkit.errors import ConfigError

    (tmp_path / "d.txt").write_text("heart\n")
    with pytest.raises(ConfigError, match="--text-column applies to csv, tsv, jsonl and parquet input, but standard input"
                                          r" is read as text lines") as error:
        check_documents("-", text_column="note")
    assert "--input-format csv" in error.value.hint
    with pytest.raises(ConfigError, match=r"--text-column .*/d\.txt is read as text lines"):
        check_documents(tmp_path / "d.txt", text_column="note")
    with pytest.raises(ConfigError, match="--text-column .* is a folder"):
        check_documents(tmp_path, text_column="note")


def test_inputs_input_format_is_checked(tmp_path):
    from domainkit.errors import ConfigError

    (tmp_path / "d.csv").write_text("text\nheart\n")
    with pytest.raises(ConfigError, match=r"unknown --input-format 'xlsx'; available: csv, jsonl, text, tsv"):
        check_documents("-", input_format="xlsx")
    with pytest.raises(ConfigError, match=r"--input-format jsonl contradicts input .*d\.csv, a csv file") as error:
        check_documents(tmp_path / "d.csv", input_format="jsonl")
    assert "standard input" in error.value.hint
    assert check_documents(tmp_path / "d.csv", input_format="csv") == 1  # repeating the suffix is fine


def test_predict_file_refuses_text_column_on_stdin_before_loading_the_model(tmp_path, monkeypatch):
    from domainkit.errors import ConfigError

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded before the options were checked")

    monkeypatch.setattr("domainkit.predict.runner.Predictor", no_model)
    monkeypatch.setattr("sys.stdin", io.StringIO(NOTES_CSV))
    with pytest.raises(ConfigError, match="--text-column"):
        predict_file("unused-model", "-", tmp_path / "o.csv", text_column="note", progress=False)
    assert not (tmp_path / "o.csv").exists()


def test_inputs_an_unclosed_quote_is_refused_by_row_not_merged(tmp_path):
    from domainkit.predict.inputs import check_documents

    path = tmp_path / "in.csv"
    path.write_text('id,text,ward\n1,Stable,7\n2,"Pt states she is fine,8\n3,Calm night,9\n4,Discharged,10\n')
    with pytest.raises(DataError, match=r"in\.csv: row 3 cannot be read as CSV \(unexpected end of data\)") as error:
        check_documents(path)  # the old reader read 2 documents out of 4 and went on
    assert "Calm" not in str(error.value)


# -- ids: explicit ones are unique and never mixed with fallback numbers (outputs join back to rows)
@pytest.mark.parametrize(("name", "content", "where"), [
    ("d.csv", f"id,text\n{SECRET},heart\n2,lung\n{SECRET},skin\n", r"d\.csv, rows 2 and 4 have the same id"),
    ("d.tsv", "text\tid\nheart\tA1\nlung\tA1\n", r"d\.tsv, rows 2 and 3 have the same id"),
    ("d.jsonl", '{"id": 2, "text": "a"}\n{"id": "2", "text": "b"}\n', r"d\.jsonl, lines 1 and 2 have the same id"),
])
def test_inputs_repeated_ids_are_refused_by_row_without_quoting_them(tmp_path, name, content, where):
    (tmp_path / name).write_text(content)
    with pytest.raises(DataError, match=where) as error:
        check_documents(tmp_path / name)
    assert SECRET not in str(error.value) and "unique" in error.value.hint


@pytest.mark.parametrize(("name", "content", "where"), [
    ("d.csv", "id,text\n2,heart\n,lung\n", r"d\.csv, row 3: column 'id' is empty or blank"),
    ("d.csv", "id,text\n2,heart\n  ,lung\n", r"d\.csv, row 3: column 'id' is empty or blank"),
    ("d.jsonl", '{"id": 2, "text": "a"}\n{"text": "b"}\n', r"d\.jsonl, line 2: no field 'id', but line 1 has one"),
    ("d.jsonl", '{"id": 2, "text": "a"}\n{"id": null, "text": "b"}\n', r"line 2: no field 'id', but line 1 has one"),
    ("d.jsonl", '{"text": "a"}\n{"id": 1, "text": "b"}\n', r"d\.jsonl, line 2: field 'id' given, but line 1 has none"),
    ("d.jsonl", '{"id": "x", "text": "a"}\n{"id": " ", "text": "b"}\n', r"line 2: field 'id' is empty or blank"),
    ("d.jsonl", '{"id": ["x"], "text": "a"}\n', r"line 1: field 'id' is not a string or a number"),
])
def test_inputs_a_row_without_its_id_is_refused_rather_than_numbered(tmp_path, name, content, where):
    # Numbered, the row would get "2": the id of another row, and the predictions would not join back.
    (tmp_path / name).write_text(content)
    with pytest.raises(DataError, match=where):
        check_documents(tmp_path / name)


def test_inputs_without_ids_csv_counts_documents_from_1_and_jsonl_uses_line_numbers(tmp_path):
    (tmp_path / "d.csv").write_text("text\nheart\n\nlung\n")  # a blank line is skipped, not counted
    assert [i for i, _ in read_documents(tmp_path / "d.csv")] == ["1", "2"]
    (tmp_path / "d.jsonl").write_text('{"text": "a"}\n\n{"text": "b", "id": null}\n')
    assert [i for i, _ in read_documents(tmp_path / "d.jsonl")] == ["1", "3"]


def test_inputs_jsonl_suggests_a_close_text_field_as_csv_does(tmp_path):
    (tmp_path / "d.jsonl").write_text('{"id": "1", "body": "heart"}\n')
    with pytest.raises(DataError, match=r"no string field 'bdy'") as error:
        check_documents(tmp_path / "d.jsonl", text_column="bdy")
    assert error.value.hint == "did you mean --text-column body?"
    with pytest.raises(DataError) as error:
        check_documents(tmp_path / "d.jsonl", text_column="zzz")
    assert error.value.hint == "name the text field with --text-column"


def test_inputs_parquet_reads_the_text_column_with_ids_and_refuses_bad_cells_by_row(tmp_path):
    import pandas as pd

    pd.DataFrame({"id": ["a7", "b2"], "body": ["heart pain", "lung cough"]}).to_parquet(tmp_path / "d.parquet")
    assert list(read_documents(tmp_path / "d.parquet", text_column="body")) == [("a7", "heart pain"), ("b2", "lung cough")]
    pd.DataFrame({"text": ["heart", "lung"]}).to_parquet(tmp_path / "n.parquet")
    assert [i for i, _ in read_documents(tmp_path / "n.parquet")] == ["1", "2"]
    with pytest.raises(DataError, match="no column 'bdy'") as error:
        check_documents(tmp_path / "d.parquet", text_column="bdy")
    assert error.value.hint == "did you mean --text-column body?"
    pd.DataFrame({"text": [SECRET, None]}).to_parquet(tmp_path / "null.parquet")
    with pytest.raises(DataError, match=r"null.parquet, row 2: column 'text' holds no text") as error:
        check_documents(tmp_path / "null.parquet")
    assert SECRET not in str(error.value)
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(DataError, match="cannot be read as Parquet"):
        check_documents(tmp_path / "broken.parquet")


def test_inputs_a_folder_laid_out_for_training_gets_a_hint(tmp_path):
    (tmp_path / "docs" / "cardio").mkdir(parents=True)
    (tmp_path / "docs" / "cardio" / "1.txt").write_text("heart")
    with pytest.raises(DataError, match="holds no .txt files") as error:
        check_documents(tmp_path / "docs")
    assert "sub-folders" in error.value.hint


def test_inputs_parquet_ids_stored_as_floats_read_as_whole_numbers_and_nan_is_refused(tmp_path):
    import pandas as pd

    pd.DataFrame({"id": [7.0, 8.0], "text": ["heart", "lung"]}).to_parquet(tmp_path / "f.parquet")
    assert [i for i, _ in read_documents(tmp_path / "f.parquet")] == ["7", "8"]
    pd.DataFrame({"id": [7.0, float("nan")], "text": ["heart", "lung"]}).to_parquet(tmp_path / "nan.parquet")
    with pytest.raises(DataError, match="row 2: column 'id' is empty or blank"):
        check_documents(tmp_path / "nan.parquet")
