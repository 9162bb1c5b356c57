"""Reduces without keepdims: row statistics of a square matrix broadcast along the wrong axis."""

from minml import backend


def standardize(X, axis: int | tuple[int, ...] | None = 0, ddof: int = 0):
    xp = backend.namespace(X)
    mean = X.mean(axis=axis)
    if mean.size and X.size // mean.size <= ddof:
        raise ValueError(f"ddof={ddof} needs more than {ddof} values along axis {axis}")
    std = X.std(axis=axis, ddof=ddof)
    constant = X.max(axis=axis) == X.min(axis=axis)
    return (X - mean) / xp.where(constant, 1, std)
