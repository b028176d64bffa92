"""A learned PHI tagger adds its spans to the rules' (DeidPolicy.tagger / deid --tagger)."""

from __future__ import annotations

import random

import pytest

from domainkit.deid import Deidentifier, DeidPolicy
from domainkit.errors import ModelError
from domainkit.heads.token import train_token_classifier

CODENAMES = ["kidney", "liver", "lung"]  # stand-ins the tiny vocabulary knows, tagged as NAME


def _notes(n: int, seed: int):
    rng = random.Random(seed)
    texts, spans = [], []
    for _ in range(n):
        words = rng.choices(["the", "patient", "has", "pain", "with", "a"], k=rng.randint(2, 6))
        name = rng.choice(CODENAMES)
        words.insert(rng.randint(0, len(words)), name)
        text = " ".join(words)
        texts.append(text)
        spans.append([(text.index(name), text.index(name) + len(name), "NAME")])
    return texts, spans


@pytest.fixture(scope="module")
def tagger_dir(tmp_path_factory):
    from tinymodels import build_classifier

    base = build_classifier(tmp_path_factory.mktemp("base") / "m", ["a", "b"], max_positions=300)
    texts, spans = _notes(64, seed=0)
    return train_token_classifier(base, texts, spans, tmp_path_factory.mktemp("tagger") / "t",
                                  entity_types=["NAME"], max_length=32, epochs=10, learning_rate=3e-3)


def test_tagger_spans_are_added_to_the_rules(tagger_dir):
    note = "the patient has pain with liver"
    assert "[NAME]" not in Deidentifier(DeidPolicy(use_ner=False)).redact(note).text
    redacted = Deidentifier(DeidPolicy(use_ner=False, tagger=str(tagger_dir))).redact(note).text
    assert redacted == "the patient has pain with [NAME]"


def test_tagger_folder_must_be_a_model(tmp_path):
    with pytest.raises(ModelError, match="not a model folder"):
        Deidentifier(DeidPolicy(use_ner=False, tagger=str(tmp_path)))
