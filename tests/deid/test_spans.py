"""Spans: merging and placeholders."""

from __future__ import annotations

import pytest

from domainkit.deid.spans import PhiSpan, apply_placeholders, merge_spans


def test_spans_merge_adjacent_names_and_overlaps():
    text = "Mary Okoye, seen 7/22"
    merged = merge_spans([PhiSpan(5, 10, "NAME"), PhiSpan(0, 4, "NAME"), PhiSpan(17, 21, "DATE"), PhiSpan(18, 20, "ID")], text)
    assert merged == (PhiSpan(0, 10, "NAME"), PhiSpan(17, 21, "DATE"))
    assert apply_placeholders(text, merged) == "[NAME], seen [DATE]"


def test_spans_reject_bad_offsets_and_types():
    with pytest.raises(ValueError):
        PhiSpan(3, 3, "NAME")
    with pytest.raises(ValueError):
        PhiSpan(0, 2, "SECRET")
