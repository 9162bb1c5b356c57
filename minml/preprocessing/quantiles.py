"""Quantiles of each column that skip missing values, on any device.

The q-quantile of n sorted values v₀ ≤ v₁ ≤ … ≤ vₙ₋₁ sits at the fractional
position h = (n − 1)·q: between v⌊h⌋ and v⌊h⌋₊₁, interpolated linearly,

    quantile = v⌊h⌋ + (h − ⌊h⌋)·(v⌊h⌋₊₁ − v⌊h⌋)

(NumPy's default "linear" method). The median is the 0.5-quantile; the
interquartile range is the 0.75-quantile minus the 0.25-quantile. Missing
values (NaN) sort last, so a column with n non-missing values keeps them in its
first n sorted rows and the formula applies with that column's own n. Sorting
works the same on NumPy and CuPy (CuPy has no ``nanquantile``), so robust
scaling, median imputation and outlier fences share this one function.
"""

from __future__ import annotations

import numpy as np

from minml import backend

__all__ = ["nan_quantile"]


def nan_quantile(X, q: float):
    """The ``q``-quantile (0 ≤ q ≤ 1) of each column of the 2-D ``X``, ignoring NaN; NaN for an all-NaN column.

    Returns an array of shape (n_features,) on X's device; equal to
    ``np.nanquantile(X, q, axis=0)``.
    """
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"q must lie in [0, 1]; got {q!r}")
    xp = backend.namespace(X)
    ordered = xp.sort(X, axis=0)  # NaN sorts last
    counts = (~xp.isnan(X)).sum(axis=0)
    position = (counts - 1) * q
    below = xp.floor(position)
    fraction = position - below
    last = xp.maximum(counts - 1, 0)
    low = xp.maximum(below.astype(np.int64), 0)  # an all-NaN column has position −q: clamp to row 0
    high = xp.minimum(low + 1, last)
    a = xp.take_along_axis(ordered, low[None, :], axis=0)[0]
    b = xp.take_along_axis(ordered, high[None, :], axis=0)[0]
    step = b - a
    # a + t·(b − a), computed from the nearer end for t ≥ 0.5 (as NumPy does, so the results agree to the bit)
    value = xp.where(fraction >= 0.5, b - step * (1 - fraction), a + step * fraction)
    return xp.where(counts > 0, value, xp.nan).astype(X.dtype, copy=False)
