"""The stages of a run, in data-flow order.

raw corpus -> de-identify -> teacher (fine-tuned on the task, cached) ->
labels-only baseline -> continued distillation -> evaluation + report -> export.
The baseline comes before distillation because it is also half of the soft
labels' ensemble (``distill.soft_labels``, see ``domainkit.distill.ensemble``).

Each stage reads what earlier stages wrote in the run folder (never the raw
corpus again, so nothing downstream sees text that de-identification removed).
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from domainkit.atomic import write_json
from domainkit.data.taskdata import TaskData
from domainkit.deid.policy import DeidPolicy
from domainkit.log import get_logger
from domainkit.runner.packdata import content_fingerprint, pack_pool, pack_task_data
from domainkit.runner.pipeline import RunContext, Stage
from domainkit.runner.rundir import TOP_LEVEL_REPORT, fingerprint

log = get_logger(__name__)


# -- 01 data ---------------------------------------------------------------
def deid_policy(ctx: RunContext) -> DeidPolicy:
    """The policy this run applies: the pack's, or forced on/off by ``run.deid``."""
    choice = ctx.config.run.deid
    policy = ctx.pack.deid_policy
    if choice == "on":
        return DeidPolicy(**{**policy.__dict__, "enabled": True})
    if choice == "off":
        return DeidPolicy(**{**policy.__dict__, "enabled": False})
    return policy


def _own_documents(ctx: RunContext) -> TaskData:
    from domainkit.data.byod import ColumnSpec, load_own_documents

    cfg = ctx.config
    columns = ColumnSpec(text=cfg.data.text_column, label=cfg.data.label_column,
                         labels=cfg.data.labels_column, separator=cfg.data.label_separator)
    return load_own_documents(Path(cfg.data.path), columns,
                              test_path=Path(cfg.data.test_path) if cfg.data.test_path else None,
                              test_size=cfg.data.test_size, seed=cfg.run.seed)


def _read_data(ctx: RunContext) -> tuple[TaskData, list[str]]:
    """The labelled data (checked, subsampled, validation split off) and the pack's raw pool."""
    cfg = ctx.config
    data = _own_documents(ctx) if ctx.own_data else pack_task_data(ctx)
    data = data.subsample(cfg.data.max_train or None, cfg.data.max_test or None, cfg.run.seed)
    if data.multi_label:
        data = _with_validation(data, cfg.run.seed)
    pool: list[str] = []
    if not ctx.own_data and cfg.distill.pool_limit > 0:
        # Validation texts too: multi-label thresholds are tuned on them after distillation.
        # Twice the limit is asked for, so that the pool still fills after the near-copies go.
        pool = pack_pool(ctx, _held_out(data), limit=2 * cfg.distill.pool_limit)
    return data, pool


def _held_out(data: TaskData) -> list[str]:
    return list(data.test_texts) + list(data.validation_texts)


def loaded_data(ctx: RunContext) -> tuple[TaskData, list[str]]:
    """:func:`_read_data`, once per run: the data check, the stage's inputs and the stage share it."""
    if "data" not in ctx.cache:
        ctx.cache["data"] = _read_data(ctx)
    return ctx.cache["data"]


def data_check(ctx: RunContext) -> None:
    """Before the run folder is made: the --data files exist, and the data loads and is usable.

    Loading here (it is kept for the stage) means a misspelled column, a class too small to split or a
    pack breaking its contract is refused before a run folder exists, so the corrected command starts clean.
    """
    if ctx.own_data:
        _own_files(ctx)  # the missing-file message names its option (--data or --test-data)
    loaded_data(ctx)


