import json

import pytest
from transformers import pipeline

from domainkit.distill.api import distill, finetune_only
from domainkit.distill.config import DistillConfig
from domainkit.distill.teacher import prepare_teacher
from domainkit.distill.config import TeacherConfig
from domainkit.errors import ConfigError

FAST = dict(epochs=1, batch_size=4, max_length=24, logging_steps=1, save_steps=1000, bf16=False, top_k=5)


@pytest.fixture
def head_teacher(tmp_path, teacher_dir, single_label_data):
    return prepare_teacher(teacher_dir, single_label_data, TeacherConfig(method="head", epochs=1),
                           cache_root=tmp_path / "teachers", out_dir=tmp_path / "teacher_out").model_dir


def test_api_distill_shifted_teacher_all_terms_and_pipeline_loads(tmp_path, student_dir, head_teacher,
                                                                   single_label_data, pool_texts):
    cfg = DistillConfig(layer_map="uniform", **FAST)
    result = distill(student_dir, head_teacher, single_label_data, pool_texts, cfg,
                     out_dir=tmp_path / "run", cache_dir=tmp_path / "cache")
    report = result.report
    assert report["vocab"]["relation"] == "shifted" and report["vocab"]["offset"] == 4
    assert set(report["active_terms"]) == {"soft", "hidden", "mlm", "hard"}
    assert report["skipped_terms"]["mlm_kl"] == "teacher has no MLM head"
    assert any("tied word embeddings" in n for n in report["notes"])
    assert report["layer_map"] == [[1, 2], [2, 4]]
    assert report["teacher_cache"]["computed"] == len(single_label_data.train_texts) + len(pool_texts)
    assert any("loss_hidden" in h for h in report["history"])
    clf = pipeline("text-classification", model=str(result.model_dir))
    assert clf("the patient has a fever")[0]["label"] in single_label_data.label_names
    assert json.loads((tmp_path / "run" / "distill_report.json").read_text())["vocab"]["relation"] == "shifted"
    # a second run reuses every cached teacher output
    again = distill(student_dir, head_teacher, single_label_data, pool_texts, cfg.replace(epochs=2),
                    out_dir=tmp_path / "run2", cache_dir=tmp_path / "cache")
    assert again.report["teacher_cache"]["computed"] == 0


def test_api_distill_as_a_lora_adapter_saves_the_adapter_and_a_merged_model(tmp_path, student_dir, head_teacher,
                                                                            single_label_data, pool_texts):
    from domainkit.distill.adapters import DomainAdapters

    cfg = DistillConfig(**{**FAST, "lora_r": 4})
    result = distill(student_dir, head_teacher, single_label_data, pool_texts, cfg,
                     out_dir=tmp_path / "run", cache_dir=tmp_path / "cache")
    assert result.report["student_training"]["method"] == "lora"
    assert {"soft", "hidden", "mlm", "hard"} <= set(result.report["active_terms"])
    clf = pipeline("text-classification", model=str(result.model_dir))  # merged: no peft needed
    assert clf("the patient has a fever")[0]["label"] in single_label_data.label_names
    adapters = DomainAdapters(student_dir)
    assert adapters.add(tmp_path / "run" / "adapter") == [single_label_data.task]


def test_api_distill_mlm_teacher_enables_mlm_kl(tmp_path, student_dir, mlm_teacher_dir, single_label_data, pool_texts):
    cfg = DistillConfig(**FAST)
    result = distill(student_dir, mlm_teacher_dir, single_label_data, pool_texts, cfg,
                     out_dir=tmp_path / "run", cache_dir=tmp_path / "cache")
    report = result.report
    assert report["vocab"]["relation"] == "identical"
    assert "mlm_kl" in report["active_terms"]
    assert report["skipped_terms"]["soft"].startswith("teacher has no head")
    assert any("loss_mlm_kl" in h for h in report["history"])


