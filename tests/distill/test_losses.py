import torch
import torch.nn.functional as F

from domainkit.distill.losses import (
    HiddenProjector, hard_label_loss, hidden_alignment, mlm_loss, pool_units, sigmoid_kl, topk_kl,
)


def test_losses_topk_kl_equals_full_kl_when_k_covers_all_classes():
    torch.manual_seed(0)
    s, t = torch.randn(4, 5), torch.randn(4, 5)
    T = 2.0
    vals, idx = t.topk(5, dim=-1)
    expected = F.kl_div(F.log_softmax(s / T, -1), F.softmax(t / T, -1), reduction="batchmean") * T * T
    assert torch.allclose(topk_kl(s, vals, idx, T), expected, atol=1e-5)


def test_losses_topk_kl_zero_when_student_matches_and_ignores_invalid_slots():
    t = torch.tensor([[3.0, 1.0, -2.0, -5.0]])
    vals, idx = t.topk(2, dim=-1)
    # student concentrated on the support with the same relative logits -> small; far away -> large
    near = topk_kl(torch.tensor([[3.0, 1.0, -30.0, -30.0]]), vals, idx, 1.0)
    far = topk_kl(torch.tensor([[-3.0, 1.0, 5.0, 5.0]]), vals, idx, 1.0)
    assert near < 1e-3 < far
    idx_bad = torch.tensor([[0, -1]])
    assert torch.isfinite(topk_kl(torch.randn(1, 4), vals, idx_bad, 1.0))


def test_losses_sigmoid_kl_minimal_at_teacher_and_scaled_by_t_squared():
    t = torch.tensor([[2.0, -1.0, 0.5]])
    at_teacher = sigmoid_kl(t.clone(), t, 1.0)
    elsewhere = sigmoid_kl(-t, t, 1.0)
    assert at_teacher < elsewhere


def test_losses_hard_label_single_and_multi():
    logits = torch.tensor([[5.0, -5.0], [-5.0, 5.0]])
    assert hard_label_loss(logits, torch.tensor([0, 1]), multi_label=False) < 0.01
    assert hard_label_loss(logits, torch.tensor([[1, 0], [0, 1]]), multi_label=True) < 0.01
    assert hard_label_loss(logits[:0], torch.tensor([], dtype=torch.long), multi_label=False) == 0


def test_losses_mlm_ignores_unmasked_positions():
    logits = torch.zeros(1, 3, 4)
    logits[0, 1, 2] = 10.0
    labels = torch.tensor([[-100, 2, -100]])
    assert mlm_loss(logits, labels) < 0.01
    assert mlm_loss(logits, torch.full((1, 3), -100)) == 0


def test_losses_hidden_alignment_through_projection_and_pooling():
    proj = HiddenProjector(4, 6, num_pairs=1)
    assert proj.needs_projection and proj(0, torch.randn(2, 3, 4)).shape == (2, 3, 6)
    same = HiddenProjector(4, 4, num_pairs=1)
    x = torch.randn(2, 3, 4)
    assert torch.equal(same(0, x), x)
    mask = torch.ones(2, 3, dtype=torch.bool)
    assert hidden_alignment(x, x, mask, "cosine") < 1e-6
    assert hidden_alignment(x, x + 1, mask, "mse") > 0.5
    hidden = torch.tensor([[[1.0], [3.0], [10.0], [0.0]]])
    units = pool_units(hidden, torch.tensor([[0, 0, 1, -1]]), num_units=2)
    assert units.squeeze(-1).tolist() == [[2.0, 10.0]]


def test_losses_topk_kl_leaves_out_rows_without_one_valid_slot_and_keeps_gradients_finite():
    # Row 3 has no teacher piece that exists for the student: it has no distribution to match.
    student = torch.randn(3, 10, requires_grad=True)
    values, indices = torch.randn(3, 2), torch.tensor([[1, 2], [3, -1], [-1, -1]])
    loss = topk_kl(student, values, indices, 1.0)
    loss.backward()
    assert torch.isfinite(loss) and torch.isfinite(student.grad).all()
    assert torch.equal(student.grad[2], torch.zeros(10))
    assert torch.allclose(loss, topk_kl(student[:2], values[:2], indices[:2], 1.0))
    assert topk_kl(student, values, torch.full((3, 2), -1), 1.0) == 0
