"""Training a PHI tagger on annotated notes: a usable folder, a card without text, nothing overwritten."""

from __future__ import annotations

import json
import random

import pytest

from domainkit.deid import Deidentifier, DeidPolicy
from domainkit.deid.annotations import AnnotatedNotes
from domainkit.deid.tagger_training import (
    TAGGER_CARD, TaggerTrainingConfig, holdout_split, sentence_examples, train_phi_tagger,
)
from domainkit.errors import DataError

CODENAMES = ["kidney", "liver", "lung"]  # stand-ins the tiny vocabulary knows, annotated as NAME


def _notes(n: int, seed: int) -> AnnotatedNotes:
    rng = random.Random(seed)
    texts, spans = [], []
    for _ in range(n):
        name = rng.choice(CODENAMES)
        text = f"the patient has pain. seen with {name} today. the patient has a pain."
        texts.append(text)
        spans.append([(text.index(name), text.index(name) + len(name), "NAME")])
    return AnnotatedNotes(texts, spans, "invented")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    from tinymodels import build_classifier

    return build_classifier(tmp_path_factory.mktemp("base") / "m", ["a", "b"], max_positions=300)


def test_sentence_examples_keep_phi_sentences_and_sample_the_rest():
    notes = _notes(4, seed=0)
    texts, spans, n_positive = sentence_examples(notes.texts, notes.spans, negatives_per_positive=1, seed=0)
    assert n_positive == 4 and len(texts) == 8
    for text, sentence_spans in zip(texts, spans, strict=True):
        assert all(text[s:e] in CODENAMES for s, e, _ in sentence_spans)
    assert sum(1 for s in spans if s) == 4


def test_holdout_split_is_seeded_and_disjoint():
    train, held = holdout_split(10, 0.2, seed=1)
    assert len(held) == 2 and not set(train) & set(held) and holdout_split(10, 0.2, seed=1) == (train, held)
    assert holdout_split(10, 0.0, seed=1) == (list(range(10)), [])
    with pytest.raises(DataError, match="leaves no notes"):
        holdout_split(2, 0.1, seed=1)


def test_trained_tagger_is_used_by_deid_and_its_card_holds_no_text(base, tmp_path):
    notes = _notes(80, seed=0)
    config = TaggerTrainingConfig(epochs=8, learning_rate=3e-3, negatives_per_positive=1, holdout=0.1, seed=0)
    card = train_phi_tagger(notes, tmp_path / "tagger", base=base, config=config)
    folder = tmp_path / "tagger"
    assert json.loads((folder / TAGGER_CARD).read_text()) == card
    assert card["notes"] == {"train": 72, "held_out": 8} and card["spans_per_type"] == {"NAME": 80}
    assert card["held_out_exact_spans"]["overall"]["recall"] > 0.5
    assert "kidney" not in json.dumps(card) and "patient" not in json.dumps(card)
    assert not (folder / "checkpoints").exists() and not (tmp_path / ".tagger.partial").exists()
    assert not (folder / "training_args.bin").exists()  # no pickle in a folder that travels
    note = "seen with lung today"
    redacted = Deidentifier(DeidPolicy(use_ner=False, tagger=str(folder), tagger_filter=False)).redact(note).text
    assert redacted == "seen with [NAME] today"


def test_an_existing_folder_is_never_overwritten(base, tmp_path):
    target = tmp_path / "tagger"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(DataError, match="not empty; nothing was written"):
        train_phi_tagger(_notes(8, 0), target, base=base, config=TaggerTrainingConfig(epochs=1))
    assert (target / "keep.txt").read_text() == "mine" and len(list(target.iterdir())) == 1


def test_an_unfinished_run_with_other_settings_starts_afresh(base, tmp_path):
    partial = tmp_path / ".tagger.partial"
    (partial / "model" / "checkpoints" / "checkpoint-3").mkdir(parents=True)
    (partial / "settings.json").write_text(json.dumps({"epochs": 99}))
    train_phi_tagger(_notes(8, 0), tmp_path / "tagger", base=base, config=TaggerTrainingConfig(epochs=1, learning_rate=1e-3))
    assert (tmp_path / "tagger" / "config.json").is_file() and not partial.exists()


def test_config_rejects_out_of_range_values():
    with pytest.raises(DataError, match="--holdout"):
        TaggerTrainingConfig(holdout=1.0)
    with pytest.raises(DataError, match="--epochs"):
        TaggerTrainingConfig(epochs=0)
    with pytest.raises(DataError, match="--surrogates"):
        TaggerTrainingConfig(surrogate_copies=-1)


