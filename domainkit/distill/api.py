"""Entry points the run pipeline calls: ``distill`` and ``finetune_only`` (the labels-only baseline)."""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import AutoTokenizer, TrainingArguments, set_seed

from domainkit.atomic import share_like_new_files
from domainkit.checkpoints import claim_checkpoints, last_complete_checkpoint, training_key
from domainkit.data.taskdata import TaskData
from domainkit.distill.collator import DistillCollator, ExampleDataset
from domainkit.distill.config import TEACHER_ONLY, TEACHER_AND_FINETUNED, DistillConfig, resolve_layer_map
from domainkit.distill.ensemble import FinetunedCompanion, blend_records
from domainkit.distill.encoding import LABELLED, POOL, Example, encode_examples
from domainkit.distill.fingerprint import model_fingerprint, weights_fingerprint
from domainkit.distill.hardware import decide_bf16, training_attention
from domainkit.distill.losses import HiddenProjector
from domainkit.distill.student import DistillStudent, attach_mlm_head, build_classifier
from domainkit.distill.teacher_cache import TeacherCache
from domainkit.distill.teacher_outputs import TaskTeacher, TeacherRunner, has_mlm_head, load_mlm_teacher
from domainkit.distill.trainer import DistillationTrainer, LossPlan
from domainkit.distill.vocab import bridge_vocabularies
from domainkit.errors import ConfigError
from domainkit.log import get_logger

CACHED, IN_LOOP = "cached", "in_loop"
log = get_logger(__name__)


@dataclass
class DistillResult:
    model_dir: Path
    report: dict[str, Any]


