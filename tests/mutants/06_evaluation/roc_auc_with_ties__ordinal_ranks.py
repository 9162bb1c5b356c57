"""Ranks tied scores by their order in the sort (1, 2, 3 ...) instead of giving them their midrank."""

from minml import backend


def roc_auc_with_ties(y_true, y_score):
    xp = backend.namespace(y_true, y_score)
    order = backend.argsort(y_score)
    positive = y_true[order] == 1
    ranks = xp.arange(1, y_score.shape[0] + 1, dtype=xp.float64)
    n_positive = backend.to_scalar(positive.sum())
    n_negative = y_score.shape[0] - n_positive
    rank_sum = backend.to_scalar((ranks * positive).sum())
    return float((rank_sum - n_positive * (n_positive + 1) / 2) / (n_positive * n_negative))
