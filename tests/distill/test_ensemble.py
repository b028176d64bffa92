import numpy as np
import pytest
import torch
from transformers import AutoTokenizer

from domainkit.distill.api import distill, finetune_only
from domainkit.distill.config import DistillConfig, TeacherConfig
from domainkit.distill.ensemble import FinetunedCompanion, blend_record, mean_probability_logits
from domainkit.distill.teacher import prepare_teacher
from domainkit.errors import ConfigError

FAST = dict(epochs=1, batch_size=4, max_length=24, logging_steps=1, save_steps=1000, bf16=False, top_k=5)


def test_single_label_ensemble_logits_give_the_mean_probabilities():
    teacher, companion = torch.tensor([[2.0, 0.0, -1.0]]), torch.tensor([[-1.0, 3.0, 0.0]])
    mixed = mean_probability_logits(teacher, companion, multi_label=False)
    expected = (torch.softmax(teacher, -1) + torch.softmax(companion, -1)) / 2
    assert torch.allclose(torch.softmax(mixed, -1), expected, atol=1e-5)
    # the companion's favourite (label 1) now competes with the teacher's (label 0)
    assert mixed.argmax().item() == expected.argmax().item() == 1


def test_multi_label_ensemble_logits_give_the_mean_of_each_sigmoid():
    teacher, companion = torch.tensor([[4.0, -4.0]]), torch.tensor([[-4.0, -4.0]])
    mixed = mean_probability_logits(teacher, companion, multi_label=True)
    expected = (torch.sigmoid(teacher) + torch.sigmoid(companion)) / 2
    assert torch.allclose(torch.sigmoid(mixed), expected, atol=1e-5)


@pytest.fixture
def head_teacher(tmp_path, teacher_dir, single_label_data):
    return prepare_teacher(teacher_dir, single_label_data, TeacherConfig(method="head"),
                           cache_root=tmp_path / "teachers", out_dir=tmp_path / "teacher_out").model_dir


@pytest.fixture
def labels_only(tmp_path, student_dir, single_label_data):
    return finetune_only(student_dir, single_label_data, DistillConfig(**FAST), out_dir=tmp_path / "base").model_dir


def test_blending_a_top_k_record_uses_the_teachers_distribution_over_its_k_labels():
    # the cache kept the teacher's top 2 of 4 labels: its distribution is the softmax over those two
    record = {"logits_values": np.array([2.0, 1.0], dtype=np.float16), "logits_indices": np.array([3, 0], dtype=np.int32),
              "hidden_2": np.ones((3, 4), dtype=np.float16)}
    companion = np.array([0.0, 3.0, 0.0, 0.0], dtype=np.float32)
    blended = blend_record(record, companion, multi_label=False, top_k=4)
    teacher = np.zeros(4)
    teacher[[3, 0]] = torch.softmax(torch.tensor([2.0, 1.0]), -1).numpy()
    expected = (teacher + torch.softmax(torch.tensor(companion), -1).numpy()) / 2
    dense = np.full(4, -np.inf)
    dense[blended["logits_indices"]] = blended["logits_values"].astype(np.float32)
    assert np.allclose(torch.softmax(torch.tensor(dense), -1).numpy(), expected, atol=2e-3)
    assert blended["hidden_2"] is record["hidden_2"] and record["logits_indices"].tolist() == [3, 0]  # cached record untouched


def test_blending_a_multi_label_record_averages_each_label():
    record = {"logits_values": np.array([4.0, -4.0], dtype=np.float16), "logits_indices": np.arange(2, dtype=np.int32)}
    blended = blend_record(record, np.array([-4.0, -4.0]), multi_label=True, top_k=20)
    expected = (torch.sigmoid(torch.tensor([4.0, -4.0])) + torch.sigmoid(torch.tensor([-4.0, -4.0]))) / 2
    assert np.allclose(torch.sigmoid(torch.tensor(blended["logits_values"].astype(np.float32))).numpy(), expected, atol=2e-3)


def test_distill_mixes_the_labels_only_student_into_reused_teacher_records(tmp_path, student_dir, head_teacher, labels_only,
                                                                          single_label_data, pool_texts):
    cfg = DistillConfig(**FAST)
    alone = distill(student_dir, head_teacher, single_label_data, pool_texts, cfg.replace(soft_labels="teacher"),
                    out_dir=tmp_path / "alone", cache_dir=tmp_path / "cache", companion_dir=labels_only)
    assert alone.report["soft_labels"]["source"] == "teacher"
    assert alone.report["teacher_cache"]["computed"] == len(single_label_data.train_texts) + len(pool_texts)
    both = distill(student_dir, head_teacher, single_label_data, pool_texts, cfg,
                   out_dir=tmp_path / "both", cache_dir=tmp_path / "cache", companion_dir=labels_only)
    assert both.report["soft_labels"]["source"] == "teacher+finetuned"
    # the teacher cache is keyed by the teacher alone: a new labels-only student (every run has one) reuses it
    assert both.report["teacher_cache"]["folder"] == alone.report["teacher_cache"]["folder"]
    assert both.report["teacher_cache"]["computed"] == 0 and "companion_seconds" in both.report["teacher_cache"]


def test_a_labels_only_student_reading_other_word_pieces_is_recognised(tmp_path, labels_only, student_dir, teacher_dir):
    companion = FinetunedCompanion(labels_only, 0)
    assert companion.reads_like(AutoTokenizer.from_pretrained(student_dir))
    assert not companion.reads_like(AutoTokenizer.from_pretrained(teacher_dir))  # MPNet pieces (init_from_teacher)


def test_distill_without_a_labels_only_student_says_the_teacher_alone_was_used(tmp_path, student_dir, head_teacher,
                                                                              single_label_data):
    result = distill(student_dir, head_teacher, single_label_data, [], DistillConfig(**FAST),
                     out_dir=tmp_path / "run", cache_dir=tmp_path / "cache")
    assert result.report["soft_labels"]["source"] == "teacher"
    assert "run.baselines = false" in result.report["soft_labels"]["why"]


def test_a_labels_only_student_of_another_task_is_refused(tmp_path, student_dir, head_teacher, single_label_data,
                                                          multi_label_data):
    other = finetune_only(student_dir, multi_label_data, DistillConfig(**FAST), out_dir=tmp_path / "other").model_dir
    assert FinetunedCompanion(other, 0).num_labels != len(single_label_data.label_names)
    with pytest.raises(ConfigError, match="soft_labels = 'teacher'"):
        distill(student_dir, head_teacher, single_label_data, [], DistillConfig(**FAST),
                out_dir=tmp_path / "run", cache_dir=tmp_path / "cache", companion_dir=other)


def test_soft_labels_setting_lists_the_choices():
    with pytest.raises(ConfigError, match="'teacher', 'teacher\\+finetuned'"):
        DistillConfig(soft_labels="ensemble")
