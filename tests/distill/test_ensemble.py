import pytest
import torch

from domainkit.distill.api import distill, finetune_only
from domainkit.distill.config import DistillConfig, TeacherConfig
from domainkit.distill.ensemble import FinetunedCompanion, mean_probability_logits
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


def test_distill_averages_soft_labels_with_the_labels_only_student(tmp_path, student_dir, head_teacher, labels_only,
                                                                    single_label_data, pool_texts):
    cfg = DistillConfig(**FAST)
    alone = distill(student_dir, head_teacher, single_label_data, pool_texts, cfg.replace(soft_labels="teacher"),
                    out_dir=tmp_path / "alone", cache_dir=tmp_path / "cache", companion_dir=labels_only)
    assert alone.report["soft_labels"]["source"] == "teacher"
    both = distill(student_dir, head_teacher, single_label_data, pool_texts, cfg,
                   out_dir=tmp_path / "both", cache_dir=tmp_path / "cache", companion_dir=labels_only)
    assert both.report["soft_labels"]["source"] == "teacher+finetuned"
    # other soft labels, so other cache records: the teacher-only ones are not reused
    assert both.report["teacher_cache"]["folder"] != alone.report["teacher_cache"]["folder"]
    assert both.report["teacher_cache"]["computed"] == len(single_label_data.train_texts) + len(pool_texts)


def test_distill_without_a_labels_only_student_says_the_teacher_alone_was_used(tmp_path, student_dir, head_teacher,
                                                                              single_label_data):
    result = distill(student_dir, head_teacher, single_label_data, [], DistillConfig(**FAST),
                     out_dir=tmp_path / "run", cache_dir=tmp_path / "cache")
    assert result.report["soft_labels"] == {"source": "teacher",
                                            "why": "no labels-only student was given to average with"}


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