def distill(
    student_dir: Path,
    teacher_dir: Path,
    data: TaskData,
    pool: list[str],
    cfg: DistillConfig,
    *,
    out_dir: Path,
    cache_dir: Path,
    resume: bool = True,
    mlm_teacher_dir: Path | None = None,
    teacher_mode: str = CACHED,
    companion_dir: Path | None = None,
    refuse_other_checkpoints: bool = True,
) -> DistillResult:
    """Continue distilling ``student_dir`` from the task teacher on the labelled split plus ``pool``.

    ``mlm_teacher_dir``: a checkpoint with an MLM head for MLM-KL (default: the teacher if it has one).
    ``teacher_mode="in_loop"`` runs the teacher every step instead of the cache (benchmark baseline).
    ``companion_dir``: the labels-only student; with ``cfg.soft_labels="teacher+finetuned"`` the soft
    labels are the mean of its and the teacher's probabilities (see ``ensemble.py``).
    ``refuse_other_checkpoints``: checkpoints another training left in ``out_dir`` are refused
    (the default) or, when False, set aside (see ``checkpoints.claim_checkpoints``).
    """
    started = time.perf_counter()
    args = _training_args(cfg, out_dir / "checkpoints")
    if cfg.init_from_teacher:  # DistilBERT: the student is the teacher with one layer in two
        from domainkit.distill.student_init import init_student_from_teacher

        student_dir = out_dir / "student_init"
        # Rank 0 writes the folder; under torchrun the other ranks wait, then read it (never write it).
        with args.main_process_first(desc="student init"):
            if args.process_index == 0:
                init_student_from_teacher(teacher_dir, student_dir)
    # Every randomly initialised module (classifier head, hidden projection, MLM head) is drawn from
    # the config's seed, not from whatever ran earlier in the process: the same config and seed give
    # the same student. Trainer seeds again, too late for modules built before it.
    set_seed(cfg.seed)
    tokenizer = AutoTokenizer.from_pretrained(student_dir)
    teacher = TaskTeacher(teacher_dir, data.label_names)
    bridge = bridge_vocabularies(tokenizer, teacher.tokenizer)
    classifier = _trainable_classifier(student_dir, data, cfg)
    copied_from = None
    if cfg.init_from_teacher:  # 'uniform' aligns each student layer with the teacher layer it was copied from
        from domainkit.distill.student_init import kept_layers

        copied_from = kept_layers(teacher.num_layers, 2)
    pairs = resolve_layer_map(cfg.layer_map, classifier.config.num_hidden_layers, teacher.num_layers, copied_from)
    mlm_source = mlm_teacher_dir or (teacher_dir if has_mlm_head(teacher_dir) else None)
    if mlm_teacher_dir is not None:
        _require_teacher_vocabulary(Path(mlm_teacher_dir), teacher)
    pool = pool[: cfg.pool_limit]
    plan = _plan(cfg, data, teacher, bridge.token_aligned, mlm_source, pool, pairs)
    if not plan.active:  # training would only move the weights by weight decay, and call that a student
        reasons = "; ".join(f"{term}: {why}" for term, why in plan.skipped.items())
        raise ConfigError(f"no distillation term is active ({reasons})",
                          hint="fit the teacher's head on this task (prepare_teacher), give unlabelled pool texts, "
                               "or set a weight above 0 for a term that can run")
    # built now, before the teacher cache fill, whose random draws (if any) depend on what was cached
    model, init_notes = _student(classifier, student_dir, plan, teacher.width, len(pairs))

    examples, texts = _encode(tokenizer, data, pool, cfg, with_words=not bridge.token_aligned)
    mlm_teacher = load_mlm_teacher(mlm_source) if "mlm_kl" in plan.active else None
    layers = tuple(sorted({t for _, t in pairs})) if "hidden" in plan.active else ()
    companion, soft_source = _companion(cfg, plan, companion_dir, tokenizer, len(data.label_names))
    runner = TeacherRunner(teacher, bridge, layers=layers, top_k=cfg.top_k, multi_label=data.multi_label,
                           max_length=cfg.max_length, batch_size=max(cfg.batch_size, 32), mlm_teacher=mlm_teacher,
                           bf16=decide_bf16(cfg.bf16)[0], device=args.device)
    cache_stats: dict[str, Any] = {"mode": teacher_mode}
    if teacher_mode == CACHED:
        with args.main_process_first(desc="teacher cache"):  # rank 0 fills the cache, the others read it
            cache = TeacherCache(cache_dir, model_fingerprint(teacher_dir), _cache_spec(cfg, data, bridge, layers, mlm_source if "mlm_kl" in plan.active else None))
            teacher_started = time.perf_counter()
            records = cache.ensure([e.key for e in examples], lambda idx: runner.compute([examples[i] for i in idx], [texts[i] for i in idx]))
        cache_stats.update(folder=str(cache.folder), computed=cache.computed, reused=len(examples) - cache.computed,
                           teacher_seconds=round(time.perf_counter() - teacher_started, 2))
        live = None
    else:
        records = None
        def live(indices: list[int]) -> list:  # noqa: E306 - the HF example's way: a teacher forward per step
            found = runner.compute([examples[i] for i in indices], [texts[i] for i in indices])
            if companion is None:
                return found
            mixed = companion.logits_for([examples[i] for i in indices])
            return blend_records(found, mixed, multi_label=data.multi_label, top_k=cfg.top_k)
    if companion is not None and records is not None:
        # Mixed in memory, never stored: the labels-only student changes every run, the teacher cache does not.
        companion_started = time.perf_counter()
        records = blend_records(records, companion.logits_for(examples), multi_label=data.multi_label, top_k=cfg.top_k)
        cache_stats["companion_seconds"] = round(time.perf_counter() - companion_started, 2)

    collator = DistillCollator(tokenizer.pad_token_id, len(data.label_names), data.multi_label, layers,
                               bridge.token_aligned, live_teacher=live)
    key = training_key(role="distill", config=_resumable_config(cfg), teacher=weights_fingerprint(teacher_dir),
                       student=weights_fingerprint(student_dir), examples=_examples_digest(examples),
                       teacher_mode=teacher_mode, mlm_teacher=mlm_source and weights_fingerprint(mlm_source),
                       companion=companion_dir and weights_fingerprint(companion_dir))
    history = _train(model, args, plan, ExampleDataset(examples, records), collator, tokenizer, resume, key,
                     refuse_others=refuse_other_checkpoints)
    checksum = _checksum(model)  # before rank 0 merges a LoRA adapter into the weights it saves
    model_dir = _save_student(model, tokenizer, out_dir / "model", args, student_dir)
    report = {
        "student_training": _training_scope(cfg, student_dir, model_dir),
        "student_checksum": checksum,
        "active_terms": {t: plan.weights[t] for t in plan.active},
        "skipped_terms": plan.skipped,
        "soft_labels": soft_source,
        "notes": init_notes,
        "vocab": bridge.describe(),
        "layer_map": [list(p) for p in pairs],
        "teacher": {"dir_name": Path(teacher_dir).name, "head": teacher.head_kind, "mlm_teacher": bool(mlm_source)},
        "teacher_cache": cache_stats,
        "examples": {"labelled": len(data.train_texts), "pool": len(pool)},
        "bf16": {"used": bool(args.bf16), "why": decide_bf16(cfg.bf16)[1]},
        "history": history,
        "wall_seconds": round(time.perf_counter() - started, 2),
        "config": cfg.to_dict(),
    }
    if args.should_save:  # rank 0 only under torchrun
        _write_json(out_dir / "distill_report.json", report)
    return DistillResult(model_dir, report)


