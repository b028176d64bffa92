"""deidentify_file: formats, safety (no overwrite, input untouched) and clear errors."""

from __future__ import annotations

import csv
import json

import pytest

from domainkit.deid import DeidPolicy, deidentify_file
from domainkit.errors import DataError

RULES = DeidPolicy(use_ner=False)
NOTES = ["Seen by Dr. Okafor on 7/22.", 'Son Bill called, "worried", at 410-555-0199.', "BP 120/80."]


def _write_csv(path, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["id", "note", "label"])
        for number, note in enumerate(NOTES):
            writer.writerow([number, note, "cardiac"])


@pytest.mark.parametrize(("suffix", "delimiter"), [(".csv", ","), (".tsv", "\t")])
def test_fileio_delimited_round_trip(tmp_path, suffix, delimiter):
    source, target = tmp_path / f"in{suffix}", tmp_path / f"out{suffix}"
    _write_csv(source, delimiter)
    before = source.read_bytes()
    audit = deidentify_file(source, target, policy=RULES, text_column="note", keep_columns=["id", "label"])
    assert source.read_bytes() == before
    with open(target, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=delimiter))
    assert [row["id"] for row in rows] == ["0", "1", "2"]
    assert all(row["label"] == "cardiac" for row in rows)
    assert rows[0]["note"] == "Seen by Dr. [NAME] on [DATE]."
    assert rows[1]["note"] == 'Son [NAME] called, "worried", at [PHONE].'
    assert rows[2]["note"] == "BP 120/80."
    assert audit.documents == 3 and audit.counts["NAME"] == 2


