import json

import pytest
import spacy

import domainkit.predict.spacy_component  # noqa: F401  (registers the factory)
from domainkit.predict import predict_file

TEXTS = ["heart pain with fever", "lung cough", "skin rash " * 20]


def test_spacy_component_cats_equal_predict_file(make_classifier, tmp_path):
    model = make_classifier()
    (tmp_path / "d.txt").write_text("\n".join(TEXTS) + "\n")
    predict_file(model, tmp_path / "d.txt", tmp_path / "o.jsonl", progress=False)
    expected = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text().splitlines()]
    nlp = spacy.blank("en")
    nlp.add_pipe("domainkit_textcat", config={"model": str(model)})
    docs = [nlp(TEXTS[0]), *nlp.pipe(TEXTS[1:])]
    for doc, row in zip(docs, expected, strict=True):
        assert doc.cats == pytest.approx(row["probabilities"], abs=1e-5)
        assert doc._.domainkit_labels == row["label"]


def test_spacy_component_leaves_blank_documents_unlabelled(make_classifier, monkeypatch):
    nlp = spacy.blank("en")
    component = nlp.add_pipe("domainkit_textcat", config={"model": str(make_classifier())})
    calls = []
    real = component.predictor.probabilities
    monkeypatch.setattr(component.predictor, "probabilities", lambda texts, **k: calls.append(texts) or real(texts, **k))
    for text in ("", "   \n", "\u200b\u2060\ufeff"):  # invisible format characters only: blank too
        doc = nlp(text)
        assert doc.cats == {} and doc._.domainkit_labels is None
    assert calls == []  # the model is not run on a blank document
    docs = list(nlp.pipe(["", TEXTS[0], " ", TEXTS[1]]))
    assert [bool(d.cats) for d in docs] == [False, True, False, True]
    assert docs[0]._.domainkit_labels is None and docs[1]._.domainkit_labels is not None
    assert calls == [[TEXTS[0], TEXTS[1]]]


def test_spacy_component_accepts_a_pkg_reference(make_classifier, tmp_path, monkeypatch):
    import sys

    model = make_classifier()
    (tmp_path / "dk_spacy_model_pkg.py").write_text(f"def get_model_path():\n    return {str(model)!r}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "dk_spacy_model_pkg", raising=False)
    by_path = spacy.blank("en")
    by_path.add_pipe("domainkit_textcat", config={"model": str(model)})
    by_pkg = spacy.blank("en")
    by_pkg.add_pipe("domainkit_textcat", config={"model": "pkg:dk-spacy-model-pkg"})
    assert by_pkg(TEXTS[0]).cats == pytest.approx(by_path(TEXTS[0]).cats)


def test_spacy_component_refuses_pickle_only_weights_unless_allowed(make_classifier, tmp_path):
    import shutil

    import torch
    from transformers import AutoModelForSequenceClassification

    from domainkit.errors import ModelError

    model = make_classifier()
    pickled = tmp_path / "pick"
    shutil.copytree(model, pickled)
    torch.save(AutoModelForSequenceClassification.from_pretrained(model).state_dict(), pickled / "pytorch_model.bin")
    (pickled / "model.safetensors").unlink()
    with pytest.raises(ModelError, match="holds only pickle checkpoints"):
        spacy.blank("en").add_pipe("domainkit_textcat", config={"model": str(pickled)})
    allowed = spacy.blank("en")
    allowed.add_pipe("domainkit_textcat", config={"model": str(pickled), "allow_pickle": True})
    safe = spacy.blank("en")
    safe.add_pipe("domainkit_textcat", config={"model": str(model)})
    assert allowed(TEXTS[0]).cats == pytest.approx(safe(TEXTS[0]).cats)


def test_spacy_component_runs_an_onnx_folder(make_classifier, tmp_path):
    from domainkit.export.onnx import export_onnx

    model = make_classifier()
    export_onnx(model, tmp_path / "onnx")
    by_onnx = spacy.blank("en")
    by_onnx.add_pipe("domainkit_textcat", config={"model": str(tmp_path / "onnx")})
    by_fp32 = spacy.blank("en")
    by_fp32.add_pipe("domainkit_textcat", config={"model": str(model)})
    assert by_onnx(TEXTS[1]).cats == pytest.approx(by_fp32(TEXTS[1]).cats, abs=1e-5)


def test_spacy_component_and_predict_refuse_a_folder_without_a_trained_classifier(make_classifier, tmp_path):
    from transformers import AutoTokenizer, BertModel

    from domainkit.errors import ModelError

    source = make_classifier()
    encoder = tmp_path / "encoder"
    BertModel.from_pretrained(source).save_pretrained(encoder)  # the encoder alone: a head would be random
    AutoTokenizer.from_pretrained(source).save_pretrained(encoder)
    with pytest.raises(ModelError, match="bare encoder"):
        spacy.blank("en").add_pipe("domainkit_textcat", config={"model": str(encoder)})
    (tmp_path / "d.txt").write_text("heart\n")
    with pytest.raises(ModelError, match="bare encoder"):
        predict_file(encoder, tmp_path / "d.txt", tmp_path / "o.jsonl", progress=False)
    assert not (tmp_path / "o.jsonl").exists()
