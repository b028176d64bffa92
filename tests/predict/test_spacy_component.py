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
