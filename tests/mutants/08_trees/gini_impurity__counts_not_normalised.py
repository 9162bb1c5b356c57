"""Squares the class counts themselves instead of the proportions p_k = w_k / Σ_j w_j."""

from minml import backend


def gini_impurity(class_weights):
    xp = backend.namespace(class_weights)
    total = class_weights.sum(axis=-1)
    return xp.where(total > 0, 1.0 - (class_weights**2).sum(axis=-1), 0.0)
