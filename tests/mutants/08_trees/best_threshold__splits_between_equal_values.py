"""Also cuts between equal values of x, which no threshold x ≤ t can separate."""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.tree.splitter import gini_impurity


def best_threshold(x, y, n_classes: int, sample_weight=None):
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
    best = backend.to_scalar(xp.argmax(decrease))
    below, above = values[best], values[best + 1]
    threshold = xp.where(below / 2 + above / 2 >= above, below, below / 2 + above / 2)  # rounding: keep the lower
    return backend.to_scalar(threshold), backend.to_scalar(decrease[best])
