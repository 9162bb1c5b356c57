"""Normalises by the column sums (axis 0) instead of each row's total (the last axis)."""

from minml import backend


def gini_impurity(class_weights):
    xp = backend.namespace(class_weights)
    total = class_weights.sum(axis=0, keepdims=True)
    proportions = class_weights / xp.maximum(total, 1e-300)
    return xp.where(class_weights.sum(axis=-1) > 0, 1.0 - (proportions**2).sum(axis=-1), 0.0)
