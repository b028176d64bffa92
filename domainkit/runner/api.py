"""Entry points the CLI calls: resolve a pack's config, run it, summarise it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from domainkit.config import RunConfig, resolve_config
from domainkit.log import get_logger
from domainkit.packs.contract import DomainPack
from domainkit.packs.registry import load_pack
from domainkit.runner.pipeline import RunContext, run_pipeline

log = get_logger(__name__)


def resolve_for_pack(
    pack_name: str,
    *,
    preset: str = "default",
    run_file: Path | None = None,
    overrides: list[str] | None = None,
    cli: dict[str, dict[str, Any]] | None = None,
) -> tuple[RunConfig, DomainPack]:
    """Load the pack and resolve the run config (validating the task name)."""
    pack = load_pack(pack_name)
    config = resolve_config(pack_name, preset=preset, run_file=run_file, overrides=overrides, cli=cli)
    if config.data.path:
        return config, pack
    spec = pack.task(config.run.task or pack.default_task)  # unknown tasks fail here, listing the choices
    defaults = task_defaults(spec.max_length, preset)
    for section, values in pack.config_defaults(spec.name, preset).items():
        defaults.setdefault(section, {}).update(values)
    config = resolve_config(pack_name, preset=preset, pack_defaults=defaults, run_file=run_file,
                            overrides=overrides, cli=cli)
    return config, pack


#: The smoke preset caps the task's window so a smoke run stays within minutes.
SMOKE_MAX_LENGTH = 64


def task_defaults(task_max_length: int, preset: str) -> dict[str, dict[str, Any]]:
    """The task's own window length for teacher and student (capped for ``smoke``).

    Texts are padded per batch, so a generous window costs only for the texts
    that need it.
    """
    length = min(task_max_length, SMOKE_MAX_LENGTH) if preset == "smoke" else task_max_length
    return {"teacher": {"max_length": length}, "distill": {"max_length": length}}


def default_out(config: RunConfig, pack: DomainPack) -> Path:
    """``runs/PACK-TASK-PRESET-HASH``: the same command reuses its folder, another config gets a new one."""
    task = "own-documents" if config.data.path else (config.run.task or pack.default_task)
    return Path("runs") / f"{config.pack}-{task}-{config.preset}-{config.digest()[:8]}"


def run_pack(
    pack_name: str,
    *,
    preset: str = "default",
    out: Path | None = None,
    run_file: Path | None = None,
    overrides: list[str] | None = None,
    cli: dict[str, dict[str, Any]] | None = None,
) -> RunContext:
    from domainkit.runner.stages import default_stages
    from domainkit.runner.summary import print_summary

    config, pack = resolve_for_pack(pack_name, preset=preset, run_file=run_file, overrides=overrides, cli=cli)
    out = Path(out) if out is not None else default_out(config, pack)
    log.info("run %s (preset %s, config %s) -> %s", pack_name, preset, config.digest(), out)
    ctx = run_pipeline(config, pack, out, default_stages())
    print_summary(ctx)
    return ctx
