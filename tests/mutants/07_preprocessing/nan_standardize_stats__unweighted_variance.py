"""Weights the mean but not the variance: var_j = Σ (x_ij − mean_j)² / (number of values), whatever the weights."""

import numpy as np

from minml import backend


def nan_standardize_stats(X, sample_weight=None):
    xp = backend.namespace(X)
    missing = xp.isnan(X)
    weights = xp.ones(X.shape[0], dtype=X.dtype) if sample_weight is None else sample_weight
    weights = xp.where(missing, 0, weights[:, None])
    present = (~missing).astype(X.dtype)
    values = xp.where(missing, 0, X)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (weights * values).sum(axis=0) / weights.sum(axis=0)
        count = present.sum(axis=0)
        var = (present * (values - mean) ** 2).sum(axis=0) / count
    eps = np.finfo(np.float64).eps
    constant = var <= count * eps * var + (count * mean * eps) ** 2
    return mean, var, xp.where(constant, 1, xp.sqrt(var))
