from domainkit.errors import DomainkitError, unknown_choice


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
