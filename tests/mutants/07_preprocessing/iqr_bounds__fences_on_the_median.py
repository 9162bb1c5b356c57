"""Puts both fences around the median (median ± factor·IQR) instead of below Q1 and above Q3."""

from minml.preprocessing import nan_quantile


def iqr_bounds(X, factor=1.5):
    if factor < 0:
        raise ValueError(f"factor must be ≥ 0; got {factor!r}")
    q1, median, q3 = nan_quantile(X, 0.25), nan_quantile(X, 0.5), nan_quantile(X, 0.75)
    iqr = q3 - q1
    return median - factor * iqr, median + factor * iqr
