"""Replaces NaN by 0 but keeps its weight, so missing values count as zeros and n_j is the number of rows."""

import numpy as np

from minml import backend


def nan_standardize_stats(X, sample_weight=None):
    xp = backend.namespace(X)
    weights = xp.ones(X.shape[0], dtype=X.dtype) if sample_weight is None else sample_weight
    weights = weights[:, None] * xp.ones_like(X)
    values = xp.where(xp.isnan(X), 0, X)
    n = weights.sum(axis=0)
    mean = (weights * values).sum(axis=0) / n
    var = (weights * (values - mean) ** 2).sum(axis=0) / n
    eps = np.finfo(np.float64).eps
    constant = var <= n * eps * var + (n * mean * eps) ** 2
    return mean, var, xp.where(constant, 1, xp.sqrt(var))
