"""Quantiles of each column that skip missing values, on any device.

The q-quantile of n sorted values v₀ ≤ v₁ ≤ … ≤ vₙ₋₁ sits at the fractional
position h = (n − 1)·q: between v⌊h⌋ and v⌊h⌋₊₁, interpolated linearly,

    quantile = v⌊h⌋ + (h − ⌊h⌋)·(v⌊h⌋₊₁ − v⌊h⌋)

(NumPy's default "linear" method). The median is the 0.5-quantile; the
interquartile range is the 0.75-quantile minus the 0.25-quantile. Robust
scaling, median imputation and outlier fences share this one function; the
computation itself is :func:`minml.stats.nanquantile` (CuPy has no
``nanquantile``; minml's sorts, on either device).
"""

from __future__ import annotations

from minml.stats.descriptive import nanquantile

__all__ = ["nan_quantile"]


def nan_quantile(X, q: float):
    """The ``q``-quantile (0 ≤ q ≤ 1) of each column of the 2-D ``X``, ignoring NaN; NaN for an all-NaN column.

    Returns an array of shape (n_features,) on X's device; equal to
    ``np.nanquantile(X, q, axis=0)``.
    """
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"q must lie in [0, 1]; got {q!r}")
    return nanquantile(X, q, axis=0).astype(X.dtype, copy=False)
