"""The onnxruntime runner switches the library's telemetry off before it opens a session."""

import sys
from types import SimpleNamespace


def test_onnx_model_disables_onnxruntime_telemetry_before_the_session(monkeypatch, tmp_path):
    from domainkit.export.onnx import OnnxModel

    calls = []
    fake = SimpleNamespace(
        disable_telemetry_events=lambda: calls.append("telemetry off"),
        SessionOptions=lambda: "options",
        InferenceSession=lambda path, options, providers: calls.append("session") or SimpleNamespace(
            get_inputs=lambda: [SimpleNamespace(name="input_ids")]),
    )
    monkeypatch.setitem(sys.modules, "onnxruntime", fake)
    model = OnnxModel(tmp_path / "model.onnx")
    assert calls == ["telemetry off", "session"]
    assert model.input_names == ["input_ids"]
