"""Putting features on a common scale: standardization, min-max scaling and robust scaling.

A feature measured in metres and one measured in millimetres should weigh the same in
a distance or a gradient step. Each scaler learns one shift and one scale per column in
``fit`` (on the training data only: statistics taken from the test set leak it into the
model) and applies the same affine map ``z = (x − shift) / scale`` in ``transform``:

- :class:`StandardScaler` — shift by the mean, scale by the standard deviation: z-scores;
- :class:`MinMaxScaler` — map [min, max] of each column onto ``feature_range``, (0, 1) by default;
- :class:`RobustScaler` — shift by the median, scale by the interquartile range, so a few
  outliers do not set the scale for everyone.

Missing values (NaN) are skipped when the statistics are learned and stay NaN after
transform, as in scikit-learn: impute them later, or never. A constant column has no
spread to divide by; its scale is 1, so it becomes all zeros rather than NaN.
"""

from __future__ import annotations

import numbers
import statistics

import numpy as np

from minml import backend
from minml.base import BaseEstimator, TransformerMixin
from minml.preprocessing._transformer import OneToOneFeatureMixin, check_fit_input, check_transform_input
from minml.preprocessing.quantiles import nan_quantile
from minml.validation import check_array, check_is_fitted, check_n_features, check_sample_weight

__all__ = ["MinMaxScaler", "RobustScaler", "StandardScaler", "nan_standardize_stats", "standardize"]


# exercise 00.standardize
def standardize(X, axis: int | tuple[int, ...] | None = 0, ddof: int = 0):
    """Shift and scale ``X`` to mean 0 and standard deviation 1 along ``axis``.

    With n the number of values along ``axis`` (an int, a tuple of ints, or None for all):

        z = (x - mean) / std,   mean = sum(x) / n,   std = sqrt(sum((x - mean)**2) / (n - ddof))

    ``axis=0`` standardizes each column (feature) of a data matrix. ``ddof=0`` divides by n
    (NumPy's default), ``ddof=1`` by n - 1 (the sample standard deviation). The mean and
    std must broadcast back against X whatever the axis: reduce with ``keepdims=True``.
    Where all values along ``axis`` are equal, std is 0 (or, after rounding, barely above 0:
    the mean of three 0.1s is not exactly 0.1), so detect that with max == min and divide
    by 1 there: those entries become 0, not NaN. Compute with
    ``xp = minml.backend.namespace(X)``. Raise ``ValueError`` if n <= ddof.
    """
    xp = backend.namespace(X)
    mean = X.mean(axis=axis, keepdims=True)
    if mean.size and X.size // mean.size <= ddof:
        raise ValueError(
            f"ddof={ddof} needs more than {ddof} value(s) along axis {axis}; X has shape {X.shape}"
        )
    std = X.std(axis=axis, ddof=ddof, keepdims=True)
    constant = X.max(axis=axis, keepdims=True) == X.min(axis=axis, keepdims=True)
    return (X - mean) / xp.where(constant, 1, std)
# end exercise


# exercise 07.nan_standardize_stats
def nan_standardize_stats(X, sample_weight=None):
    """Each column's mean, variance and scale (standard deviation), skipping NaN.

    These are what a StandardScaler learns in ``fit``. ``X`` has shape (n_samples,
    n_features) and may hold NaN; ``sample_weight`` is None (every weight 1) or an
    array of shape (n_samples,). For column j, with the sums taken over the rows i
    where X[i, j] is not NaN:

        n_j    = Σ w_i
        mean_j = Σ w_i · X[i, j] / n_j
        var_j  = Σ w_i · (X[i, j] − mean_j)² / n_j
        scale_j = √var_j,  or 1 where column j is constant

    Return ``(mean, var, scale)``, three arrays of shape (n_features,). Replace NaN
    by 0 with ``xp.where(xp.isnan(X), 0, X)`` and give those entries weight 0, so
    that plain sums skip them. A constant column has var 0 in exact arithmetic, but
    rounding leaves a tiny positive variance (the mean of three 0.1 is not 0.1):
    call the column constant when var_j ≤ n_j·ε·var_j + (n_j·mean_j·ε)², with ε the
    float64 machine epsilon (the rounding-error bound of this two-pass variance), and
    give it scale 1 so that dividing by it gives 0, not NaN. A column with no values
    at all gets NaN for all three. Compute with ``xp = minml.backend.namespace(X)``.
    """
    xp = backend.namespace(X)
    missing = xp.isnan(X)
    weights = xp.ones(X.shape[0], dtype=X.dtype) if sample_weight is None else sample_weight
    weights = xp.where(missing, 0, weights[:, None])
    values = xp.where(missing, 0, X)
    with np.errstate(invalid="ignore", divide="ignore"):  # an all-NaN column gives 0 / 0 = NaN, as it should
        n = weights.sum(axis=0)
        mean = (weights * values).sum(axis=0) / n
        var = (weights * (values - mean) ** 2).sum(axis=0) / n
    eps = np.finfo(np.float64).eps
    constant = var <= n * eps * var + (n * mean * eps) ** 2
    scale = xp.where(constant, 1, xp.sqrt(var)).astype(X.dtype, copy=False)
    return mean, var, scale
