"""Shared de-identification fixtures: building a Deidentifier loads word lists and spaCy once."""

from __future__ import annotations

import pytest

from domainkit.deid import DeidPolicy, Deidentifier


@pytest.fixture(scope="session")
def deidentifier() -> Deidentifier:
    """Rules, patterns and spaCy NER (the default policy)."""
    return Deidentifier(DeidPolicy())


@pytest.fixture(scope="session")
def rules_only() -> Deidentifier:
    """Rules and patterns without spaCy NER (faster; what workers tests use)."""
    return Deidentifier(DeidPolicy(use_ner=False))
