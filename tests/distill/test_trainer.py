"""``DistillationTrainer`` helpers (``domainkit.distill.trainer``)."""

import pytest
import torch

from domainkit.distill.trainer import TERMS, mean_terms, pack_terms


def test_trainer_per_term_losses_are_averaged_over_every_rank():
    # rank 0 saw "mlm" at 2 of its steps, rank 1 at 1; "mlm_kl" ran on rank 1 only
    rank0 = pack_terms({"soft": 3.0, "hard": 1.0, "mlm": 4.0}, {"soft": 2, "hard": 2, "mlm": 2})
    rank1 = pack_terms({"soft": 5.0, "hard": 3.0, "mlm": 1.0, "mlm_kl": 0.5}, {"soft": 2, "hard": 2, "mlm": 1, "mlm_kl": 1})
    assert rank0.shape == rank1.shape == (1, 2 * len(TERMS))  # the same on every rank, whatever it computed
    means = mean_terms(torch.cat([rank0, rank1]))  # what nested_gather hands back: one row per rank
    assert means == pytest.approx({"soft": 2.0, "hard": 1.0, "mlm": 5.0 / 3, "mlm_kl": 0.5}, abs=1e-5)
    assert "hidden" not in means  # no rank computed it
    # one process: the plain mean of its own steps, as before
    assert mean_terms(rank0) == pytest.approx({"soft": 1.5, "hard": 0.5, "mlm": 2.0})