def test_api_cached_outputs_without_mlm_targets_are_not_reused_once_mlm_kl_is_on(tmp_path, student_dir, mlm_teacher_dir,
                                                                                 single_label_data, pool_texts):
    off = distill(student_dir, mlm_teacher_dir, single_label_data, pool_texts, DistillConfig(**{**FAST, "alpha_ce": 0.0}),
                  out_dir=tmp_path / "off", cache_dir=tmp_path / "cache").report
    assert off["skipped_terms"]["mlm_kl"] == "distill.alpha_ce is 0 in the config"
    on = distill(student_dir, mlm_teacher_dir, single_label_data, pool_texts, DistillConfig(**FAST),
                 out_dir=tmp_path / "on", cache_dir=tmp_path / "cache").report
    assert on["teacher_cache"]["computed"] == len(single_label_data.train_texts) + len(pool_texts)
    assert any("loss_mlm_kl" in h for h in on["history"])


def test_api_distill_different_tokenizer_word_alignment_multi_label(tmp_path, student_dir, char_teacher_dir,
                                                                    multi_label_data, pool_texts):
    cfg = DistillConfig(**FAST)
    result = distill(student_dir, char_teacher_dir, multi_label_data, pool_texts, cfg,
                     out_dir=tmp_path / "run", cache_dir=tmp_path / "cache")
    assert result.report["vocab"]["relation"] == "different"
    assert "hidden" in result.report["active_terms"]
    assert any(h.get("loss_hidden", 0) > 0 for h in result.report["history"])
    clf = pipeline("text-classification", model=str(result.model_dir), top_k=None)
    scores = clf(["left lung pain"])[0]
    scores = scores[0] if isinstance(scores[0], list) else scores
    assert {d["label"] for d in scores} == set(multi_label_data.label_names)


def test_api_finetune_only_is_hard_labels_only(tmp_path, student_dir, single_label_data):
    result = finetune_only(student_dir, single_label_data, DistillConfig(**FAST), out_dir=tmp_path / "base")
    assert list(result.report["active_terms"]) == ["hard"]
    assert (result.model_dir / "config.json").exists()


def test_api_resume_continues_from_last_checkpoint(tmp_path, student_dir, single_label_data, monkeypatch):
    from domainkit.distill.trainer import DistillationTrainer

    cfg = DistillConfig(**{**FAST, "save_steps": 1})
    finetune_only(student_dir, single_label_data, cfg, out_dir=tmp_path / "base")  # 3 steps of 4 examples
    calls = []
    original = DistillationTrainer.compute_loss
    monkeypatch.setattr(DistillationTrainer, "compute_loss", lambda self, *a, **k: calls.append(1) or original(self, *a, **k))
    more = finetune_only(student_dir, single_label_data, cfg.replace(epochs=2), out_dir=tmp_path / "base")
    assert len(calls) == 3  # only the second epoch ran: the first came from checkpoint-3
    assert max(h["step"] for h in more.report["history"] if "loss" in h) == 6


def test_api_a_run_resumed_in_its_second_epoch_trains_the_batches_an_uninterrupted_run_does(
        tmp_path, student_dir, single_label_data, monkeypatch):
    from domainkit.distill.collator import DistillCollator
    from domainkit.distill.trainer import DistillationTrainer

    batches = []
    collate = DistillCollator.__call__
    monkeypatch.setattr(DistillCollator, "__call__",
                        lambda self, items: batches.append(sorted(i["index"] for i in items)) or collate(self, items))
    cfg = DistillConfig(**{**FAST, "epochs": 2, "save_steps": 1})  # 3 steps of 4 examples per epoch
    finetune_only(student_dir, single_label_data, cfg, out_dir=tmp_path / "whole")
    uninterrupted = list(batches)
    batches.clear()
    original, calls = DistillationTrainer.compute_loss, []

    def interrupted_at_step_5(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DistillationTrainer, "compute_loss", interrupted_at_step_5)
    with pytest.raises(KeyboardInterrupt):
        finetune_only(student_dir, single_label_data, cfg, out_dir=tmp_path / "cut")
    before = batches[:4]
    batches.clear()
    monkeypatch.setattr(DistillationTrainer, "compute_loss", original)
    finetune_only(student_dir, single_label_data, cfg, out_dir=tmp_path / "cut")
    assert before + batches == uninterrupted
    assert uninterrupted[3:] != uninterrupted[:3]  # the second epoch has an order of its own


