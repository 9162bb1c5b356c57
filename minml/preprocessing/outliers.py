"""Taming outliers: clip each feature to fences learned from the training data.

One extreme value (a typo, a sensor glitch) can dominate a mean, a variance or a
squared-error fit. Clipping (winsorizing) keeps every sample but pulls values beyond a
fence back onto it. Two classic fences per column:

- Tukey's fences, from the quartiles Q1 and Q3 and the interquartile range IQR = Q3 − Q1:
  [Q1 − k·IQR, Q3 + k·IQR], with k = 1.5 ("outlier") or 3 ("far out"). Quartiles
  ignore the extremes they are meant to find, so the fences are robust.
- z-score fences: [mean − t·std, mean + t·std], with t = 3 by default. Simple, but the
  outliers inflate the std they are measured with.

The fences are learned in ``fit`` on the training data and applied unchanged in
``transform``; missing values are skipped in fit and stay missing.
"""

from __future__ import annotations

import numbers

from minml import backend
from minml.base import BaseEstimator, TransformerMixin
from minml.preprocessing._transformer import OneToOneFeatureMixin, check_fit_input, check_transform_input
from minml.preprocessing.quantiles import nan_quantile
from minml.preprocessing.scaling import nan_standardize_stats
from minml.validation import Interval, Options

__all__ = ["OutlierClipper", "iqr_bounds"]


# exercise 07.iqr_bounds
def iqr_bounds(X, factor: float = 1.5):
    """Tukey's fences for each column of ``X``, skipping NaN: ``(lower, upper)``.

        IQR_j   = Q3_j − Q1_j
        lower_j = Q1_j − factor · IQR_j
        upper_j = Q3_j + factor · IQR_j

    where Q1_j and Q3_j are the 0.25- and 0.75-quantiles of the non-missing values of
    column j (linear interpolation, NumPy's default). ``X`` has shape (n_samples,
    n_features); return two arrays of shape (n_features,) on X's device. Use
    ``minml.preprocessing.nan_quantile(X, q)`` (it works on every device; on the CPU it
    equals ``np.nanquantile(X, q, axis=0)``). Raise ``ValueError`` if ``factor`` is
    negative: the fences would cross.
    """
    if factor < 0:
        raise ValueError(f"factor must be ≥ 0, or the fences cross; got {factor!r}")
    q1, q3 = nan_quantile(X, 0.25), nan_quantile(X, 0.75)
    iqr = q3 - q1
    return q1 - factor * iqr, q3 + factor * iqr
# end exercise


class OutlierClipper(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Clip each feature to fences learned in fit: Tukey's (``method="iqr"``) or z-score (``"zscore"``).

    ``factor`` is Tukey's k (1.5 by default), ``threshold`` the number of
    standard deviations for z-score fences (3.0). Learned: ``lower_`` and
    ``upper_``, one fence per feature. NaN is skipped in fit and kept in
    transform. (minml's own transformer: scikit-learn has no outlier clipper.)
    """

    _allow_nan = True
    _parameter_constraints = {
        "method": [Options({"iqr", "zscore"})],
        "factor": [Interval(numbers.Real, 0, None, closed="left")],
        "threshold": [Interval(numbers.Real, 0, None, closed="left")],
    }

    def __init__(self, method="iqr", *, factor=1.5, threshold=3.0):
        self.method = method
        self.factor = factor
        self.threshold = threshold

    def fit(self, X, y=None):
        """Learn the lower and upper fence of each feature."""
        X = check_fit_input(self, X)
        if self.method == "iqr":
            self.lower_, self.upper_ = iqr_bounds(X, self.factor)
        else:
            mean, var, _ = nan_standardize_stats(X)
            spread = self.threshold * backend.namespace(X).sqrt(var)
            self.lower_, self.upper_ = mean - spread, mean + spread
        return self

    def transform(self, X):
        """Each value pulled onto the nearer fence if it lies beyond it; NaN stays NaN."""
        X = check_transform_input(self, X)
        xp = backend.namespace(X)
        lower, upper = self.lower_.astype(X.dtype, copy=False), self.upper_.astype(X.dtype, copy=False)
        return xp.minimum(xp.maximum(X, lower), upper)  # maximum and minimum keep NaN