def test_interrupted_training_resumes_from_its_last_epoch(base, tmp_path, monkeypatch):
    from transformers import Trainer

    from domainkit.heads.token import train_token_classifier

    notes = _notes(8, 0)
    out = tmp_path / "model"

    original_save = Trainer.save_model

    def interrupted(self, output_dir=None, _internal_call=False):
        if not _internal_call:  # the checkpoint is written, the final model is not
            raise KeyboardInterrupt
        return original_save(self, output_dir, _internal_call=_internal_call)

    with monkeypatch.context() as patch:  # the run is stopped after its checkpoint was saved
        patch.setattr(Trainer, "save_model", interrupted)
        with pytest.raises(KeyboardInterrupt):
            train_token_classifier(base, notes.texts, notes.spans, out, entity_types=["NAME"], max_length=32,
                                   epochs=1, resume=True)
    assert list((out / "checkpoints").glob("checkpoint-*"))
    resumed_from = []
    original_train = Trainer.train
    monkeypatch.setattr(Trainer, "train", lambda self, resume_from_checkpoint=None, **kw: (
        resumed_from.append(resume_from_checkpoint), original_train(self, resume_from_checkpoint=resume_from_checkpoint, **kw))[1])
    train_token_classifier(base, notes.texts, notes.spans, out, entity_types=["NAME"], max_length=32, epochs=1, resume=True)
    assert resumed_from and "checkpoint-" in str(resumed_from[0])
    assert (out / "config.json").is_file() and not (out / "checkpoints").exists()


def test_cli_trains_from_a_notes_and_spans_table(base, tmp_path):
    from typer.testing import CliRunner

    from domainkit.cli import app

    notes = _notes(12, 0)
    rows = "".join(f'{i},"{t}"\n' for i, t in enumerate(notes.texts))
    (tmp_path / "notes.csv").write_text("note_id,text\n" + rows, encoding="utf-8")
    spans = "".join(f"{i},{s},{e},Staff\n" for i, note_spans in enumerate(notes.spans) for s, e, _ in note_spans)
    (tmp_path / "spans.csv").write_text("note_id,start,end,type\n" + spans, encoding="utf-8")
    args = ["tagger", "train", "--input", str(tmp_path / "notes.csv"), "--spans", str(tmp_path / "spans.csv"),
            "--out", str(tmp_path / "tagger"), "--base", str(base), "--epochs", "1", "--type-map", "Staff=NAME",
            "--surrogates", "1"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    card = json.loads(result.stdout)
    assert card["spans_per_type"] == {"NAME": 12} and card["settings"]["surrogate_copies"] == 1
    assert card["sentences"]["with_phi"] == card["sentences"]["surrogate_copies"] == 12  # one copy each
    assert (tmp_path / "tagger" / "config.json").is_file()
    again = CliRunner().invoke(app, args)
    assert again.exit_code != 0 and "not empty" in str(again.exception)


def test_a_span_across_a_sentence_end_keeps_its_sentence_whole():
    text = "Admitted to St. Brannock Hospital today. Calm night."
    start = text.index("St.")
    spans = [[(start, text.index(" today"), "LOCATION")]]
    texts, sentence_spans, n_positive = sentence_examples([text], spans, negatives_per_positive=1, seed=0)
    assert n_positive == 1
    whole = texts[sentence_spans.index(next(s for s in sentence_spans if s))]
    assert "St. Brannock Hospital" in whole and "Calm night." in texts


def test_no_annotated_training_note_after_the_holdout_is_a_clear_error(base, tmp_path):
    notes = AnnotatedNotes(["seen with lung today.", "calm night."], [[(10, 14, "NAME")], []], "invented")
    seed = next(s for s in range(100) if holdout_split(2, 0.5, s)[1] == [0])
    with pytest.raises(DataError, match="none of the 1 training notes"):
        train_phi_tagger(notes, tmp_path / "t", base=base, config=TaggerTrainingConfig(holdout=0.5, seed=seed))


def test_a_run_stopped_after_training_does_not_train_again(base, tmp_path, monkeypatch):
    import domainkit.deid.tagger_training as training

    config = TaggerTrainingConfig(epochs=1, learning_rate=1e-3, holdout=0.25)

    def measuring_fails(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(training, "_measure", measuring_fails)
    with pytest.raises(KeyboardInterrupt):
        train_phi_tagger(_notes(8, 0), tmp_path / "tagger", base=base, config=config)
    assert not (tmp_path / "tagger").exists()
    monkeypatch.undo()

    def no_training(*args, **kwargs):
        raise AssertionError("trained again")

    monkeypatch.setattr("domainkit.heads.token.train_token_classifier", no_training)
    card = train_phi_tagger(_notes(8, 0), tmp_path / "tagger", base=base, config=config)
    assert (tmp_path / "tagger" / "config.json").is_file() and card["notes"]["held_out"] == 2
