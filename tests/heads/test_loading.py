"""The shared loader refuses what is not a model folder, naming the model folder inside when there is one."""

import json
import shutil

import pytest

from domainkit.errors import ModelError
from domainkit.heads.loading import load_classifier, require_model_folder


def _run_folder(root, model=None):
    """A run folder as `domainkit run` leaves it: its own config.json, stage folders, the export inside."""
    root.mkdir()
    (root / "config.json").write_text(json.dumps({"config": {}, "config_hash": "abc", "versions": {}}))
    (root / "01-data").mkdir()
    if model is not None:
        shutil.copytree(model, root / "06-export" / "model")
    return root


def test_loader_refuses_a_run_folder_and_names_its_model(make_classifier, tmp_path):
    run = _run_folder(tmp_path / "run1", make_classifier())
    with pytest.raises(ModelError, match=r"run1 is not a model folder \(its config.json is not a model config") as error:
        load_classifier(run)
    assert error.value.hint == f"did you mean {run / '06-export' / 'model'}?"
    with pytest.raises(ModelError, match=r"06-export is not a model folder \(no config.json\)") as error:
        load_classifier(run / "06-export")  # the stage folder: its model is model/
    assert error.value.hint == f"did you mean {run / '06-export' / 'model'}?"
    assert load_classifier(run / "06-export" / "model").label_names == ["cardio", "pulmo", "derm"]


def test_loader_says_an_unfinished_run_has_no_model_yet(tmp_path):
    run = _run_folder(tmp_path / "run2")
    with pytest.raises(ModelError, match="not a model config") as error:
        require_model_folder(run)
    assert "domainkit run folder" in error.value.hint and "06-export" in error.value.hint


@pytest.mark.parametrize("config", ["{}", "[1]", "not json", '{"model_type": ""}'])
def test_loader_refuses_a_config_json_that_is_no_model_config(tmp_path, config):
    (tmp_path / "config.json").write_text(config)
    with pytest.raises(ModelError, match="not a model config"):
        require_model_folder(tmp_path)


def _resave(classifier_dir, out, model_class, **config_changes):
    """``classifier_dir``'s encoder and tokenizer saved as ``model_class`` (a tagger, a bare encoder)."""
    from transformers import AutoConfig, AutoTokenizer

    config = AutoConfig.from_pretrained(classifier_dir)
    for key, value in config_changes.items():
        setattr(config, key, value)
    model_class(config).save_pretrained(out)
    AutoTokenizer.from_pretrained(classifier_dir).save_pretrained(out)
    return out


def test_loader_refuses_a_token_tagger_and_names_deid(make_classifier, tmp_path):
    from transformers import BertForTokenClassification

    labels = ["O", "B-NAME", "I-NAME"]
    tagger = _resave(make_classifier(), tmp_path / "tagger", BertForTokenClassification, num_labels=3,
                     id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})
    with pytest.raises(ModelError, match=r"tagger is a token tagger \(BertForTokenClassification\)") as error:
        load_classifier(tagger)
    assert f"domainkit deid --tagger {tagger}" in error.value.hint


def test_loader_refuses_a_bare_encoder(make_classifier, tmp_path):
    from transformers import BertModel

    encoder = _resave(make_classifier(), tmp_path / "encoder", BertModel)
    with pytest.raises(ModelError, match=r"encoder is a bare encoder \(BertModel\) with no trained classification head"):
        load_classifier(encoder)


def test_loader_refuses_a_classifier_config_without_head_weights(make_classifier, tmp_path):
    from transformers import BertModel

    folder = _resave(make_classifier(), tmp_path / "headless", BertModel)
    config = json.loads((folder / "config.json").read_text())
    config["architectures"] = ["BertForSequenceClassification"]  # says classifier, holds only the encoder
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError, match=r"headless holds no trained classification head: .*classifier\.weight"):
        load_classifier(folder)
