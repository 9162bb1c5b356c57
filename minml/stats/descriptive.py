"""Descriptive statistics: numbers that summarise a sample.

Location: the ``mean`` x̄ = Σ xᵢ / n is pulled by outliers; the ``median`` (the middle of
the sorted values) is not. Spread: the variance s² = Σ (xᵢ − x̄)² / (n − ddof) and its root,
the standard deviation. ddof = 0 gives the maximum-likelihood (biased) estimate, ddof = 1 the
unbiased one (dividing by n − 1 makes up for x̄ being fitted to the same data).

Quantiles. The q-quantile splits the sorted sample so that a share q lies below it. For a
finite sample that is ambiguous between two order statistics, and Hyndman & Fan (1996)
counted nine conventions; NumPy names them (``method=``) and so does :func:`quantile`. Each
maps q to a *virtual index* h into the sorted values x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎ and interpolates
x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎). The continuous ones use h = nq + α + q(1 − α − β) − 1:

    interpolated_inverted_cdf (α, β) = (0, 1)     hazen (½, ½)       weibull (0, 0)
    linear (1, 1) — the default, h = (n − 1) q    median_unbiased (⅓, ⅓)   normal_unbiased (⅜, ⅜)

the discontinuous ones pick an order statistic (inverted_cdf, averaged_inverted_cdf,
closest_observation) and lower / higher / nearest / midpoint round linear's h.

Shape: skewness g₁ = m₃ / m₂^{3/2} (which tail is longer) and kurtosis g₂ = m₄ / m₂² (how
heavy the tails are; 3 for a normal, so Fisher's definition subtracts 3), from the central
moments mₖ = Σ (xᵢ − x̄)ᵏ / n; ``bias=False`` applies the usual small-sample corrections.
The ``mode`` is the most frequent value (the smallest, on ties).

Axes and NaN. Every function takes ``axis`` (None: all values). NumPy-style functions
(mean, var, std, median, quantile) default to ``axis=None``; SciPy-style ones (mode, skew,
kurtosis, describe) to ``axis=0``, as in those libraries. A NaN in a slice makes its result
NaN; the ``nan*`` variants ignore NaNs instead. A result over all values is a Python float;
otherwise an array on the data's device.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from minml import backend

__all__ = [
    "mean",
    "var",
    "std",
    "median",
    "quantile",
    "nanmean",
    "nanvar",
    "nanstd",
    "nanmedian",
    "nanquantile",
    "mode",
    "ModeResult",
    "moment",
    "skew",
    "kurtosis",
    "describe",
    "DescribeResult",
    "QUANTILE_METHODS",
]

QUANTILE_METHODS = (
    "inverted_cdf", "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf", "hazen",
    "weibull", "linear", "median_unbiased", "normal_unbiased", "lower", "higher", "nearest", "midpoint",
)
_ALPHA_BETA = {
    "interpolated_inverted_cdf": (0.0, 1.0),
    "hazen": (0.5, 0.5),
    "weibull": (0.0, 0.0),
    "median_unbiased": (1 / 3, 1 / 3),
    "normal_unbiased": (3 / 8, 3 / 8),
}


def _data(x):
    """``x`` as a floating-point array (lists go to the default device)."""
    if isinstance(x, (list, tuple, int, float)):
        x = backend.to_device(np.asarray(x, dtype=np.float64), backend.default_device())
    return x if x.dtype.kind in "fc" else x.astype(np.float64)


def _finish(result):
    """A Python float for a 0-d result (via to_scalar), else the array."""
    return backend.to_scalar(result) if result.ndim == 0 else result


def _last_axis(x, axis):
    """``x`` with ``axis`` moved last (None: flattened), so every function reduces axis −1."""
    if axis is None:
        return x.reshape(-1)
    return backend.namespace(x).moveaxis(x, axis, -1)


def _count(x, axis, skip_nan: bool):
    """How many values each reduction sees: the non-NaN ones, or all (a Python int)."""
    if skip_nan:
        return (~backend.namespace(x).isnan(x)).sum(axis=axis)
    return x.size if axis is None else x.shape[axis]


# --------------------------------------------------------------------------- location and spread


def _mean(x, axis, skip_nan):
    xp = backend.namespace(x)
    filled = xp.where(xp.isnan(x), 0.0, x) if skip_nan else x
    with np.errstate(invalid="ignore", divide="ignore"):
        return filled.sum(axis=axis) / _count(x, axis, skip_nan)


def _var(x, axis, ddof, skip_nan):
    xp = backend.namespace(x)
    centre = _mean(x, axis, skip_nan)
    centre = centre if axis is None else xp.expand_dims(centre, axis)
    squares = xp.abs(x - centre) ** 2
    if skip_nan:
        squares = xp.where(xp.isnan(x), 0.0, squares)
    dof = xp.asarray(_count(x, axis, skip_nan) - ddof)  # an array even for axis=None: CuPy's where takes no bool
    with np.errstate(invalid="ignore", divide="ignore"):
        return xp.where(dof > 0, squares.sum(axis=axis) / xp.where(dof > 0, dof, 1), np.nan)


def mean(x, axis=None):
    """The arithmetic mean Σ xᵢ / n along ``axis``."""
    x = _data(x)
    return _finish(_mean(x, axis, skip_nan=False))


def nanmean(x, axis=None):
    """The mean of the non-NaN values (NaN where a slice has none)."""
    x = _data(x)
    return _finish(_mean(x, axis, skip_nan=True))


def var(x, axis=None, ddof=0):
    """The variance Σ (xᵢ − x̄)² / (n − ddof); NaN where n ≤ ddof."""
    x = _data(x)
    return _finish(_var(x, axis, ddof, skip_nan=False))


def nanvar(x, axis=None, ddof=0):
    """The variance of the non-NaN values."""
    x = _data(x)
    return _finish(_var(x, axis, ddof, skip_nan=True))


def std(x, axis=None, ddof=0):
    """The standard deviation √var."""
    x = _data(x)
    return _finish(backend.namespace(x).sqrt(_var(x, axis, ddof, skip_nan=False)))


def nanstd(x, axis=None, ddof=0):
    """The standard deviation of the non-NaN values."""
    x = _data(x)
    return _finish(backend.namespace(x).sqrt(_var(x, axis, ddof, skip_nan=True)))


# --------------------------------------------------------------------------- quantiles


def _virtual_index(n, q, method: str):
    """Hyndman & Fan's index h into the sorted values, and the interpolation weight γ (None: pick ⌊h⌋)."""
    xp = backend.namespace(n, q)
    if method in _ALPHA_BETA:
        alpha, beta = _ALPHA_BETA[method]
        return n * q + (alpha + q * (1 - alpha - beta)) - 1, None
    if method == "linear":
        return (n - 1) * q, None
    if method in ("lower", "higher", "nearest", "midpoint"):
        h = (n - 1) * q
        rounded = {"lower": xp.floor, "higher": xp.ceil, "nearest": xp.round}
        if method in rounded:
            return rounded[method](h), None
        h = 0.5 * (xp.floor(h) + xp.ceil(h))
        return h, xp.where(h % 1 == 0, 0.0, 0.5)
    if method == "averaged_inverted_cdf":
        h = n * q - 1
        return h, xp.where(h - xp.floor(h) == 0, 0.5, 1.0)
    # inverted_cdf and closest_observation pick one order statistic: h itself, or the next one
    h = n * q - 1 if method == "inverted_cdf" else n * q - 1.5
    below = xp.floor(h)
    fraction = h - below
    stay = fraction == 0
    if method == "closest_observation":
        stay = stay & (below % 2 == 1)
    return xp.maximum(xp.where(stay, below, below + 1), 0.0), None


