from domainkit.checkpoints import last_complete_checkpoint


def test_an_incomplete_checkpoint_is_not_resumed_from(tmp_path):
    (tmp_path / "checkpoint-4").mkdir()
    (tmp_path / "checkpoint-4" / "trainer_state.json").write_text("{}")
    (tmp_path / "checkpoint-8").mkdir()  # killed while saving: no trainer_state.json
    assert last_complete_checkpoint(tmp_path) == str(tmp_path / "checkpoint-4")
    assert not (tmp_path / "checkpoint-8").exists()
    assert last_complete_checkpoint(tmp_path / "none") is None


def test_claimed_checkpoints_resume_only_under_the_same_key(tmp_path):
    import pytest

    from domainkit.checkpoints import claim_checkpoints
    from domainkit.errors import ConfigError

    folder = tmp_path / "checkpoints"
    claim_checkpoints(folder, "aaaa", resume=True)  # nothing there yet: the key is recorded
    (folder / "checkpoint-2").mkdir()
    (folder / "checkpoint-2" / "trainer_state.json").write_text("{}")
    claim_checkpoints(folder, "aaaa", resume=True)
    with pytest.raises(ConfigError, match="another training"):
        claim_checkpoints(folder, "bbbb", resume=True)
    assert (folder / "checkpoint-2").is_dir()  # refused: nothing moved


def test_checkpoints_without_a_key_from_earlier_versions_still_resume(tmp_path):
    from domainkit.checkpoints import claim_checkpoints

    (tmp_path / "checkpoint-2").mkdir()
    (tmp_path / "checkpoint-2" / "trainer_state.json").write_text("{}")
    claim_checkpoints(tmp_path, "aaaa", resume=True)
    assert last_complete_checkpoint(tmp_path) == str(tmp_path / "checkpoint-2")


def test_a_run_sets_another_trainings_checkpoints_aside_instead_of_refusing(tmp_path, caplog, monkeypatch):
    import logging

    from domainkit.checkpoints import claim_checkpoints
    from domainkit.log import get_logger

    get_logger("domainkit")  # configured, then let through to pytest's capture
    monkeypatch.setattr(logging.getLogger("domainkit"), "propagate", True)

    folder = tmp_path / "checkpoints"
    claim_checkpoints(folder, "aaaa", resume=True)
    (folder / "checkpoint-2").mkdir()
    (folder / "checkpoint-2" / "trainer_state.json").write_text("{}")
    claim_checkpoints(folder, "bbbb", resume=True, refuse_others=False)  # domainkit run: never stuck
    assert last_complete_checkpoint(folder) is None
    (aside,) = [p for p in tmp_path.iterdir() if p.name.startswith("checkpoints.replaced-")]
    assert (aside / "checkpoint-2").is_dir() and "another training" in caplog.text
