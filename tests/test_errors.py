from domainkit.errors import DomainkitError, close_column, unknown_choice


def test_errors_unknown_choice_lists_and_suggests():
    message = unknown_choice("pack", "medcal", ["legal", "medical"])
    assert message == "unknown pack 'medcal'; available: legal, medical. Did you mean 'medical'?"


def test_errors_hint_is_part_of_the_message():
    error = DomainkitError("bad", hint="do this")
    assert str(error) == "bad\n  hint: do this"


def test_no_column_message_never_lists_the_columns_found():
    from domainkit.errors import no_column_message

    message = no_column_message("notes.csv", "text", 2, option="--text-column")
    assert message.startswith("notes.csv: no column 'text' (set with --text-column) among its 2 column(s); ")
    assert "not shown" in message


def test_close_column_echoes_a_near_miss_only_from_a_row_that_reads_as_a_header():
    assert close_column("notes", ["id", "Noyes", "label"]) == "Noyes"  # a header row: the near miss is shown
    # no header row: the first row is a document, and its cells are its text ("Noyes" is a surname)
    first_row = ["P0000", "Noyes", "Referral for chest pain on exertion, seen in clinic today", "cardiology"]
    assert close_column("notes", first_row) is None
    assert close_column("notes", ["id", "Noyes", "x" * 121]) is None
    # a survey export's long question is still a header
    assert close_column("lable", ["text", "label", "What is the primary reason for your visit today?"]) == "label"
