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


def test_atomic_folder_replacement_never_shows_a_half_deleted_folder(tmp_path, monkeypatch):
    import domainkit.atomic as atomic

    target = tmp_path / "model"
    target.mkdir()
    (target / "vocab.txt").write_text("old")
    (target / "weights").write_text("old")
    seen = []

    def rmtree_seeing_the_target(path, *args, **kwargs):  # what a reader would see while the old one goes
        seen.append(sorted(p.name for p in target.iterdir()))
        raise KeyboardInterrupt  # killed while deleting

    monkeypatch.setattr(atomic.shutil, "rmtree", rmtree_seeing_the_target)
    try:
        with atomic.atomic_path(target) as tmp:
            tmp.mkdir()
            (tmp / "vocab.txt").write_text("new")
            (tmp / "weights").write_text("new")
    except KeyboardInterrupt:
        pass
    assert seen[0] == ["vocab.txt", "weights"] and (target / "vocab.txt").read_text() == "new"


def test_atomic_writes_get_the_mode_of_a_new_file(tmp_path):
    import os

    from domainkit.heads._atomic import atomic_write_text

    previous = os.umask(0o027)
    try:
        atomic_write_text(tmp_path / "report.md", "scores")
    finally:
        os.umask(previous)
    assert (tmp_path / "report.md").stat().st_mode & 0o777 == 0o640  # mkstemp alone gives 0600


def test_a_folder_left_aside_by_a_killed_replacement_is_put_back_first(tmp_path):
    target = tmp_path / "model"
    aside = tmp_path / ".model.x1y2.old"  # killed after renaming the old folder aside
    aside.mkdir()
    (aside / "vocab.txt").write_text("old")
    with atomic_path(target) as tmp:
        assert (target / "vocab.txt").read_text() == "old"  # back in place before anything is written
        tmp.mkdir()
        (tmp / "vocab.txt").write_text("new")
    assert (target / "vocab.txt").read_text() == "new" and not aside.exists()
