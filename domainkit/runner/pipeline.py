"""Orchestration of one run: stages in order, skipping finished ones.

Each stage is a plain function ``(ctx, workdir) -> outputs`` (see
``domainkit.runner.stages``) plus a function naming its inputs. A stage whose
manifest matches the config hash and its input fingerprints is skipped; an
interrupted stage (folder without manifest, started with the same inputs) runs
again and resumes from the checkpoints it left in its folder; a stage whose
inputs changed starts afresh, its earlier work set aside (see ``rundir``).

Before the run folder is touched, every enabled stage's ``check`` runs: the
inputs a stage can verify up front (a ``--data`` file that exists, the pack's
data, a teacher chain that resolves) fail the run there, leaving no folder
behind, so the corrected command can use the same ``--out``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domainkit.config import RunConfig
from domainkit.log import get_logger
from domainkit.network import offline_guard
from domainkit.packs.contract import DomainPack
from domainkit.runner.rundir import RunFolder, StageManifest, fingerprint, library_versions

log = get_logger(__name__)


@dataclass
class RunContext:
    """What stages share: the config, the pack, the folder and earlier outputs."""

    config: RunConfig
    pack: DomainPack
    folder: RunFolder
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Wall seconds of each stage this run used (run now, or finished earlier and reused).
    stage_seconds: dict[str, float] = field(default_factory=dict)
    #: What a stage's check or inputs read for the stage itself (the pack's loaded data), so that it
    #: is read once; emptied when the stage has run or been skipped.
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def task(self) -> str:
        return self.config.run.task or self.pack.default_task

    @property
    def own_data(self) -> bool:
        return bool(self.config.data.path)


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[RunContext, Path], dict[str, Any]]
    inputs: Callable[[RunContext], dict[str, Any]] = lambda ctx: {}
    enabled: Callable[[RunContext], bool] = lambda ctx: True
    #: Raises a DomainkitError for what would fail the stage, before the run folder is made (a value it
    #: returns, such as a resolved model folder, is not used: the stage resolves it again).
    check: Callable[[RunContext], object] = lambda ctx: None


def run_pipeline(config: RunConfig, pack: DomainPack, out: Path, stages: list[Stage]) -> RunContext:
    """Run ``stages`` into ``out``; returns the context with every stage's outputs."""
    folder = RunFolder(out)
    config_hash = config.digest()
    ctx = RunContext(config=config, pack=pack, folder=folder)
    with offline_guard(config.run.allow_network):
        for stage in stages:
            if stage.enabled(ctx):
                stage.check(ctx)  # nothing written yet: a failure here leaves no folder behind
        with folder.locked():
            if folder.release_if_nothing_made(config_hash):
                log.info("%s: the earlier run there made nothing; claimed for this configuration", folder.root)
            folder.claim(config.to_dict(), config_hash)
            for index, stage in enumerate(stages, start=1):
                if not stage.enabled(ctx):
                    log.info("stage %02d-%s: disabled by the config", index, stage.name)
                    continue
                ctx.outputs[stage.name] = _run_stage(ctx, index, stage, config_hash)
                ctx.cache.clear()  # what one stage (or its skip) loaded is not held through the next
    return ctx


def _run_stage(ctx: RunContext, index: int, stage: Stage, config_hash: str) -> dict[str, Any]:
    workdir = ctx.folder.stage_dir(index, stage.name)
    inputs = {key: fingerprint(value) for key, value in stage.inputs(ctx).items()}
    # Outputs of earlier stages are inputs too: a recomputed stage invalidates later ones.
    inputs["upstream"] = fingerprint({k: v.get("fingerprint", v) for k, v in ctx.outputs.items()})
    done = ctx.folder.finished(workdir, config_hash, inputs)
    if done is not None:
        log.info("stage %02d-%s: finished earlier, skipped", index, stage.name)
        ctx.stage_seconds[stage.name] = float(done.get("seconds", 0.0))
        return done["outputs"]
    resumed = ctx.folder.start(workdir, config_hash, inputs)
    log.info("stage %02d-%s: %s", index, stage.name, "resuming" if resumed else "running")
    started = time.perf_counter()
    outputs = ctx.folder.relative(stage.run(ctx, workdir))
    seconds = time.perf_counter() - started
    # The fingerprint is taken of the relative form, so a moved run folder still matches.
    outputs.setdefault("fingerprint", fingerprint(outputs))
    replaced = ctx.folder.replaced_outputs(workdir)
    if replaced is not None and replaced != outputs["fingerprint"]:
        # Before the manifest: a kill in between must not leave the stage finished and the old work in view.
        ctx.folder.set_aside_what_came_after(workdir)
    ctx.folder.record(workdir, StageManifest(stage.name, config_hash, inputs, outputs, library_versions(), seconds))
    ctx.stage_seconds[stage.name] = seconds
    log.info("stage %02d-%s: done in %.1f s", index, stage.name, seconds)
    return ctx.folder.absolute(outputs)