def test_api_resume_skips_a_checkpoint_killed_while_saving(tmp_path, student_dir, single_label_data, monkeypatch):
    from domainkit.distill.trainer import DistillationTrainer

    cfg = DistillConfig(**{**FAST, "save_steps": 1})
    finetune_only(student_dir, single_label_data, cfg, out_dir=tmp_path / "base")  # checkpoints 1 to 3
    (tmp_path / "base" / "checkpoints" / "checkpoint-99").mkdir()  # no trainer_state.json: cut off mid-save
    calls = []
    original = DistillationTrainer.compute_loss
    monkeypatch.setattr(DistillationTrainer, "compute_loss", lambda self, *a, **k: calls.append(1) or original(self, *a, **k))
    finetune_only(student_dir, single_label_data, cfg.replace(epochs=2), out_dir=tmp_path / "base")
    assert len(calls) == 3  # resumed from checkpoint-3, the newest complete one
    assert not (tmp_path / "base" / "checkpoints" / "checkpoint-99").exists()


def test_api_mlm_teacher_with_pieces_the_student_lacks_trains_to_finite_weights(tmp_path, student_dir,
                                                                                single_label_data, pool_texts):
    """A teacher whose vocabulary adds domain words may put its whole top-k on them at a masked position."""
    import torch
    from transformers import AutoModelForSequenceClassification, BertForMaskedLM

    from tiny_distill import bert_tokenizer, save_model, tiny_bert_config

    tokenizer = bert_tokenizer(tmp_path / "domain_tok")
    tokenizer.add_tokens(["myocarditis", "nephritis"])
    torch.manual_seed(2)
    teacher = BertForMaskedLM(tiny_bert_config(len(tokenizer), hidden=48, layers=4))
    with torch.no_grad():
        teacher.cls.predictions.bias[-2:] = 5.0  # the teacher's favourite pieces are its added words
    save_model(teacher, tokenizer, tmp_path / "domain_teacher")
    result = distill(student_dir, tmp_path / "domain_teacher", single_label_data, pool_texts,
                     DistillConfig(**{**FAST, "top_k": 2}), out_dir=tmp_path / "run", cache_dir=tmp_path / "cache")
    assert "mlm_kl" in result.report["active_terms"]
    assert all(torch.isfinite(torch.tensor(h["grad_norm"])) for h in result.report["history"] if "grad_norm" in h)
    student = AutoModelForSequenceClassification.from_pretrained(result.model_dir)
    assert all(torch.isfinite(p).all() for p in student.parameters())


def test_api_a_non_finite_loss_stops_training_with_a_clear_error(tmp_path, student_dir, single_label_data, monkeypatch):
    from domainkit.distill import losses
    from domainkit.errors import DomainkitError

    monkeypatch.setattr(losses, "hard_label_loss", lambda logits, *_: logits.sum() * float("nan"))
    with pytest.raises(DomainkitError, match=r"not finite at step 1 \(terms: hard\)") as error:
        finetune_only(student_dir, single_label_data, DistillConfig(**FAST), out_dir=tmp_path / "base")
    assert "bf16" in error.value.hint
    assert not (tmp_path / "base" / "model").exists()


def test_api_same_config_and_seed_give_the_same_student_whatever_ran_before(tmp_path, student_dir, mlm_teacher_dir,
                                                                           single_label_data, pool_texts):
    """The classifier head, hidden projection and MLM head are drawn from cfg.seed, not the global RNG."""
    import torch

    cfg = DistillConfig(**{**FAST, "soft_labels": "teacher"})
    sums = []
    for i, seed in enumerate((11, 12)):
        torch.manual_seed(seed)  # what ran earlier in the process
        report = distill(student_dir, mlm_teacher_dir, single_label_data, pool_texts, cfg,
                         out_dir=tmp_path / f"run{i}", cache_dir=tmp_path / "cache").report
        assert {"hidden", "mlm"} <= set(report["active_terms"])
        sums.append(report["student_checksum"])
        torch.manual_seed(seed)
        sums.append(finetune_only(student_dir, single_label_data, cfg, out_dir=tmp_path / f"base{i}").report["student_checksum"])
    assert sums[0] == sums[2] and sums[1] == sums[3]


