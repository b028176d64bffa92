import pytest

from domainkit.atomic import atomic_path, write_json


def test_atomic_failed_write_keeps_previous_file(tmp_path):
    target = tmp_path / "a.json"
    write_json(target, {"v": 1})
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("partial")
            raise RuntimeError("crash")
    assert target.read_text().strip().startswith("{") and '"v": 1' in target.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_atomic_replaces_folders(tmp_path):
    target = tmp_path / "model"
    for version in ("1", "2"):
        with atomic_path(target) as tmp:
            tmp.mkdir()
            (tmp / "weights").write_text(version)
    assert (target / "weights").read_text() == "2"


def test_unwritable_reason_names_the_system_reason_only(tmp_path, monkeypatch):
    import tempfile

    from domainkit.atomic import unwritable_reason

    assert unwritable_reason(tmp_path) is None
    assert list(tmp_path.iterdir()) == []  # the probe file is gone
    (tmp_path / "plain").write_text("")
    assert unwritable_reason(tmp_path / "plain")  # a file is no folder

    def refuse(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    assert unwritable_reason(tmp_path) == "Operation not permitted"
