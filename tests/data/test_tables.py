"""Helpers every table reader shares: long cells read, repeated names found by position."""

import csv

import pytest

from domainkit.errors import DataError

from domainkit.data.tables import allow_long_cells, jsonl_records, one_column_hint, repeated_columns, table_rows


def test_repeated_columns_are_named_by_position_only():
    assert repeated_columns(["id", "note", "id", "x", "x", "x"]) == "columns 1 and 3; columns 4, 5 and 6"
    assert repeated_columns(["id", "note"]) == ""


def test_long_cells_are_allowed_and_the_cap_is_never_lowered():
    allow_long_cells()
    raised = csv.field_size_limit()
    assert raised > 131072
    allow_long_cells()
    assert csv.field_size_limit() == raised


def test_jsonl_records_skip_blank_lines_and_keep_line_numbers():
    lines = ['{"text": "a"}\n', "\n", '{"text": "b"}\n']
    assert list(jsonl_records(lines, "docs.jsonl")) == [(1, {"text": "a"}), (3, {"text": "b"})]


@pytest.mark.parametrize("line, problem", [('{"text": "Jane Roe', "is not valid JSON"), ('"Jane Roe"', "is a JSON string, not an object"),
                                           ("[1, 2]", "is a JSON array, not an object")])
def test_a_bad_jsonl_line_is_named_by_number_without_its_text(line, problem):
    with pytest.raises(DataError, match=f"docs.jsonl: line 2 {problem}") as error:
        list(jsonl_records(['{"text": "ok"}', line], "docs.jsonl", example='{"note": "..."}'))
    assert "Jane" not in str(error.value)
    assert '{"note": "..."}' in error.value.hint


def test_every_jsonl_reader_words_a_broken_line_the_same(tmp_path):
    from domainkit.deid.fileio import deidentify_file
    from domainkit.predict.inputs import check_documents

    source = tmp_path / "notes.jsonl"
    source.write_text('{"text": "fine"}\n[1]\n', encoding="utf-8")
    messages = []
    for read in (lambda: check_documents(source, text_column="text"),
                 lambda: deidentify_file(source, tmp_path / "out.jsonl", text_column="text")):
        with pytest.raises(DataError) as error:
            read()
        messages.append(str(error.value))
    assert all("notes.jsonl: line 2 is a JSON array, not an object" in message for message in messages)


# -- one field-count check for every CSV/TSV reader ------------------------------------------------
def test_table_rows_number_records_as_a_spreadsheet_does_and_skip_blank_lines():
    lines = ['id,text\n', '1,"two\n', 'lines"\n', '\n', '2,ok\n']
    assert list(table_rows(lines, "docs.csv", ",")) == [(1, ["id", "text"]), (2, ["1", "two\nlines"]), (4, ["2", "ok"])]


@pytest.mark.parametrize("lines", [
    ['id,text\n', '1,"Roe chest pain\n', '2,kidney failure\n', '3,rash\n'],  # in the last column: the field count fits
    ['id,text\n', '1,"Roe"said\n', '2,ok\n'],  # text after a closing quote
])
def test_table_rows_refuse_a_quote_that_would_merge_or_cut_rows(lines):
    with pytest.raises(DataError, match="docs.csv: row 2 cannot be read as CSV") as error:
        list(table_rows(lines, "docs.csv", ","))
    assert "Roe" not in str(error.value) + error.value.hint


def test_table_rows_keep_a_blank_document_of_a_one_column_table():
    assert list(table_rows(["text\n", "  \n", "ok\n"], "docs.csv", ",")) == [(1, ["text"]), (2, ["  "]), (3, ["ok"])]


@pytest.mark.parametrize(("lines", "found"), [
    (["id,text,ward\n", '1,"Jane Roe said\n', "2,later,8\n"], r"row 2 cannot be read as CSV \(unexpected end of data\)"),
    (["id,text,ward\n", '1,"a\nb",7\n', "2,Seen by Roe, MD,8\n"], "row 3 has 4 fields, the header row has"),
])
def test_table_rows_refuse_a_row_whose_field_count_is_not_the_headers(lines, found):
    """A quote that never closes (the csv module's strict mode), an unquoted comma after a multi-line cell."""
    with pytest.raises(DataError, match=f"docs.csv: {found}") as error:
        list(table_rows(lines, "docs.csv", ","))
    assert "Roe" not in str(error.value)
    assert "a comma, a quote or a line break" in error.value.hint


def test_table_rows_refuse_repeated_header_names_by_position():
    with pytest.raises(DataError, match=r"docs.tsv: header columns 1 and 3 have the same name"):
        list(table_rows(["label\ttext\tlabel\n", "a\tnote\tb\n"], "docs.tsv", "\t"))


@pytest.mark.parametrize("line", ['{"id": 1, "note": "Jane Roe", "note": "later"}',
                                  '{"id": 1, "meta": {"ward": "Roe", "ward": "7"}}'])
def test_a_jsonl_object_with_a_repeated_key_is_refused_by_line_and_position(line):
    with pytest.raises(DataError, match=r"docs.jsonl: line 2 has an object whose keys \d and \d have the same name") \
            as error:
        list(jsonl_records(['{"note": "ok"}', line], "docs.jsonl"))
    assert "Roe" not in str(error.value)


def test_the_one_column_hint_points_at_the_delimiter():
    assert "another character than a comma" in one_column_hint(",") and ".tsv" in one_column_hint(",")
    assert "another character than a tab" in one_column_hint("\t")


def test_a_raw_tab_in_a_jsonl_string_is_named_without_a_dangling_at():
    from domainkit.data.tables import jsonl_records
    from domainkit.errors import DataError

    with pytest.raises(DataError, match=r"line 1 is not valid JSON \(Invalid control character, column 12\)") as error:
        list(jsonl_records(['{"text": "a\tb"}'], "x.jsonl"))
    assert "\\t" in error.value.hint