def _redact(deidentifier: Any, data: TaskData, pool: list[str]) -> tuple[TaskData, list[str], dict[str, Any]]:
    from domainkit.deid import Audit

    from tqdm.auto import tqdm

    audit = Audit()
    # Long documents (licences, contracts) make this stage minutes long: use
    # every core, and show progress (counts only, never text).
    workers = max(1, min(2, os.cpu_count() or 1))

    def redact(texts: list[str]) -> list[str]:
        out = []
        redactions = deidentifier.redact_many(texts, workers=workers if len(texts) > 200 else 1)
        for redaction in tqdm(redactions, total=len(texts), desc="de-identify", unit="doc", leave=False):
            audit.add(redaction)
            out.append(redaction.text)
        return out

    data.train_texts = redact(data.train_texts)
    data.test_texts = redact(data.test_texts)
    data.validation_texts = redact(data.validation_texts)
    return data, redact(pool), audit.to_dict()


def _deidentifier(policy: DeidPolicy) -> Any:
    """The run's de-identifier, which also checks its labels; every rule when the run redacts nothing."""
    if not policy.enabled:
        return None  # domainkit.deid.labels then uses every rule
    from domainkit.deid import Deidentifier

    return Deidentifier(policy)


#: Share of a multi-label task's training documents held out to tune per-label thresholds.
VALIDATION_FRACTION = 0.1


def _with_validation(data: TaskData, seed: int) -> TaskData:
    """Split off the validation documents; too few near-duplicate groups keep 0.5 thresholds."""
    try:
        return data.split_validation(VALIDATION_FRACTION, seed=seed)
    except ValueError as reason:
        log.warning("no validation split (thresholds stay at 0.5): %s", reason)
        data.split_info = dict(data.split_info, validation={"skipped": str(reason)})
        return data


def run_data(ctx: RunContext, workdir: Path) -> dict[str, Any]:
    from domainkit.deid.labels import warn_if_labels_identify

    cfg = ctx.config
    data, pool = loaded_data(ctx)
    policy = deid_policy(ctx)
    deidentifier = _deidentifier(policy)
    # Labels are written as they are (the model names its predictions with them): say so when they identify.
    warn_if_labels_identify(data.label_names, deidentifier)
    pool_dropped = 0
    if not ctx.own_data and cfg.distill.pool_limit > 0:
        from domainkit.data.pool_filter import drop_near_held_out
        from domainkit.data.splits import seeded_subset

        pool, pool_dropped = drop_near_held_out(pool, _held_out(data))
        pool = seeded_subset(pool, cfg.distill.pool_limit, cfg.run.seed)
    audit: dict[str, Any] = {"enabled": False}
    if policy.enabled:
        data, pool, audit = _redact(deidentifier, data, pool)
        audit["enabled"] = True
    if ctx.own_data:
        # Counted on the text the models will read (de-identified), and recorded for the report and the card.
        data.split_info = dict(data.split_info, over_window=_over_window(ctx, data))
    data_dict = data.to_dict()
    write_json(workdir / "data.json", data_dict)
    write_json(workdir / "pool.json", pool)
    write_json(workdir / "deid-audit.json", audit)
    log.info("data: %d train, %d test, %d pool texts (%d left out as near-copies or pieces of test or "
             "validation texts), %d labels", len(data.train_texts), len(data.test_texts), len(pool), pool_dropped,
             len(data.label_names))
    return {"data": str(workdir / "data.json"), "pool": str(workdir / "pool.json"),
            "content": content_of(data, data_dict, pool), "task": data.task,
            "kind": data.kind, "n_train": len(data.train_texts), "n_test": len(data.test_texts),
            "n_pool": len(pool), "pool_near_held_out_dropped": pool_dropped, "n_validation": len(data.validation_texts), "labels": data.label_names, "split": data.split_info, "deid": audit}


def _over_window(ctx: RunContext, data: TaskData) -> dict[str, Any]:
    """How many training and test documents run past the students' window, and how they are read.

    Own documents only: a pack's task says whether its documents are long, the user's files do not,
    and contracts or discharge letters routinely run past 128 word pieces. Cut silently, a model would
    be trained and scored on the openings of documents alone. Counts only, never text. Validation
    documents (multi-label) are training documents held out for thresholds: counted with training.
    """
    from transformers import AutoTokenizer

    from domainkit.heads.long_document import longer_than

    window = _window_overrides(ctx)
    length = window["max_length"]
    tokenizer = AutoTokenizer.from_pretrained(_student_folder(ctx))
    training = list(data.train_texts) + list(data.validation_texts)
    counts = {"max_length": length, "windows": window["long_documents"],
              "train": longer_than(tokenizer, training, length), "n_train": len(training),
              "test": longer_than(tokenizer, data.test_texts, length), "n_test": len(data.test_texts)}
    _log_over_window(counts)
    return counts