def _quantile(x, q, axis, method: str, skip_nan: bool):
    if method not in QUANTILE_METHODS:
        raise ValueError(f"method must be one of {', '.join(QUANTILE_METHODS)}; got {method!r}")
    x = _last_axis(_data(x), axis)
    xp = backend.namespace(x)
    q = backend.to_device(np.asarray(q, dtype=np.float64), backend.device_of(x)) if not hasattr(q, "dtype") else q
    if q.ndim > 1:
        raise ValueError(f"q must be a number or a 1-D array; got shape {q.shape}")
    if not backend.to_scalar(((q >= 0) & (q <= 1)).all()):
        raise ValueError("quantiles must be in the range [0, 1]")
    ordered = xp.sort(x, axis=-1)  # NaNs sort last
    nan_count = xp.isnan(x).sum(axis=-1)
    size = x.shape[-1]
    n = (size - nan_count) if skip_nan else xp.full(x.shape[:-1], size)
    n = n.astype(np.float64)
    q_shaped = q.reshape(q.shape + (1,) * n.ndim)
    h, gamma = _virtual_index(n, q_shaped, method)  # shape q.shape + the kept axes
    below = xp.floor(h)
    if gamma is None:
        gamma = h - below
    last = xp.maximum(n - 1, 0)
    below_index = xp.clip(below, 0, last)
    above_index = xp.clip(below + 1, 0, last)
    below_index = xp.where(h >= last, last, below_index)  # past either end: the extreme value itself
    gamma = xp.where((h >= last) | (h < 0), 0.0, gamma)
    flat = ordered.reshape(-1, size)
    rows = xp.arange(flat.shape[0]).reshape(x.shape[:-1])
    pick = lambda index: flat.reshape(-1)[(rows * size + index.astype(np.int64)).reshape(-1)].reshape(index.shape)
    low, high = pick(below_index), pick(above_index)
    difference = high - low
    value = xp.where(gamma >= 0.5, high - difference * (1 - gamma), low + difference * gamma)  # NumPy's lerp
    if skip_nan:
        value = xp.where(n == 0, np.nan, value)
    else:
        value = xp.where(nan_count > 0, np.nan, value)
    return _finish(value)


