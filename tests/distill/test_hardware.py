"""Precision and attention choices for training (domainkit.distill.hardware)."""

from __future__ import annotations

import torch

from domainkit.distill import hardware


def test_decide_bf16_follows_an_explicit_setting():
    assert hardware.decide_bf16(True) == (True, "set in the config")
    assert hardware.decide_bf16(False) == (False, "set in the config")


def test_auto_bf16_on_cpu_needs_native_instructions(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(hardware, "cpu_flags", lambda: frozenset({"avx2"}))
    assert hardware.decide_bf16("auto")[0] is False
    monkeypatch.setattr(hardware, "cpu_flags", lambda: frozenset({"avx2", "avx512_bf16"}))
    used, why = hardware.decide_bf16("auto")
    assert used is True and "avx512_bf16" in why


def test_training_attention_is_eager_only_for_bf16_on_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert hardware.training_attention(True) == "eager"
    assert hardware.training_attention(False) is None
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert hardware.training_attention(True) is None


def test_training_attention_leaves_the_saved_model_on_the_default(tmp_path):
    from tinymodels import build_classifier as build_tiny

    from domainkit.data.taskdata import TaskData
    from domainkit.distill.student import build_classifier

    base = build_tiny(tmp_path / "base", ["a", "b"])
    data = TaskData(task="t", kind="single_label", label_names=["a", "b"], train_texts=["x", "y"],
                    train_labels=["a", "b"], test_texts=["x"], test_labels=["a"], split_info={})
    model = build_classifier(base, data, attn_implementation="eager")
    assert model.config._attn_implementation == "eager"
    model.save_pretrained(tmp_path / "saved")
    assert "eager" not in (tmp_path / "saved" / "config.json").read_text()
