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


def test_byod_split_warns_about_a_class_left_without_test_documents(tmp_path, caplog):
    rows = _rows(10) + [{"text": "probate filing one", "label": "probate"}, {"text": "probate filing two", "label": "probate"}]
    path = _write(tmp_path / "docs.csv", rows)
    with caplog.at_level("WARNING"):
        data = load_own_documents(path, ColumnSpec(), test_path=None, test_size=0.2, seed=3)
    assert "probate" not in data.test_labels  # its two near-duplicates form one group, kept together
    assert "1 class(es) have no document in the test split" in caplog.text and "probate" in caplog.text
    assert "filing" not in caplog.text  # label names only, never text


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
    with pytest.raises(DataError, match="docs.jsonl: line 1, column 'text' is not text"):
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


# -- labels are shown only when they look like labels (P4) ----------------------------------------
def test_byod_label_column_holding_text_is_refused_without_quoting_it(tmp_path):
    rows = [{"text": f"note {i}", "label": f"Patient John Smith seen for chest pain, visit {i}"} for i in range(30)]
    path = _write(tmp_path / "swapped.csv", rows)
    with pytest.raises(DataError, match="30 distinct labels in 30 rows.*probably holds text") as error:
        load_own_documents(path, ColumnSpec(), test_path=None, test_size=0.2, seed=0)
    assert "Smith" not in str(error.value) and "--label-column" in str(error.value)


def test_byod_a_small_test_file_may_have_one_document_per_class(tmp_path):
    train = _write(tmp_path / "train.csv", [{"text": f"doc {i} words", "label": f"c{i % 25}"} for i in range(100)])
    test = _write(tmp_path / "test.csv", [{"text": f"test {i} words", "label": f"c{i}"} for i in range(25)])
    data = load_own_documents(train, ColumnSpec(), test_path=test, test_size=0.2, seed=0)
    assert len(data.test_texts) == 25 and len(data.label_names) == 25


def test_byod_small_class_names_that_look_like_text_are_counted_not_shown(tmp_path):
    rows = _rows() + [{"text": "lonely", "label": "rare"}, {"text": "other", "label": "Mary Jones has HIV since 2019"}]
    path = _write(tmp_path / "docs.csv", rows)
    with pytest.raises(DataError, match="too few to split: rare, 1 not shown") as error:
        load_own_documents(path, ColumnSpec(), test_path=None, test_size=0.2, seed=0)
    assert "Jones" not in str(error.value)


def test_byod_unseen_test_labels_that_look_like_text_are_not_shown(tmp_path):
    train = _write(tmp_path / "train.csv", _rows())
    test = _write(tmp_path / "test.csv", [{"text": "note", "label": "derm"},
                                          {"text": "note", "label": "seen by Dr. Who; fever for 3 days"}])
    with pytest.raises(DataError, match="not in the training file: derm, 1 not shown") as error:
        load_own_documents(train, ColumnSpec(), test_path=test, test_size=0.2, seed=0)
    assert "fever" not in str(error.value)


def test_byod_labels_in_messages_are_shown_as_de_identification_writes_them(tmp_path):
    # A mistyped --label-column naming the patient column: names look like labels, so they were printed.
    # The rules miss "Mehitabel Drax" on its own; it shares a surname with names they find.
    rows = _rows() + [{"text": "lonely", "label": "Kunigunde Drax"}, {"text": "other", "label": "Lysander Drax"},
                      {"text": "third", "label": "rare"}, {"text": "fourth", "label": "Mehitabel Drax"}]
    path = _write(tmp_path / "docs.csv", rows)
    with pytest.raises(DataError, match=r"too few to split: \[NAME\] \(x3\), rare \(identifiers shown as placeholders\)") as error:
        load_own_documents(path, ColumnSpec(), test_path=None, test_size=0.2, seed=0)
    assert "Drax" not in str(error.value)


def test_byod_unseen_test_labels_that_are_identifiers_are_shown_redacted(tmp_path):
    train = _write(tmp_path / "train.csv", _rows())
    test = _write(tmp_path / "test.csv", [{"text": "a", "label": "MRN 99887766"}, {"text": "b", "label": "410-555-0199"},
                                          {"text": "c", "label": "03/14/2024"}, {"text": "d", "label": "derm"}])
    with pytest.raises(DataError, match=r"not in the training file: \[DATE\], \[PHONE\], MRN \[ID\], derm") as error:
        load_own_documents(train, ColumnSpec(), test_path=test, test_size=0.2, seed=0)
    assert not any(value in str(error.value) for value in ("99887766", "555-0199", "03/14"))


