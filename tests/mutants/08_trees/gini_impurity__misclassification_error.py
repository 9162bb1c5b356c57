"""Computes the misclassification error 1 − max_k p_k instead of the Gini impurity 1 − Σ_k p_k²."""

from minml import backend


def gini_impurity(class_weights):
    xp = backend.namespace(class_weights)
    total = class_weights.sum(axis=-1)
    proportions = class_weights / xp.maximum(total, 1e-300)[..., None]
    return xp.where(total > 0, 1.0 - proportions.max(axis=-1), 0.0)