def _log_over_window(counts: dict[str, Any]) -> None:
    from domainkit.evaluation.report import over_window_counts

    if not (counts["train"] or counts["test"]):
        return
    found = over_window_counts(counts, "are")
    if counts["windows"]:
        log.info("%s: they are read in overlapping windows (data.long_documents)", found)
    else:
        log.warning("%s: only their first %d word pieces are read, the rest is cut; --set data.long_documents=true "
                    "reads them in overlapping windows (run.max_windows caps them)", found, counts["max_length"])


def content_of(data: TaskData, written: dict[str, Any], pool: list[str]) -> str:
    """The data stage's ``content`` output: one digest over the whole dataset and pool.

    It is an output, so later stages see changed data even where paths and counts agree. It is
    taken of ``written`` (what data.json holds) with the split's own group names in place of the
    ``g0, g1, ...`` written for them, which is the dict data.json held before the names were
    numbered: data that comes out the same keeps the fingerprint an older run folder recorded, and
    that folder's later stages are reused. Those names are hashes of raw text; only this one
    digest of the whole dataset is kept, never a hash per document (see ``opaque_groups``).
    """
    return fingerprint({"data": {**written, "train_groups": data.train_groups}, "pool": pool})


def _own_files(ctx: RunContext) -> list[str]:
    """The --data and --test-data paths given, each checked readable (a DataError naming its option)."""
    from domainkit.data.byod import require_readable

    given = {"--data": ctx.config.data.path, "--test-data": ctx.config.data.test_path}
    for option, path in given.items():
        if path:
            require_readable(Path(path), option)
    return [path for path in given.values() if path]


def data_inputs(ctx: RunContext) -> dict[str, Any]:
    """What the data stage's result depends on; any change redoes it (and every later stage it changes).

    Own documents: the files' checksums. A pack's task: the pack, the distribution that provides it
    and its version (an upgrade), and one digest of all the rows the pack returned (an edited corpus
    in an editable install keeps its version; see ``content_fingerprint``: no hash per row). Both:
    the de-identification policy and rules.
    """
    if ctx.own_data:
        from domainkit.data.byod import sha256_of

        # Hashing comes before the data stage reads the files: _own_files checks them, by option, first.
        return {"files": {path: sha256_of(Path(path)) for path in _own_files(ctx)}, **_deid_inputs(ctx)}
    from domainkit.packs.registry import distribution_of

    distribution, version = distribution_of(ctx.pack.name)
    return {"pack": ctx.pack.name, "distribution": distribution, "pack_version": version, "task": ctx.task,
            "pack_data": content_fingerprint(*loaded_data(ctx)), **_deid_inputs(ctx)}


def _deid_inputs(ctx: RunContext) -> dict[str, Any]:
    """The policy, and when it redacts, the rules' fingerprint: new rules de-identify the data again."""
    from domainkit.deid.version import rules_fingerprint

    policy = deid_policy(ctx)
    return {"deid_policy": policy.__dict__, **({"deid_rules": rules_fingerprint()} if policy.enabled else {})}


def load_data(ctx: RunContext) -> tuple[TaskData, list[str]]:
    outputs = ctx.outputs["data"]
    data = TaskData.from_dict(json.loads(Path(outputs["data"]).read_text()))
    pool = json.loads(Path(outputs["pool"]).read_text())
    return data, pool


#: Windows per long training document when neither ``run.train_windows`` nor ``run.max_windows`` caps them:
#: every window of every licence (``--preset full``) would multiply the teacher's and students' work.
DEFAULT_TRAIN_WINDOWS = 4


def training_windows_per_document(ctx: RunContext) -> int:
    """Windows per long training document: ``run.train_windows``, else as many as evaluation pools."""
    run = ctx.config.run
    return run.train_windows or run.max_windows or DEFAULT_TRAIN_WINDOWS


