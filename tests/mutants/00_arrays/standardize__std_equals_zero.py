"""Detects constant slices with std == 0, which rounding defeats (three 0.1s)."""

from minml import backend


def standardize(X, axis: int | tuple[int, ...] | None = 0, ddof: int = 0):
    xp = backend.namespace(X)
    mean = X.mean(axis=axis, keepdims=True)
    if mean.size and X.size // mean.size <= ddof:
        raise ValueError(f"ddof={ddof} needs more than {ddof} values along axis {axis}")
    std = X.std(axis=axis, ddof=ddof, keepdims=True)
    return (X - mean) / xp.where(std == 0, 1, std)
