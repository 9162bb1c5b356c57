"""counts.mean() without axis=0: one rate for all the columns together instead of one per column."""

from minml import backend


def poisson_mle(counts):
    xp = backend.namespace(counts)
    valid = (counts >= 0) & (xp.floor(counts) == counts)
    if not backend.to_scalar(valid.all()):
        raise ValueError("counts must be non-negative whole numbers")
    return counts.mean()
