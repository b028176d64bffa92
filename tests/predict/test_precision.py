import json

import numpy as np
import pytest
import torch

from domainkit.errors import ConfigError
from domainkit.predict import predict_file
from domainkit.predict.precision import autocast
from domainkit.predict.predictor import Predictor

TEXTS = ["heart pain with fever", "lung cough", "skin rash " * 20, "the patient has no pain"]


def _rows(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_bf16_predictions_stay_close_to_fp32_and_the_summary_names_the_precision(make_classifier, tmp_path):
    model = make_classifier(seed=5)
    (tmp_path / "d.txt").write_text("\n".join(TEXTS) + "\n")
    fp32 = predict_file(model, tmp_path / "d.txt", tmp_path / "fp32.jsonl", progress=False)
    bf16 = predict_file(model, tmp_path / "d.txt", tmp_path / "bf16.jsonl", progress=False, precision="bf16")
    assert (fp32["precision"], bf16["precision"]) == ("fp32", "bf16")
    fp32_rows, bf16_rows = _rows(tmp_path / "fp32.jsonl"), _rows(tmp_path / "bf16.jsonl")
    assert [r["id"] for r in bf16_rows] == [r["id"] for r in fp32_rows]
    for low, full in zip(bf16_rows, fp32_rows, strict=True):
        # bf16 keeps 8 bits of mantissa: probabilities move in the second or third decimal, no more.
        assert low["probabilities"] == pytest.approx(full["probabilities"], abs=0.05)


def test_bf16_runs_the_forward_pass_in_bf16(make_classifier):
    predictor = Predictor(make_classifier(), precision="bf16")
    seen = []
    hook = predictor.classifier.model.base_model.encoder.layer[0].register_forward_hook(
        lambda module, args, output: seen.append(torch.get_autocast_dtype("cpu") if torch.is_autocast_enabled("cpu") else None))
    predictor.probabilities(TEXTS[:2])
    hook.remove()
    assert seen and all(dtype == torch.bfloat16 for dtype in seen)
    with autocast("fp32"):
        assert not torch.is_autocast_enabled("cpu")


def test_an_unknown_precision_is_refused_before_the_input_is_read(tmp_path):
    missing_input = tmp_path / "not-there.txt"
    with pytest.raises(ConfigError) as error:
        predict_file(tmp_path / "no-model", missing_input, tmp_path / "o.jsonl", progress=False, precision="fp16")
    assert "'fp16'" in str(error.value) and "fp32, bf16" in str(error.value.hint)


@pytest.mark.parametrize("native_flags, warned", [([], True), (["amx_bf16"], False)])
def test_emulated_bf16_is_warned_about_even_on_a_host_with_a_gpu(make_classifier, monkeypatch, caplog, native_flags, warned):
    # predict runs on the CPU whatever the host has, so only the CPU's flags decide the warning.
    from domainkit.distill import hardware
    from domainkit.heads.loading import load_classifier
    from domainkit.predict.precision import check_precision

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(hardware, "native_bf16_flags", lambda: native_flags)
    with caplog.at_level("WARNING", logger="domainkit.predict.precision"):
        check_precision("bf16", load_classifier(make_classifier(seed=3)))
    assert ("emulated" in caplog.text) is warned


def test_bf16_is_refused_for_int8_and_onnx_folders(make_classifier, tmp_path):
    from domainkit.evaluation.quantize import save_int8
    from domainkit.export.onnx import export_onnx

    model = make_classifier(seed=2)
    int8_dir = save_int8(model, tmp_path / "int8")
    onnx_dir = tmp_path / "onnx"
    export_onnx(model, onnx_dir)
    for folder, variant in ((int8_dir, "int8"), (onnx_dir, "ONNX")):
        with pytest.raises(ConfigError) as error:
            Predictor(folder, precision="bf16")
        assert f"an {variant} variant" in str(error.value) and "drop --precision" in str(error.value.hint)
        assert Predictor(folder).precision == "fp32"


def test_cli_predict_takes_precision(make_classifier, tmp_path):
    from typer.testing import CliRunner

    from domainkit.cli import app

    model = make_classifier(seed=4)
    (tmp_path / "d.txt").write_text("\n".join(TEXTS) + "\n")
    args = ["predict", str(model), "--input", str(tmp_path / "d.txt")]
    result = CliRunner().invoke(app, [*args, "--output", str(tmp_path / "o.jsonl"), "--precision", "bf16"])
    assert result.exit_code == 0, result.output
    assert '"precision": "bf16"' in result.output
    expected = Predictor(model, precision="bf16").probabilities(TEXTS)
    got = np.array([list(r["probabilities"].values()) for r in _rows(tmp_path / "o.jsonl")])
    assert np.allclose(got, expected, atol=1e-6)
    refused = CliRunner().invoke(app, [*args, "--output", str(tmp_path / "x.jsonl"), "--precision", "half"])
    assert isinstance(refused.exception, ConfigError) and not (tmp_path / "x.jsonl").exists()


def test_spacy_component_takes_precision(make_classifier, tmp_path):
    import spacy

    import domainkit.predict.spacy_component  # noqa: F401  (registers the factory)

    model = make_classifier(seed=4)
    nlp = spacy.blank("en")
    nlp.add_pipe("domainkit_textcat", config={"model": str(model), "precision": "bf16"})
    expected = Predictor(model, precision="bf16").probabilities(TEXTS[:1])[0]
    assert list(nlp(TEXTS[0]).cats.values()) == pytest.approx(list(expected), abs=1e-6)