def finetune_only(student_dir: Path, data: TaskData, cfg: DistillConfig, *, out_dir: Path, resume: bool = True,
                  refuse_other_checkpoints: bool = True) -> DistillResult:
    """The baseline: the same student, trainer and schedule, hard labels only (arguments as in ``distill``)."""
    started = time.perf_counter()
    set_seed(cfg.seed)  # the classifier head is drawn from the config's seed, as in distill()
    tokenizer = AutoTokenizer.from_pretrained(student_dir)
    classifier = _trainable_classifier(student_dir, data, cfg)
    plan = LossPlan(weights={"hard": 1.0}, skipped={"soft": "labels-only baseline", "hidden": "labels-only baseline",
                                                    "mlm": "labels-only baseline"}, multi_label=data.multi_label)
    examples, _ = _encode(tokenizer, data, [], cfg, with_words=False)
    args = _training_args(cfg, out_dir / "checkpoints")
    model = DistillStudent(classifier, mlm_head=None, projector=None)
    collator = DistillCollator(tokenizer.pad_token_id, len(data.label_names), data.multi_label, (), True)
    key = training_key(role="finetune_only", config=_resumable_config(cfg), student=weights_fingerprint(student_dir),
                       examples=_examples_digest(examples))
    history = _train(model, args, plan, ExampleDataset(examples, None), collator, tokenizer, resume, key,
                     refuse_others=refuse_other_checkpoints)
    checksum = _checksum(model)  # before rank 0 merges a LoRA adapter into the weights it saves
    model_dir = _save_student(model, tokenizer, out_dir / "model", args, student_dir)
    _wait_for_rank_zero()  # under torchrun the other ranks read this folder next (soft-label ensemble)
    report = {"student_checksum": checksum, "active_terms": {"hard": 1.0}, "skipped_terms": plan.skipped, "bf16": bool(args.bf16), "history": history,
              "student_training": _training_scope(cfg, student_dir, model_dir),
              "wall_seconds": round(time.perf_counter() - started, 2), "config": cfg.to_dict()}
    if args.should_save:  # rank 0 only under torchrun
        _write_json(out_dir / "distill_report.json", report)
    return DistillResult(model_dir, report)


def _trainable_classifier(student_dir: Path, data: TaskData, cfg: DistillConfig) -> torch.nn.Module:
    """The student classifier, with the attention implementation that trains fastest in this precision.

    With ``cfg.lora_r`` its encoder trains as a LoRA adapter named after the task (see ``adapters``).
    """
    classifier = build_classifier(student_dir, data, attn_implementation=training_attention(decide_bf16(cfg.bf16)[0]))
    if cfg.lora_r:
        from domainkit.distill.adapters import attach_lora

        attach_lora(classifier, data.task, r=cfg.lora_r, alpha=cfg.lora_alpha)
    return classifier


