import sys

import pytest

from domainkit.errors import ModelError
from domainkit.models.resolve import default_teacher_hint, first_available, resolve_model
from domainkit.models.safety import check_weights, load_kwargs


def test_resolve_local_folder(tmp_path):
    assert resolve_model(str(tmp_path)) == tmp_path.resolve()


def test_resolve_package_reference(tmp_path, monkeypatch):
    weights = tmp_path / "weights"
    weights.mkdir()
    (weights / "config.json").write_text("{}")
    (tmp_path / "my_model_pkg.py").write_text(f"def get_model_path():\n    return {str(weights)!r}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert resolve_model("pkg:my-model-pkg") == weights
    sys.modules.pop("my_model_pkg", None)


def test_resolve_a_packaged_exports_variant_and_list_the_variants_it_has(tmp_path, monkeypatch):
    weights = tmp_path / "weights"
    for folder in (weights, weights / "int8", weights / "onnx"):
        folder.mkdir(parents=True)
        (folder / "config.json").write_text("{}")
    (tmp_path / "ward_model.py").write_text(f"def get_model_path():\n    return {str(weights)!r}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert resolve_model("pkg:ward-model/int8") == weights / "int8"
    assert resolve_model("pkg:ward_model/onnx") == weights / "onnx"
    with pytest.raises(ModelError, match="no 'fp16' variant; available: pkg:ward-model/int8, pkg:ward-model/onnx"):
        resolve_model("pkg:ward-model/fp16")
    with pytest.raises(ModelError, match="no '..' variant"):
        resolve_model("pkg:ward-model/..")
    sys.modules.pop("ward_model", None)


def test_resolve_missing_package_says_how_to_install():
    with pytest.raises(ModelError, match="pip install no-such-weights"):
        resolve_model("pkg:no_such_weights")


def test_resolve_store_model_not_pulled(dk_home):
    with pytest.raises(ModelError, match="domainkit models pull all-mpnet-base-v2"):
        resolve_model("store:all-mpnet-base-v2")
    with pytest.raises(ModelError, match="available: all-mpnet-base-v2"):
        resolve_model("store:all-mpnet")


def test_resolve_hub_id_offline_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    with pytest.raises(ModelError, match="not in the local cache and the network is off"):
        resolve_model("nlpaueb/legal-bert-base-uncased")


def test_resolve_chain_falls_back_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    ref, folder, skipped = first_available(["dmis-lab/biobert-base-cased-v1.2", str(tmp_path)])
    assert ref == str(tmp_path) and folder == tmp_path.resolve()
    assert skipped[0].startswith("dmis-lab/biobert-base-cased-v1.2:")


def test_safety_refuses_pickle_only_checkpoints(tmp_path):
    (tmp_path / "pytorch_model.bin").write_bytes(b"not really")
    with pytest.raises(ModelError, match="--allow-pickle"):
        check_weights(tmp_path)
    check_weights(tmp_path, allow_pickle=True)
    assert load_kwargs() == {"use_safetensors": True, "trust_remote_code": False}


def test_teacher_hint_names_the_installed_default_instead_of_pulling_it(dk_home):
    from domainkit.models.store import MANIFEST, store_path

    with pytest.raises(ModelError) as error:
        first_available(("nlpaueb/legal-bert-does-not-exist",))
    assert "domainkit models pull all-mpnet-base-v2" in error.value.hint  # not installed: pull it
    store_path("all-mpnet-base-v2").mkdir(parents=True)
    (store_path("all-mpnet-base-v2") / MANIFEST).write_text("{}")
    assert default_teacher_hint().startswith("all-mpnet-base-v2 is installed here: add --set run.teacher=store:")
    assert "pull" not in default_teacher_hint()
