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