def _training_scope(cfg: DistillConfig, student_dir: Path, model_dir: Path) -> dict[str, Any]:
    """What of the student trained, for the report; with LoRA, where the domain adapter was saved."""
    if not cfg.lora_r:
        return {"method": "full", "why": "distill.lora_r = 0: every student weight trains"}
    return {"method": "lora", "r": cfg.lora_r, "alpha": cfg.lora_alpha, "adapter": str(model_dir.parent / "adapter"),
            "base": str(student_dir), "why": "distill.lora_r > 0: a LoRA adapter on the frozen encoder, plus the "
            "pooler and classifier; the saved model has the adapter merged in"}


def _plan(cfg: DistillConfig, data: TaskData, teacher: TaskTeacher, token_aligned: bool, mlm_source: Path | None,
          pool: list[str], pairs: tuple) -> LossPlan:
    weights = {"soft": cfg.alpha_ce, "hidden": cfg.alpha_hidden, "mlm": cfg.alpha_mlm, "mlm_kl": cfg.alpha_ce,
               "hard": cfg.alpha_hard}
    # MLM-KL is DistilBERT's L_ce on the MLM logits, so alpha_ce weighs it (see DistillConfig).
    weight_names = {"soft": "alpha_ce", "hidden": "alpha_hidden", "mlm": "alpha_mlm", "mlm_kl": "alpha_ce",
                    "hard": "alpha_hard"}
    skipped: dict[str, str] = {}
    for name, weight in list(weights.items()):
        if weight == 0:
            skipped[name] = f"distill.{weight_names[name]} is 0 in the config"
    reasons = {
        "soft": None if teacher.head_kind else "teacher has no head trained on this task's labels (run prepare_teacher on this task first)",
        "mlm": None if pool else "no unlabelled pool texts",
        "mlm_kl": ("no unlabelled pool texts" if not pool else
                   "teacher has no MLM head" if mlm_source is None else
                   "vocabularies differ: MLM logits cannot be mapped" if not token_aligned else None),
        "hidden": None if pairs else "empty layer map",
    }
    for name, reason in reasons.items():
        if reason and name not in skipped:
            skipped[name] = reason
    weights = {k: (0.0 if k in skipped else v) for k, v in weights.items()}
    return LossPlan(weights, skipped, data.multi_label, cfg.temperature, cfg.hidden_loss, pairs)


def _require_teacher_vocabulary(mlm_teacher_dir: Path, teacher: TaskTeacher) -> None:
    """The MLM teacher reads the task teacher's word-piece ids, so both need one vocabulary.

    Another vocabulary crashed the teacher pass (an id beyond its embeddings) or, at the same size,
    gave MLM-KL targets for the wrong word pieces without a word.
    """
    if AutoTokenizer.from_pretrained(mlm_teacher_dir).get_vocab() != teacher.tokenizer.get_vocab():
        raise ConfigError(
            f"MLM teacher {mlm_teacher_dir} has another vocabulary than the task teacher {teacher.folder}",
            hint="pass an MLM checkpoint of the task teacher's model family (same tokenizer), or leave "
                 "mlm_teacher_dir out (the MLM term then trains without the teacher's MLM soft labels)",
        )


