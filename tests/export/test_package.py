import subprocess
import sys
import zipfile

import pytest

from domainkit.errors import ConfigError
from domainkit.export import package_model


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
    monkeypatch.setattr(package.shutil, "copytree", no_build)
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
    first = runner.invoke(app, ["package", str(folder), "--out", str(dist)])
    assert first.exit_code == 0, first.output
    assert "domainkit_medical_organ-0.1.0-py3-none-any.whl" in first.output
    again = runner.invoke(app, ["package", str(folder), "--out", str(dist)])
    assert isinstance(again.exception, ConfigError) and "--version" in again.exception.hint
    bumped = runner.invoke(app, ["package", str(folder), "--out", str(dist), "--version", "0.2.0"])
    assert bumped.exit_code == 0, bumped.output
    assert sorted(p.name for p in dist.iterdir()) == ["domainkit_medical_organ-0.1.0-py3-none-any.whl",
                                                      "domainkit_medical_organ-0.2.0-py3-none-any.whl"]
    bad = runner.invoke(app, ["package", str(folder), "--out", str(dist), "--version", "latest"])
    assert isinstance(bad.exception, ConfigError) and "PEP 440" in bad.exception.message