def training_data(ctx: RunContext) -> tuple[TaskData, list[str]]:
    """The data the teacher and the students train on: long documents as their windows.

    Evaluation pools the logits of each document's first ``run.max_windows``
    windows; a model trained on the opening window alone is then scored on
    text it never saw. So for long-document tasks each training document is
    cut into the same windows (by the student's word pieces), each labelled as
    its document. Other tasks train on the texts as they are.
    """
    data, pool = load_data(ctx)
    window = _window_overrides(ctx)
    if not window["long_documents"]:
        return data, pool
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(_student_folder(ctx))
    windowed = data.with_training_windows(
        tokenizer, max_length=window["max_length"], stride=window["stride"],
        max_windows=training_windows_per_document(ctx), selection=window["window_selection"],
    )
    info = windowed.split_info["training_windows"]
    info["scored_windows"] = window["max_windows"]  # evaluation and predict pool this many (0 = all)
    log.info("long documents: %d training documents as %d windows (at most %s each)",
             info["documents"], info["windows"], info["max_windows"] or "all")
    return windowed, pool


# -- 02 teacher ------------------------------------------------------------
def resolve_teacher(ctx: RunContext) -> tuple[str, Path, list[str]]:
    """The first model of ``run.teacher`` or the pack's teacher chain that is here, with safe weights.

    Also the teacher stage's check, so a chain that resolves nowhere stops the run before the data
    stage, naming the pack's chain and what to do.
    """
    from domainkit.errors import ModelError
    from domainkit.models.resolve import NO_MODEL_OF_CHAIN, default_teacher_hint, first_available
    from domainkit.models.safety import check_weights

    cfg = ctx.config
    chain = (cfg.run.teacher,) if cfg.run.teacher else tuple(ctx.pack.teacher_chain)
    try:
        reference, folder, skipped = first_available(chain, allow_network=cfg.run.allow_network)
    except ModelError as error:
        source = "run.teacher" if cfg.run.teacher else f"the teacher_chain of pack {ctx.pack.name!r}"
        raise ModelError(f"no teacher: no model of {source} is available here; tried "
                         + error.message.removeprefix(NO_MODEL_OF_CHAIN),
                         hint=default_teacher_hint("; nothing was written, so the same --out can be used")) from None
    check_weights(folder, allow_pickle=cfg.run.allow_pickle)
    return reference, folder, skipped


def run_teacher(ctx: RunContext, workdir: Path) -> dict[str, Any]:
    from domainkit.distill.teacher import prepare_teacher
    from domainkit.paths import teachers_dir

    cfg = ctx.config
    reference, folder, skipped = resolve_teacher(ctx)
    for reason in skipped:
        log.info("teacher chain: skipped %s", reason)
    data, _ = training_data(ctx)
    result = prepare_teacher(folder, data, cfg.teacher, cache_root=teachers_dir(), out_dir=workdir / "teacher")
    # The teacher folder is shared through the teacher cache: its thresholds live in this run's outputs.
    thresholds = _tuned_thresholds(ctx, result.model_dir, data, teacher=True)
    return {"reference": reference, "skipped": skipped, "model_dir": str(result.model_dir),
            "scores": result.scores, "reused": result.reused, "fingerprint": result.fingerprint,
            "thresholds": thresholds}


def _window_overrides(ctx: RunContext, *, teacher: bool = False) -> dict[str, Any]:
    """How the run reads documents: window, long documents, stride and window cap (evaluation, thresholds, exported settings).

    ``teacher``: the teacher's window, ``teacher.max_length``, at which its head was fitted and its
    stage scores taken; the students read ``distill.max_length`` (the two are equal by default).
    """
    from domainkit.heads.long_document import default_stride

    spec = None if ctx.own_data else ctx.pack.task(ctx.task)
    # A pack's task says whether its documents are long; own documents are windowed when asked
    # (data.long_documents), since nothing in the files says so.
    long_documents = bool(spec and spec.long_documents) or ctx.config.data.long_documents
    length = (ctx.config.teacher if teacher else ctx.config.distill).max_length
    return {"max_length": length, "long_documents": long_documents, "stride": default_stride(length),
            "max_windows": ctx.config.run.max_windows if long_documents else 0,
            "window_selection": ctx.config.run.window_selection}