def test_api_init_from_teacher_keeps_its_mlm_head_and_uniform_follows_the_copied_layers(
        tmp_path, mlm_teacher_dir, single_label_data, pool_texts):
    cfg = DistillConfig(**{**FAST, "soft_labels": "teacher", "init_from_teacher": True, "layer_map": "uniform"})
    report = distill(tmp_path / "unused", mlm_teacher_dir, single_label_data, pool_texts, cfg,
                     out_dir=tmp_path / "run", cache_dir=tmp_path / "cache").report
    assert report["layer_map"] == [[1, 1], [2, 3]]  # teacher blocks 0 and 2 -> teacher layers 1 and 3
    assert "mlm: student checkpoint's MLM head" in report["notes"]
    assert {"hidden", "mlm", "mlm_kl"} <= set(report["active_terms"])


def test_api_resume_refuses_checkpoints_of_another_training(tmp_path, student_dir, single_label_data):
    cfg = DistillConfig(**{**FAST, "save_steps": 1})
    first = finetune_only(student_dir, single_label_data, cfg, out_dir=tmp_path / "base")
    with pytest.raises(ConfigError, match="checkpoints of another training"):
        finetune_only(student_dir, single_label_data, cfg.replace(learning_rate=1e-2), out_dir=tmp_path / "base")
    # resume=False starts afresh and sets the old checkpoints aside rather than deleting them
    again = finetune_only(student_dir, single_label_data, cfg.replace(learning_rate=1e-2), out_dir=tmp_path / "base",
                          resume=False)
    assert max(h["step"] for h in again.report["history"] if "loss" in h) == max(
        h["step"] for h in first.report["history"] if "loss" in h)
    aside = [p.name for p in (tmp_path / "base").iterdir() if p.name.startswith("checkpoints.replaced-")]
    assert len(aside) == 1 and any((tmp_path / "base" / aside[0]).glob("checkpoint-*"))


def test_api_distill_with_no_term_able_to_run_is_refused(tmp_path, student_dir, teacher_dir, single_label_data):
    # a teacher without a head for the task, no pool, and the other weights at 0: nothing to learn from
    cfg = DistillConfig(**{**FAST, "alpha_hidden": 0.0, "alpha_mlm": 0.0, "alpha_hard": 0.0})
    with pytest.raises(ConfigError, match="no distillation term is active") as refused:
        distill(student_dir, teacher_dir, single_label_data, [], cfg, out_dir=tmp_path / "d", cache_dir=tmp_path / "c")
    assert "no head trained on this task's labels" in str(refused.value)
    assert not (tmp_path / "d" / "model").exists()


def test_api_mlm_teacher_with_another_vocabulary_than_the_task_teacher_is_refused(
        tmp_path, student_dir, head_teacher, mlm_teacher_dir, single_label_data, pool_texts):
    # the task teacher is an MPNet (its own vocabulary), the MLM teacher a BERT: ids would not match
    with pytest.raises(ConfigError, match="another vocabulary than the task teacher"):
        distill(student_dir, head_teacher, single_label_data, pool_texts, DistillConfig(**FAST),
                out_dir=tmp_path / "run", cache_dir=tmp_path / "cache", mlm_teacher_dir=mlm_teacher_dir)


def test_api_a_run_shorter_than_logging_steps_still_reports_its_terms(tmp_path, student_dir, single_label_data):
    cfg = DistillConfig(**{**FAST, "logging_steps": 10})  # 3 steps of 4 examples
    result = finetune_only(student_dir, single_label_data, cfg, out_dir=tmp_path / "base")
    logged = [h for h in result.report["history"] if "loss" in h]
    assert [h["step"] for h in logged] == [3] and "loss_hard" in logged[0]
