"""Run one model over the test texts in a child process: probabilities, speed, memory.

Why a child process: peak resident memory (``ru_maxrss``) is a per-process
high-water mark. Measured in the evaluating process it would include every
model loaded before (teacher, baselines) and never go down. A fresh child per
model loads only that model, so its peak RSS (``VmHWM``, see :func:`_peak_rss_mb`) is what a user running this one
model would see (Python, torch and the tokenizer included, which is part of
the real cost). The same pass yields the predictions, so the test set is run
once per model, not once for metrics and again for timing.

Speed: sequences per second over the whole test set, tokenisation included,
model loading and one warm-up batch excluded (the first batch pays for lazy
allocations). A pass shorter than ``MIN_TIMED_SECONDS`` is repeated (at most
``MAX_PASSES`` in all) and the median pass counts: a small student crosses 600
short test texts in 4 seconds, and one such pass moved the int8 speed-up of one
pair of models between 1.8x and 2.5x from run to run. Text goes to the child
over stdin, never through a file.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from domainkit.errors import ModelError
from domainkit.evaluation.size import MIB

#: Passes over the test texts are repeated until this much time was timed in all (see the module docstring).
MIN_TIMED_SECONDS = 15.0
#: The most passes a speed measurement makes.
MAX_PASSES = 5

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


@dataclass(frozen=True)
class Measurement:
    probabilities: np.ndarray
    seq_per_s: float
    peak_rss_mb: float
    params: int


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    return env


#: A class name as a traceback's last line starts: "MemoryError", "torch.OutOfMemoryError", "KeyboardInterrupt".
_EXCEPTION_NAME = re.compile(r"[A-Za-z_][\w.]{0,80}(Error|Exception|Interrupt|Exit)")


def _exception_name(stderr: str) -> str:
    """The exception class on a traceback's last line ("MemoryError"), never its message."""
    lines = stderr.strip().splitlines()
    name = lines[-1].split(":", 1)[0].strip() if lines else ""
    return name if _EXCEPTION_NAME.fullmatch(name) else "no exception named"


def measure_in_child(job: dict[str, Any], texts: list[str]) -> Measurement:
    """Run ``job`` (see :func:`_run_job`) in a fresh Python process."""
    with tempfile.TemporaryDirectory(prefix="domainkit-measure-") as tmp:
        out = Path(tmp) / "probabilities.npy"
        payload = json.dumps(dict(job, texts=texts, out=str(out)))
        result = subprocess.run(
            [sys.executable, "-m", "domainkit.evaluation.measure"],
            input=payload,
            capture_output=True,
            text=True,
            env=_child_env(),
            check=False,
        )
        if result.returncode != 0:
            raise ModelError(f"measuring {job.get('model') or job.get('sklearn')} failed in its own process "
                             f"(exit code {result.returncode}, {_exception_name(result.stderr)})",
                             hint="the child's message is not shown, as an exception can quote a document; "
                                  "a lack of memory is the usual cause (exit code -9)")
        stats = json.loads(result.stdout.strip().splitlines()[-1])
        return Measurement(
            probabilities=np.load(out),
            seq_per_s=float(stats["seq_per_s"]),
            peak_rss_mb=float(stats["peak_rss_mb"]),
            params=int(stats["params"]),
        )


def measure_classifier(
    model_dir: Path, texts: list[str], *, batch_size: int = 32, **overrides: Any
) -> Measurement:
    return measure_in_child({"model": str(model_dir), "batch_size": batch_size, "overrides": overrides}, texts)


def measure_sklearn(pickle_path: Path, texts: list[str], *, batch_size: int = 32) -> Measurement:
    return measure_in_child({"sklearn": str(pickle_path), "batch_size": batch_size}, texts)


def _peak_rss_mb() -> float:
    """This process's peak resident memory in MiB.

    Linux: ``VmHWM`` of /proc/self/status, the high-water mark of this
    process's own address space. Not ``ru_maxrss``: Linux carries the
    parent's high-water mark over fork+exec, so a child started by a large
    evaluating process would report the parent's memory.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / MIB
    # elsewhere: ru_maxrss (KiB on most systems, bytes on macOS)
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / MIB


def _run_transformer(job: dict[str, Any], texts: list[str]) -> tuple[np.ndarray, float, int]:
    from domainkit.evaluation.inference import length_sorted_order, predict_proba
    from domainkit.evaluation.size import count_parameters
    from domainkit.heads.loading import load_classifier

    classifier = load_classifier(Path(job["model"]), **job.get("overrides", {}))
    warmup = [texts[i] for i in length_sorted_order(texts)[: job["batch_size"]]]
    predict_proba(classifier, warmup, batch_size=job["batch_size"])
    probabilities, seconds = _timed_passes(lambda: predict_proba(classifier, texts, batch_size=job["batch_size"]))
    return probabilities, seconds, count_parameters(classifier.model)


def _timed_passes(run_pass) -> tuple[np.ndarray, float]:
    """The first pass's output and the median pass's seconds (passes repeated while the timed total is short)."""
    start = time.perf_counter()
    output = run_pass()
    durations = [time.perf_counter() - start]
    while sum(durations) < MIN_TIMED_SECONDS and len(durations) < MAX_PASSES:
        start = time.perf_counter()
        run_pass()
        durations.append(time.perf_counter() - start)
    return output, float(np.median(durations))


def _run_sklearn(job: dict[str, Any], texts: list[str]) -> tuple[np.ndarray, float, int]:
    from domainkit.evaluation.baselines import count_baseline_parameters, load_baseline, baseline_proba

    baseline = load_baseline(Path(job["sklearn"]))
    baseline_proba(baseline, texts[: job["batch_size"]])
    probabilities, seconds = _timed_passes(lambda: baseline_proba(baseline, texts))
    return probabilities, seconds, count_baseline_parameters(baseline)


def _run_job() -> None:
    job = json.loads(sys.stdin.read())
    texts = job.pop("texts")
    runner = _run_sklearn if "sklearn" in job else _run_transformer
    probabilities, seconds, params = runner(job, texts)
    np.save(job["out"], probabilities)
    stats = {"seq_per_s": len(texts) / max(seconds, 1e-9), "peak_rss_mb": _peak_rss_mb(), "params": params}
    print(json.dumps(stats))


if __name__ == "__main__":
    _run_job()
