"""Binning: every feature cut into at most 255 intervals, so that split search counts instead of sorts.

A decision tree looks for the best threshold t on each feature: samples with
x ≤ t go left, the rest right. Trying every distinct value means sorting each
feature at each node. The histogram technique (LightGBM, XGBoost's ``hist``,
scikit-learn's HistGradientBoosting) does the sorting once, before growing:

1. For each feature, choose at most ``max_bins`` - 1 *edges*: the midpoints
   between consecutive distinct values when there are few of them, else the
   midpoints at evenly spaced quantiles (each bin then holds about the same
   number of samples).
2. Replace each value x by its *bin code*, the number of edges below x:
   code = #{e : e < x}. So code ≤ b exactly when x ≤ edges[b].
3. NaN gets a bin of its own, the last one (code ``n_bins - 1``), so missing
   values are counted like any other bin and the split search can learn on
   which side they belong.

A threshold then is a bin boundary: "code ≤ b" on the codes is "x ≤ edges[b]"
on the raw values, which is how the fitted tree predicts new data. With
``max_bins=None`` every distinct value gets its own bin: the *exact* mode,
whose thresholds are the midpoints between consecutive distinct values, the
same candidates as scikit-learn's DecisionTree.

The codes are stored sample by sample as uint8 (one byte per value, an eighth
of float64 X) whenever there are at most 256 bins.
"""

from __future__ import annotations

import numpy as np

from minml import backend

__all__ = ["bin_edges", "bin_codes", "bin_thresholds", "exact_thresholds"]


def _midpoints(distinct):
    """The midpoints between consecutive sorted distinct values (the lower value where rounding hits the upper)."""
    xp = backend.namespace(distinct)
    middle = distinct[:-1] / 2 + distinct[1:] / 2
    return xp.where(middle >= distinct[1:], distinct[:-1], middle)


def bin_edges(X, max_bins: int | None = 255):
    """``(edges, n_bins, values)``: per-feature bin edges padded with +inf, (n_features, n_bins - 2), and more.

    ``n_bins`` counts the real bins of the widest feature plus one bin for NaN.
    A feature with d ≤ ``max_bins`` distinct values gets its d - 1 midpoints;
    one with more gets the midpoints between the values at ``max_bins`` - 1
    evenly spaced quantiles. ``max_bins=None``: every distinct value is a bin.
    ``values`` (n_features, n_bins - 1) holds, for each feature binned exactly
    (one bin per distinct value), those values padded with +inf; a row of NaN
    for the others. Exactly binned features get node-local midpoints as
    thresholds (:func:`exact_thresholds`), the others the bin edges.
    """
    xp = backend.namespace(X)
    per_feature, distinct_values = [], []
    for j in range(X.shape[1]):
        column = X[:, j]
        distinct = xp.unique(column[~xp.isnan(column)])  # sorted
        if max_bins is not None and distinct.shape[0] > max_bins:
            ordered = xp.sort(column[~xp.isnan(column)])
            positions = xp.linspace(0, ordered.shape[0] - 1, max_bins + 1)[1:-1]
            lower = ordered[xp.floor(positions).astype(np.int64)]
            upper = ordered[xp.ceil(positions).astype(np.int64)]
            edges = xp.unique(xp.where(lower == upper, lower, lower / 2 + upper / 2))
            distinct_values.append(None)
        else:
            edges = _midpoints(distinct)
            distinct_values.append(distinct)
        per_feature.append(edges)
    width = max([1] + [edges.shape[0] for edges in per_feature])
    padded = xp.full((X.shape[1], width), xp.inf, dtype=X.dtype)
    for j, edges in enumerate(per_feature):
        padded[j, : edges.shape[0]] = edges
    values = xp.full((X.shape[1], width + 1), xp.nan, dtype=X.dtype)
    for j, distinct in enumerate(distinct_values):
        if distinct is not None:
            values[j] = xp.inf
            values[j, : distinct.shape[0]] = distinct
    return padded, width + 2, values  # width + 1 real bins at most, then the NaN bin


def bin_codes(X, edges, n_bins: int):
    """The bin code of every value: ``#{edges < x}`` per feature, ``n_bins - 1`` for NaN; (n, p), uint8 when it fits."""
    xp = backend.namespace(X, edges)
    dtype = np.uint8 if n_bins <= 256 else np.uint16 if n_bins <= 65536 else np.int32
    codes = xp.empty(X.shape, dtype=dtype)
    for j in range(X.shape[1]):
        column = xp.ascontiguousarray(X[:, j])
        found = xp.searchsorted(edges[j], column, side="left")
        codes[:, j] = xp.where(xp.isnan(column), n_bins - 1, found).astype(dtype)
    return codes


def bin_thresholds(edges, feature, bin_index):
    """The raw-value threshold of the split "code ≤ bin" on ``feature``: edges[feature, bin] (+inf past the last)."""
    xp = backend.namespace(edges)
    last = edges.shape[1] - 1
    inside = bin_index <= last
    return xp.where(inside, edges[feature, xp.minimum(bin_index, last)], xp.inf)


def exact_thresholds(values, feature, bin_index, next_bin):
    """Exact mode: the midpoint between the node's largest value in ``bin_index`` and smallest in ``next_bin``.

    These are scikit-learn's thresholds: halfway between the two consecutive
    values *of the node's samples* that the split separates.
    """
    xp = backend.namespace(values)
    last = values.shape[1] - 1
    below = values[feature, xp.minimum(bin_index, last)]
    above = values[feature, xp.minimum(next_bin, last)]
    above = xp.where(next_bin <= last, above, xp.inf)
    middle = below / 2 + above / 2
    return xp.where(xp.isinf(above), xp.inf, xp.where(middle >= above, below, middle))
