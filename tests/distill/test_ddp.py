import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def _torchrun(worker_name: str, work: Path, port: int) -> list[dict]:
    worker = Path(__file__).with_name(worker_name)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2]), OMP_NUM_THREADS="1", DOMAINKIT_QUIET="1")
    proc = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", str(port),
         str(worker), str(work)],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [json.loads((work / f"rank{r}.json").read_text()) for r in (0, 1)]


@pytest.mark.slow
def test_ddp_two_processes_gloo_finish_and_agree(tmp_path):
    ranks = _torchrun("ddp_worker.py", tmp_path, 29533)
    assert all(r["world"] == 2 for r in ranks)
    assert ranks[0]["checksum"] == pytest.approx(ranks[1]["checksum"], rel=1e-9)
    assert (tmp_path / "out" / "model" / "config.json").exists()


@pytest.mark.slow
def test_ddp_distillation_with_every_term_finishes_and_ranks_agree(tmp_path):
    """The MLM head and the hidden projection train under DDP too (they once ran outside forward)."""
    ranks = _torchrun("ddp_distill_worker.py", tmp_path, 29534)
    assert all(r["world"] == 2 for r in ranks)
    assert {"hidden", "mlm", "mlm_kl"} <= set(ranks[0]["active"])
    assert ranks[0]["checksum"] == pytest.approx(ranks[1]["checksum"], rel=1e-9)
    assert (tmp_path / "out" / "model" / "config.json").exists()
    # the per-term losses are gathered from both ranks, as "loss" is: every rank logs the same values
    logged = [h for h in ranks[0]["history"] if "loss_hidden" in h]
    assert logged and ranks[0]["history"] == ranks[1]["history"]


@pytest.mark.slow
def test_ddp_run_resumed_in_its_second_epoch_trains_the_uninterrupted_runs_batches(tmp_path):
    """Under torchrun accelerate does not pass set_epoch on to the sampler of a resumed epoch."""
    ranks = _torchrun("ddp_resume_worker.py", tmp_path, 29535)
    for r in ranks:
        assert r["world"] == 2
        assert r["resumed_batches"] == r["uninterrupted_batches"][-2:]  # steps 5 and 6, in the second epoch
        assert r["resumed"] == pytest.approx(r["whole"], rel=1e-9)
