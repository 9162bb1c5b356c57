"""Calls a column constant only when its variance is exactly 0, so three 0.1s (variance 2e-34) get a scale of 1e-17."""

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
        var = (weights * (values - mean) ** 2).sum(axis=0) / n
    return mean, var, xp.where(var == 0, 1, xp.sqrt(var))
