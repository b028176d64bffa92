"""Importing domainkit switches onnxruntime's telemetry off, for this process and its children."""

import os
import subprocess
import sys


def test_init_onnxruntime_telemetry_is_off_before_onnxruntime_loads(tmp_path):
    # onnxruntime writes a device id and queues telemetry events under ~/.cache/Microsoft when it is
    # imported with telemetry on; a fresh HOME shows whether it did.
    env = {key: value for key, value in os.environ.items()
           if key not in ("ORT_DISABLE_TELEMETRY", "XDG_CACHE_HOME")}
    env["HOME"] = str(tmp_path)
    child = ("import os, subprocess, sys, domainkit, onnxruntime\n"
             "print(os.environ['ORT_DISABLE_TELEMETRY'])\n"
             "print(subprocess.run([sys.executable, '-c', 'import os; print(os.environ[\"ORT_DISABLE_TELEMETRY\"])'],"
             " capture_output=True, text=True).stdout.strip())\n")
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["1", "1"]  # set in this process and inherited by its children
    assert not (tmp_path / ".cache" / "Microsoft").exists()