def test_byod_multi_label_column_holding_text_is_refused_like_a_single_label_one(tmp_path):
    rows = [{"text": f"note {i}", "codes": f"Patient John Smith {i}|seen on day {i}"} for i in range(30)]
    path = _write(tmp_path / "swapped.csv", rows)
    with pytest.raises(DataError, match=r"60 distinct labels in 30 rows \(60 labels given\).*probably holds text") as error:
        load_own_documents(path, ColumnSpec(labels="codes"), test_path=None, test_size=0.2, seed=0)
    assert "Smith" not in str(error.value)


def test_byod_reads_what_domainkit_deid_wrote_when_it_kept_the_label_column(tmp_path):
    from domainkit.deid import DeidPolicy, deidentify_file

    source = _write(tmp_path / "notes.csv", [dict(row, patient="Zebulon Quackenbush") for row in _rows()])
    kept, dropped = tmp_path / "kept.csv", tmp_path / "dropped.csv"
    deidentify_file(source, kept, policy=DeidPolicy(use_ner=False), text_column="text", keep_columns=["label"])
    texts, labels = read_labelled(kept, ColumnSpec())
    assert len(texts) == 18 and set(labels) == set(TOPICS)
    deidentify_file(source, dropped, policy=DeidPolicy(use_ner=False), text_column="text")
    with pytest.raises(DataError, match="no column 'label'") as error:
        read_labelled(dropped, ColumnSpec())
    # The text column alone, found by its name: deid's default output, not a file split by another character.
    assert error.value.hint.startswith("the file holds the text column only, as `domainkit deid` writes it")
    assert "--keep-column" in error.value.hint and "separated by another character" not in error.value.hint


# -- missing inputs name their option (B1) --------------------------------------------------------
def test_byod_missing_test_file_names_the_test_data_option(tmp_path):
    train = _write(tmp_path / "train.csv", _rows())
    with pytest.raises(DataError, match=r"missing.csv: no such file or folder \(given to --test-data\)"):
        load_own_documents(train, ColumnSpec(), test_path=tmp_path / "missing.csv", test_size=0.2, seed=0)


# -- unquoted delimiters (B3) ----------------------------------------------------------------------
@pytest.mark.parametrize(("suffix", "line"), [(".csv", "Seen by Smith, MD today,a"), (".tsv", "Seen\tby Smith\ta")])
def test_byod_row_with_an_extra_field_is_refused_by_row(tmp_path, suffix, line):
    sep = "," if suffix == ".csv" else "\t"
    path = tmp_path / f"docs{suffix}"
    path.write_text(f"text{sep}label\nfirst note{sep}b\n{line}\n")
    with pytest.raises(DataError, match="row 3 has 3 fields, the header row has 2") as error:
        read_labelled(path, ColumnSpec())
    assert "Smith" not in str(error.value) and "double quotes" in str(error.value)


def test_byod_quoted_delimiters_and_line_breaks_keep_row_numbers(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text('text,label\n"Seen by Smith, MD\non two lines",a\n\n"ok",\n')
    with pytest.raises(DataError, match="docs.csv: row 4, column 'label' is empty"):
        read_labelled(path, ColumnSpec())
    path.write_text('text,label\n"Seen by Smith, MD today",a\nsecond,b\n')
    texts, labels = read_labelled(path, ColumnSpec())
    assert texts == ["Seen by Smith, MD today", "second"] and labels == ["a", "b"]


# -- too few groups to split (B4) ------------------------------------------------------------------
def test_byod_too_few_groups_is_a_data_error(tmp_path):
    rows = [{"text": f"the same words for {label}", "label": label} for label in "abc" for _ in range(2)]
    path = _write(tmp_path / "docs.csv", rows)
    with pytest.raises(DataError, match="only 3 group\\(s\\) of near-duplicates") as error:
        load_own_documents(path, ColumnSpec(), test_path=None, test_size=0.2, seed=0)
    assert "--test-data" in str(error.value)


# -- JSONL label lists and non-object lines (B5) ---------------------------------------------------
def test_byod_jsonl_label_lists_are_label_sets(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps({"text": f"note {i}", "tags": ["b", "a"] if i % 2 else ["c"]}) + "\n"
                            for i in range(4)))
    _, labels = read_labelled(path, ColumnSpec(labels="tags"))
    assert labels == [["c"], ["a", "b"], ["c"], ["a", "b"]]
    with pytest.raises(DataError, match="line 1, column 'tags' holds a list of labels") as error:
        read_labelled(path, ColumnSpec(label="tags"))
    assert "--labels-column" in str(error.value)


