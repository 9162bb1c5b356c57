"""Divides the variance by n_j − 1 (the sample variance) instead of n_j, as StandardScaler does not."""

import numpy as np

from minml import backend


def nan_standardize_stats(X, sample_weight=None):
    xp = backend.namespace(X)
    missing = xp.isnan(X)
    weights = xp.ones(X.shape[0], dtype=X.dtype) if sample_weight is None else sample_weight
    weights = xp.where(missing, 0, weights[:, None])
    values = xp.where(missing, 0, X)
    with np.errstate(invalid="ignore", divide="ignore"):
        n = weights.sum(axis=0)
        mean = (weights * values).sum(axis=0) / n
        var = (weights * (values - mean) ** 2).sum(axis=0) / (n - 1)
    eps = np.finfo(np.float64).eps
    constant = var <= n * eps * var + (n * mean * eps) ** 2
    return mean, var, xp.where(constant, 1, xp.sqrt(var))
