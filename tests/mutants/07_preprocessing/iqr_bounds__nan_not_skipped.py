"""Sorts each column and interpolates over all n rows, so the NaN that sort last are counted as the largest values."""

import numpy as np

from minml import backend


def iqr_bounds(X, factor=1.5):
    if factor < 0:
        raise ValueError(f"factor must be ≥ 0; got {factor!r}")
    xp = backend.namespace(X)
    ordered = xp.sort(X, axis=0)

    def quantile(q):
        position = (X.shape[0] - 1) * q
        below = int(np.floor(position))
        above = min(below + 1, X.shape[0] - 1)
        return ordered[below] + (position - below) * (ordered[above] - ordered[below])

    q1, q3 = quantile(0.25), quantile(0.75)
    iqr = q3 - q1
    return q1 - factor * iqr, q3 + factor * iqr
