"""Returns scale = √var even for a constant column, so the scaler divides by 0 and makes NaN."""

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
    return mean, var, xp.sqrt(var)
