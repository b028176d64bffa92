"""Helpers every table reader shares: long cells read, repeated names found by position."""

import csv

from domainkit.data.tables import allow_long_cells, repeated_columns


def test_repeated_columns_are_named_by_position_only():
    assert repeated_columns(["id", "note", "id", "x", "x", "x"]) == "columns 1 and 3; columns 4, 5 and 6"
    assert repeated_columns(["id", "note"]) == ""


def test_long_cells_are_allowed_and_the_cap_is_never_lowered():
    allow_long_cells()
    raised = csv.field_size_limit()
    assert raised > 131072
    allow_long_cells()
    assert csv.field_size_limit() == raised
