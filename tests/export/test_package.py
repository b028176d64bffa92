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
