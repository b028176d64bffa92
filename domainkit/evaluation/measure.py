"""Run one model over the test texts in a child process: probabilities, speed, memory.

Why a child process: peak resident memory (``ru_maxrss``) is a per-process
high-water mark. Measured in the evaluating process it would include every
model loaded before (teacher, baselines) and never go down. A fresh child per
model loads only that model, so its peak RSS (``VmHWM``, see :mod:`domainkit.evaluation.memory`)
is what a user running this one model would see while it classifies (Python,
torch and the tokenizer included, which is part of the real cost; the loading's
transient peak is not, for any model). The same pass yields the predictions, so the test set is run
once per model, not once for metrics and again for timing.

Speed: sequences per second over the whole test set, tokenisation included,
model loading and one warm-up batch excluded (the first batch pays for lazy
allocations). A pass shorter than ``MIN_TIMED_SECONDS`` is repeated (at most
``MAX_PASSES`` in all) and the median pass counts: a small student crosses 600
short test texts in 4 seconds, and one such pass moved the int8 speed-up of one
pair of models between 1.8x and 2.5x from run to run. Text goes to the child
over stdin, never through a file.

Spread and load: every pass's time is kept (``Measurement.pass_seconds``), and
so is the machine's 1-minute load average when the passes ended, because on a
shared machine a load that outlasts one model's window shifts that model's
figure and every ratio built on it (one pair of models measured 5.0x, 2.9x and
1.1x int8 speed-up on a machine at load 6). :func:`measure_alternating` times
two models in turns, A B A B, each turn in a fresh child, so that their ratio
(the int8 speed-up) is taken under the same load.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from domainkit.errors import ModelError
from domainkit.evaluation.memory import PROCESS, peak_rss_mb, start_inference_window

#: Passes over the test texts are repeated until this much time was timed in all (see the module docstring).
MIN_TIMED_SECONDS = 15.0
#: The most passes a speed measurement makes.
MAX_PASSES = 5

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


#: Turns each of two alternately measured models gets (A B A B); the passes are shared out among them.
ALTERNATING_ROUNDS = 2


@dataclass(frozen=True)
class Measurement:
    probabilities: np.ndarray
    #: Seconds of every timed pass over the whole test set.
    pass_seconds: tuple[float, ...]
    n_texts: int
    peak_rss_mb: float
    params: int
    #: The machine's 1-minute load average as the timed passes ended (None where the OS has none).
    load_average_1m: float | None = None
    #: What peak_rss_mb covers: the inference phase, or the whole process where it could not be reset.
    peak_rss_scope: str = PROCESS

    @property
    def seq_per_s(self) -> float:
        """Test documents per second in the median pass."""
        return self.n_texts / max(float(np.median(self.pass_seconds)), 1e-9)

    @property
    def seq_per_s_range(self) -> tuple[float, float]:
        """The slowest and the fastest pass, in test documents per second."""
        return self.n_texts / max(max(self.pass_seconds), 1e-9), self.n_texts / max(min(self.pass_seconds), 1e-9)


def merged(parts: list[Measurement]) -> Measurement:
    """One model's turns as one measurement: every pass, the highest peak memory and load."""
    loads = [part.load_average_1m for part in parts if part.load_average_1m is not None]
    return Measurement(
        probabilities=parts[0].probabilities,  # every turn predicts the same; the first one's are kept
        pass_seconds=tuple(seconds for part in parts for seconds in part.pass_seconds),
        n_texts=parts[0].n_texts,
        peak_rss_mb=max(part.peak_rss_mb for part in parts),
        params=parts[0].params,
        load_average_1m=max(loads) if loads else None,
        peak_rss_scope=parts[0].peak_rss_scope,  # every turn runs on the same system
    )


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
            pass_seconds=tuple(float(seconds) for seconds in stats["pass_seconds"]),
            n_texts=len(texts),
            peak_rss_mb=float(stats["peak_rss_mb"]),
            params=int(stats["params"]),
            load_average_1m=stats.get("load_average_1m"),
            peak_rss_scope=stats["peak_rss_scope"],
        )


