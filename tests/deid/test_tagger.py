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
    note = "the patient has pain with kidney"
    assert "[NAME]" not in Deidentifier(DeidPolicy(use_ner=False)).redact(note).text
    # the tiny tagger's stand-in names are organ words: the plausibility check is off to see the union
    policy = DeidPolicy(use_ner=False, tagger=str(tagger_dir), tagger_filter=False)
    assert Deidentifier(policy).redact(note).text == "the patient has pain with [NAME]"


def test_tagger_filter_drops_ordinary_words_unless_switched_off(tagger_dir):
    note = "the patient has pain with liver"  # "liver" is a common word: no name on its own
    filtered = Deidentifier(DeidPolicy(use_ner=False, tagger=str(tagger_dir))).redact(note).text
    assert filtered == note
    union = Deidentifier(DeidPolicy(use_ner=False, tagger=str(tagger_dir), tagger_filter=False)).redact(note).text
    assert union == "the patient has pain with [NAME]"


def test_tagger_folder_must_be_a_model(tmp_path):
    with pytest.raises(ModelError, match="not a model folder"):
        Deidentifier(DeidPolicy(use_ner=False, tagger=str(tmp_path)))


@pytest.mark.parametrize("labels", [["cardiology", "neurology"], ["B-x", "I-y"]])
def test_tagger_folder_that_is_a_classifier_is_refused(tmp_path, labels):
    from tinymodels import build_classifier

    # a classifier loads as a token model with a fresh head: it failed on the first note or tagged at random
    folder = build_classifier(tmp_path / "classifier", labels)
    with pytest.raises(ModelError, match="is not a token tagger .*BertForSequenceClassification"):
        Deidentifier(DeidPolicy(use_ner=False, tagger=str(folder))).redact("seen with lung today")


def test_tagger_confidence_is_the_weakest_piece_and_validated():
    from domainkit.heads.token import _span_confidence

    offsets = [(0, 0), (0, 3), (4, 7), (8, 11), (0, 0)]
    scores = [1.0, 0.9, 0.6, 0.99, 1.0]
    assert _span_confidence((0, 7, "NAME"), offsets, scores) == 0.6
    assert _span_confidence((8, 11, "DATE"), offsets, scores) == 0.99
    with pytest.raises(ValueError, match="tagger_min_confidence"):
        DeidPolicy(tagger_min_confidence=1.5)


def test_tagger_min_confidence_drops_spans_below_it(tagger_dir):
    from domainkit.heads.token import TokenTagger

    note = "the patient has pain with liver"
    assert TokenTagger(tagger_dir, min_confidence=0.0)([note]) == [[(26, 31, "NAME")]]
    assert TokenTagger(tagger_dir, min_confidence=1.01)([note]) == [[]]  # no span is surer than 1


def test_tagger_answers_in_input_order_whatever_the_lengths_and_precision(tagger_dir):
    from domainkit.heads.token import TokenTagger

    notes = ["the patient has pain with liver and the patient has a pain again today", "liver", "pain with liver"]
    alone = [TokenTagger(tagger_dir, bf16=False)([note])[0] for note in notes]
    assert TokenTagger(tagger_dir, batch_size=2, bf16=False)(notes) == alone  # sorted by length inside
    in_bf16 = TokenTagger(tagger_dir, batch_size=2, bf16=True)(notes)  # bf16 may move a span: it must still be one
    assert len(in_bf16) == 3 and all(0 <= s < e <= len(note) for note, spans in zip(notes, in_bf16) for s, e, _ in spans)


def test_cli_deid_tagger_filter_switch(tagger_dir, tmp_path):
    from typer.testing import CliRunner

    from domainkit.cli import app

    source = tmp_path / "notes.txt"
    source.write_text("the patient has pain with liver\n")
    outputs = {}
    for switch in ("--tagger-filter", "--no-tagger-filter"):
        target = tmp_path / f"out{switch}.txt"
        result = CliRunner().invoke(app, ["deid", "--input", str(source), "--output", str(target),
                                          "--tagger", str(tagger_dir), switch])
        assert result.exit_code == 0, result.output
        outputs[switch] = target.read_text().strip()
    assert outputs == {"--tagger-filter": "the patient has pain with liver",
                       "--no-tagger-filter": "the patient has pain with [NAME]"}


def test_tagger_is_judged_only_against_spans_that_will_be_redacted(tagger_dir, monkeypatch):
    from domainkit.deid.tagger import PhiTagger

    seen = []

    def record(self, texts, found=None):
        seen.extend(found)
        return [[] for _ in texts]

    monkeypatch.setattr(PhiTagger, "find_many", record)
    note = "Seen on 10/23 by Dr. Zebulon Farquist."
    Deidentifier(DeidPolicy(use_ner=False, tagger=str(tagger_dir))).redact(note)
    assert {span.type for span in seen[0]} == {"DATE", "NAME"}  # the rules find both
    seen.clear()
    Deidentifier(DeidPolicy(use_ner=False, tagger=str(tagger_dir), types=("NAME",))).redact(note)
    assert {span.type for span in seen[0]} == {"NAME"}  # a DATE span that stays vouches for nothing


@pytest.mark.parametrize(
    ("text", "piece", "word"),
    [("Hester was seen", "ster", "Hester"), ("MRN1234 noted", "1234", "MRN1234"), ("seen by Dr Okafor-Lee", "Okafor", "Okafor-Lee"),
     ("Mrs O'Brien aware", "Brien", "O'Brien"), ("DOB 2/14 - stable", "14", "2/14")],
)
def test_a_tagger_span_inside_a_word_covers_the_whole_word(tagger_dir, text, piece, word):
    from domainkit.deid.tagger import PhiTagger

    tagger = PhiTagger(tagger_dir)
    start = text.index(piece)
    tagger._tagger = lambda texts: [[(start, start + len(piece), "NAME")]]  # a piece, as a weak tagger marks it
    (span,) = tagger.find_many([text])[0]
    assert text[span.start : span.end] == word