def test_byod_parquet_label_lists_are_label_sets(tmp_path):
    path = tmp_path / "docs.parquet"
    pd.DataFrame({"text": ["one", "two"], "tags": [["x", "y"], ["y"]]}).to_parquet(path)
    assert read_labelled(path, ColumnSpec(labels="tags"))[1] == [["x", "y"], ["y"]]


@pytest.mark.parametrize("bad", ['["secret note", "a"]', "[1, 2]", '"just text"'])
def test_byod_jsonl_line_that_is_not_an_object_is_refused(tmp_path, bad):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"text": "t", "label": "a"}) + "\n" + bad + "\n")
    with pytest.raises(DataError, match="docs.jsonl: line 2 is a JSON .*, not an object") as error:
        read_labelled(path, ColumnSpec())
    assert "secret" not in str(error.value)


# -- where a problem is (B6) -----------------------------------------------------------------------
def test_byod_jsonl_rows_are_lines_counting_blank_ones(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"text": "t", "label": "a"}) + "\n\n" + json.dumps({"text": " ", "label": "a"}) + "\n")
    with pytest.raises(DataError, match="docs.jsonl: line 3, column 'text' is empty"):
        read_labelled(path, ColumnSpec())


def test_byod_parquet_rows_are_records_from_one(tmp_path):
    path = _write(tmp_path / "docs.parquet", [{"text": "", "label": "a"}])
    with pytest.raises(DataError, match="docs.parquet: record 1, column 'text' is empty"):
        read_labelled(path, ColumnSpec())


def test_byod_folder_names_the_file_and_warns_about_top_level_files(tmp_path, caplog):
    for label in ("a", "b"):
        (tmp_path / "docs" / label).mkdir(parents=True)
        (tmp_path / "docs" / label / "1.txt").write_text(f"note {label}")
    (tmp_path / "docs" / "a" / "2.txt").write_text("  ")
    (tmp_path / "docs" / "stray.txt").write_text("ignored note")
    with pytest.raises(DataError, match=r"docs[/\\]a[/\\]2.txt is empty"):
        read_labelled(tmp_path / "docs", ColumnSpec())
    assert "1 .txt file(s) directly in the folder are ignored" in caplog.text


def test_byod_multi_label_coding_data_with_many_labels_is_accepted(tmp_path):
    rows = [{"text": f"note {i} words", "codes": f"c{i % 25}|c{(i + 1) % 25}"} for i in range(40)]
    data = load_own_documents(_write(tmp_path / "codes.csv", rows), ColumnSpec(labels="codes"), test_path=None,
                              test_size=0.2, seed=0)
    assert len(data.label_names) == 25


# -- the field-count check is deid's too: a quote that never closes --------------------------------
def test_byod_quote_that_never_closes_is_refused_by_row(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text('text,label\nfirst note,a\n"Okafor said she fell,b\nthird note,a\n')
    with pytest.raises(DataError, match="docs.csv: row 3 cannot be read as CSV .*a quote opens and never closes") as error:
        read_labelled(path, ColumnSpec())
    assert "Okafor" not in str(error.value)


# -- repeated names are refused: CSV/TSV columns, JSONL keys ---------------------------------------
@pytest.mark.parametrize("sep", [",", "\t"])
def test_byod_repeated_column_names_are_refused_by_position(tmp_path, sep):
    # pandas would rename the second to 'label.1' and use the first without a word.
    path = tmp_path / ("docs.csv" if sep == "," else "docs.tsv")
    path.write_text(sep.join(["label", "text", "label"]) + "\n" + sep.join(["cardio", "chest pain note", "A"]) + "\n")
    with pytest.raises(DataError, match="header columns 1 and 3 have the same name") as error:
        read_labelled(path, ColumnSpec())
    assert "cardio" not in str(error.value)


def test_byod_jsonl_repeated_key_is_refused(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text('{"text": "a note", "label": "x"}\n{"text": "one", "label": "x", "label": "y"}\n')
    with pytest.raises(DataError, match="docs.jsonl: line 2 has an object whose keys 2 and 3 have the same name"):
        read_labelled(path, ColumnSpec())


# -- a gap is "no value", a one-column CSV a delimiter problem, .TXT a text file -------------------
def test_byod_jsonl_line_without_the_text_key_has_no_value(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"text": "t", "label": "a"}) + "\n" + json.dumps({"note": "t", "label": "a"}) + "\n")
    with pytest.raises(DataError, match=r"docs.jsonl: line 2, column 'text' has no value \(the field is missing or null\)"):
        read_labelled(path, ColumnSpec())