def test_fileio_jsonl_round_trip(tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("".join(json.dumps({"text": n, "meta": {"n": i}}) + "\n" for i, n in enumerate(NOTES)))
    deidentify_file(source, target, policy=RULES, text_column="text", keep_columns=["meta"])
    records = [json.loads(line) for line in target.read_text().splitlines()]
    assert [r["meta"]["n"] for r in records] == [0, 1, 2]
    assert records[0] == {"text": "Seen by Dr. [NAME] on [DATE].", "meta": {"n": 0}}


def test_fileio_txt_round_trip_one_document_per_line(tmp_path):
    source, target = tmp_path / "in.txt", tmp_path / "out.txt"
    source.write_text("\n".join(NOTES) + "\n")
    audit = deidentify_file(source, target, policy=RULES)
    lines = target.read_text().split("\n")
    assert lines[:3] == ["Seen by Dr. [NAME] on [DATE].", 'Son [NAME] called, "worried", at [PHONE].', "BP 120/80."]
    assert lines[3] == "" and len(lines) == 4
    assert audit.documents == 3


def test_fileio_refuses_to_overwrite_unless_forced(tmp_path):
    source, target = tmp_path / "in.txt", tmp_path / "out.txt"
    source.write_text(NOTES[0] + "\n")
    target.write_text("keep me\n")
    with pytest.raises(DataError, match="already exists") as error:
        deidentify_file(source, target, policy=RULES)
    assert "--force" in str(error.value)
    assert target.read_text() == "keep me\n"
    deidentify_file(source, target, policy=RULES, force=True)
    assert target.read_text() == "Seen by Dr. [NAME] on [DATE].\n"


def test_fileio_never_writes_over_the_input(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text(NOTES[0] + "\n")
    with pytest.raises(DataError, match="is the input"):
        deidentify_file(source, source, policy=RULES, force=True)
    assert source.read_text() == NOTES[0] + "\n"


def test_fileio_headerless_csv_never_echoes_its_first_note(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("Patient John Smith,DOB 1970-01-01\nCalm night,none\n", encoding="utf-8")
    for column in (None, "text"):
        with pytest.raises(DataError) as error:
            deidentify_file(source, tmp_path / "out.csv", policy=RULES, text_column=column)
        assert "John" not in str(error.value) and "1970" not in str(error.value)
    assert not (tmp_path / "out.csv").exists()


def test_fileio_missing_column_names_file_and_suggests(tmp_path):
    source = tmp_path / "in.csv"
    _write_csv(source)
    with pytest.raises(DataError) as error:
        deidentify_file(source, tmp_path / "out.csv", policy=RULES, text_column="notes")
    message = str(error.value)
    assert "in.csv" in message and "'notes'" in message and "did you mean 'note'" in message
    assert "Okafor" not in message
    assert not (tmp_path / "out.csv").exists()


def test_fileio_requires_a_text_column_for_tables(tmp_path):
    source = tmp_path / "in.csv"
    _write_csv(source)
    with pytest.raises(DataError, match="--text-column"):
        deidentify_file(source, tmp_path / "out.csv", policy=RULES)


def test_fileio_bad_bytes_name_line_and_offset(tmp_path):
    source = tmp_path / "in.txt"
    source.write_bytes(b"Seen by Dr. Okafor.\nCaf\xe9 visit by Ashworth.\n")
    with pytest.raises(DataError) as error:
        deidentify_file(source, tmp_path / "out.txt", policy=RULES)
    message = str(error.value)
    assert "line 2" in message and "byte offset 23" in message and "UTF-8" in message
    assert "Ashworth" not in message


@pytest.mark.parametrize(("suffix", "delimiter"), [(".csv", ","), (".tsv", "\t")])
def test_fileio_repeated_header_names_are_refused_not_merged(tmp_path, suffix, delimiter):
    # csv.DictReader keeps a repeated name's last cell only: "Alice Ames" would become "Bob Brown".
    source, target = tmp_path / f"in{suffix}", tmp_path / f"out{suffix}"
    source.write_text(delimiter.join(["name", "note", "name", "x", "x"]) + "\n"
                      + delimiter.join(["Alice Ames", "seen today", "Bob Brown", "1", "2"]) + "\n")
    with pytest.raises(DataError, match=r"in\.\w+: header columns 1 and 3; columns 4 and 5 have the same name") as error:
        deidentify_file(source, target, policy=RULES, text_column="note")
    assert "Alice" not in str(error.value) and "Bob" not in str(error.value)
    assert not target.exists()


def test_fileio_bad_json_line_is_named(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "ok"}\n{"text": broken}\n')
    with pytest.raises(DataError, match="line 2"):
        deidentify_file(source, tmp_path / "out.jsonl", policy=RULES, text_column="text")


def test_fileio_missing_or_unsupported_input(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        deidentify_file(tmp_path / "nope.csv", tmp_path / "out.csv", policy=RULES, text_column="x")
    (tmp_path / "in.xlsx").write_bytes(b"x")
    with pytest.raises(DataError, match="unsupported suffix"):
        deidentify_file(tmp_path / "in.xlsx", tmp_path / "out.xlsx", policy=RULES)
    (tmp_path / "in.txt").write_text("x\n")
    with pytest.raises(DataError, match="same format"):
        deidentify_file(tmp_path / "in.txt", tmp_path / "out.csv", policy=RULES)
    with pytest.raises(DataError, match="is a folder") as error:
        deidentify_file(tmp_path, tmp_path / "out.csv", policy=RULES)
    assert ".parquet" in error.value.hint


def test_fileio_workers_match_single_process(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("".join(f"Dr. Ashworth saw pt {i} on 7/{i % 28 + 1}.\n" for i in range(30)))
    deidentify_file(source, tmp_path / "one.txt", policy=RULES)
    deidentify_file(source, tmp_path / "two.txt", policy=RULES, workers=2)
    assert (tmp_path / "one.txt").read_text() == (tmp_path / "two.txt").read_text()


def test_fileio_long_cells_are_read_and_bad_quoting_is_a_data_error(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("id,note\n1," + "calm " * 40_000 + "\n", encoding="utf-8")  # 200,000 characters
    deidentify_file(source, tmp_path / "out.csv", policy=RULES, text_column="note")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").count("calm") == 40_000


# -- rows are never merged, dropped or renumbered --------------------------------------------------
@pytest.mark.parametrize(("suffix", "sep"), [(".csv", ","), (".tsv", "\t")])
def test_fileio_quote_that_never_closes_is_refused_by_row_not_merged(tmp_path, suffix, sep):
    # The quote on row 3 would swallow rows 4 and 5 into one cell and blank that row's ward.
    source, target = tmp_path / f"in{suffix}", tmp_path / f"out{suffix}"
    source.write_text(f"id{sep}text{sep}ward\n1{sep}Stable{sep}7\n2{sep}\"Pt states Okafor visited{sep}8\n"
                      f"3{sep}Calm night{sep}9\n4{sep}Discharged{sep}10\n", encoding="utf-8")
    with pytest.raises(DataError, match=rf"in\{suffix}: row 3 cannot be read as [CT]SV \(unexpected end of data\)") as error:
        deidentify_file(source, target, policy=RULES, text_column="text")
    assert "Okafor" not in str(error.value) and "a line break" in error.value.hint
    assert not target.exists()


def test_fileio_extra_field_is_named_by_spreadsheet_row_not_physical_line(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text('id,text,ward\n1,"line one\nline two\nline three",7\n2,ok,8\n3,Seen today, stable,9\n')
    with pytest.raises(DataError, match=r"in\.csv: row 4 has 4 fields, the header row has 3"):
        deidentify_file(source, tmp_path / "out.csv", policy=RULES, text_column="text")


def test_fileio_jsonl_repeated_key_is_refused_not_half_kept(tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text('{"id": 1, "note": "Seen by Dr. Okafor", "note": "Follow-up"}\n')
    with pytest.raises(DataError, match=r"in\.jsonl: line 1 has an object whose keys 2 and 3 have the same name") \
            as error:
        deidentify_file(source, target, policy=RULES, text_column="note")
    assert "Okafor" not in str(error.value)
    assert not target.exists()


def test_fileio_one_column_header_hints_at_another_delimiter_without_quoting_it(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("id;text\n1;Seen by Dr. Okafor\n", encoding="utf-8")
    for column in ("text", None):
        with pytest.raises(DataError) as error:
            deidentify_file(source, tmp_path / "out.csv", policy=RULES, text_column=column)
        assert "another character than a comma" in error.value.hint and "semicolon" in error.value.hint
        assert "id;text" not in str(error.value)


# -- the output is checked before any work, and a failed write is an error naming it ---------------
def _bad_utf8_input(tmp_path):
    """An input that fails when read: an output error raised instead proves the output was checked first."""
    source = tmp_path / "in.csv"
    source.write_bytes(b"id,text\n1,Caf\xe9\n")
    return source


def test_fileio_output_that_is_a_folder_is_refused_before_any_work(tmp_path):
    (tmp_path / "out.csv").mkdir()
    with pytest.raises(DataError, match=r"--output .*out\.csv is a folder"):
        deidentify_file(_bad_utf8_input(tmp_path), tmp_path / "out.csv", policy=RULES, text_column="text", force=True)
    assert (tmp_path / "out.csv").is_dir()


def test_fileio_output_folder_that_cannot_be_written_is_refused_before_any_work(tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):  # as a read-only or immutable folder does, even for root
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    with pytest.raises(DataError, match=r"--output folder .* cannot be written \(Operation not permitted\)"):
        deidentify_file(_bad_utf8_input(tmp_path), tmp_path / "out.csv", policy=RULES, text_column="text")


def test_fileio_output_folder_that_is_a_file_is_refused(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("note\n")
    (tmp_path / "plain").write_text("")
    with pytest.raises(DataError, match=r"--output folder .*plain cannot be written"):
        deidentify_file(source, tmp_path / "plain" / "out.txt", policy=RULES)


def test_fileio_failed_write_is_a_data_error_naming_the_output(tmp_path, monkeypatch):
    from domainkit.deid import fileio

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    source, target = tmp_path / "in.txt", tmp_path / "out.txt"
    source.write_text(NOTES[0] + "\n")
    monkeypatch.setattr(fileio.os, "replace", disk_full)
    with pytest.raises(DataError, match=r"--output .*out\.txt cannot be written \(No space left on device\)"):
        deidentify_file(source, target, policy=RULES)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.txt"]  # no temporary file left behind


# -- the output keeps the input's BOM --------------------------------------------------------------
@pytest.mark.parametrize("bom", [b"\xef\xbb\xbf", b""])
def test_fileio_output_has_a_bom_exactly_when_the_input_had_one(tmp_path, bom):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(bom + "id,text\n1,Patient from Zürich\n".encode())
    deidentify_file(source, target, policy=RULES, text_column="text", keep_columns=["id"])
    written = target.read_bytes()
    assert written.startswith(bom + b"id,text\n") and written.count(b"\xef\xbb\xbf") == len(bom) // 3


# -- columns other than the text are dropped unless kept -----------------------------------------
def test_fileio_other_columns_are_dropped_by_default_and_the_audit_names_them(tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("id,patient_name,mrn,text,label\n7,Zebulon Quackenbush,99887766,Seen by Dr. Okafor.,neuro\n",
                      encoding="utf-8")
    audit = deidentify_file(source, target, policy=RULES, text_column="text")
    written = target.read_text(encoding="utf-8")
    assert written == "text\nSeen by Dr. [NAME].\n"
    assert audit.to_dict()["columns"] == {"text": "text", "kept": [], "dropped": ["id", "patient_name", "mrn", "label"]}
    deidentify_file(source, target, policy=RULES, text_column="text", keep_columns=["label", "id"], force=True)
    assert target.read_text(encoding="utf-8") == "id,text,label\n7,Seen by Dr. [NAME].,neuro\n"


def test_fileio_jsonl_keys_other_than_the_text_are_dropped_unless_kept(tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps({"mrn": "99887766", "text": NOTES[0]}) + "\n"
                      + json.dumps({"text": NOTES[2], "label": "a", "patient": "Zebulon"}) + "\n")
    audit = deidentify_file(source, target, policy=RULES, text_column="text", keep_columns=["label"])
    assert [json.loads(line) for line in target.read_text().splitlines()] == [
        {"text": "Seen by Dr. [NAME] on [DATE]."}, {"text": "BP 120/80.", "label": "a"}]
    assert audit.columns == {"text": "text", "kept": ["label"], "dropped": ["mrn", "patient"]}


def test_fileio_a_kept_column_must_exist_and_a_txt_file_has_none(tmp_path):
    source = tmp_path / "in.csv"
    _write_csv(source)
    with pytest.raises(DataError, match="no column 'lable' \\(set with --keep-column\\)") as error:
        deidentify_file(source, tmp_path / "out.csv", policy=RULES, text_column="note", keep_columns=["lable"])
    assert "--keep-column label" in error.value.hint
    (tmp_path / "in.txt").write_text("a note\n")
    with pytest.raises(DataError, match="--keep-column applies to a table"):
        deidentify_file(tmp_path / "in.txt", tmp_path / "out.txt", policy=RULES, keep_columns=["label"])
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "out.txt").exists()


def test_fileio_jsonl_unpaired_surrogate_is_refused_by_file_and_line_before_any_redaction(tmp_path, monkeypatch):
    from domainkit.deid import deidentifier

    source, target = tmp_path / "notes.jsonl", tmp_path / "out.jsonl"
    source.write_text('{"text": "fine"}\n{"text": "Zebulon Quackenbush \\ud83d MRN 99887766"}\n', encoding="utf-8")
    monkeypatch.setattr(deidentifier.Deidentifier, "__init__", lambda *a: pytest.fail("redaction started"))
    with pytest.raises(DataError, match=r"notes\.jsonl, line 2: field 'text' holds an unpaired surrogate escape "
                                        r"\(\\ud83d\) at character 20") as error:
        deidentify_file(source, target, policy=RULES, text_column="text")
    assert "Quackenbush" not in str(error.value) and not target.exists()


# -- the output's mode: as open() would make it, or the replaced file's ----------------------------
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_fileio_output_mode_follows_the_umask_or_the_replaced_file(tmp_path, suffix):
    import os
    import stat

    import pandas as pd

    source = tmp_path / f"in{suffix}"
    frame = pd.DataFrame({"text": NOTES})
    frame.to_csv(source, index=False) if suffix == ".csv" else frame.to_parquet(source)
    old = os.umask(0o022)
    try:
        deidentify_file(source, tmp_path / f"new{suffix}", policy=RULES, text_column="text")
        assert stat.S_IMODE((tmp_path / f"new{suffix}").stat().st_mode) == 0o644  # not mkstemp's 0600
        (tmp_path / f"new{suffix}").chmod(0o640)
        deidentify_file(source, tmp_path / f"new{suffix}", policy=RULES, text_column="text", force=True)
        assert stat.S_IMODE((tmp_path / f"new{suffix}").stat().st_mode) == 0o640  # --force keeps it
    finally:
        os.umask(old)


def test_fileio_one_column_table_without_text_column_is_told_to_name_it(tmp_path):
    source = tmp_path / "one.csv"
    source.write_text("text\nSeen by Dr. Okafor.\n")
    with pytest.raises(DataError, match="say which one holds the text") as error:
        deidentify_file(source, tmp_path / "out.csv", policy=RULES)
    assert "--text-column" in error.value.hint and "semicolon" not in error.value.hint
