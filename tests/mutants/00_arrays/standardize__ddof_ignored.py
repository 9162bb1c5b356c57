"""Ignores ddof: always divides by n, never by n - ddof."""

from minml import backend


def standardize(X, axis: int | tuple[int, ...] | None = 0, ddof: int = 0):
    xp = backend.namespace(X)
    mean = X.mean(axis=axis, keepdims=True)
    if mean.size and X.size // mean.size <= ddof:
        raise ValueError(f"ddof={ddof} needs more than {ddof} values along axis {axis}")
    std = X.std(axis=axis, keepdims=True)
    constant = X.max(axis=axis, keepdims=True) == X.min(axis=axis, keepdims=True)
    return (X - mean) / xp.where(constant, 1, std)