def quantile(x, q, axis=None, method: str = "linear"):
    """The q-quantile(s) of ``x`` along ``axis`` (result shape: q's shape, then the kept axes).

    ``method``: one of :data:`QUANTILE_METHODS`, as NumPy names them (see the module docstring).
    """
    return _quantile(x, q, axis, method, skip_nan=False)


def nanquantile(x, q, axis=None, method: str = "linear"):
    """:func:`quantile` of the non-NaN values."""
    return _quantile(x, q, axis, method, skip_nan=True)


def median(x, axis=None):
    """The middle value of the sorted data (the mean of the two middle ones when n is even)."""
    return _quantile(x, 0.5, axis, "linear", skip_nan=False)


def nanmedian(x, axis=None):
    """The median of the non-NaN values."""
    return _quantile(x, 0.5, axis, "linear", skip_nan=True)


# --------------------------------------------------------------------------- mode


class ModeResult(NamedTuple):
    mode: object
    count: object


def mode(x, axis=0):
    """The most frequent value along ``axis`` (the smallest on ties) and how often it occurs.

    Sort each slice; equal values form runs; count each run with one bincount and take the longest.
    """
    x = _last_axis(_data(x) if isinstance(x, (list, tuple)) else x, axis)
    xp = backend.namespace(x)
    size = x.shape[-1]
    if size == 0:
        raise ValueError("mode of an empty slice is undefined")
    ordered = xp.sort(x, axis=-1).reshape(-1, size)
    rows = ordered.shape[0]
    starts = xp.concatenate([xp.ones((rows, 1), dtype=bool), ordered[:, 1:] != ordered[:, :-1]], axis=1)
    run = xp.cumsum(starts, axis=1) - 1  # which run of equal values each position belongs to
    key = (xp.arange(rows)[:, None] * size + run).reshape(-1)
    counts = backend.bincount(key, minlength=rows * size).reshape(rows, size)
    longest = xp.argmax(counts, axis=1)  # the first longest run: the smallest value
    first = xp.argmax(run == longest[:, None], axis=1)  # where that run starts
    row = xp.arange(rows)
    shape = x.shape[:-1]
    return ModeResult(_finish(ordered[row, first].reshape(shape)), _finish(counts[row, longest].reshape(shape)))


