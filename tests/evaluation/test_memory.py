"""Peak memory over the inference phase (domainkit/evaluation/memory.py), the same for every model."""

from __future__ import annotations

import subprocess
import sys

import pytest

from domainkit.evaluation import memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="VmHWM and clear_refs are Linux's")
def test_memory_peak_leaves_out_what_was_freed_before_the_window():
    """A loader's transient peak (here 200 MiB allocated and freed) is not the model's inference peak."""
    code = ("from domainkit.evaluation import memory\n"
            "block = bytearray(200 * 2**20); del block\n"
            "whole = memory.peak_rss_mb()\n"
            "scope = memory.start_inference_window()\n"
            "print(scope, whole, memory.peak_rss_mb())\n")
    scope, whole, window = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                          check=True).stdout.split()
    assert scope == memory.INFERENCE
    assert float(whole) - float(window) > 150


def test_memory_without_clear_refs_says_the_peak_covers_the_whole_process(monkeypatch, tmp_path):
    monkeypatch.setattr(memory, "_CLEAR_REFS", tmp_path / "no-such-folder" / "clear_refs")
    assert memory.start_inference_window() == memory.PROCESS
    assert memory.peak_rss_mb() > 0
