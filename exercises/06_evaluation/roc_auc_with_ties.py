"""Exercise 06.roc_auc_with_ties: ROC AUC from midranks: how often a positive outranks a negative, ties counting ½.

Generated from minml/metrics/ranking.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def roc_auc_with_ties(y_true, y_score) -> float:
    """ROC AUC from midranks: how often a positive outranks a negative, ties counting ½.

    The AUC is the share of (positive, negative) pairs that the scores put in the
    right order, a tied pair counting one half:

        AUC = 1/(P·N) · Σ over positives i, negatives j of ( [sᵢ > sⱼ] + ½ [sᵢ = sⱼ] )

    with P positives and N negatives. Comparing all P·N pairs is slow (and a
    P × N array is big); ranks count them all after one sort (this is the
    Mann–Whitney U statistic):

    1. Rank the n scores from 1 (the smallest) to n. Tied scores share the mean
       of the ranks they occupy, their *midrank*: the scores 0.2, 0.5, 0.5, 0.9
       have ranks 1, 2.5, 2.5, 4.
    2. Add up the ranks of the positives: R. The rank of a positive is 1 + the
       number of scores below it (+ ½ per tied score); the positives among those
       add up to P(P + 1)/2 over all positives, so what is left counts the
       negatives below each positive, ties for one half:

        U = R − P(P + 1)/2,        AUC = U / (P·N)

    Args:
        y_true: 0/1 labels (1 = positive), shape (n,), both classes present.
        y_score: the scores, shape (n,), on y_true's device, finite; a higher
            score means "more likely positive".

    Returns:
        The AUC, a Python float in [0, 1].

    Use ``xp = backend.namespace(y_true, y_score)``, ``backend.argsort`` to sort
    the scores, a mask of where a run of equal sorted scores starts or ends,
    ``xp.nonzero`` and ``xp.cumsum``; sum in float64 and turn device values into
    Python numbers with ``backend.to_scalar``.
    """
    raise NotImplementedError("roc_auc_with_ties is not implemented yet")
