"""Covariance and correlation: do two variables move together?

The covariance cov(x, y) = Σ (xᵢ − x̄)(yᵢ − ȳ) / (n − 1) is positive when the two tend to be
above their means together; its size depends on their units. Dividing by both standard
deviations gives Pearson's correlation r ∈ [−1, 1], which measures *linear* association.

Rank correlations measure *monotone* association and shrug off outliers:

* Spearman's ρ is Pearson's r of the ranks (ties share their average rank, :func:`rankdata`);
* Kendall's τ counts pairs (i, j): concordant if x and y order them the same way, discordant
  if oppositely. τ-b = (C − D) / √((n₀ − n₁)(n₀ − n₂)), with n₀ = n(n − 1)/2 pairs and n₁, n₂
  the pairs tied in x and in y, so that τ-b reaches ±1 even with ties.

Each correlation comes with a two-sided p-value for "no association": for Pearson's r an
exact one under normality (r's null distribution is a Beta(n/2 − 1, n/2 − 1) stretched to
[−1, 1]); for Spearman's ρ Student's t approximation t = ρ √((n − 2)/(1 − ρ²)) with n − 2
degrees of freedom; for Kendall's τ the normal approximation with the tie-corrected variance
(SciPy's ``method="asymptotic"``).

Kendall's τ here compares all pairs, in blocks: O(n²) time and O(n · block) memory, fine for
thousands of points (SciPy's merge-sort version is O(n log n)).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from minml import backend
from minml.stats.continuous import StudentT

__all__ = ["cov", "corrcoef", "pearsonr", "spearmanr", "kendalltau", "rankdata", "CorrelationResult"]

_PAIR_BLOCK = 1 << 22  # pairs compared at once by kendalltau


class CorrelationResult(NamedTuple):
    """A correlation coefficient and its two-sided p-value for "no association"."""

    statistic: float
    pvalue: float


def _as_float(x):
    if isinstance(x, (list, tuple)):
        x = backend.to_device(np.asarray(x, dtype=np.float64), backend.default_device())
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def _finish(result):
    return backend.to_scalar(result) if result.ndim == 0 else result


def cov(m, y=None, rowvar: bool = True, bias: bool = False, ddof: int | None = None):
    """The covariance matrix of the variables in ``m`` (and ``y``), as ``numpy.cov``.

    Each row of ``m`` is a variable and each column an observation (``rowvar=False``: the
    reverse). C = Xc Xcᵀ / (n − ddof), Xc the centred rows; ddof = 1 unless ``bias``.
    A single variable gives its variance as a float.
    """
    x = _as_float(m)
    xp = backend.namespace(x)
    x = x.reshape(1, -1) if x.ndim == 1 else x
    if not rowvar and x.shape[0] != 1:
        x = x.T
    if y is not None:
        other = _as_float(y)
        other = other.reshape(1, -1) if other.ndim == 1 else other
        if not rowvar and other.shape[0] != 1:
            other = other.T
        x = xp.concatenate([x, other], axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    centred = x - x.mean(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = centred @ centred.T / (x.shape[1] - ddof)
    return _finish(c.squeeze())


def corrcoef(x, y=None, rowvar: bool = True):
    """Pearson correlation matrix R = C / (σ σᵀ), as ``numpy.corrcoef`` (clipped to [−1, 1])."""
    c = cov(x, y, rowvar=rowvar)
    if isinstance(c, float):
        return c / c
    xp = backend.namespace(c)
    sd = xp.sqrt(c.diagonal())
    with np.errstate(divide="ignore", invalid="ignore"):
        return xp.clip(c / sd[:, None] / sd[None, :], -1, 1)


def _pair(x, y, name: str):
    x, y = _as_float(x), _as_float(y)
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError(f"{name} needs two 1-D arrays of the same length; got shapes {x.shape} and {y.shape}")
    if x.shape[0] < 2:
        raise ValueError(f"{name} needs at least 2 observations; got {x.shape[0]}")
    return x, y


def _pearson(x, y, normalise_first: bool = True):
    """r; ``normalise_first`` scales each centred vector to length 1 before the dot product (SciPy's
    pearsonr, safe from overflow), otherwise Σ dx·dy / √(Σ dx² Σ dy²) (numpy.corrcoef, exactly ±1 for
    identical ranks)."""
    xp = backend.namespace(x, y)
    dx, dy = x - x.mean(), y - y.mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        if normalise_first:
            r = (dx / xp.sqrt((dx * dx).sum()) * (dy / xp.sqrt((dy * dy).sum()))).sum()
        else:
            r = (dx * dy).sum() / xp.sqrt((dx * dx).sum() * (dy * dy).sum())
    return xp.clip(r, -1.0, 1.0)


def pearsonr(x, y) -> CorrelationResult:
    """Pearson's r = Σ (xᵢ − x̄)(yᵢ − ȳ) / √(Σ (xᵢ − x̄)² Σ (yᵢ − ȳ)²), with its exact two-sided p-value.

    Under independent normal x and y, (r + 1)/2 ~ Beta(n/2 − 1, n/2 − 1), so
    p = 2 I_{(1 − |r|)/2}(n/2 − 1, n/2 − 1). NaN for constant input.
    """
    x, y = _pair(x, y, "pearsonr")
    n = x.shape[0]
    r = _pearson(x, y)
    if n == 2:
        return CorrelationResult(backend.to_scalar(r), 1.0)
    half = n / 2 - 1
    p = 2 * backend.special(r).betainc(half, half, (1 - backend.namespace(r).abs(r)) / 2)
    return CorrelationResult(backend.to_scalar(r), backend.to_scalar(p))


def _runs(ordered):
    """For sorted rows (m, n): each position's run of equal values (0, 1, ...) and each run's length."""
    xp = backend.namespace(ordered)
    rows, n = ordered.shape
    starts = xp.concatenate([xp.ones((rows, 1), dtype=bool), ordered[:, 1:] != ordered[:, :-1]], axis=1)
    run = xp.cumsum(starts, axis=1) - 1
    key = (xp.arange(rows)[:, None] * n + run).reshape(-1)
    lengths = backend.bincount(key, minlength=rows * n).reshape(rows, n)
    return run, lengths


def rankdata(a, method: str = "average", axis=None):
    """The ranks 1 … n of the values along ``axis`` (None: of all values), as ``scipy.stats.rankdata``.

    Tied values get, by ``method``: their ``average`` rank, the ``min`` or ``max`` of their
    ranks, ``dense`` ranks (no gaps), or ``ordinal`` ranks (first come, first ranked).
    Slices holding NaN rank as NaN.
    """
    methods = ("average", "min", "max", "dense", "ordinal")
    if method not in methods:
        raise ValueError(f"method must be one of {', '.join(methods)}; got {method!r}")
    a = _as_float(a) if isinstance(a, (list, tuple)) else a
    xp = backend.namespace(a)
    moved = a.reshape(-1) if axis is None else xp.moveaxis(a, axis, -1)
    n = moved.shape[-1]
    flat = moved.reshape(-1, n)
    rows = flat.shape[0]
    order = backend.argsort(flat, axis=-1)
    ordered = xp.take_along_axis(flat, order, axis=-1)
    run, lengths = _runs(ordered)
    first = xp.cumsum(lengths, axis=1) - lengths  # where each run starts
    row_index = xp.arange(rows)[:, None]
    start = first[row_index, run].astype(np.float64)
    end = start + lengths[row_index, run] - 1
    ranks = {
        "average": (start + end) / 2 + 1,
        "min": start + 1,
        "max": end + 1,
        "dense": run + 1.0,
        "ordinal": xp.arange(n, dtype=np.float64) + 1 + 0 * start,
    }[method]
    out = xp.empty(rows * n, dtype=np.float64)
    out[(row_index * n + order).reshape(-1)] = ranks.reshape(-1)  # back to each value's own position
    out = out.reshape(rows, n)
    if a.dtype.kind == "f":
        out = xp.where(xp.isnan(flat).any(axis=1, keepdims=True), np.nan, out)
    out = out.reshape(moved.shape)
    return out if axis is None else xp.moveaxis(out, -1, axis)


def spearmanr(x, y) -> CorrelationResult:
    """Spearman's ρ: Pearson's r of the ranks (ties averaged), with Student's t p-value."""
    x, y = _pair(x, y, "spearmanr")
    n = x.shape[0]
    rho = _pearson(rankdata(x), rankdata(y), normalise_first=False)
    xp = backend.namespace(rho)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = rho * xp.sqrt((n - 2) / ((rho + 1.0) * (1.0 - rho)))
    if n <= 2:
        return CorrelationResult(backend.to_scalar(rho), math.nan)
    p = 2 * StudentT(n - 2).cdf(-xp.abs(t))
    return CorrelationResult(backend.to_scalar(rho), backend.to_scalar(p))


