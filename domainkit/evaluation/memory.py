"""Peak resident memory of a measuring child, over its inference phase.

What ``peak_rss_mb`` covers: the highest resident memory of the model's own process while it
classifies the test set, with the model loaded (Python, torch and the tokenizer included, which a
user pays too), but not the transient peak of loading. Loading peaks differ by loader, not by
model: the int8 loader rebuilds its architecture before restoring the weights, and its peak once
exceeded the fp32 student's although its weights are a third smaller. Every model's child starts
its window the same way, right after loading (:func:`start_inference_window`), so the figures stay
comparable.

Linux: writing "5" to ``/proc/self/clear_refs`` resets ``VmHWM`` (the high-water mark) to the
current resident size. Where that is impossible (other systems, a kernel that refuses), the
high-water mark covers the whole process, loading included, and the measurement says so.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

from domainkit.evaluation.size import MIB

#: What ``peak_rss_mb`` covers, as report.json's ``peak_rss_scope`` names it.
INFERENCE = "inference"
PROCESS = "process"

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def start_inference_window() -> str:
    """Reset the high-water mark to the memory in use now; the scope the peak will then cover."""
    try:
        _CLEAR_REFS.write_text("5")  # 5: reset the peak resident set size (Linux >= 4.0)
    except OSError:
        return PROCESS
    return INFERENCE


def peak_rss_mb() -> float:
    """This process's peak resident memory in MiB (since :func:`start_inference_window` where it worked).

    Linux: ``VmHWM`` of /proc/self/status, the high-water mark of this
    process's own address space. Not ``ru_maxrss``: Linux carries the
    parent's high-water mark over fork+exec, so a child started by a large
    evaluating process would report the parent's memory.
    """
    if _STATUS.exists():
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / MIB
    # elsewhere: ru_maxrss (KiB on most systems, bytes on macOS)
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / MIB
