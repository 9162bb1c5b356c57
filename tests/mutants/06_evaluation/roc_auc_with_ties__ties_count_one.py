"""Counts the pairs with >=: a tied (positive, negative) pair counts as fully right instead of one half."""

from minml import backend


def roc_auc_with_ties(y_true, y_score):
    positive = y_true == 1
    pos, neg = y_score[positive], y_score[~positive]
    wins = (pos[:, None] >= neg[None, :]).sum()
    return float(backend.to_scalar(wins) / (pos.shape[0] * neg.shape[0]))
