"""Uses np.where instead of xp.where: refused on a GPU (the fake device)."""

import numpy as np


def standardize(X, axis: int | tuple[int, ...] | None = 0, ddof: int = 0):
    mean = X.mean(axis=axis, keepdims=True)
    if mean.size and X.size // mean.size <= ddof:
        raise ValueError(f"ddof={ddof} needs more than {ddof} values along axis {axis}")
    std = X.std(axis=axis, ddof=ddof, keepdims=True)
    constant = X.max(axis=axis, keepdims=True) == X.min(axis=axis, keepdims=True)
    return (X - mean) / np.where(constant, 1, std)
