"""`domainkit models list`: what it says of a store model must match what a run would find."""

from __future__ import annotations

from domainkit.atomic import write_json
from domainkit.models import inventory as inventory_module
from domainkit.models import store


def _installed(monkeypatch) -> None:
    """A store model installed by hand (config + weights + the record `pull` writes)."""
    entry = store.CatalogueEntry(name="tiny-model", description="test", wheels=("p",), archive_parts="x.",
                                 archive_sha256="0" * 64, folder_in_archive="tiny-model", licence="CC0-1.0")
    monkeypatch.setattr(store, "catalogue", lambda: {"tiny-model": entry})
    monkeypatch.setattr("domainkit.packs.registry.discover", lambda: [])
    folder = store.store_path("tiny-model")
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    (folder / "model.safetensors").write_bytes(b"weights")
    files = store._hash_folder(folder)
    write_json(folder / store.MANIFEST, {"name": "tiny-model", "weights_sha256": files["model.safetensors"],
                                         "files": files, "licence": "CC0-1.0"})


def test_inventory_a_store_model_with_a_changed_file_is_not_listed_as_verified(dk_home, monkeypatch):
    _installed(monkeypatch)
    [row] = inventory_module.inventory()["models"]
    assert row["installed"] and row["verified"] and "problem" not in row
    (store.store_path("tiny-model") / "model.safetensors").write_bytes(b"corrupted")
    [row] = inventory_module.inventory()["models"]
    assert row["installed"] and not row["verified"]
    assert "model.safetensors changed since pull" in row["problem"]


def test_inventory_status_says_why_a_reference_is_missing(dk_home, monkeypatch):
    _installed(monkeypatch)
    (store.store_path("tiny-model") / "config.json").unlink()
    status = inventory_module._status("store:tiny-model")
    assert status.startswith("missing: store model 'tiny-model': config.json is missing since pull")
    assert "domainkit models pull tiny-model --force" in status
