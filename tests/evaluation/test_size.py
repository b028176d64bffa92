"""Disk size of a model folder (domainkit/evaluation/size.py): the weights loading reads, once."""

from __future__ import annotations

import pytest

from domainkit.evaluation.size import MIB, weights_disk_mb


def _file(path, mib):
    path.write_bytes(b"\0" * int(mib * MIB))


def test_size_counts_a_model_saved_in_two_formats_once(tmp_path):
    _file(tmp_path / "model.safetensors", 4)
    _file(tmp_path / "pytorch_model.bin", 4)  # the same tensors as a pickle checkpoint: never loaded
    (tmp_path / "config.json").write_text("{}")
    assert weights_disk_mb(tmp_path) == pytest.approx(4.0)


def test_size_counts_every_file_of_the_format_that_is_loaded(tmp_path):
    _file(tmp_path / "model-00001-of-00002.safetensors", 2)
    _file(tmp_path / "model-00002-of-00002.safetensors", 1)
    _file(tmp_path / "domainkit_head.safetensors", 0.5)  # a pooled teacher's head, loaded beside the encoder
    assert weights_disk_mb(tmp_path) == pytest.approx(3.5)


def test_size_falls_back_to_pickle_then_onnx(tmp_path):
    pickle, onnx, empty = tmp_path / "pickle", tmp_path / "onnx", tmp_path / "empty"
    for folder in (pickle, onnx, empty):
        folder.mkdir()
    _file(pickle / "pytorch_model.bin", 3)
    _file(onnx / "model.onnx", 1)
    _file(onnx / "model.onnx_data", 2)
    assert weights_disk_mb(pickle) == pytest.approx(3.0)
    assert weights_disk_mb(onnx) == pytest.approx(3.0)
    assert weights_disk_mb(empty) == 0.0
