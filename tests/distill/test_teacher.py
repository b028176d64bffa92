"""The teacher stage's linear probe (method ``head``)."""

from dataclasses import replace

import torch

from domainkit.distill import teacher


def test_multi_label_probe_loss_counts_every_label_of_an_example():
    logits, targets = torch.randn(6, 21), (torch.rand(6, 21) > 0.8).float()
    mean_over_all = torch.nn.BCEWithLogitsLoss()(logits, targets)
    # summed over labels, averaged over examples: the L2 penalty weighs the same per example
    # for 2 labels or 21, as it does for the single-label cross-entropy
    assert torch.allclose(teacher._per_example_bce(logits, targets), mean_over_all * 21)


def test_multi_label_probe_with_many_labels_is_not_over_regularised():
    torch.manual_seed(0)
    n_labels = 24
    features = torch.randn(200, 16)
    truth = (features @ torch.randn(16, n_labels) > 0.5).float()
    features = features * 0.03  # small features need large weights, which the L2 penalty resists
    head = teacher._fit_linear_probe(features, truth, n_labels, multi_label=True)
    predicted = (torch.sigmoid(head(features)) > 0.5).float()
    # 0.61 with the loss averaged over labels too (the penalty then 24 times too strong)
    assert (predicted == truth).float().mean() > 0.9


def test_a_teacher_head_for_other_labels_is_not_taken_for_the_task(tmp_path, single_label_data):
    from tinymodels import build_classifier

    from domainkit.distill.teacher_outputs import task_head_kind

    task = single_label_data.label_names  # cardio, other
    assert task_head_kind(build_classifier(tmp_path / "same", task), task) == "sequence_classification"
    assert task_head_kind(build_classifier(tmp_path / "swapped", task[::-1]), task) is None
    assert task_head_kind(build_classifier(tmp_path / "legal", ["contract", "tort"]), task) is None
    generic = build_classifier(tmp_path / "generic", ["LABEL_0", "LABEL_1"])
    assert task_head_kind(generic, task) == "sequence_classification"  # unverifiable: taken, with a warning


def test_a_probe_head_for_other_labels_is_not_taken_for_the_task(tmp_path, teacher_dir, single_label_data):
    from domainkit.distill.config import TeacherConfig
    from domainkit.distill.teacher import prepare_teacher
    from domainkit.distill.teacher_outputs import task_head_kind

    built = prepare_teacher(teacher_dir, single_label_data, TeacherConfig(method="head", epochs=1),
                            cache_root=tmp_path / "teachers", out_dir=tmp_path / "out").model_dir
    assert task_head_kind(built, single_label_data.label_names) == "pooled_head"
    assert task_head_kind(built, ["contract", "tort"]) is None


def test_a_reused_teacher_is_scored_on_the_test_split_of_this_run(tmp_path, teacher_dir, single_label_data):
    from domainkit.distill.config import TeacherConfig
    from domainkit.distill.teacher import prepare_teacher

    cfg = TeacherConfig(method="head", epochs=1)
    first = prepare_teacher(teacher_dir, single_label_data, cfg, cache_root=tmp_path / "teachers", out_dir=tmp_path / "a")
    other_test = replace(single_label_data, test_texts=single_label_data.test_texts[:2],
                                           test_labels=single_label_data.test_labels[:2])
    again = prepare_teacher(teacher_dir, other_test, cfg, cache_root=tmp_path / "teachers", out_dir=tmp_path / "b")
    assert again.reused and again.model_dir == first.model_dir
    expected = teacher._score(teacher.TaskTeacher(first.model_dir, other_test.label_names), other_test, cfg.max_length)
    assert again.scores == expected
    same = prepare_teacher(teacher_dir, single_label_data, cfg, cache_root=tmp_path / "teachers", out_dir=tmp_path / "c")
    assert same.scores == first.scores


def test_scores_cached_under_an_older_macro_definition_are_recomputed_once(tmp_path, teacher_dir, single_label_data,
                                                                          monkeypatch):
    """Recomputed scores go back into the cache: the next run reads them instead of scoring the test split again."""
    import json

    from domainkit.distill.config import TeacherConfig
    from domainkit.distill.teacher import RESULT_FILE, prepare_teacher

    cfg, cache = TeacherConfig(method="head", epochs=1), tmp_path / "teachers"
    current = teacher.MACRO_LABELS
    monkeypatch.setattr(teacher, "MACRO_LABELS", "reference labels")  # the definition the cache was filled under
    first = prepare_teacher(teacher_dir, single_label_data, cfg, cache_root=cache, out_dir=tmp_path / "a")
    monkeypatch.setattr(teacher, "MACRO_LABELS", current)
    scored = []
    real_score = teacher._score
    monkeypatch.setattr(teacher, "_score", lambda *args: scored.append(1) or real_score(*args))
    again = prepare_teacher(teacher_dir, single_label_data, cfg, cache_root=cache, out_dir=tmp_path / "b")
    assert again.reused and again.model_dir == first.model_dir and scored == [1]
    stored = json.loads((first.model_dir / RESULT_FILE).read_text())
    assert stored["scores"] == again.scores and stored["method"] == "head"  # the rest of the record is kept
    third = prepare_teacher(teacher_dir, single_label_data, cfg, cache_root=cache, out_dir=tmp_path / "c")
    assert scored == [1] and third.scores == again.scores


def test_a_teacher_left_unfinished_by_a_killed_run_is_cleared_once_stale(tmp_path):
    import os

    cached = tmp_path / "teachers" / "0123456789abcdef0123"
    stale, fresh = cached.with_name(f".{cached.name}.aaaa.tmp"), cached.with_name(f".{cached.name}.bbbb.tmp")
    for folder in (stale, fresh):
        folder.mkdir(parents=True)
        (folder / "model.safetensors").write_bytes(b"x")
    old = stale.stat().st_mtime - teacher.STALE_PARTIAL_SECONDS - 60
    os.utime(stale, (old, old))
    teacher._remove_stale_partials(cached)
    assert not stale.exists() and fresh.exists()  # another run may still be building the fresh one


def test_a_probe_teacher_classifies_through_load_classifier_as_it_distils(tmp_path, teacher_dir, single_label_data):
    from domainkit.distill.config import TeacherConfig
    from domainkit.distill.teacher import prepare_teacher
    from domainkit.heads.loading import load_classifier

    built = prepare_teacher(teacher_dir, single_label_data, TeacherConfig(method="head", epochs=1),
                            cache_root=tmp_path / "teachers", out_dir=tmp_path / "out").model_dir
    classifier = load_classifier(built)
    distilling = teacher.TaskTeacher(built, single_label_data.label_names)
    encoding = classifier.tokenizer(single_label_data.test_texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        expected, _ = distilling(encoding["input_ids"], encoding["attention_mask"])
        found = classifier.model(input_ids=encoding["input_ids"], attention_mask=encoding["attention_mask"]).logits
    assert torch.allclose(found, expected, atol=1e-6)
