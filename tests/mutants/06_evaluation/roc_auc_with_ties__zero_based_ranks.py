"""Counts ranks from 0 instead of 1 but keeps U = R - P(P + 1)/2: every AUC is 1/N too small."""

from minml import backend


def roc_auc_with_ties(y_true, y_score):
    xp = backend.namespace(y_true, y_score)
    order = backend.argsort(y_score)
    sorted_scores, positive = y_score[order], y_true[order] == 1
    new_value = sorted_scores[1:] != sorted_scores[:-1]
    true = xp.ones(1, dtype=bool)
    run_starts = xp.nonzero(xp.concatenate([true, new_value]))[0]  # 0-based position of each run's first score
    run_stops = xp.nonzero(xp.concatenate([new_value, true]))[0] + 1  # one past each run's last score
    midranks = (run_starts + run_stops - 1) / 2.0  # the mean of the ranks, counted from 0
    run_of = xp.cumsum(xp.concatenate([true, new_value])) - 1  # which run each sorted score is in
    n_positive = backend.to_scalar(positive.sum())
    n_negative = y_score.shape[0] - n_positive
    rank_sum = backend.to_scalar((midranks[run_of] * positive).sum())
    return float((rank_sum - n_positive * (n_positive + 1) / 2) / (n_positive * n_negative))