def _tie_statistics(x):
    """Σ c(c−1)/2, Σ c(c−1)(c−2) and Σ c(c−1)(2c+5) over the sizes c of the groups of tied values."""
    xp = backend.namespace(x)
    _, lengths = _runs(xp.sort(x).reshape(1, -1))
    c = lengths.astype(np.float64)
    return (c * (c - 1) / 2).sum(), (c * (c - 1) * (c - 2)).sum(), (c * (c - 1) * (2 * c + 5)).sum()


def kendalltau(x, y) -> CorrelationResult:
    """Kendall's τ-b (ties handled) with the normal-approximation p-value (SciPy's ``method="asymptotic"``).

    S = Σ_{i<j} sign(xᵢ − xⱼ) sign(yᵢ − yⱼ) = C − D;  τ-b = S / √((n₀ − n₁)(n₀ − n₂));
    Var S = (n(n−1)(2n+5) − Σ_x − Σ_y)/18 + 2 n₁ n₂ / (n(n−1)) + X₀ Y₀ / (9 n(n−1)(n−2)).
    """
    x, y = _pair(x, y, "kendalltau")
    xp = backend.namespace(x, y)
    n = x.shape[0]
    s = xp.zeros((), dtype=np.float64)
    block = max(1, _PAIR_BLOCK // n)
    for start in range(0, n, block):
        rows = slice(start, min(start + block, n))
        s = s + (xp.sign(x[rows, None] - x[None, :]) * xp.sign(y[rows, None] - y[None, :])).sum()
    s = s / 2  # every pair was seen twice, as (i, j) and (j, i)
    n0 = n * (n - 1) / 2
    x_tie, x0, x1 = _tie_statistics(x)
    y_tie, y0, y1 = _tie_statistics(y)
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = xp.clip(s / xp.sqrt(n0 - x_tie) / xp.sqrt(n0 - y_tie), -1.0, 1.0)
        m = n * (n - 1.0)
        variance = (m * (2 * n + 5) - x1 - y1) / 18 + 2 * x_tie * y_tie / m
        if n > 2:
            variance = variance + x0 * y0 / (9 * m * (n - 2))
        z = s / xp.sqrt(variance)
    p = 2 * backend.special(z).ndtr(-xp.abs(z))
    tau, p = xp.where(xp.isfinite(tau), tau, np.nan), xp.where(xp.isfinite(tau), p, np.nan)
    return CorrelationResult(backend.to_scalar(tau), backend.to_scalar(p))
