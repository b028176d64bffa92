"""Words as the name and place rules see them (domainkit.deid.tokens)."""

from __future__ import annotations

import pytest

from domainkit.deid.tokens import case_mode, fold, joined, tokenize


@pytest.mark.parametrize(("word", "folded"), [("Núñez", "nunez"), ("Łukasz", "lukasz"), ("Müller", "muller"), ("OKAFOR", "okafor")])
def test_fold_lowers_and_drops_accents(word, folded):
    assert fold(word) == folded


def test_tokens_skip_measurements_and_drop_possessives():
    tokens = tokenize("Mary's SpO2 92% on 4L, DR.-WILLIAMS aware")
    assert [t.text for t in tokens] == ["Mary's", "on", "DR", "WILLIAMS", "aware"]
    assert tokens[0].low == "mary"
    assert tokens[0].is_title_case and not tokens[2].is_title_case


@pytest.mark.parametrize(("text", "mode"), [("PT RESTING COMFORTABLY", "upper"), ("pt resting comfortably", "lower"),
                                            ("Pt resting comfortably", "mixed"), ("120/80", "mixed")])
def test_case_mode(text, mode):
    assert case_mode(text) == mode


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Mary Smith", True), ("J. Smith", True), ("Dr. Smith", True), ("Mary. Smith", False), ("Mary\nSmith", False)],
)
def test_joined_within_one_name(text, expected):
    left, right = tokenize(text)
    assert joined(text, left, right) is expected