def test_byod_parquet_null_text_has_no_value(tmp_path):
    path = tmp_path / "docs.parquet"
    pd.DataFrame({"text": ["one", "two", None], "label": ["a", "b", "a"]}).to_parquet(path)
    with pytest.raises(DataError, match=r"docs.parquet: record 3, column 'text' has no value"):
        read_labelled(path, ColumnSpec())


def test_byod_semicolon_csv_hints_at_the_delimiter_without_quoting_the_header(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text("text;label\nPatient Okafor seen;a\n")
    with pytest.raises(DataError, match="among its 1 column") as error:
        read_labelled(path, ColumnSpec())
    assert "another character than a comma" in error.value.hint and "semicolon" in error.value.hint
    assert "text;label" not in str(error.value) and "Okafor" not in str(error.value)


def test_byod_semicolon_csv_whose_texts_hold_commas_still_hints_at_the_delimiter(tmp_path):
    # The texts' commas give rows more fields than the one-column header: the delimiter is the
    # problem, not quoting.
    path = tmp_path / "docs.csv"
    path.write_text("text;label\nPatient Okafor seen, stable;a\n")
    with pytest.raises(DataError, match="row 2 has 2 fields") as error:
        read_labelled(path, ColumnSpec())
    assert "semicolon" in error.value.hint and "Okafor" not in str(error.value)


def test_byod_one_column_csv_with_an_unquoted_comma_gets_the_quoting_hint(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text("text\nchest pain, resolved\n")
    with pytest.raises(DataError, match="row 2 has 2 fields") as error:
        read_labelled(path, ColumnSpec())
    assert "double quotes" in error.value.hint and "semicolon" not in error.value.hint


def test_byod_folder_reads_txt_in_any_case_and_hashes_only_what_it_reads(tmp_path):
    from domainkit.data.byod import sha256_of

    docs = tmp_path / "docs"
    for label, name in (("a", "1.txt"), ("b", "1.TXT"), ("b", "2.Txt")):
        (docs / label).mkdir(parents=True, exist_ok=True)
        (docs / label / name).write_text(f"note {label} {name}")
    texts, labels = read_labelled(docs, ColumnSpec())
    assert labels == ["a", "b", "b"]
    before = sha256_of(docs)
    (docs / "b" / "nested").mkdir()
    (docs / "b" / "nested" / "never-read.txt").write_text("not a document of the run")
    assert sha256_of(docs) == before


# -- a --test-data file is held out from training --------------------------------------------------
def test_byod_test_data_that_is_the_data_file_is_refused(tmp_path):
    train = _write(tmp_path / "train.csv", _rows())
    (tmp_path / "link.csv").symlink_to(train)
    for test in (train, tmp_path / "." / "train.csv", tmp_path / "link.csv"):
        with pytest.raises(DataError, match="--test-data .* is the --data file itself") as error:
            load_own_documents(train, ColumnSpec(), test_path=test, test_size=0.2, seed=0)
        assert "drop --test-data" in error.value.hint


def test_byod_training_copies_of_test_documents_are_dropped_and_counted(tmp_path, caplog):
    rows = _rows()
    train = _write(tmp_path / "train.csv", rows)
    test_rows = [{"text": "  " + rows[0]["text"].upper() + "  ", "label": "cardio"},  # case and spacing aside
                 {"text": rows[7]["text"], "label": "renal"}, {"text": "a note of its own", "label": "neuro"}]
    test = _write(tmp_path / "test.csv", test_rows)
    data = load_own_documents(train, ColumnSpec(), test_path=test, test_size=0.2, seed=0)
    assert len(data.train_texts) == len(rows) - 2 and rows[0]["text"] not in data.train_texts
    assert data.split_info["train_copies_of_test_dropped"] == 2 and data.split_info["counts"]["train"] == 16
    assert "2 training document(s) also in --test-data" in caplog.text and "heart" not in caplog.text


def test_byod_training_file_that_only_copies_the_test_file_is_refused(tmp_path):
    train = _write(tmp_path / "train.csv", _rows())
    test = _write(tmp_path / "test.csv", _rows())
    with pytest.raises(DataError, match="every training document is also in --test-data"):
        load_own_documents(train, ColumnSpec(), test_path=test, test_size=0.2, seed=0)


def test_byod_jsonl_unpaired_surrogate_is_refused_by_line(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"text": "t", "label": "a"}) + "\n" + json.dumps({"text": "cut \ud83d", "label": "a"}) + "\n")
    with pytest.raises(DataError, match=r"docs.jsonl, line 2: field 'text' holds an unpaired surrogate"):
        read_labelled(path, ColumnSpec())


