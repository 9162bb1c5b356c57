"""Σk / (n - 1), as for an unbiased variance: not the maximum of the likelihood (and 1/0 for one count)."""

from minml import backend


def poisson_mle(counts):
    xp = backend.namespace(counts)
    valid = (counts >= 0) & (xp.floor(counts) == counts)
    if not backend.to_scalar(valid.all()):
        raise ValueError("counts must be non-negative whole numbers")
    return counts.sum(axis=0) / (counts.shape[0] - 1)