def _tuned_thresholds(ctx: RunContext, model_dir: Path, data: TaskData, *, teacher: bool = False
                      ) -> dict[str, float] | None:
    """Per-label thresholds on the validation split (multi-label tasks only; else None), at the model's window."""
    if not (data.multi_label and data.validation_texts):
        return None
    from domainkit.runner.thresholds import tune_for_model

    return tune_for_model(model_dir, data, **_window_overrides(ctx, teacher=teacher))


def _store_thresholds(ctx: RunContext, model_dir: Path, data: TaskData) -> dict[str, float] | None:
    thresholds = _tuned_thresholds(ctx, model_dir, data)
    if thresholds is not None:
        from domainkit.runner.thresholds import store_in_model

        store_in_model(model_dir, thresholds)
    return thresholds


# -- 03 baseline / 04 distill -----------------------------------------------
def _student_folder(ctx: RunContext) -> Path:
    from domainkit.models.resolve import resolve_model
    from domainkit.models.safety import check_weights

    reference = ctx.config.run.student or ctx.pack.student
    folder = resolve_model(reference, allow_network=ctx.config.run.allow_network)
    check_weights(folder, allow_pickle=ctx.config.run.allow_pickle)
    return folder


def _layer_count(folder: Path) -> int | None:
    """Transformer layers in a model folder's config.json; None when it does not say (stage 04 decides then)."""
    try:
        from transformers import AutoConfig

        return int(AutoConfig.from_pretrained(folder).num_hidden_layers)
    except Exception:  # noqa: BLE001 - an unreadable config is the stage's own error to report
        return None


def distill_check(ctx: RunContext) -> Path:
    """Stage 04's check: the student is here with safe weights, and an explicit layer map fits both models.

    A layer map naming a layer the student or teacher lacks would otherwise be refused only at stage
    04, after the teacher and baseline stages ran. The teacher stage keeps the teacher's layers, and
    ``distill.init_from_teacher`` keeps every other one, so both counts are known from the folders.
    """
    from domainkit.distill.config import resolve_layer_map
    from domainkit.distill.student_init import kept_layers

    student = _student_folder(ctx)
    cfg = ctx.config.distill
    if isinstance(cfg.layer_map, str):  # 'last' and 'uniform' fit any pair of models
        return student
    teacher_layers = _layer_count(resolve_teacher(ctx)[1])
    if teacher_layers is None:
        return student
    student_layers = len(kept_layers(teacher_layers, 2)) if cfg.init_from_teacher else _layer_count(student)
    if student_layers is not None:
        resolve_layer_map(cfg.layer_map, student_layers, teacher_layers)
    return student


def run_distill(ctx: RunContext, workdir: Path) -> dict[str, Any]:
    from domainkit.distill.api import distill
    from domainkit.paths import teacher_outputs_dir

    data, pool = training_data(ctx)
    teacher_dir = Path(ctx.outputs["teacher"]["model_dir"])
    baseline = ctx.outputs.get("baseline")  # absent when run.baselines is off: the teacher alone gives soft labels
    result = distill(_student_folder(ctx), teacher_dir, data, pool, ctx.config.distill,
                     out_dir=workdir, cache_dir=teacher_outputs_dir(), resume=True, refuse_other_checkpoints=False,
                     companion_dir=Path(baseline["model_dir"]) if baseline else None)
    _write_inference_settings(ctx, result.model_dir)
    thresholds = _store_thresholds(ctx, result.model_dir, data)
    _settings_beside_adapters(result.model_dir)
    return {"model_dir": str(result.model_dir), "report": result.report, "thresholds": thresholds,
            "training_windows": data.split_info.get("training_windows")}


