import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from domainkit.errors import ConfigError, DataError
from domainkit.evaluation.inference import predict_proba
from domainkit.heads.loading import load_classifier
from domainkit.predict import predict_file

TEXTS = ["heart pain with fever", "lung cough", "skin rash " * 20, "the patient has no pain"]


def _read_jsonl(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_runner_text_file_to_jsonl_matches_the_bare_model(make_classifier, tmp_path):
    model = make_classifier()
    source = tmp_path / "docs.txt"
    source.write_text("\n".join(TEXTS[:2]) + "\n\n" + "\n".join(TEXTS[2:]) + "\n")
    before = source.read_bytes()
    summary = predict_file(model, source, tmp_path / "out.jsonl", progress=False)
    rows = _read_jsonl(tmp_path / "out.jsonl")
    assert summary["documents"] == 4 and [r["id"] for r in rows] == ["1", "2", "4", "5"]  # blank line 3 skipped
    expected = predict_proba(load_classifier(model), TEXTS)
    got = np.array([[r["probabilities"][n] for n in ("cardio", "pulmo", "derm")] for r in rows])
    assert np.allclose(got, expected, atol=1e-5)
    assert [r["label"] for r in rows] == [["cardio", "pulmo", "derm"][i] for i in expected.argmax(1)]
    assert source.read_bytes() == before


def test_runner_csv_in_csv_out_with_text_column_and_ids(make_classifier, tmp_path):
    source = tmp_path / "docs.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "body"])
        writer.writerows([[f"doc{i}", t] for i, t in enumerate(TEXTS)])
    predict_file(make_classifier(), source, tmp_path / "out.csv", text_column="body", progress=False)
    rows = list(csv.DictReader((tmp_path / "out.csv").open()))
    assert [r["id"] for r in rows] == ["doc0", "doc1", "doc2", "doc3"]
    assert set(rows[0]) == {"id", "label", "p_cardio", "p_pulmo", "p_derm"}
    assert abs(sum(float(rows[0][f"p_{n}"]) for n in ("cardio", "pulmo", "derm")) - 1) < 1e-4


def test_runner_jsonl_folder_and_stdin_give_the_same_predictions(make_classifier, tmp_path, monkeypatch):
    model = make_classifier()
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text("".join(json.dumps({"text": t}) + "\n" for t in TEXTS))
    folder = tmp_path / "folder"
    folder.mkdir()
    for i, text in enumerate(TEXTS):
        (folder / f"{i}.txt").write_text(text)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(TEXTS) + "\n"))
    outputs = {}
    for name, source in (("jsonl", jsonl), ("folder", folder), ("stdin", "-")):
        predict_file(model, source, tmp_path / f"{name}.jsonl", progress=False)
        outputs[name] = [r["probabilities"] for r in _read_jsonl(tmp_path / f"{name}.jsonl")]
    assert outputs["jsonl"] == outputs["folder"] == outputs["stdin"]
    assert [r["id"] for r in _read_jsonl(tmp_path / "folder.jsonl")] == ["0.txt", "1.txt", "2.txt", "3.txt"]


def test_runner_multi_label_writes_label_lists_from_thresholds(make_classifier, tmp_path):
    from domainkit.heads.settings import InferenceSettings, write_settings

    model = make_classifier(multi_label=True)
    write_settings(model, InferenceSettings(thresholds={"cardio": 0.0, "pulmo": 1.0, "derm": 0.0}))
    (tmp_path / "d.txt").write_text("\n".join(TEXTS))
    predict_file(model, tmp_path / "d.txt", tmp_path / "o.jsonl", progress=False)
    assert all(r["label"] == ["cardio", "derm"] for r in _read_jsonl(tmp_path / "o.jsonl"))


def test_runner_never_overwrites_and_names_bad_rows(make_classifier, tmp_path):
    model = make_classifier()
    (tmp_path / "d.txt").write_text("heart\n")
    existing = tmp_path / "o.jsonl"
    existing.write_text("keep\n")
    with pytest.raises(ConfigError, match="exists"):
        predict_file(model, tmp_path / "d.txt", existing, progress=False)
    assert existing.read_text() == "keep\n"
    predict_file(model, tmp_path / "d.txt", existing, progress=False, force=True)
    assert len(_read_jsonl(existing)) == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "heart"}\n{"body": "secret words"}\n')
    with pytest.raises(DataError, match=r"bad.jsonl, line 2") as error:
        predict_file(model, bad, tmp_path / "x.jsonl", progress=False)
    assert "secret" not in str(error.value)
    assert not (tmp_path / "x.jsonl").exists()
    with pytest.raises(DataError, match="no column 'text' among its 2 column") as error:
        (tmp_path / "c.csv").write_text("Ann Lee seen,body\n1,heart\n")  # no header: row 1 is a document
        predict_file(model, tmp_path / "c.csv", tmp_path / "y.csv", progress=False)
    assert "Ann Lee" not in str(error.value)