def _multi_rows(cells):
    topics = list(TOPICS.values())
    return [{"text": f"note {i}: {topics[i % 3]} seen on day {i}", "labels": cell} for i, cell in enumerate(cells)]


def test_byod_multi_label_read_with_the_wrong_separator_warns_naming_the_likely_one(tmp_path, caplog):
    """'cardio;renal' read with the default '|' makes each combination one class: say so, counting rows only."""
    cells = ["cardio;renal", "renal;neuro", "neuro;cardio", "cardio", "renal", "neuro"] * 4
    path = _write(tmp_path / "multi.csv", _multi_rows(cells))
    with caplog.at_level("WARNING"):
        load_own_documents(path, ColumnSpec(labels="labels"), test_path=None, test_size=0.2, seed=0)
    assert "no document has more than one label with --labels-column and --label-separator '|' (24 rows)" in caplog.text
    assert "the labels of 12 of 24 rows contain ';'" in caplog.text and "--label-separator ';'" in caplog.text
    separator_warnings = " ".join(r.getMessage() for r in caplog.records if "separator" in r.getMessage())
    assert "cardio" not in separator_warnings and "renal" not in separator_warnings  # counts and separators, no label


def test_byod_multi_label_read_with_the_right_separator_does_not_warn(tmp_path, caplog):
    cells = ["cardio;renal", "renal;neuro", "neuro;cardio", "cardio", "renal", "neuro"] * 4
    path = _write(tmp_path / "multi.csv", _multi_rows(cells))
    with caplog.at_level("WARNING"):
        data = load_own_documents(path, ColumnSpec(labels="labels", separator=";"), test_path=None,
                                  test_size=0.2, seed=0)
    assert data.label_names == sorted(TOPICS) and "separator" not in caplog.text


def test_byod_sources_keep_each_files_whole_checksum_as_the_readme_privacy_section_says(tmp_path):
    """Provenance is kept (sha256sum FILE matches); README must not promise no per-document hash without
    saying that a one-document file's checksum is one (the reviewer's one-document --test-data file)."""
    import hashlib
    from pathlib import Path

    train = _write(tmp_path / "train.csv", _rows())
    test = _write(tmp_path / "one.csv", [{"text": "a note of its own", "label": "neuro"}])
    data = load_own_documents(train, ColumnSpec(), test_path=test, test_size=0.2, seed=0)
    assert data.split_info["sources"] == {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in (train, test)}
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    privacy = readme.split("## Offline and privacy", 1)[1].split("\n## ", 1)[0]
    assert "`split_info.sources`" in privacy and "holds a single document" in privacy


def test_byod_a_cell_of_invisible_characters_only_is_empty(tmp_path):
    rows = _rows()
    rows[4]["text"] = "\u200b \u2060"  # a zero-width space and a word joiner: it looks empty, and is
    path = _write(tmp_path / "docs.csv", rows)
    with pytest.raises(DataError, match=r"docs.csv: row 6, column 'text' is empty"):
        read_labelled(path, ColumnSpec())