def _settings_beside_adapters(model_dir: Path) -> None:
    """A LoRA run's domain adapters (``adapter/<task>/``) read as its merged model does.

    ``DomainAdapters`` loads an adapter without the merged model folder, so the window, long
    documents, thresholds and de-identification policy go beside each adapter too.
    """
    from domainkit.distill.adapters import saved_domains
    from domainkit.heads.settings import read_settings, write_settings

    settings = read_settings(Path(model_dir))
    for domain in saved_domains(Path(model_dir).with_name("adapter")):  # none when the folder is missing
        write_settings(Path(model_dir).with_name("adapter") / domain, settings)


def _write_inference_settings(ctx: RunContext, model_dir: Path) -> None:
    """Record how the model is meant to be run (window, long documents, de-id policy).

    Exported with the model, so ``domainkit predict`` applies the same window
    and the pack's de-identification policy; plain transformers ignores it.
    """
    from domainkit.heads.settings import InferenceSettings, write_settings

    window = _window_overrides(ctx)
    write_settings(Path(model_dir), InferenceSettings(
        max_length=window["max_length"], long_documents=window["long_documents"], stride=window["stride"],
        max_windows=window["max_windows"], window_selection=window["window_selection"], deid_policy={**deid_policy(ctx).__dict__}))


def run_baseline(ctx: RunContext, workdir: Path) -> dict[str, Any]:
    from domainkit.distill.api import finetune_only

    data, _ = training_data(ctx)
    result = finetune_only(_student_folder(ctx), data, ctx.config.distill, out_dir=workdir, resume=True,
                           refuse_other_checkpoints=False)
    _write_inference_settings(ctx, result.model_dir)
    thresholds = _store_thresholds(ctx, result.model_dir, data)
    _settings_beside_adapters(result.model_dir)
    return {"model_dir": str(result.model_dir), "report": result.report, "thresholds": thresholds}


def student_inputs(ctx: RunContext) -> dict[str, Any]:
    return {"student": ctx.config.run.student or ctx.pack.student}


# -- 05 evaluate -----------------------------------------------------------
def _reported_split(ctx: RunContext, data: TaskData) -> dict[str, Any]:
    """The split as reports and the model card describe it: with the training windows, when the models trained on windows."""
    windows = ctx.outputs["distill"].get("training_windows")
    return {**data.split_info, "training_windows": windows} if windows else data.split_info


REPORT_FILES = tuple(name for name in TOP_LEVEL_REPORT if name != "plots")


def _publish_report(workdir: Path, root: Path) -> None:
    """Copy the report and its plots from the stage folder to the run folder's top."""
    import shutil

    from domainkit.atomic import atomic_path

    for name in REPORT_FILES:
        with atomic_path(root / name) as tmp:
            shutil.copyfile(workdir / name, tmp)
    if (workdir / "plots").is_dir():
        with atomic_path(root / "plots") as tmp:
            shutil.copytree(workdir / "plots", tmp)


def _seconds_so_far(ctx: RunContext) -> float:
    """Wall seconds of the stages this run used before evaluation (run now or reused), none other."""
    return sum(ctx.stage_seconds.values())


def run_evaluate(ctx: RunContext, workdir: Path) -> dict[str, Any]:
    from domainkit.evaluation.suite import evaluate_run

    data, _ = load_data(ctx)
    data = replace(data, split_info=_reported_split(ctx, data))  # TF-IDF still reads the whole documents
    models = {"teacher": Path(ctx.outputs["teacher"]["model_dir"]),
              "student": Path(ctx.outputs["distill"]["model_dir"])}
    history = {"student": ctx.outputs["distill"]["report"].get("history", [])}
    if "baseline" in ctx.outputs:
        models["student_finetune_only"] = Path(ctx.outputs["baseline"]["model_dir"])
        history["student_finetune_only"] = ctx.outputs["baseline"]["report"].get("history", [])
    report = evaluate_run(models, data, out_dir=workdir, **_window_overrides(ctx),
                          teacher_max_length=ctx.config.teacher.max_length, pack=ctx.pack.name, preset=ctx.config.preset, history=history, seed=ctx.config.run.seed,
                          previous_seconds=_seconds_so_far(ctx),
                          thresholds={"teacher": ctx.outputs["teacher"].get("thresholds")},
                          metrics=() if ctx.own_data else ctx.pack.evaluation_suite(ctx.task))
    _publish_report(workdir, ctx.folder.root)
    keep = ("retention", "speedup_vs_teacher", "int8_speedup", "int8_agreement", "onnx_agreement", "wall_seconds",
            "evaluation_suite")
    return {"report": str(ctx.folder.root / "report.json"), "models": report["models"],
            **{key: report.get(key) for key in keep}}


