"""The teacher stage's linear probe (method ``head``)."""

import torch

from domainkit.distill import teacher


def test_multi_label_probe_loss_counts_every_label_of_an_example():
    logits, targets = torch.randn(6, 21), (torch.rand(6, 21) > 0.8).float()
    mean_over_all = torch.nn.BCEWithLogitsLoss()(logits, targets)
    # summed over labels, averaged over examples: the L2 penalty weighs the same per example
    # for 2 labels or 21, as it does for the single-label cross-entropy
    assert torch.allclose(teacher._per_example_bce(logits, targets), mean_over_all * 21)


def test_multi_label_probe_with_many_labels_is_not_over_regularised():
    torch.manual_seed(0)
    n_labels = 24
    features = torch.randn(200, 16)
    truth = (features @ torch.randn(16, n_labels) > 0.5).float()
    features = features * 0.03  # small features need large weights, which the L2 penalty resists
    head = teacher._fit_linear_probe(features, truth, n_labels, multi_label=True)
    predicted = (torch.sigmoid(head(features)) > 0.5).float()
    # 0.61 with the loss averaged over labels too (the penalty then 24 times too strong)
    assert (predicted == truth).float().mean() > 0.9
