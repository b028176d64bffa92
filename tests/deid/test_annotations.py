"""Reading a team's annotated notes: both layouts, type mapping, and errors that name file and row."""

from __future__ import annotations

import json

import pytest

from domainkit.deid.annotations import load_annotated, parse_type_map
from domainkit.errors import DataError

NOTE = "Seen by Dr Quillfeather on 3/4 in Brambleton."  # invented text


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_jsonl_with_span_objects_and_lists_maps_scheme_types(tmp_path):
    path = _jsonl(tmp_path / "notes.jsonl", [
        {"text": NOTE, "spans": [{"start": 11, "end": 23, "type": "DOCTOR"}, [27, 30, "Date"]]},
        {"text": "Nothing to see.", "spans": []},
    ])
    notes = load_annotated(path)
    assert notes.spans == [[(11, 23, "NAME"), (27, 30, "DATE")], []]
    assert notes.type_counts() == {"DATE": 1, "NAME": 1}


def test_notes_and_spans_tables_are_joined_on_shared_columns(tmp_path):
    (tmp_path / "notes.csv").write_text(f'patient,note,text\n1,1,"{NOTE}"\n1,2,"Calm night."\n', encoding="utf-8")
    (tmp_path / "spans.csv").write_text("patient,note,start,end,type\n1,1,34,44,Location\n1,1,11,23,HCPName\n",
                                        encoding="utf-8")
    notes = load_annotated(tmp_path / "notes.csv", spans_path=tmp_path / "spans.csv")
    assert notes.spans == [[(11, 23, "NAME"), (34, 44, "LOCATION")], []]


def test_unknown_type_lists_the_choices_and_type_map_can_skip_it(tmp_path):
    path = _jsonl(tmp_path / "n.jsonl", [{"text": NOTE, "spans": [[11, 23, "NAME"], [0, 4, "PROFESSION"]]}])
    with pytest.raises(DataError) as error:
        load_annotated(path)
    assert "line 1" in error.value.message and "PROFESSION" in error.value.message
    assert "--type-map PROFESSION=" in error.value.hint and "LOCATION" in error.value.hint
    notes = load_annotated(path, type_map=parse_type_map(["Profession=skip"]))
    assert notes.spans == [[(11, 23, "NAME")]] and notes.skipped_types == {"profession": 1}


def test_type_map_must_name_a_placeholder_type():
    assert parse_type_map(["Staff=name"]) == {"staff": "NAME"}
    with pytest.raises(DataError, match="no placeholder type"):
        parse_type_map(["Staff=PERSONNEL"])
    with pytest.raises(DataError, match="not OLD=NEW"):
        parse_type_map(["Staff"])