def measure_classifier(
    model_dir: Path, texts: list[str], *, batch_size: int = 32, share: float = 1.0, **overrides: Any
) -> Measurement:
    """``share``: the part of the usual passes (time and count) this child makes (see measure_alternating)."""
    job = {"model": str(model_dir), "batch_size": batch_size, "overrides": overrides, "share": share}
    return measure_in_child(job, texts)


def measure_alternating(
    model_dirs: dict[str, Path], texts: list[str], *, batch_size: int = 32, rounds: int = ALTERNATING_ROUNDS,
    **overrides: Any,
) -> dict[str, Measurement]:
    """Measure models in turns (A B A B ...), each turn in a fresh child making 1/``rounds`` of the passes.

    A fresh child per turn keeps each model's peak memory its own; the extra cost is one more model
    load per turn. Every model still gets the usual timed total, spread over the rounds.
    """
    turns: dict[str, list[Measurement]] = {name: [] for name in model_dirs}
    for _ in range(rounds):
        for name, model_dir in model_dirs.items():
            turns[name].append(measure_classifier(model_dir, texts, batch_size=batch_size, share=1 / rounds,
                                                  **overrides))
    return {name: merged(parts) for name, parts in turns.items()}


def measure_sklearn(pickle_path: Path, texts: list[str], *, batch_size: int = 32) -> Measurement:
    return measure_in_child({"sklearn": str(pickle_path), "batch_size": batch_size}, texts)


def _run_transformer(job: dict[str, Any], texts: list[str]) -> tuple[np.ndarray, list[float], int]:
    from domainkit.evaluation.inference import length_sorted_order, predict_proba
    from domainkit.evaluation.size import count_parameters
    from domainkit.heads.loading import load_classifier

    classifier = load_classifier(Path(job["model"]), **job.get("overrides", {}))
    job["peak_rss_scope"] = start_inference_window()  # the warm-up's lazy allocations count: inference pays them
    warmup = [texts[i] for i in length_sorted_order(texts)[: job["batch_size"]]]
    predict_proba(classifier, warmup, batch_size=job["batch_size"])
    probabilities, pass_seconds = _timed_passes(
        lambda: predict_proba(classifier, texts, batch_size=job["batch_size"]), share=job.get("share", 1.0))
    return probabilities, pass_seconds, count_parameters(classifier.model)


def _timed_passes(run_pass, share: float = 1.0) -> tuple[np.ndarray, list[float]]:
    """The first pass's output and every pass's seconds (passes repeated while the timed total is short).

    ``share`` scales the timed total and the pass cap, for a model measured in several turns.
    """
    min_seconds, max_passes = MIN_TIMED_SECONDS * share, max(1, math.ceil(MAX_PASSES * share))
    start = time.perf_counter()
    output = run_pass()
    durations = [time.perf_counter() - start]
    while sum(durations) < min_seconds and len(durations) < max_passes:
        start = time.perf_counter()
        run_pass()
        durations.append(time.perf_counter() - start)
    return output, durations


def _load_average() -> float | None:
    """The machine's 1-minute load average (it counts this process's own threads); None where unknown."""
    try:
        return float(os.getloadavg()[0])
    except (AttributeError, OSError):  # Windows has no load average
        return None


def _run_sklearn(job: dict[str, Any], texts: list[str]) -> tuple[np.ndarray, list[float], int]:
    from domainkit.evaluation.baselines import count_baseline_parameters, load_baseline, baseline_proba

    baseline = load_baseline(Path(job["sklearn"]))
    job["peak_rss_scope"] = start_inference_window()
    baseline_proba(baseline, texts[: job["batch_size"]])
    probabilities, pass_seconds = _timed_passes(lambda: baseline_proba(baseline, texts))
    return probabilities, pass_seconds, count_baseline_parameters(baseline)


def _run_job() -> None:
    job = json.loads(sys.stdin.read())
    texts = job.pop("texts")
    runner = _run_sklearn if "sklearn" in job else _run_transformer
    probabilities, pass_seconds, params = runner(job, texts)
    load = _load_average()  # as the passes end: the 1-minute average then covers them
    np.save(job["out"], probabilities)
    stats = {"pass_seconds": pass_seconds, "peak_rss_mb": peak_rss_mb(), "peak_rss_scope": job["peak_rss_scope"],
             "params": params, "load_average_1m": load}
    print(json.dumps(stats))


if __name__ == "__main__":
    _run_job()