def test_runner_applies_the_models_deid_policy(make_classifier, tmp_path, monkeypatch):
    from domainkit import deid
    from domainkit.deid.deidentifier import Deidentifier

    seen = []

    class SpyDeidentifier(Deidentifier):
        """The real de-identifier, recording what the model is given."""

        def redact_many(self, texts, **kwargs):
            for redaction in super().redact_many(texts, **kwargs):
                seen.append(redaction.text)
                yield redaction

    monkeypatch.setattr(deid, "Deidentifier", SpyDeidentifier)
    from domainkit.heads.settings import InferenceSettings, write_settings

    model = make_classifier()
    write_settings(model, InferenceSettings(deid_policy={"enabled": True, "use_ner": False}))
    (tmp_path / "d.txt").write_text("Seen by Dr. Smith on 3/4/2021 for heart pain\n")
    summary = predict_file(model, tmp_path / "d.txt", tmp_path / "o.jsonl", progress=False)
    assert summary["deid_applied"]
    assert len(seen) == 1 and "Smith" not in seen[0] and "[NAME]" in seen[0] and "[DATE]" in seen[0]


def _fake_model_package(tmp_path, monkeypatch, model, name="dk_fake_model_pkg"):
    """A tiny installed model package (like a `domainkit package` wheel): NAME.get_model_path()."""
    import sys

    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / f"{name}.py").write_text(f"def get_model_path():\n    return {str(model)!r}\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return f"pkg:{name.replace('_', '-')}"


def test_runner_accepts_a_pkg_reference(make_classifier, tmp_path, monkeypatch):
    model = make_classifier()
    ref = _fake_model_package(tmp_path, monkeypatch, model)
    (tmp_path / "d.txt").write_text("\n".join(TEXTS) + "\n")
    predict_file(model, tmp_path / "d.txt", tmp_path / "by-path.jsonl", progress=False)
    predict_file(ref, tmp_path / "d.txt", tmp_path / "by-pkg.jsonl", progress=False)
    assert _read_jsonl(tmp_path / "by-pkg.jsonl") == _read_jsonl(tmp_path / "by-path.jsonl")


def test_runner_reads_a_packaged_exports_int8_variant(make_classifier, tmp_path, monkeypatch):
    from domainkit.evaluation.quantize import save_int8

    model = make_classifier(seed=3)
    save_int8(model, model / "int8")  # an export carries its int8 copy in int8/
    ref = _fake_model_package(tmp_path, monkeypatch, model, name="dk_variant_model_pkg")
    (tmp_path / "d.txt").write_text("\n".join(TEXTS) + "\n")
    predict_file(model / "int8", tmp_path / "d.txt", tmp_path / "by-path.jsonl", progress=False)
    predict_file(f"{ref}/int8", tmp_path / "d.txt", tmp_path / "by-pkg.jsonl", progress=False)
    assert _read_jsonl(tmp_path / "by-pkg.jsonl") == _read_jsonl(tmp_path / "by-path.jsonl")


def test_cli_predict_accepts_a_pkg_reference(make_classifier, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from domainkit.cli import app

    ref = _fake_model_package(tmp_path, monkeypatch, make_classifier())
    (tmp_path / "d.txt").write_text("\n".join(TEXTS) + "\n")
    result = CliRunner().invoke(app, ["predict", ref, "--input", str(tmp_path / "d.txt"),
                                      "--output", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 0, result.output
    assert len(_read_jsonl(tmp_path / "o.jsonl")) == len(TEXTS)


def test_predictor_resolves_store_references_and_keeps_paths(monkeypatch, tmp_path):
    import domainkit.models.resolve as resolve
    from domainkit.predict.predictor import model_folder

    seen = []
    monkeypatch.setattr(resolve, "resolve_model", lambda ref: seen.append(ref) or tmp_path)
    assert model_folder("store:tiny-model") == tmp_path and seen == ["store:tiny-model"]
    assert model_folder(tmp_path / "folder") == tmp_path / "folder"
    assert model_folder("some/folder") == Path("some/folder") and seen == ["store:tiny-model"]


def test_cli_predict_on_an_int8_folder_matches_the_int8_classifier(make_classifier, tmp_path):
    from typer.testing import CliRunner

    from domainkit.cli import app
    from domainkit.evaluation.quantize import save_int8

    int8_dir = save_int8(make_classifier(seed=3), tmp_path / "int8")
    (tmp_path / "d.txt").write_text("\n".join(TEXTS) + "\n")
    result = CliRunner().invoke(app, ["predict", str(int8_dir), "--input", str(tmp_path / "d.txt"),
                                      "--output", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 0, result.output
    rows = _read_jsonl(tmp_path / "o.jsonl")
    expected = predict_proba(load_classifier(int8_dir), TEXTS)
    got = np.array([[r["probabilities"][n] for n in ("cardio", "pulmo", "derm")] for r in rows])
    assert len(rows) == len(TEXTS) and np.allclose(got, expected, atol=1e-5)


def test_predictor_refuses_an_old_pickled_int8_folder_without_unpickling(make_classifier, tmp_path):
    import os
    import pickle

    from domainkit.errors import ModelError
    from domainkit.evaluation.quantize import INT8_WEIGHTS, save_int8
    from domainkit.predict.predictor import Predictor

    int8_dir = save_int8(make_classifier(), tmp_path / "int8")
    (int8_dir / INT8_WEIGHTS).unlink()
    marker = tmp_path / "pwned"
    # what a tampered file would hold: unpickling it runs a shell command
    (int8_dir / "domainkit_int8.pt").write_bytes(
        pickle.dumps(type("Payload", (), {"__reduce__": lambda self: (os.system, (f"touch {marker}",))})()))
    with pytest.raises(ModelError, match="unsafe unpickling"):
        Predictor(int8_dir)
    assert not marker.exists()


def test_cli_predict_reads_a_csv_from_stdin_with_input_format(make_classifier, tmp_path):
    from typer.testing import CliRunner

    from domainkit.cli import app

    model = make_classifier()
    notes = 'id,note\n7,"heart pain and fever,\nlung cough"\n8,skin rash\n'
    (tmp_path / "notes.csv").write_text(notes)
    result = CliRunner().invoke(app, ["predict", str(model), "--input", "-", "--input-format", "csv",
                                      "--text-column", "note", "--output", str(tmp_path / "stdin.jsonl")],
                                input=notes)
    assert result.exit_code == 0, result.output
    predict_file(model, tmp_path / "notes.csv", tmp_path / "file.jsonl", text_column="note", progress=False)
    rows = _read_jsonl(tmp_path / "stdin.jsonl")
    assert [r["id"] for r in rows] == ["7", "8"] and rows == _read_jsonl(tmp_path / "file.jsonl")
    refused = CliRunner().invoke(app, ["predict", str(model), "--input", "-", "--text-column", "note",
                                       "--output", str(tmp_path / "lines.jsonl")], input=notes)
    assert isinstance(refused.exception, ConfigError) and not (tmp_path / "lines.jsonl").exists()


def test_cli_predict_writes_to_stdout_with_output_dash(make_classifier, tmp_path):
    from typer.testing import CliRunner

    from domainkit.cli import app

    model = make_classifier()
    (tmp_path / "d.txt").write_text("\n".join(TEXTS) + "\n")
    predict_file(model, tmp_path / "d.txt", tmp_path / "file.jsonl", progress=False)
    predict_file(model, tmp_path / "d.txt", tmp_path / "file.csv", progress=False)
    for fmt, expected in (([], "file.jsonl"), (["--output-format", "csv"], "file.csv")):
        result = CliRunner().invoke(app, ["predict", str(model), "--input", str(tmp_path / "d.txt"),
                                          "--output", "-", *fmt])
        assert result.exit_code == 0, result.output
        # stdout holds the predictions alone (the summary goes to stderr), byte for byte the file's
        assert result.stdout.splitlines() == (tmp_path / expected).read_text().splitlines()
        assert json.loads(result.stderr.strip().splitlines()[-1])["documents"] == len(TEXTS)
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["d.txt", "file.csv", "file.jsonl"]


def _no_model(monkeypatch):
    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded before the output was checked")

    monkeypatch.setattr("domainkit.predict.runner.Predictor", no_model)


def test_runner_refuses_an_output_that_is_a_folder_before_loading_the_model(tmp_path, monkeypatch):
    _no_model(monkeypatch)
    (tmp_path / "d.txt").write_text("heart\n")
    (tmp_path / "outdir.jsonl").mkdir()
    with pytest.raises(ConfigError, match=r"output .*outdir\.jsonl is a folder") as error:
        predict_file("unused", tmp_path / "d.txt", tmp_path / "outdir.jsonl", force=True, progress=False)
    assert "predictions.jsonl" in error.value.hint
    (tmp_path / "results").mkdir()  # a folder without a suffix is a folder, not an unknown format
    with pytest.raises(ConfigError, match=r"output .*results is a folder"):
        predict_file("unused", tmp_path / "d.txt", tmp_path / "results", progress=False)


def test_runner_refuses_an_output_under_a_file_before_loading_the_model(tmp_path, monkeypatch):
    _no_model(monkeypatch)
    (tmp_path / "d.txt").write_text("heart\n")
    with pytest.raises(ConfigError, match=r"cannot write output .*d\.txt/sub/out\.jsonl: .*d\.txt is a file"):
        predict_file("unused", tmp_path / "d.txt", tmp_path / "d.txt" / "sub" / "out.jsonl", progress=False)
    assert (tmp_path / "d.txt").read_text() == "heart\n"


def test_runner_output_format_choices_are_checked(tmp_path, monkeypatch):
    _no_model(monkeypatch)
    (tmp_path / "d.txt").write_text("heart\n")
    with pytest.raises(ConfigError, match=r"unknown --output-format 'xml'; available: csv, jsonl"):
        predict_file("unused", tmp_path / "d.txt", "-", output_format="xml", progress=False)
    with pytest.raises(ConfigError, match=r"--output-format csv contradicts output .*o\.jsonl"):
        predict_file("unused", tmp_path / "d.txt", tmp_path / "o.jsonl", output_format="csv", progress=False)
    with pytest.raises(ConfigError, match=r"unknown format '\.txt'") as error:
        predict_file("unused", tmp_path / "d.txt", tmp_path / "o.txt", progress=False)
    assert "--output -" in error.value.hint


def test_runner_makes_a_missing_output_folder_only_when_it_writes(make_classifier, tmp_path):
    (tmp_path / "d.txt").write_text("heart\n")
    predict_file(make_classifier(), tmp_path / "d.txt", tmp_path / "new" / "deeper" / "o.jsonl", progress=False)
    assert len(_read_jsonl(tmp_path / "new" / "deeper" / "o.jsonl")) == 1
    assert not [p for p in tmp_path.rglob(".domainkit-write-check*")]


def _pickle_only(model, folder):
    """MODEL's weights as a pickle checkpoint only (pytorch_model.bin), as a folder from elsewhere may hold."""
    import shutil

    import torch
    from transformers import AutoModelForSequenceClassification

    shutil.copytree(model, folder)
    torch.save(AutoModelForSequenceClassification.from_pretrained(model).state_dict(), folder / "pytorch_model.bin")
    (folder / "model.safetensors").unlink()
    return folder


def test_runner_refuses_pickle_only_weights_unless_allowed(make_classifier, tmp_path):
    from domainkit.errors import ModelError

    model = make_classifier()
    pickled = _pickle_only(model, tmp_path / "pick")
    (tmp_path / "d.txt").write_text("\n".join(TEXTS) + "\n")
    with pytest.raises(ModelError, match=r"pick holds only pickle checkpoints \(pytorch_model\.bin\)") as error:
        predict_file(pickled, tmp_path / "d.txt", tmp_path / "o.jsonl", progress=False)
    assert "--allow-pickle" in error.value.hint and not (tmp_path / "o.jsonl").exists()
    predict_file(pickled, tmp_path / "d.txt", tmp_path / "o.jsonl", progress=False, allow_pickle=True)
    predict_file(model, tmp_path / "d.txt", tmp_path / "safe.jsonl", progress=False, allow_pickle=True)
    assert _read_jsonl(tmp_path / "o.jsonl") == _read_jsonl(tmp_path / "safe.jsonl")


def test_cli_predict_takes_allow_pickle(make_classifier, tmp_path):
    from typer.testing import CliRunner

    from domainkit.cli import app
    from domainkit.errors import ModelError

    pickled = _pickle_only(make_classifier(), tmp_path / "pick")
    (tmp_path / "d.txt").write_text("heart\n")
    args = ["predict", str(pickled), "--input", str(tmp_path / "d.txt"), "--output", str(tmp_path / "o.jsonl")]
    refused = CliRunner().invoke(app, args)
    assert isinstance(refused.exception, ModelError)
    allowed = CliRunner().invoke(app, [*args, "--allow-pickle"])
    assert allowed.exit_code == 0, allowed.output
    assert len(_read_jsonl(tmp_path / "o.jsonl")) == 1


def test_runner_on_an_onnx_folder_runs_onnxruntime(make_classifier, tmp_path):
    from domainkit.export.onnx import export_onnx

    model = make_classifier(seed=2)
    onnx_dir = tmp_path / "export" / "onnx"
    export_onnx(model, onnx_dir)
    (tmp_path / "d.txt").write_text("\n".join(TEXTS) + "\n")
    predict_file(onnx_dir, tmp_path / "d.txt", tmp_path / "onnx.jsonl", progress=False)
    predict_file(model, tmp_path / "d.txt", tmp_path / "fp32.jsonl", progress=False)
    onnx_rows, fp32_rows = _read_jsonl(tmp_path / "onnx.jsonl"), _read_jsonl(tmp_path / "fp32.jsonl")
    assert [r["id"] for r in onnx_rows] == [r["id"] for r in fp32_rows]
    for onnx_row, fp32_row in zip(onnx_rows, fp32_rows, strict=True):
        assert onnx_row["probabilities"] == pytest.approx(fp32_row["probabilities"], abs=1e-5)


def test_runner_on_a_folder_without_weights_names_it_and_the_choices(make_classifier, tmp_path):
    import shutil

    from domainkit.errors import ModelError

    half = tmp_path / "half-copied"
    shutil.copytree(make_classifier(), half)
    (half / "model.safetensors").unlink()
    (tmp_path / "d.txt").write_text("heart\n")
    with pytest.raises(ModelError, match=r"half-copied holds no model weights") as error:
        predict_file(half, tmp_path / "d.txt", tmp_path / "o.jsonl", progress=False)
    assert "int8/ or onnx/" in error.value.hint


def test_cli_predict_on_a_run_folder_is_a_clean_error_with_the_model_folder(make_classifier, tmp_path):
    import subprocess
    import sys

    run = tmp_path / "run1"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({"config": {}, "config_hash": "abc", "versions": {}}))
    import shutil

    shutil.copytree(make_classifier(), run / "06-export" / "model")
    (tmp_path / "d.txt").write_text("heart\n")
    result = subprocess.run([sys.executable, "-m", "domainkit.cli", "predict", str(run), "--input",
                             str(tmp_path / "d.txt"), "--output", "-"], capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "is not a model folder" in result.stderr and f"did you mean {run / '06-export' / 'model'}?" in result.stderr


def test_runner_output_mode_follows_the_umask_or_the_replaced_file(make_classifier, tmp_path):
    import os
    import stat

    model = make_classifier()
    (tmp_path / "d.txt").write_text("heart\n")
    old = os.umask(0o022)
    try:
        predict_file(model, tmp_path / "d.txt", tmp_path / "new.csv", progress=False)
        assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o644  # as open() would make it, not 0600
        kept = tmp_path / "kept.jsonl"
        kept.write_text("old\n")
        kept.chmod(0o664)
        predict_file(model, tmp_path / "d.txt", kept, progress=False, force=True)
        assert stat.S_IMODE(kept.stat().st_mode) == 0o664  # --force keeps the replaced file's mode
    finally:
        os.umask(old)


def test_runner_refuses_csv_for_a_multi_label_model_with_a_pipe_in_a_label(make_classifier, tmp_path):
    model = make_classifier(("cardio|vascular", "pulmo", "derm"), multi_label=True)
    (tmp_path / "d.txt").write_text("heart\n")
    with pytest.raises(ConfigError, match=r"label 'cardio\|vascular' contains '\|'") as error:
        predict_file(model, tmp_path / "d.txt", tmp_path / "o.csv", progress=False)
    assert ".jsonl" in error.value.hint
    assert not (tmp_path / "o.csv").exists()
    predict_file(model, tmp_path / "d.txt", tmp_path / "o.jsonl", progress=False)  # JSONL gives a list
    assert isinstance(_read_jsonl(tmp_path / "o.jsonl")[0]["label"], list)
    single = make_classifier(("a|b", "c"))  # single-label: the cell holds one name, nothing to split
    predict_file(single, tmp_path / "d.txt", tmp_path / "s.csv", progress=False)


def test_predict_file_warns_when_the_input_holds_no_documents(make_classifier, tmp_path, caplog):
    (tmp_path / "empty.csv").write_text("text\n")
    with caplog.at_level("WARNING"):
        summary = predict_file(make_classifier(), tmp_path / "empty.csv", tmp_path / "o.jsonl", progress=False)
    assert summary["documents"] == 0 and "holds no documents" in caplog.text