def test_span_outside_its_note_names_the_row_not_the_text(tmp_path):
    (tmp_path / "notes.csv").write_text(f'id,text\na,"{NOTE}"\n', encoding="utf-8")
    (tmp_path / "spans.csv").write_text("id,start,end,type\na,11,23,NAME\na,40,99,NAME\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_annotated(tmp_path / "notes.csv", spans_path=tmp_path / "spans.csv")
    assert "spans.csv: row 3" in error.value.message and "inside its note" in error.value.message
    assert "Quillfeather" not in str(error.value)


@pytest.mark.parametrize("spans_csv, message", [
    ("id,start,end,type\nb,1,2,NAME\n", "no note in"),
    ("id,start,end,type\na,x,2,NAME\n", "start is not a whole number"),
    ("id,begin,end,type\na,1,2,NAME\n", "no column 'start'"),
    ("ref,start,end,type\na,1,2,NAME\n", "shares no column"),
])
def test_bad_spans_tables_get_clear_errors(tmp_path, spans_csv, message):
    (tmp_path / "notes.csv").write_text(f'id,text\na,"{NOTE}"\n', encoding="utf-8")
    (tmp_path / "spans.csv").write_text(spans_csv, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_annotated(tmp_path / "notes.csv", spans_path=tmp_path / "spans.csv")


def test_repeated_note_ids_and_missing_text_column_are_named(tmp_path):
    (tmp_path / "notes.csv").write_text(f'id,text\na,"{NOTE}"\na,"Calm."\n', encoding="utf-8")
    (tmp_path / "spans.csv").write_text("id,start,end,type\na,11,23,NAME\n", encoding="utf-8")
    with pytest.raises(DataError, match="row 3 repeats the id"):
        load_annotated(tmp_path / "notes.csv", spans_path=tmp_path / "spans.csv")
    with pytest.raises(DataError) as error:
        load_annotated(tmp_path / "notes.csv", spans_path=tmp_path / "spans.csv", text_column="txt")
    assert "no column 'txt'" in error.value.message and "text" in error.value.hint


def test_jsonl_is_required_without_a_spans_table_and_spans_are_needed(tmp_path):
    (tmp_path / "notes.csv").write_text(f'id,text\na,"{NOTE}"\n', encoding="utf-8")
    with pytest.raises(DataError, match="must be JSONL"):
        load_annotated(tmp_path / "notes.csv")
    path = _jsonl(tmp_path / "n.jsonl", [{"text": NOTE, "spans": []}])
    with pytest.raises(DataError, match="no annotated spans"):
        load_annotated(path)


def test_a_type_field_holding_text_is_not_echoed(tmp_path):
    path = _jsonl(tmp_path / "n.jsonl", [{"text": NOTE, "spans": [[11, 23, "Quillfeather, seen on ward 3!"]]}])
    with pytest.raises(DataError) as error:
        load_annotated(path)
    assert "not shown" in error.value.message and "Quillfeather" not in str(error.value)


def test_a_type_that_is_a_name_is_not_echoed(tmp_path):
    path = _jsonl(tmp_path / "n.jsonl", [{"text": NOTE, "spans": [[11, 23, "Kunigunde Drax"]]}])
    with pytest.raises(DataError) as error:
        load_annotated(path)
    assert "de-identification takes for an identifier" in error.value.message and "Drax" not in str(error.value)


def test_a_headerless_table_does_not_echo_its_first_note(tmp_path):
    (tmp_path / "notes.csv").write_text(f'1,"{NOTE}"\n2,"Calm night."\n', encoding="utf-8")
    (tmp_path / "spans.csv").write_text("id,start,end,type\n1,11,23,NAME\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_annotated(tmp_path / "notes.csv", spans_path=tmp_path / "spans.csv")
    assert "not shown" in error.value.message and "Quillfeather" not in str(error.value)


def test_missing_spans_field_means_no_phi_and_label_is_accepted_for_type(tmp_path):
    path = _jsonl(tmp_path / "n.jsonl", [
        {"text": NOTE, "spans": [{"start": 11, "end": 23, "label": "PERSON"}]},
        {"text": "Calm night."},
        {"text": "Slept well.", "spans": None},
    ])
    assert load_annotated(path).spans == [[(11, 23, "NAME")], [], []]


def test_ids_and_offsets_read_as_floats_still_match(tmp_path):
    (tmp_path / "notes.jsonl").write_text(
        json.dumps({"id": 7, "text": NOTE}) + "\n" + json.dumps({"id": 8, "text": "Calm."}) + "\n", encoding="utf-8")
    (tmp_path / "spans.jsonl").write_text(
        json.dumps({"id": 7.0, "start": 11.0, "end": 23, "type": "NAME"}) + "\n"
        + json.dumps({"id": None, "start": 1, "end": 2, "type": "NAME"}) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="spans.jsonl: line 2: id column 'id' is empty"):
        load_annotated(tmp_path / "notes.jsonl", spans_path=tmp_path / "spans.jsonl")
    (tmp_path / "spans.jsonl").write_text(json.dumps({"id": 7.0, "start": 11.0, "end": 23, "type": "NAME"}) + "\n")
    assert load_annotated(tmp_path / "notes.jsonl", spans_path=tmp_path / "spans.jsonl").spans[0] == [(11, 23, "NAME")]


def test_id_columns_can_be_named_when_tables_share_more(tmp_path):
    (tmp_path / "notes.csv").write_text(f'id,annotator,text\na,kb,"{NOTE}"\n', encoding="utf-8")
    (tmp_path / "spans.csv").write_text("id,annotator,start,end,type\na,jm,11,23,NAME\n", encoding="utf-8")
    with pytest.raises(DataError, match="no note in"):
        load_annotated(tmp_path / "notes.csv", spans_path=tmp_path / "spans.csv")
    notes = load_annotated(tmp_path / "notes.csv", spans_path=tmp_path / "spans.csv", id_columns=["id"])
    assert notes.spans == [[(11, 23, "NAME")]]


def test_duplicate_and_overlapping_spans_are_dropped_and_counted(tmp_path):
    path = _jsonl(tmp_path / "n.jsonl", [{"text": NOTE, "spans": [[8, 23, "NAME"], [11, 23, "NAME"], [8, 23, "NAME"],
                                                                   [27, 30, "DATE"]]}])
    notes = load_annotated(path)
    assert notes.spans == [[(8, 23, "NAME"), (27, 30, "DATE")]]
    assert notes.dropped_spans == {"overlapping": 1, "duplicate": 1}


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        load_annotated(tmp_path / "absent.jsonl")


def test_an_unpaired_surrogate_in_a_note_is_refused_by_line(tmp_path):
    # json.dumps writes "\ud83d" as an escape; json.loads accepts it, pandas then failed naming no line.
    path = _jsonl(tmp_path / "notes.jsonl", [{"text": NOTE, "spans": [[11, 23, "NAME"]]},
                                             {"text": "Quillfeather \ud83d", "spans": []}])
    with pytest.raises(DataError, match=r"notes.jsonl, line 2: field 'text' holds an unpaired surrogate") as error:
        load_annotated(path)
    assert "Quillfeather" not in str(error.value)