# end exercise


def _nonzero_scale(scale):
    """``scale`` with entries too small to divide by (below 10 machine epsilons, a constant column) set to 1."""
    xp = backend.namespace(scale)
    return xp.where(scale < 10 * np.finfo(scale.dtype).eps, 1, scale).astype(scale.dtype, copy=False)


def _check_inverse_input(estimator, X):
    """X for ``inverse_transform``: fitted estimator, 2-D floats (NaN allowed), as many columns as were fitted."""
    check_is_fitted(estimator)
    X = check_array(X, estimator=estimator, allow_nan=True)
    check_n_features(estimator, X, reset=False)
    return X


def _as_count(counts):
    """Per-column sample counts as one Python number when they are all equal (as scikit-learn stores them)."""
    first = backend.to_scalar(counts[0])
    if backend.to_scalar((counts == first).all()):
        return first
    return counts


class StandardScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Standardize features: z = (x − mean) / std per column, with the mean and std learned in fit.

    Parameters ``with_mean`` (subtract the mean) and ``with_std`` (divide by the
    standard deviation); ``copy`` is accepted for scikit-learn compatibility
    (minml never scales in place). Learned: ``mean_`` (None when neither is
    used), ``var_`` and ``scale_`` (None without ``with_std``; scale 1 for a
    constant column), ``n_samples_seen_`` (an int, or one count per column when
    columns have different numbers of NaN; the summed weights with
    ``sample_weight``).
    """

    _allow_nan = True
    _parameter_constraints = {"copy": ["boolean"], "with_mean": ["boolean"], "with_std": ["boolean"]}

    def __init__(self, *, copy=True, with_mean=True, with_std=True):
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X, y=None, sample_weight=None):
        """Learn each column's mean and standard deviation (NaN skipped, samples weighted by ``sample_weight``)."""
        X = check_fit_input(self, X)
        xp = backend.namespace(X)
        weights = check_sample_weight(sample_weight, X, estimator=self)
        if not (self.with_mean or self.with_std):  # nothing to learn but the counts (unweighted, as scikit-learn's)
            self.n_samples_seen_ = _as_count((~xp.isnan(X)).sum(axis=0))
            self.mean_ = self.var_ = self.scale_ = None
            return self
        counts = xp.where(xp.isnan(X), 0, weights[:, None]).sum(axis=0)
        self.n_samples_seen_ = _as_count(counts if sample_weight is not None else counts.astype(np.int64))
        self.mean_, var, scale = nan_standardize_stats(X, None if sample_weight is None else weights)
        self.var_ = var if self.with_std else None
        self.scale_ = scale if self.with_std else None
        return self

    def transform(self, X):
        """z = (x − mean_) / scale_ (each part only when enabled); NaN stays NaN."""
        X = check_transform_input(self, X)
        if self.with_mean:
            X = X - self.mean_.astype(X.dtype, copy=False)
        if self.with_std:
            X = X / self.scale_.astype(X.dtype, copy=False)
        return X

    def inverse_transform(self, X):
        """x = z · scale_ + mean_: back to the original units."""
        X = _check_inverse_input(self, X)
        if self.with_std:
            X = X * self.scale_.astype(X.dtype, copy=False)
        if self.with_mean:
            X = X + self.mean_.astype(X.dtype, copy=False)
        return X


class MinMaxScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Map each column's training range [data_min, data_max] onto ``feature_range`` = (a, b):

        z = x · scale_ + min_,   scale_ = (b − a) / (data_max − data_min),   min_ = a − data_min · scale_

    A constant column gets data range 1. New data outside the training range
    lands outside (a, b) unless ``clip=True``. Learned: ``data_min_``,
    ``data_max_``, ``data_range_``, ``scale_``, ``min_``, ``n_samples_seen_``.
    """

    _allow_nan = True
    _parameter_constraints = {"feature_range": [tuple], "copy": ["boolean"], "clip": ["boolean"]}

    def __init__(self, feature_range=(0, 1), *, copy=True, clip=False):
        self.feature_range = feature_range
        self.copy = copy
        self.clip = clip

    def fit(self, X, y=None):
        """Learn each column's minimum and maximum (NaN skipped)."""
        X = check_fit_input(self, X)
        low, high = self.feature_range
        if low >= high:
            raise ValueError(
                f"Minimum of desired feature range must be smaller than maximum. Got {self.feature_range!r}."
            )
        xp = backend.namespace(X)
        self.n_samples_seen_ = X.shape[0]
        self.data_min_ = xp.nanmin(X, axis=0)
        self.data_max_ = xp.nanmax(X, axis=0)
        self.data_range_ = self.data_max_ - self.data_min_
        self.scale_ = (high - low) / _nonzero_scale(self.data_range_)
        self.min_ = low - self.data_min_ * self.scale_
        return self

    def transform(self, X):
        """z = x · scale_ + min_, clipped to ``feature_range`` when ``clip``; NaN stays NaN."""
        X = check_transform_input(self, X)
        xp = backend.namespace(X)
        Z = X * self.scale_.astype(X.dtype, copy=False) + self.min_.astype(X.dtype, copy=False)
        if self.clip:
            Z = xp.minimum(xp.maximum(Z, self.feature_range[0]), self.feature_range[1])  # both keep NaN
        return Z

    def inverse_transform(self, X):
        """x = (z − min_) / scale_."""
        X = _check_inverse_input(self, X)
        return (X - self.min_.astype(X.dtype, copy=False)) / self.scale_.astype(X.dtype, copy=False)


class RobustScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Scale with statistics that outliers cannot drag: z = (x − median) / (Q_high − Q_low).

    ``quantile_range`` = (q_low, q_high) in percent, (25.0, 75.0) by default: the
    interquartile range. With ``unit_variance`` the scale is further divided by
    Φ⁻¹(q_high) − Φ⁻¹(q_low) so that normally distributed data gets variance 1.
    Learned: ``center_`` (None without ``with_centering``), ``scale_`` (None
    without ``with_scaling``; 1 for a column whose quantiles coincide).
    """

    _allow_nan = True
    _parameter_constraints = {
        "with_centering": ["boolean"],
        "with_scaling": ["boolean"],
        "quantile_range": [tuple],
        "copy": ["boolean"],
        "unit_variance": ["boolean"],
    }

    def __init__(self, *, with_centering=True, with_scaling=True, quantile_range=(25.0, 75.0), copy=True,
                 unit_variance=False):
        self.with_centering = with_centering
        self.with_scaling = with_scaling
        self.quantile_range = quantile_range
        self.copy = copy
        self.unit_variance = unit_variance

    def fit(self, X, y=None):
        """Learn each column's median and quantile range (NaN skipped)."""
        X = check_fit_input(self, X)
        q_low, q_high = self.quantile_range
        if not all(isinstance(q, numbers.Real) for q in (q_low, q_high)) or not 0 <= q_low <= q_high <= 100:
            raise ValueError(
                f"Invalid quantile range: {self.quantile_range!r}. Give (q_low, q_high) in percent with "
                "0 ≤ q_low ≤ q_high ≤ 100, for example (25.0, 75.0)."
            )
        self.center_ = nan_quantile(X, 0.5) if self.with_centering else None
        if not self.with_scaling:
            self.scale_ = None
            return self
        scale = _nonzero_scale(nan_quantile(X, q_high / 100) - nan_quantile(X, q_low / 100))
        if self.unit_variance:
            normal = statistics.NormalDist()
            scale = scale / (normal.inv_cdf(q_high / 100) - normal.inv_cdf(q_low / 100))
        self.scale_ = scale
        return self

    def transform(self, X):
        """z = (x − center_) / scale_ (each part only when enabled); NaN stays NaN."""
        X = check_transform_input(self, X)
        if self.with_centering:
            X = X - self.center_.astype(X.dtype, copy=False)
        if self.with_scaling:
            X = X / self.scale_.astype(X.dtype, copy=False)
        return X

    def inverse_transform(self, X):
        """x = z · scale_ + center_."""
        X = _check_inverse_input(self, X)
        if self.with_scaling:
            X = X * self.scale_.astype(X.dtype, copy=False)
        if self.with_centering:
            X = X + self.center_.astype(X.dtype, copy=False)
        return X