def _companion(cfg: DistillConfig, plan: LossPlan, companion_dir: Path | None, tokenizer,
               num_labels: int) -> tuple[FinetunedCompanion | None, dict[str, str]]:
    """The labels-only student that joins the teacher for soft labels, and what the report says about it."""
    if "soft" not in plan.active:
        return None, {"source": "none", "why": plan.skipped.get("soft", "soft labels are off")}
    if cfg.soft_labels == TEACHER_ONLY:
        return None, {"source": TEACHER_ONLY, "why": "distill.soft_labels = 'teacher' in the config"}
    if companion_dir is None:
        return None, {"source": TEACHER_ONLY, "why": "no labels-only student to average with "
                                                     "(`domainkit run` trains one unless run.baselines = false)"}
    companion = FinetunedCompanion(companion_dir, tokenizer.pad_token_id)
    if companion.num_labels != num_labels:
        raise ConfigError(f"labels-only student {companion_dir} has {companion.num_labels} labels, the task has {num_labels}",
                          hint="pass the labels-only student trained on this task, or set distill.soft_labels = 'teacher'")
    if not companion.reads_like(tokenizer):  # distill.init_from_teacher: the student reads the teacher's word pieces
        log.warning("soft labels from the teacher alone: the labels-only student uses another tokenizer")
        return None, {"source": TEACHER_ONLY, "why": "the labels-only student reads other word pieces than the "
                                                     "distilled student (distill.init_from_teacher)"}
    return companion, {"source": TEACHER_AND_FINETUNED,
                       "why": "mean of the teacher's and the labels-only student's probabilities (ensemble)"}


def _encode(tokenizer, data: TaskData, pool: list[str], cfg: DistillConfig, *, with_words: bool) -> tuple[list[Example], list[str]]:
    common = {"max_length": cfg.max_length, "mlm_probability": cfg.mlm_probability, "seed": cfg.seed, "with_words": with_words}
    labelled = encode_examples(data.train_texts, data.train_label_ids, tokenizer, role=LABELLED, **common)
    unlabelled = encode_examples(pool, None, tokenizer, role=POOL, **common) if pool else []
    return labelled + unlabelled, list(data.train_texts) + list(pool)


def _cache_spec(cfg: DistillConfig, data: TaskData, bridge, layers: tuple, mlm_source: Path | None) -> dict[str, Any]:
    """Everything besides the teacher weights and the example that changes what a record holds.

    ``mlm_source``: the MLM teacher whose outputs the records hold, None when MLM-KL is off. Keyed
    only then: records written without MLM targets must not be found by a run that needs them.
    """
    return {
        "version": 1, "precision": "bf16" if decide_bf16(cfg.bf16)[0] else "fp32", "top_k": cfg.top_k, "layers": list(layers), "vocab": bridge.describe(),
        "multi_label": data.multi_label, "num_labels": len(data.label_names),
        "mlm_teacher": model_fingerprint(mlm_source) if mlm_source else None,
        "mlm_probability": cfg.mlm_probability, "mask_seed": cfg.seed,
        # word-aligned records (other tokenizers) no longer hold a word truncation cut short, and
        # their words run on through combining marks (NFD text): records made before either are not reused
        **({} if bridge.token_aligned else {"truncated_last_word": "dropped", "combining_marks": "in_word"}),
    }


def _student(classifier, student_dir: Path, plan: LossPlan, teacher_width: int, num_pairs: int) -> tuple[DistillStudent, list[str]]:
    notes = []
    mlm_head = None
    if "mlm" in plan.active or "mlm_kl" in plan.active:
        mlm_head, how = attach_mlm_head(classifier, student_dir)
        notes.append(f"mlm: {how}")
    projector = None
    if "hidden" in plan.active:
        projector = HiddenProjector(classifier.config.hidden_size, teacher_width, num_pairs)
        if projector.needs_projection:
            notes.append(f"hidden: learned projection {classifier.config.hidden_size} -> {teacher_width}")
    return DistillStudent(classifier, mlm_head=mlm_head, projector=projector), notes


