"""Takes plain column means and variances, so a single NaN turns the whole column's statistics into NaN."""

from minml import backend


def nan_standardize_stats(X, sample_weight=None):
    xp = backend.namespace(X)
    weights = xp.ones(X.shape[0], dtype=X.dtype) if sample_weight is None else sample_weight
    n = weights.sum()
    mean = (weights[:, None] * X).sum(axis=0) / n
    var = (weights[:, None] * (X - mean) ** 2).sum(axis=0) / n
    constant = X.max(axis=0) == X.min(axis=0)
    return mean, var, xp.where(constant, 1, xp.sqrt(var))
