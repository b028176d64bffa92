import subprocess
import sys
import zipfile

import pytest

from domainkit.errors import ConfigError
from domainkit.export import package_model
import domainkit.export.package as package
from domainkit.export.package import model_version, package_fingerprint


@pytest.mark.slow
def test_package_wheel_installs_and_exposes_get_model_path(make_classifier, tmp_path):
    wheel = package_model(make_classifier(), tmp_path / "dist", name="tiny_organ_model", version="1.2.0")
    assert wheel.name == "tiny_organ_model-1.2.0-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    assert "tiny_organ_model/model/config.json" in names and "tiny_organ_model/model/model.safetensors" in names
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--target", str(site), str(wheel)], check=True)
    code = ("import tiny_organ_model as m; from transformers import AutoModelForSequenceClassification as A; "
            "print(A.from_pretrained(m.get_model_path()).config.id2label[0])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"PYTHONPATH": str(site), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
    assert result.stdout.strip().splitlines()[-1] == "cardio"


def test_package_rejects_a_bad_import_name(make_classifier, tmp_path):
    with pytest.raises(ConfigError, match="import name"):
        package_model(make_classifier(), tmp_path, name="Bad-Name")


def _as_export(model_dir, parent, *, manifest=None, readme=None):
    """The tiny model moved to PARENT/model, the folder name every `domainkit run` export has."""
    import json
    import shutil

    folder = parent / "model"
    shutil.copytree(model_dir, folder)
    if manifest is not None:
        (folder / "export_manifest.json").write_text(json.dumps(manifest))
    if readme is not None:
        (folder / "README.md").write_text(readme)
    return folder


def test_default_name_of_a_generic_export_folder_comes_from_pack_and_task(make_classifier, tmp_path):
    from domainkit.export.package import default_package_name

    folder = _as_export(make_classifier(), tmp_path / "06-export",
                        manifest={"variants": ["fp32"], "pack": "medical", "task": "hpo-organ-system"})
    assert default_package_name(folder) == "domainkit_medical_hpo_organ_system"


def test_default_name_falls_back_to_the_model_card_tags(make_classifier, tmp_path):
    from domainkit.export.package import default_package_name

    readme = "---\nlicense: other\ntags:\n- domainkit\n- legal\n- license-category\n---\n\n# domainkit model\n"
    folder = _as_export(make_classifier(), tmp_path / "06-export", manifest={"variants": ["fp32"]}, readme=readme)
    assert default_package_name(folder) == "domainkit_legal_license_category"


def test_a_generic_folder_without_pack_and_task_needs_a_name(make_classifier, tmp_path):
    from domainkit.export.package import default_package_name

    folder = _as_export(make_classifier(), tmp_path / "06-export")
    with pytest.raises(ConfigError, match="says nothing about the model") as error:
        default_package_name(folder)
    assert "--name" in error.value.hint


def test_models_on_own_documents_are_named_by_their_run_folder(make_classifier, tmp_path):
    # Every --data run has the task "own-documents": named by it, two models would install over each other.
    from domainkit.export.package import default_package_name

    manifest = {"variants": ["fp32"], "pack": "legal", "task": "own-documents"}
    first = _as_export(make_classifier(), tmp_path / "contracts-v2" / "06-export", manifest=manifest)
    second = _as_export(make_classifier(), tmp_path / "leases" / "06-export", manifest=manifest)
    assert (default_package_name(first), default_package_name(second)) == ("contracts_v2", "leases")
    nameless = _as_export(make_classifier(), tmp_path / "elsewhere", manifest=manifest)
    with pytest.raises(ConfigError, match="your own documents") as error:
        default_package_name(nameless)
    assert "--name" in error.value.hint


def test_a_meaningful_folder_name_is_the_default_name(make_classifier, tmp_path):
    from domainkit.export.package import default_package_name

    model = make_classifier()
    folder = model.rename(tmp_path / "Radiology-Triage")
    assert default_package_name(folder) == "radiology_triage"


def test_package_rejects_a_version_that_is_not_pep_440(make_classifier, tmp_path):
    with pytest.raises(ConfigError, match="PEP 440"):
        package_model(make_classifier(), tmp_path, name="tiny_model", version="one")


def test_package_refuses_an_existing_wheel_before_building(make_classifier, tmp_path, monkeypatch):
    import domainkit.export.package as package

    (tmp_path / "tiny_model-1.0rc1-py3-none-any.whl").write_bytes(b"old")

    def no_build(*args, **kwargs):
        raise AssertionError("built a wheel that cannot be written")

    monkeypatch.setattr(package.subprocess, "run", no_build)
    monkeypatch.setattr(package, "_copy_model_files", no_build)
    with pytest.raises(ConfigError, match="exists already") as error:
        package_model(make_classifier(), tmp_path, name="tiny_model", version="1.0-rc1")  # normalised: 1.0rc1
    assert "--version" in error.value.hint
    assert (tmp_path / "tiny_model-1.0rc1-py3-none-any.whl").read_bytes() == b"old"


@pytest.mark.slow
def test_cli_package_names_an_export_by_its_card_and_takes_a_version(make_classifier, tmp_path):
    from typer.testing import CliRunner

    from domainkit.cli import app

    runner = CliRunner()
    folder = _as_export(make_classifier(), tmp_path / "06-export",
                        manifest={"variants": ["fp32"], "pack": "medical", "task": "organ"})
    dist = tmp_path / "dist"
    default = model_version(package_fingerprint(folder))
    first = runner.invoke(app, ["package", str(folder), "--out", str(dist)])
    assert first.exit_code == 0, first.output
    assert f"domainkit_medical_organ-{default}-py3-none-any.whl" in first.output
    again = runner.invoke(app, ["package", str(folder), "--out", str(dist)])  # the same model: the same version
    assert isinstance(again.exception, ConfigError) and "--version" in again.exception.hint
    bumped = runner.invoke(app, ["package", str(folder), "--out", str(dist), "--version", "0.2.0"])
    assert bumped.exit_code == 0, bumped.output
    assert sorted(p.name for p in dist.iterdir()) == [f"domainkit_medical_organ-{default}-py3-none-any.whl",
                                                      "domainkit_medical_organ-0.2.0-py3-none-any.whl"]
    bad = runner.invoke(app, ["package", str(folder), "--out", str(dist), "--version", "latest"])
    assert isinstance(bad.exception, ConfigError) and "PEP 440" in bad.exception.message


def test_default_version_is_distinct_per_model_and_pep_440(make_classifier, tmp_path):
    from packaging.version import Version

    first, retrained = make_classifier(seed=1), make_classifier(seed=2)  # same labels and config, other weights
    versions = [model_version(package_fingerprint(folder)) for folder in (first, retrained)]
    assert versions[0] != versions[1] and all(v.startswith("0.1.0+sha") for v in versions)
    assert [str(Version(v)) for v in versions] == versions  # valid and already normalised
    assert Version(versions[0]) != Version(versions[1])  # so pip installs the retrained model's wheel over the first
    assert model_version(package_fingerprint(first)) == versions[0]  # stable: the same model, the same version


def test_default_version_reads_only_the_files_the_wheel_carries(make_classifier, tmp_path):
    import shutil

    model = make_classifier()
    before = package_fingerprint(model)
    (model / "NOTES.txt").write_text("trained for ward 7")  # left out of the wheel
    (model / "extra.json").write_text("{}")
    assert package_fingerprint(model) == before
    installed = tmp_path / "installed"  # what the wheel holds: the kept files alone
    installed.mkdir()
    for name in package.packaged_files(model).kept:
        shutil.copy(model / name, installed / name)
    assert package_fingerprint(installed) == before


@pytest.mark.parametrize("under", ["", "sub"])
def test_package_refuses_an_out_that_is_or_lies_under_a_file(make_classifier, tmp_path, under):
    blocking = tmp_path / "docs.txt"
    blocking.write_text("a file")
    with pytest.raises(ConfigError, match=r"cannot be a folder: .*docs\.txt is a file"):
        package_model(make_classifier(), blocking / under if under else blocking, name="tiny_model")
    assert blocking.read_text() == "a file"


def test_default_version_covers_an_onnx_graph_packaged_alone(make_classifier, tmp_path):
    from domainkit.export.onnx import export_onnx

    graphs = [export_onnx(make_classifier(seed=seed), tmp_path / f"onnx{seed}").parent for seed in (1, 2)]
    assert package_fingerprint(graphs[0]) != package_fingerprint(graphs[1])


@pytest.mark.slow
def test_package_records_the_models_fingerprint_and_default_version(make_classifier, tmp_path):
    model = make_classifier()
    wheel = package_model(model, tmp_path / "dist", name="tiny_fp_model")
    fingerprint = package_fingerprint(model)
    assert wheel.name == f"tiny_fp_model-0.1.0+sha{fingerprint[:12]}-py3-none-any.whl"
    init = zipfile.ZipFile(wheel).read("tiny_fp_model/__init__.py").decode()
    assert f'MODEL_FINGERPRINT = "{fingerprint}"' in init and f'__version__ = "0.1.0+sha{fingerprint[:12]}"' in init


# -- only a model folder, and only its files, go into a wheel ------------------------------------
def _run_folder(root, model):
    import json
    import shutil

    root.mkdir()
    (root / "config.json").write_text(json.dumps({"config": {}, "config_hash": "abc", "versions": {}}))
    (root / "01-data").mkdir()
    (root / "01-data" / "data.json").write_text('{"texts": ["client document"]}')
    shutil.copytree(model, root / "06-export" / "model")
    return root


def test_package_refuses_a_run_folder_with_a_hint_to_its_model(make_classifier, tmp_path, monkeypatch):
    import domainkit.export.package as package
    from domainkit.errors import ModelError

    run = _run_folder(tmp_path / "run1", make_classifier())
    monkeypatch.setattr(package.subprocess, "run", lambda *a, **k: pytest.fail("built a wheel of a run folder"))
    with pytest.raises(ModelError, match="run1 is not a model folder") as error:
        package_model(run, tmp_path / "dist", name="run1")
    assert error.value.hint == f"did you mean {run / '06-export' / 'model'}?"
    assert not (tmp_path / "dist").exists()


def test_package_refuses_a_folder_whose_config_is_no_model_config(tmp_path):
    from domainkit.errors import ModelError

    folder = tmp_path / "notamodel"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    (folder / "memo.txt").write_text("privileged memo")
    with pytest.raises(ModelError, match="not a model config"):
        package_model(folder, tmp_path / "dist", name="notamodel")


def _with_strays(model):
    import shutil

    shutil.rmtree(model / "_vocab", ignore_errors=True)  # the test tokenizer's source folder: a stray itself
    (model / "memo.txt").write_text("privileged memo")
    (model / "checkpoint-5").mkdir()
    (model / "checkpoint-5" / "optimizer.pt").write_bytes(b"pickle")
    (model / "pytorch_model.bin").write_bytes(b"pickle")
    (model / "int8").mkdir()
    (model / "int8" / "config.json").write_text((model / "config.json").read_text())
    (model / "int8" / "rng_state.pth").write_bytes(b"pickle")
    (model / "model.pkl").write_bytes(b"pickle")
    return model


def test_packaged_files_are_an_allow_list_of_the_models_own_files(make_classifier):
    from domainkit.export.package import packaged_files

    files = packaged_files(_with_strays(make_classifier()))
    assert files.left_out == ("checkpoint-5/", "int8/rng_state.pth", "memo.txt", "model.pkl", "pytorch_model.bin")
    assert {"config.json", "model.safetensors", "int8/config.json"} <= set(files.kept)
    assert not any(name.endswith((".pt", ".pth", ".bin", ".pkl", ".txt")) and name != "vocab.txt"
                   for name in files.kept)


def test_packaged_files_keep_a_phi_taggers_card(make_classifier):
    from domainkit.export.package import packaged_files

    model = make_classifier()
    (model / "tagger_card.json").write_text('{"warning": "trained on notes holding PHI"}')
    assert "tagger_card.json" in packaged_files(model).kept  # the only file carrying the PHI warning


def test_package_refuses_a_folder_with_pickle_weights_only(make_classifier, tmp_path):
    from domainkit.errors import ModelError

    model = make_classifier()
    (model / "model.safetensors").rename(model / "pytorch_model.bin")
    with pytest.raises(ModelError, match="holds no weights a wheel may carry") as error:
        package_model(model, tmp_path / "dist", name="tiny_pickle_model")
    assert "safe_serialization" in error.value.hint


@pytest.mark.slow
def test_cli_package_copies_only_model_files_and_lists_what_it_left_out(make_classifier, tmp_path):
    from typer.testing import CliRunner

    from domainkit.cli import app

    model = _with_strays(make_classifier())
    result = CliRunner().invoke(app, ["package", str(model), "--out", str(tmp_path / "dist"),
                                      "--name", "tiny_clean_model", "--version", "1.0"])
    assert result.exit_code == 0, result.output
    assert ("left out of the wheel (5, not model files): checkpoint-5/, int8/rng_state.pth, memo.txt, model.pkl, "
            "pytorch_model.bin") in result.output
    names = zipfile.ZipFile(tmp_path / "dist" / "tiny_clean_model-1.0-py3-none-any.whl").namelist()
    assert "tiny_clean_model/model/model.safetensors" in names and "tiny_clean_model/model/int8/config.json" in names
    assert not [n for n in names if any(s in n for s in ("memo", "checkpoint", ".pt", ".bin", ".pkl"))]


# -- names the wheel must not take ------------------------------------------------------------------
@pytest.mark.parametrize(("name", "why"), [
    ("import", "is a Python keyword"), ("class", "is a Python keyword"),
    ("transformers", "installed distribution 'transformers'"), ("domainkit", "installed distribution 'domainkit'"),
    ("torch", "installed distribution 'torch'"), ("json", "standard-library module"),
    ("sklearn", "importable module"),  # the import name of the scikit-learn distribution
])
def test_package_refuses_a_name_it_would_take_over(make_classifier, tmp_path, name, why):
    model = _as_export(make_classifier(), tmp_path / "06-export",
                       manifest={"variants": ["fp32"], "pack": "medical", "task": "organ"})
    with pytest.raises(ConfigError, match=why) as error:
        package_model(model, tmp_path / "dist", name=name)
    assert "'domainkit_medical_organ'" in error.value.hint  # the default naming, suggested by name


def test_package_name_check_allows_a_model_wheel_and_a_bare_folder(tmp_path, monkeypatch):
    from domainkit.export.package import check_package_name

    (tmp_path / "older_model" / "model").mkdir(parents=True)  # an installed domainkit model package: replaced
    (tmp_path / "older_model" / "__init__.py").write_text("")
    (tmp_path / "older_model" / "model" / "config.json").write_text("{}")
    (tmp_path / "some_folder").mkdir()  # a namespace package only: nothing is shadowed
    (tmp_path / "real_module.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    check_package_name("older_model")
    check_package_name("some_folder")
    with pytest.raises(ConfigError, match="importable module"):
        check_package_name("real_module")


def test_a_wheel_copy_cut_short_leaves_no_wheel_under_its_name(make_classifier, tmp_path, monkeypatch):
    copy = package.shutil.copyfile

    def cut_short(source, destination, **kwargs):  # only the wheel's copy into --out is cut short
        if not str(source).endswith(".whl"):
            return copy(source, destination, **kwargs)
        with open(destination, "wb") as partial:
            partial.write(b"PK\x03\x04 half a wheel")
        raise KeyboardInterrupt

    monkeypatch.setattr(package.shutil, "copyfile", cut_short)
    with pytest.raises(KeyboardInterrupt):
        package_model(make_classifier(), tmp_path / "dist", name="tiny_organ_model", version="1.2.0")
    assert list((tmp_path / "dist").iterdir()) == []  # neither a broken wheel nor a temporary one
    monkeypatch.setattr(package.shutil, "copyfile", copy)
    wheel = package_model(make_classifier(), tmp_path / "dist", name="tiny_organ_model", version="1.2.0")
    assert zipfile.ZipFile(wheel).testzip() is None  # the rerun is not refused, and its wheel is whole


def test_a_default_name_that_is_taken_asks_for_a_name_of_ones_own(make_classifier, tmp_path):
    from domainkit.export.package import default_package_name

    folder = make_classifier().rename(tmp_path / "csv")  # the standard library's csv module
    with pytest.raises(ConfigError) as refused:  # as `domainkit package FOLDER` calls it, without --name
        package_model(folder, tmp_path / "dist", name=default_package_name(folder))
    assert "pass --name" in refused.value.hint and "leave out --name" not in refused.value.hint
