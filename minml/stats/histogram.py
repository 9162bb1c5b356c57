"""Histograms: counting the data in bins, and choosing how wide the bins are.

A histogram cuts the range [min, max] into bins [e₀, e₁), [e₁, e₂), …, [e_{k−1}, e_k] (the
last one closed) and counts the values in each; with ``density=True`` the counts become
count / (n · width), a piecewise-constant density estimate that integrates to 1.

The bin width h is a bias–variance trade-off: wide bins blur the shape, narrow bins are
noisy. The rules of thumb NumPy offers (``bins=`` a name), for n values of range R:

* ``sturges``: h = R / (log₂ n + 1)           fine for small, roughly normal samples
* ``sqrt``:    h = R / √n
* ``rice``:    h = R / (2 n^{1/3})
* ``scott``:   h = (24 √π / n)^{1/3} σ         minimises the error for normal data
* ``fd``:      h = 2 IQR / n^{1/3}             Freedman–Diaconis: robust to outliers
* ``doane``:   Sturges corrected for skewness
* ``auto``:    min(max(fd, sqrt / 2), sturges)  (NumPy's default choice)

The number of bins is then ⌈R / h⌉. The results equal ``numpy.histogram_bin_edges`` and
``numpy.histogram``; each value finds its bin by binary search in the edges (``searchsorted``).
"""

from __future__ import annotations

import math

import numpy as np

from minml import backend
from minml.stats.descriptive import quantile

__all__ = ["histogram", "histogram_bin_edges", "BIN_RULES"]


def _sturges(x, n, spread):
    return spread / (math.log2(n) + 1.0)


def _sqrt(x, n, spread):
    return spread / math.sqrt(n)


def _rice(x, n, spread):
    return spread / (2.0 * n ** (1.0 / 3))


def _scott(x, n, spread):
    return (24.0 * math.pi**0.5 / n) ** (1.0 / 3.0) * backend.to_scalar(x.std())


def _fd(x, n, spread):
    quartiles = quantile(x, [0.75, 0.25])
    upper, lower = backend.to_scalar(quartiles[0]), backend.to_scalar(quartiles[1])
    return 2.0 * (upper - lower) * n ** (-1.0 / 3.0)


def _doane(x, n, spread):
    if n <= 2:
        return 0.0
    sigma = backend.to_scalar(x.std())
    if sigma <= 0:
        return 0.0
    g1 = backend.to_scalar((((x - x.mean()) / sigma) ** 3).mean())
    sg1 = math.sqrt(6.0 * (n - 2) / ((n + 1.0) * (n + 3)))
    return spread / (1.0 + math.log2(n) + math.log2(1.0 + abs(g1) / sg1))


def _auto(x, n, spread):
    return min(max(_fd(x, n, spread), _sqrt(x, n, spread) / 2), _sturges(x, n, spread))


BIN_RULES = {"auto": _auto, "fd": _fd, "doane": _doane, "scott": _scott, "rice": _rice, "sturges": _sturges,
             "sqrt": _sqrt}


def _outer_edges(x, range):
    if range is not None:
        first, last = (float(v) for v in range)
        if first > last:
            raise ValueError(f"range must be (min, max) with min <= max; got {range}")
        if not (math.isfinite(first) and math.isfinite(last)):
            raise ValueError(f"range [{first}, {last}] is not finite")
    elif x.size == 0:
        first, last = 0.0, 1.0
    else:
        first, last = backend.to_scalar(x.min()), backend.to_scalar(x.max())
        if not (math.isfinite(first) and math.isfinite(last)):
            raise ValueError(f"the data's range [{first}, {last}] is not finite (NaN or infinity in the data?)")
    if first == last:
        first, last = first - 0.5, last + 0.5
    return first, last


def _flat(a):
    if isinstance(a, (list, tuple)):
        a = backend.to_device(np.asarray(a, dtype=np.float64), backend.default_device())
    return a.reshape(-1)


def histogram_bin_edges(a, bins=10, range=None):  # noqa: A002 - NumPy's parameter name
    """The bin edges ``numpy.histogram_bin_edges`` would use: ``bins`` is a count, a rule name or the edges."""
    x = _flat(a)
    if isinstance(bins, str):
        if bins not in BIN_RULES:
            raise ValueError(f"bins must be an int, an array of edges or one of {', '.join(BIN_RULES)}; got {bins!r}")
        first, last = _outer_edges(x, range)
        if range is not None:
            x = x[(x >= first) & (x <= last)]
        width = 0.0
        if x.size:
            spread = backend.to_scalar(x.max() - x.min())
            width = BIN_RULES[bins](x, x.size, spread)
            if x.dtype.kind in "iu" and 0 < width < 1:
                width = 1
        count = int(math.ceil((last - first) / width)) if width else 1
    elif isinstance(bins, (int, np.integer)):
        if bins < 1:
            raise ValueError(f"bins must be a positive integer; got {bins}")
        first, last = _outer_edges(x, range)
        count = int(bins)
    else:
        edges = bins if hasattr(bins, "dtype") else backend.to_device(np.asarray(bins, dtype=np.float64),
                                                                       backend.device_of(x))
        if edges.ndim != 1 or not backend.to_scalar((edges[:-1] <= edges[1:]).all()):
            raise ValueError("bins must increase monotonically, when an array of edges")
        return edges
    # The edges are a few numbers: NumPy's linspace makes them on the host, so a value lying on an edge
    # lands in the same bin on every device (CuPy's linspace rounds the inner edges differently).
    dtype = x.dtype if x.dtype.kind == "f" else np.float64
    return backend.to_device(np.linspace(first, last, count + 1, dtype=dtype), backend.device_of(x))


def histogram(a, bins=10, range=None, density: bool = False):  # noqa: A002
    """(counts, edges) as ``numpy.histogram``: values outside the edges are not counted.

    Value v falls in bin i when eᵢ ≤ v < eᵢ₊₁ (the last bin also takes v = e_k).
    ``density=True`` divides the counts by n · width, so the bars integrate to 1.
    """
    x = _flat(a)
    edges = histogram_bin_edges(x, bins, range)
    xp = backend.namespace(x, edges)
    k = edges.shape[0] - 1
    index = xp.searchsorted(edges, x, side="right") - 1
    index = xp.where(x == edges[-1], k - 1, index)  # the last bin is closed on the right
    inside = (index >= 0) & (index < k)
    counts = backend.bincount(xp.where(inside, index, k).astype(np.int64), minlength=k + 1)[:k]
    if density:
        with np.errstate(divide="ignore", invalid="ignore"):
            return counts / (counts.sum() * xp.diff(edges)), edges
    return counts, edges
