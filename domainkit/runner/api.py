"""Entry points the CLI calls: resolve a pack's config, run it, summarise it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from domainkit.config import DataSection, RunConfig, resolve_config
from domainkit.data.taskdata import OWN_DOCUMENTS_TASK
from domainkit.errors import ConfigError
from domainkit.log import get_logger
from domainkit.packs.contract import DomainPack, TaskSpec
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
    _refuse_contradictions(config)
    if config.data.path:  # the user's own documents: multi-label when they name a labels column
        defaults = multi_label_defaults(multi_label=bool(config.data.labels_column), preset=preset)
    else:
        spec = pack.task(config.run.task or pack.default_task)  # unknown tasks fail here, listing the choices
        defaults = task_defaults(spec, preset)
        for section, values in pack.config_defaults(spec.name, preset).items():
            defaults.setdefault(section, {}).update(values)
    if not defaults:
        return config, pack
    config = resolve_config(pack_name, preset=preset, pack_defaults=defaults, run_file=run_file,
                            overrides=overrides, cli=cli)
    return config, pack


def _refuse_nothing_to_resume(out: Path) -> None:
    """``--resume`` promises to continue a run: a folder holding none would silently start afresh.

    A folder holding a run of another configuration is refused later, when the run claims it
    (naming the options that differ), as it is without ``--resume``.
    """
    from domainkit.runner.rundir import RUN_CONFIG_FILE

    if not (out / RUN_CONFIG_FILE).is_file():
        where = "does not exist" if not out.exists() else "holds no domainkit run"
        raise ConfigError(f"--resume: {out} {where}, so there is nothing to resume",
                          hint="name the interrupted run's folder with --out (the same options as when it "
                               "started), or drop --resume to start a new run")


def _refuse_contradictions(config: RunConfig) -> None:
    """Options that would be ignored, or that contradict each other, stop the run before it starts."""
    data, defaults = config.data, DataSection()
    if config.distill.lora_r and config.distill.init_from_teacher:
        raise ConfigError("distill.lora_r and distill.init_from_teacher both set: adapters go on a shared base "
                          "student, while init_from_teacher builds a new student from the teacher",
                          hint="set one of them to its default (lora_r = 0 or init_from_teacher = false)")
    if data.path:
        if config.run.task:
            raise ConfigError("--task names one of the pack's own tasks; with --data the task is your documents",
                              hint="drop --task (or run.task), or drop --data to run the pack's task")
        if data.test_path and data.test_size != defaults.test_size:
            raise ConfigError("data.test_size and --test-data both given: the test file is the held-out split",
                              hint="drop data.test_size, or drop --test-data to hold out a share of --data")
        if data.labels_column and data.label_column != defaults.label_column:
            raise ConfigError("--label-column and --labels-column both given: one label per document, or several?",
                              hint="keep --label-column for one label, or --labels-column (with --label-separator) "
                                   "for several")
        return
    ignored = [option for option, field_name in {**_OWN_DATA_OPTIONS, "data.test_size": "test_size"}.items()
               if getattr(data, field_name) != getattr(defaults, field_name)]
    if ignored:
        raise ConfigError(f"{', '.join(ignored)} only apply to your own documents, and no --data was given",
                          hint="add --data PATH, or drop those options to run the pack's own task")


#: Options about the user's own documents (``data`` section fields), by their command-line name.
_OWN_DATA_OPTIONS = {"--test-data": "test_path", "--text-column": "text_column", "--label-column": "label_column",
                     "--labels-column": "labels_column", "--label-separator": "label_separator"}


#: The smoke preset caps the task's window so a smoke run stays within minutes.
SMOKE_MAX_LENGTH = 64


#: Student epochs for multi-label tasks outside ``smoke`` (single-label tasks keep the preset's 5).
#: Twenty-one sigmoid outputs, several of them rare, learn more slowly than one softmax, and the
#: distilled student, which also learns the hidden-state and MLM objectives, more slowly still.
#: ``hpo-organ-systems``, one-off runs on a default run's data (validation / test macro-F1, thresholds
#: tuned on validation): labels-only 0.872 / 0.814 at 5 epochs, 0.889 / 0.830 at 8; distilled
#: 0.849 / 0.767 at 5, 0.901 / 0.834 at 8. On single-label ``hpo-organ-system`` a default run at 8
#: epochs scored no better than at 5 (test: distilled 0.845 vs 0.855, labels-only 0.862 vs 0.859)
#: and took 13.5 minutes instead of 10; on ``license-category`` the labels-only student scored lower at 8
#: (validation macro-F1 0.514 vs 0.577 at 5; 480 training licences, 120 held out, one-off runs).
MULTI_LABEL_EPOCHS = 8.0

#: Unlabelled pool texts for multi-label tasks outside ``smoke`` (the default preset takes 3000).
#: With 2000 the default run took 15.5 minutes; by its pace 3000 would take about 18, too close to 20.
#: ``hpo-organ-systems``, one-off runs (validation macro-F1 at 0.5 thresholds, 1599 training terms,
#: 8 epochs): labels-only 0.823; distilled with a pool of 600 0.804, of 2000 0.832.
MULTI_LABEL_POOL = 2000


def task_defaults(spec: TaskSpec, preset: str) -> dict[str, dict[str, Any]]:
    """Settings the task itself implies: its window length (capped for ``smoke``), epochs and pool size.

    Texts are padded per batch, so a generous window costs only for the texts
    that need it.
    """
    length = min(spec.max_length, SMOKE_MAX_LENGTH) if preset == "smoke" else spec.max_length
    defaults: dict[str, dict[str, Any]] = {"teacher": {"max_length": length}, "distill": {"max_length": length}}
    defaults["distill"].update(multi_label_defaults(multi_label=spec.kind == "multi_label", preset=preset).get("distill", {}))
    return defaults


def multi_label_defaults(*, multi_label: bool, preset: str) -> dict[str, dict[str, Any]]:
    """``MULTI_LABEL_EPOCHS`` and ``MULTI_LABEL_POOL`` for multi-label tasks outside ``smoke``; nothing otherwise."""
    if not multi_label or preset == "smoke":
        return {}
    return {"distill": {"epochs": MULTI_LABEL_EPOCHS, "pool_limit": MULTI_LABEL_POOL}}


def default_out(config: RunConfig, pack: DomainPack) -> Path:
    """``runs/PACK-TASK-PRESET-HASH``: the same command reuses its folder, another config gets a new one."""
    task = OWN_DOCUMENTS_TASK if config.data.path else (config.run.task or pack.default_task)
    return Path("runs") / f"{config.pack}-{task}-{config.preset}-{config.digest()[:8]}"


def _refuse_several_processes() -> None:
    """A run is one process: under torchrun each process would claim the run folder and run every stage.

    The stages around distillation (de-identification, evaluation, export) are not rank-aware; the
    distillation itself is, through ``domainkit.distill.api.distill`` in a script of one's own.
    """
    world_size = os.environ.get("WORLD_SIZE", "1")
    if world_size.isdigit() and int(world_size) > 1:
        raise ConfigError(
            f"domainkit run works in one process, and this one is one of {world_size} (WORLD_SIZE, set by torchrun)",
            hint="run `domainkit run` without torchrun; to distil with several processes, launch a script that "
                 "calls domainkit.distill.api.distill(...) under torchrun (see domainkit/distill/README.md)",
        )


def run_pack(
    pack_name: str,
    *,
    preset: str = "default",
    out: Path | None = None,
    run_file: Path | None = None,
    overrides: list[str] | None = None,
    cli: dict[str, dict[str, Any]] | None = None,
    resume: bool = False,
) -> RunContext:
    """Run ``pack_name`` into ``out``; ``resume``: ``out`` must hold a run (of this config) to continue."""
    from domainkit.runner.stages import default_stages
    from domainkit.runner.summary import print_summary

    _refuse_several_processes()

    config, pack = resolve_for_pack(pack_name, preset=preset, run_file=run_file, overrides=overrides, cli=cli)
    out = Path(out) if out is not None else default_out(config, pack)
    if resume:
        _refuse_nothing_to_resume(out)
    log.info("run %s (preset %s, config %s) -> %s", pack_name, preset, config.digest(), out)
    ctx = run_pipeline(config, pack, out, default_stages())
    print_summary(ctx)
    return ctx
