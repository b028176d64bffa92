import numpy as np

from domainkit.evaluation.inference import predict_proba
from domainkit.evaluation.quantize import INT8_WEIGHTS, save_int8
from domainkit.evaluation.size import count_parameters, weights_disk_mb
from domainkit.heads.loading import load_classifier
from tinymodels import keyword_corpus


def test_quantize_int8_reloads_and_agrees_with_fp32(make_classifier, tmp_path):
    folder = make_classifier(seed=3)
    int8_dir = save_int8(folder, tmp_path / "int8")
    assert (int8_dir / INT8_WEIGHTS).is_file() and not (int8_dir / "model.safetensors").exists()
    fp32, int8 = load_classifier(folder), load_classifier(int8_dir)
    assert int8.settings.quantized == "dynamic_int8"
    texts, _ = keyword_corpus(40)
    p32, p8 = predict_proba(fp32, texts), predict_proba(int8, texts)
    assert np.abs(p32 - p8).max() < 0.05
    assert np.mean(p32.argmax(1) == p8.argmax(1)) >= 0.9
    assert count_parameters(int8.model) == count_parameters(fp32.model)
    assert weights_disk_mb(int8_dir) > 0


def test_int8_round_trip_gives_the_in_memory_quantised_logits(make_classifier, tmp_path):
    import torch
    from transformers import AutoConfig, AutoModelForSequenceClassification

    from domainkit.evaluation.quantize import load_int8_model, quantize_dynamic_int8

    folder = make_classifier(seed=5)
    in_memory = quantize_dynamic_int8(AutoModelForSequenceClassification.from_pretrained(folder))
    int8_dir = save_int8(folder, tmp_path / "int8")
    reloaded = load_int8_model(int8_dir, AutoConfig.from_pretrained(int8_dir))
    ids = torch.randint(0, 30, (4, 12), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        expected, got = in_memory(input_ids=ids).logits, reloaded(input_ids=ids).logits
    assert torch.equal(expected, got)


def test_int8_loading_builds_no_fp32_model_and_keeps_no_view_of_the_file(make_classifier, tmp_path, monkeypatch):
    """The int8 loader's memory is the int8 model's: no random-init fp32 copy, no file left mapped."""
    import gc
    import sys

    from transformers import AutoConfig

    from domainkit.evaluation import quantize

    int8_dir = save_int8(make_classifier(seed=5), tmp_path / "int8")

    def no_fp32_copy(model):
        raise AssertionError("load_int8_model quantised an fp32 model")

    monkeypatch.setattr(quantize, "quantize_dynamic_int8", no_fp32_copy)
    model = quantize.load_int8_model(int8_dir, AutoConfig.from_pretrained(int8_dir))
    assert not any(p.is_meta for p in model.parameters())
    gc.collect()
    if sys.platform.startswith("linux"):  # a tensor still viewing the file would keep all of it mapped
        from pathlib import Path

        assert str(int8_dir / INT8_WEIGHTS) not in Path("/proc/self/maps").read_text()


def test_int8_weights_file_is_safetensors_with_int8_weights_and_no_pickle(make_classifier, tmp_path):
    import torch
    from safetensors import safe_open

    int8_dir = save_int8(make_classifier(), tmp_path / "int8")
    assert INT8_WEIGHTS == "domainkit_int8.safetensors"
    assert not (int8_dir / "domainkit_int8.pt").exists()
    with safe_open(str(int8_dir / INT8_WEIGHTS), framework="pt") as handle:
        metadata, keys = handle.metadata(), set(handle.keys())
        weight = handle.get_tensor("qlinear:classifier.weight_int8")
        scales = handle.get_tensor("qlinear:classifier.weight_scales")
    assert metadata["format"] == "domainkit-dynamic-int8" and metadata["weight_qscheme"] == "per_channel_affine"
    assert weight.dtype == torch.int8 and scales.shape == (weight.shape[0],)
    assert {"qlinear:classifier.weight_zero_points", "qlinear:classifier.weight_axis",
            "qlinear:classifier.bias", "bert.embeddings.word_embeddings.weight"} <= keys


class _Marker:
    """Unpickling this creates a marker file: the stand-in for a tampered pickle's payload."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        import pathlib

        return pathlib.Path.touch, (pathlib.Path(self.path),)


def test_int8_folder_with_only_the_old_pickle_is_refused_never_unpickled(make_classifier, tmp_path):
    import pickle

    import pytest

    from domainkit.errors import ModelError

    int8_dir = save_int8(make_classifier(), tmp_path / "int8")
    (int8_dir / INT8_WEIGHTS).unlink()
    marker = tmp_path / "unpickled.marker"
    (int8_dir / "domainkit_int8.pt").write_bytes(pickle.dumps(_Marker(marker)))
    with pytest.raises(ModelError) as caught:
        load_classifier(int8_dir)
    message = str(caught.value)
    assert str(int8_dir) in message and "domainkit_int8.pt" in message
    assert "unsafe unpickling" in message and "re-export" in message and "domainkit run" in message
    assert not marker.exists()


def test_int8_file_with_missing_or_unexpected_keys_is_refused(make_classifier, tmp_path):
    import pytest
    from safetensors import safe_open
    from safetensors.torch import load_file, save_file

    from domainkit.errors import ModelError

    int8_dir = save_int8(make_classifier(), tmp_path / "int8")
    path = int8_dir / INT8_WEIGHTS
    with safe_open(str(path), framework="pt") as handle:
        metadata = handle.metadata()
    tensors = load_file(path)
    missing = dict(tensors)
    del missing["qlinear:classifier.bias"]
    save_file(missing, path, metadata=metadata)
    with pytest.raises(ModelError, match=r"missing qlinear:classifier\.bias") as caught:
        load_classifier(int8_dir)
    assert str(int8_dir) in str(caught.value)
    save_file({**tensors, "extra.weight": tensors["qlinear:classifier.bias"].clone()}, path, metadata=metadata)
    with pytest.raises(ModelError, match=r"unexpected extra\.weight"):
        load_classifier(int8_dir)