def _training_args(cfg: DistillConfig, output_dir: Path) -> TrainingArguments:
    bf16, _ = decide_bf16(cfg.bf16)
    return TrainingArguments(
        output_dir=str(output_dir),
        num_train_epochs=cfg.epochs,
        learning_rate=cfg.learning_rate,
        per_device_train_batch_size=cfg.batch_size,
        warmup_steps=0.06,
        weight_decay=0.01,
        logging_steps=cfg.logging_steps,
        save_steps=cfg.save_steps,
        save_total_limit=2,
        seed=cfg.seed,
        bf16=bf16,
        use_cpu=not torch.cuda.is_available(),
        train_sampling_strategy="group_by_length",
        remove_unused_columns=False,  # the collator builds every tensor compute_loss reads
        ddp_find_unused_parameters=True,  # a batch without pool rows leaves the MLM head unused
        # gloo on CPU; only named under torchrun (a backend outside a process group makes accelerate fail)
        ddp_backend="gloo" if int(os.environ.get("WORLD_SIZE", "1")) > 1 and not torch.cuda.is_available() else None,
        report_to="none",
        disable_tqdm=os.environ.get("DOMAINKIT_QUIET") == "1",
        dataloader_num_workers=0,
    )


def _train(model, args, plan, dataset, collator, tokenizer, resume: bool, key: str,
           refuse_others: bool = True) -> list[dict[str, Any]]:
    """Train (resuming the last checkpoint when ``resume``); ``key`` names this training (see ``claim_checkpoints``)."""
    with args.main_process_first(desc="checkpoints"):  # rank 0 claims the folder, the others then read it
        if args.process_index == 0:
            claim_checkpoints(Path(args.output_dir), key, resume=resume, refuse_others=refuse_others)
    trainer = DistillationTrainer(model=model, args=args, train_dataset=dataset, data_collator=collator,
                                  processing_class=tokenizer, plan=plan)
    last = last_complete_checkpoint(Path(args.output_dir)) if resume else None
    trainer.train(resume_from_checkpoint=last)
    return [entry for entry in trainer.state.log_history if "loss" in entry or "train_runtime" in entry]


#: Settings a resume may change: more epochs continue a training; saving and logging are bookkeeping.
_RESUMABLE_CHANGES = ("epochs", "save_steps", "logging_steps")


def _resumable_config(cfg: DistillConfig) -> dict[str, Any]:
    """The config as the training key sees it (see ``claim_checkpoints``).

    A setting added in a later version counts only away from its default (as in ``RunConfig.digest``),
    so checkpoints written before it existed keep their key.
    """
    from domainkit.config import ADDED_FIELDS

    added = {name: default for (section, name), default in ADDED_FIELDS.items() if section == "distill"}
    return {k: v for k, v in cfg.to_dict().items()
            if k not in _RESUMABLE_CHANGES and not (k in added and v == added[k])}


def _examples_digest(examples: list) -> str:
    """What the training reads of its examples: their keys (text, length, tokenizer) and labels."""
    import hashlib

    digest = hashlib.sha256()
    for example in examples:
        digest.update(f"{example.key}\t{example.label}\n".encode())
    return digest.hexdigest()[:16]


def _save_student(model: DistillStudent, tokenizer, target: Path, args: TrainingArguments,
                  student_dir: Path) -> Path:
    """Plain save_pretrained classifier + tokenizer, written beside the target and renamed into place.

    A LoRA-trained student also leaves its domain adapter in ``target/../adapter/<task>`` and is
    saved with the adapter merged in, so that nothing downstream needs peft.
    """
    from domainkit.distill.adapters import has_lora, merge_lora, save_domain_adapter

    if not args.should_save:
        return target
    if has_lora(model.student):
        adapter = target.with_name("adapter")
        shutil.rmtree(adapter, ignore_errors=True)
        save_domain_adapter(model.student, adapter, base_fingerprint=model_fingerprint(student_dir))
        merge_lora(model.student)
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.student.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    share_like_new_files(tmp)
    if target.exists():
        shutil.rmtree(target)
    os.replace(tmp, target)
    return target


def _wait_for_rank_zero() -> None:
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        torch.distributed.barrier()


def _checksum(model: DistillStudent) -> float:
    """Sum of the student's weights: equal on every DDP rank when gradients were all-reduced.

    Taken before ``_save_student``: with LoRA, rank 0 alone merges the adapter into the base weights
    it saves, so a sum taken after would differ between ranks.
    """
    with torch.no_grad():
        return float(sum(p.double().sum() for p in model.student.parameters()))


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str))
    os.replace(tmp, path)