# --------------------------------------------------------------------------- shape


def moment(x, order: int = 1, axis=0):
    """The central moment mₖ = Σ (xᵢ − x̄)ᵏ / n (SciPy's ``moment``)."""
    x = _data(x)
    return _finish(_central_moments(x, axis, (order,))[0])


def _central_moments(x, axis, orders):
    xp = backend.namespace(x)
    centre = _mean(x, axis, skip_nan=False)
    deviations = x - (centre if axis is None else xp.expand_dims(centre, axis))
    return [(deviations**k).mean(axis=axis) for k in orders]


def _near_constant(x, m2, axis):
    """Slices whose variance is rounding noise (SciPy returns NaN shape statistics for them)."""
    centre = _mean(x, axis, skip_nan=False)
    return m2 <= (np.finfo(x.dtype).eps * centre) ** 2


def skew(x, axis=0, bias: bool = True):
    """The sample skewness g₁ = m₃ / m₂^{3/2}; with ``bias=False`` G₁ = g₁ √(n(n−1)) / (n − 2)."""
    x = _data(x)
    xp = backend.namespace(x)
    n = x.size if axis is None else x.shape[axis]
    m2, m3 = _central_moments(x, axis, (2, 3))
    with np.errstate(invalid="ignore", divide="ignore"):
        g1 = xp.where(_near_constant(x, m2, axis), np.nan, m3 / m2**1.5)
        if not bias and n > 2:  # SciPy leaves g₁ uncorrected when n ≤ 2
            g1 = g1 * np.sqrt(n * (n - 1)) / (n - 2)
    return _finish(g1)


def kurtosis(x, axis=0, fisher: bool = True, bias: bool = True):
    """The sample kurtosis g₂ = m₄ / m₂² (minus 3 with ``fisher``: 0 for a normal).

    ``bias=False``: G₂ = ((n + 1) g₂ − 3(n − 1)) (n − 1) / ((n − 2)(n − 3)) + 3, before Fisher's −3.
    """
    x = _data(x)
    xp = backend.namespace(x)
    n = x.size if axis is None else x.shape[axis]
    m2, m4 = _central_moments(x, axis, (2, 4))
    with np.errstate(invalid="ignore", divide="ignore"):
        g2 = xp.where(_near_constant(x, m2, axis), np.nan, m4 / m2**2)
        if not bias and n > 3:  # SciPy leaves g₂ uncorrected when n ≤ 3
            g2 = ((n + 1) * g2 - 3 * (n - 1)) * (n - 1) / ((n - 2) * (n - 3)) + 3
    return _finish(g2 - 3 if fisher else g2)


# --------------------------------------------------------------------------- describe


class DescribeResult(NamedTuple):
    nobs: int
    minmax: tuple
    mean: object
    variance: object
    skewness: object
    kurtosis: object


def describe(x, axis=0, ddof: int = 1, bias: bool = True):
    """A summary like ``scipy.stats.describe``: nobs, (min, max), mean, variance (ddof), skewness, kurtosis."""
    x = _data(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    n = x.shape[axis]
    if n == 0:
        raise ValueError("describe needs at least one observation")
    return DescribeResult(
        nobs=n,
        minmax=(_finish(x.min(axis=axis)), _finish(x.max(axis=axis))),
        mean=mean(x, axis=axis),
        variance=var(x, axis=axis, ddof=ddof),
        skewness=skew(x, axis=axis, bias=bias),
        kurtosis=kurtosis(x, axis=axis, bias=bias),
    )