# -- 06 export -------------------------------------------------------------
#: Test texts used for the export's int8/ONNX parity check.
PARITY_TEXTS = 100

def _card_report(evaluation: dict[str, Any]) -> dict[str, Any] | None:
    """What the model card renders of the evaluation: every model's scores and the task's suite."""
    if not evaluation.get("models"):
        return None
    # The whole test set's int8/ONNX agreement: the card quotes it rather than the export's sample check.
    return {"models": evaluation["models"], "evaluation_suite": evaluation.get("evaluation_suite") or [],
            **{key: evaluation.get(key) for key in ("int8_agreement", "onnx_agreement")}}


#: What the card says of a run on the user's own documents: no path (it may name a patient or a client).
OWN_DATA_SOURCE = {"name": "user documents", "source": "the user's own labelled documents (--data)",
                   "licence": "the user's own"}


def _data_sources(ctx: RunContext) -> list[dict[str, str]]:
    """The card's data sources: the pack's corpora with their licences (HPO's CC BY 4.0 asks for attribution)."""
    if ctx.own_data:
        return [dict(OWN_DATA_SOURCE)]
    return [{"name": c.name, "source": c.source, "licence": c.licence} for c in ctx.pack.corpora]


def export_card(ctx: RunContext, data: TaskData, policy: DeidPolicy) -> dict[str, Any]:
    """The model card's fields, under the keys ``domainkit.export.card.render_card`` reads."""
    return {
        "pack": ctx.pack.name,
        "task": data.task,
        "kind": data.kind,
        "labels": data.label_names,
        "n_train": len(data.train_texts),
        "n_test": len(data.test_texts),
        "data_sources": _data_sources(ctx),
        "own_documents": ctx.own_data,  # the card's limitations say the model may reflect them
        "teacher": ctx.outputs["teacher"]["reference"],
        "base_model": ctx.config.run.student or ctx.pack.student,
        "name": f"domainkit-{ctx.pack.name}-{data.task}",
        # The report's model table (and the student's scores for the card's metadata), not raw dicts.
        "report": _card_report(ctx.outputs.get("evaluate", {})),
        "deid_policy": {**policy.__dict__},
        "split": _reported_split(ctx, data),
        "distillation": ctx.outputs["distill"]["report"],
    }


def run_export(ctx: RunContext, workdir: Path) -> dict[str, Any]:
    from domainkit.export import export_model

    data, _ = load_data(ctx)
    card = export_card(ctx, data, deid_policy(ctx))
    # force: the folder is this stage's own; an interrupted export is redone whole.
    # Parity (int8 and ONNX vs fp32) on a sample of test texts: the full test
    # split was already scored in the report, and long documents make every
    # extra pass over it cost minutes.
    folder = export_model(Path(ctx.outputs["distill"]["model_dir"]), workdir / "model", card=card,
                          parity_texts=data.test_texts[:PARITY_TEXTS], force=True)
    return {"model_dir": str(folder)}


def default_stages() -> list[Stage]:
    """The stages of ``domainkit run``, in order."""
    return [
        Stage("data", run_data, inputs=data_inputs, check=data_check),
        Stage("teacher", run_teacher, check=resolve_teacher),
        Stage("baseline", run_baseline, inputs=student_inputs, enabled=lambda ctx: ctx.config.run.baselines),
        Stage("distill", run_distill, inputs=student_inputs, check=distill_check),
        Stage("evaluate", run_evaluate),
        Stage("export", run_export),
    ]
