import json

import pytest
from transformers import pipeline

from domainkit.distill.api import distill, finetune_only
from domainkit.distill.config import DistillConfig
from domainkit.distill.teacher import prepare_teacher
from domainkit.distill.config import TeacherConfig

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


def test_api_distill_mlm_teacher_enables_mlm_kl(tmp_path, student_dir, mlm_teacher_dir, single_label_data, pool_texts):
    cfg = DistillConfig(**FAST)
    result = distill(student_dir, mlm_teacher_dir, single_label_data, pool_texts, cfg,
                     out_dir=tmp_path / "run", cache_dir=tmp_path / "cache")
    report = result.report
    assert report["vocab"]["relation"] == "identical"
    assert "mlm_kl" in report["active_terms"]
    assert report["skipped_terms"]["soft"].startswith("teacher has no head")
    assert any("loss_mlm_kl" in h for h in report["history"])


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
