"""Measures the spread as 2·(Q3 − median), as if every column were symmetric around its median."""

from minml.preprocessing import nan_quantile


def iqr_bounds(X, factor=1.5):
    if factor < 0:
        raise ValueError(f"factor must be ≥ 0; got {factor!r}")
    q1, median, q3 = nan_quantile(X, 0.25), nan_quantile(X, 0.5), nan_quantile(X, 0.75)
    iqr = 2 * (q3 - median)
    return q1 - factor * iqr, q3 + factor * iqr
