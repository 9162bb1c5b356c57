"""The exact best split of one feature: sort once, sweep every threshold, keep the best Gini decrease.

This is CART's split search in its textbook form, for one node and one feature.
Sort the samples by the feature's value x. Sending the first i sorted samples
left and the rest right is the split "x ≤ t" for any t between the i-th and
the (i+1)-th value, so the class weights of every candidate left child are a
cumulative sum over the sorted samples, and each right child is the node minus
its left child. The decrease in weighted Gini impurity of each candidate is ::

    Δ = gini(node) - W_L / W · gini(left) - W_R / W · gini(right)

(W_L, W_R, W: the weights of the children and the node). Only cuts between two
*different* values are real thresholds: samples with equal x always go the same
way. The threshold is the midpoint between the two values, as in scikit-learn.

minml's trees search the same candidates vectorised over all nodes and features
at once, from histograms (:mod:`minml.tree.splitter`, ``split_finder="exact"``
makes every distinct value its own bin); this one-feature version is the
definition they are checked against, and exercise 08.best_threshold.
"""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.tree.splitter import gini_impurity

__all__ = ["best_threshold"]


# exercise 08.best_threshold
def best_threshold(x, y, n_classes: int, sample_weight=None):
    """The best Gini split "x ≤ t" of one feature: ``(t, decrease)``, two Python floats.

    ``x`` (n,) holds one feature's values (no NaN), ``y`` (n,) the class codes
    0 … n_classes - 1, ``sample_weight`` (n,) optional weights (None: all 1).
    Samples with x ≤ t go left, the others right. Among the thresholds
    halfway between two consecutive *distinct* values of x, return the one that
    maximises the weighted impurity decrease

        Δ = gini(node) - W_L / W · gini(left) - W_R / W · gini(right)

    where gini is computed from class weights (use ``gini_impurity`` from
    minml.tree.splitter) and W_L, W_R, W are the total weights of the left
    child, the right child and the node. Compute the midpoint of a < b as
    a / 2 + b / 2. On a tie, return the smallest threshold. If x has fewer than
    two distinct values there is no split: return ``(inf, 0.0)``. Compute with
    ``xp = backend.namespace(x)`` (``from minml import backend``): sort once, and
    a cumulative sum of the sorted one-hot class weights gives every left child.
    Return Python floats (``backend.to_scalar``).
    """
    xp = backend.namespace(x)
    order = backend.argsort(x)
    values = x[order]
    distinct = values[1:] > values[:-1]  # a cut between positions i and i + 1 is a real threshold
    if not backend.to_scalar(distinct.any()):
        return float("inf"), 0.0
    weights = xp.ones(x.shape[0]) if sample_weight is None else sample_weight[order].astype(np.float64)
    one_hot = (y[order][:, None] == xp.arange(n_classes)[None, :]) * weights[:, None]  # (n, K) class weights
    node = one_hot.sum(axis=0)
    left = xp.cumsum(one_hot, axis=0)[:-1]  # row i: the first i + 1 sorted samples go left
    right = node[None, :] - left
    decrease = gini_impurity(node) - (left.sum(axis=1) * gini_impurity(left)
                                      + right.sum(axis=1) * gini_impurity(right)) / node.sum()
    best = backend.to_scalar(xp.argmax(xp.where(distinct, decrease, -xp.inf)))
    below, above = values[best], values[best + 1]
    threshold = xp.where(below / 2 + above / 2 >= above, below, below / 2 + above / 2)  # rounding: keep the lower
    return backend.to_scalar(threshold), backend.to_scalar(decrease[best])
# end exercise
