"""Run settings the task implies (domainkit/runner/api.py): window length, epochs and pool size."""

from __future__ import annotations

import pytest

from domainkit.distill.config import DEFAULT_POOL
from domainkit.runner.api import MULTI_LABEL_EPOCHS, MULTI_LABEL_POOL, resolve_for_pack


@pytest.mark.parametrize(("task", "epochs"), [("hpo-organ-systems", MULTI_LABEL_EPOCHS), ("hpo-organ-system", 5.0)])
def test_default_run_trains_multi_label_tasks_longer(task: str, epochs: float) -> None:
    config, _ = resolve_for_pack("medical", overrides=[f"task={task}"])
    assert config.distill.epochs == epochs


def test_smoke_run_and_set_override_the_multi_label_epochs() -> None:
    smoke, _ = resolve_for_pack("medical", preset="smoke", overrides=["task=hpo-organ-systems"])
    assert smoke.distill.epochs == 1.0 and smoke.distill.max_length == 64
    chosen, _ = resolve_for_pack("medical", overrides=["task=hpo-organ-systems", "distill.epochs=3"])
    assert chosen.distill.epochs == 3.0


@pytest.mark.parametrize(("flag", "epochs"), [("data.labels_column=codes", MULTI_LABEL_EPOCHS), ("data.label_column=label", 5.0)])
def test_own_documents_with_a_labels_column_train_longer(flag: str, epochs: float) -> None:
    config, _ = resolve_for_pack("medical", overrides=["data.path=notes.csv", flag])
    assert config.distill.epochs == epochs


@pytest.mark.parametrize(
    ("pack", "task", "pool"),
    [("medical", "hpo-organ-system", DEFAULT_POOL), ("medical", "hpo-organ-systems", MULTI_LABEL_POOL),
     ("legal", "license-category", 200)],
)
def test_default_pool_size_follows_the_task(pack: str, task: str, pool: int) -> None:
    config, _ = resolve_for_pack(pack, overrides=[f"task={task}"])
    assert config.distill.pool_limit == pool


@pytest.mark.parametrize(("pack", "task", "preset", "weight"), [
    ("legal", "license-category", "default", 0.1),  # see LegalPack.config_defaults
    ("legal", "license-category", "smoke", 1.0), ("legal", "license-notice", "default", 1.0),
    ("medical", "hpo-organ-system", "default", 1.0),
])
def test_hidden_alignment_weight_is_lowered_for_the_default_licence_run_only(pack, task, preset, weight) -> None:
    config, _ = resolve_for_pack(pack, preset=preset, overrides=[f"task={task}"])
    assert config.distill.alpha_hidden == weight
    chosen, _ = resolve_for_pack(pack, preset=preset, overrides=[f"task={task}", "distill.alpha_hidden=0.5"])
    assert chosen.distill.alpha_hidden == 0.5


def test_smoke_run_and_set_override_the_pool_size() -> None:
    smoke, _ = resolve_for_pack("medical", preset="smoke", overrides=["task=hpo-organ-systems"])
    assert smoke.distill.pool_limit == 32
    chosen, _ = resolve_for_pack("medical", overrides=["task=hpo-organ-systems", "distill.pool_limit=50"])
    assert chosen.distill.pool_limit == 50


@pytest.mark.parametrize(("overrides", "message"), [
    (["data.label_column=specialty"], "--label-column only apply to your own documents"),
    (["data.text_column=note", "data.test_path=t.csv"], "--test-data, --text-column only apply"),
    (["data.path=notes.csv", "task=hpo-organ-system"], "with --data the task is your documents"),
    (["data.path=notes.csv", "data.label_column=a", "data.labels_column=b"], "both given"),
])
def test_options_that_would_be_ignored_or_contradict_stop_the_run(overrides: list[str], message: str) -> None:
    from domainkit.errors import ConfigError

    with pytest.raises(ConfigError, match=message):
        resolve_for_pack("medical", overrides=overrides)


@pytest.mark.parametrize(("overrides", "message"), [
    (["distill.lora_r=8", "distill.init_from_teacher=true"], "lora_r and distill.init_from_teacher"),
    (["data.test_size=0.3"], "data.test_size only apply"),
    (["data.path=n.csv", "data.test_path=t.csv", "data.test_size=0.3"], "test_size and --test-data"),
])
def test_more_options_that_cannot_go_together(overrides: list[str], message: str) -> None:
    from domainkit.errors import ConfigError

    with pytest.raises(ConfigError, match=message):
        resolve_for_pack("medical", overrides=overrides)


def test_a_run_under_torchrun_is_refused_before_anything_is_written(tmp_path, monkeypatch) -> None:
    from domainkit.errors import ConfigError
    from domainkit.runner.api import run_pack

    monkeypatch.setenv("WORLD_SIZE", "2")
    with pytest.raises(ConfigError, match="WORLD_SIZE") as refused:
        run_pack("medical", preset="smoke", out=tmp_path / "run")
    assert "distill.api.distill" in refused.value.hint
    assert not (tmp_path / "run").exists()
