"""Scoring predicted numbers: squared and absolute errors, R² and explained variance.

With residuals rᵢ = yᵢ - ŷᵢ and sample weights wᵢ (all 1 by default):

    MSE  = Σ wᵢ rᵢ² / Σ wᵢ          RMSE = √MSE (in the target's units)
    MAE  = Σ wᵢ |rᵢ| / Σ wᵢ         (less swayed by a few large errors)
    R²   = 1 - Σ wᵢ rᵢ² / Σ wᵢ (yᵢ - ȳ)²
    explained variance = 1 - Var_w(r) / Var_w(y)

R² compares the model with the constant prediction ȳ: 1 is perfect, 0 is no better than
the mean, and it is negative for worse. Explained variance is R² that forgives a constant
offset (it subtracts the residuals' mean). A constant target makes the denominator 0: with
``force_finite`` (default) the score is then 1 for a perfect prediction, else 0.

For several outputs (a 2-D ``y``) each column is scored, then ``multioutput`` combines
them: "raw_values" (one score per output), "uniform_average", "variance_weighted" (by
each output's variance, for R² and explained variance), or an array of weights.
Sums are accumulated in float64.
"""

from __future__ import annotations

import warnings

import numpy as np

from minml import backend
from minml.exceptions import UndefinedMetricWarning
from minml.metrics._targets import (
    align,
    as_array,
    average,
    check_sample_weight,
)
from minml.validation import check_consistent_length

__all__ = [
    "mean_squared_error",
    "root_mean_squared_error",
    "mean_absolute_error",
    "r2_score",
    "explained_variance_score",
]

_ERROR_OUTPUTS = ("raw_values", "uniform_average")
_SCORE_OUTPUTS = ("raw_values", "uniform_average", "variance_weighted")


def _check_reg_targets(y_true, y_pred, sample_weight, multioutput, allowed):
    """``y_true`` and ``y_pred`` as float64 (n_samples, n_outputs) arrays on y_pred's device, checked."""
    y_pred, y_true, sample_weight = align(y_pred, y_true, sample_weight)
    if y_true.ndim == 0 or y_pred.ndim == 0:
        raise ValueError("y_true and y_pred must be arrays with one value (or row) per sample; got a scalar")
    check_consistent_length(y_true, y_pred, sample_weight)
    if y_true.shape[0] == 0:
        raise ValueError("Found array with 0 sample(s) while a minimum of 1 is required.")
    check_sample_weight(sample_weight, y_true.shape[0])
    y_true = y_true.reshape(-1, 1) if y_true.ndim == 1 else y_true
    y_pred = y_pred.reshape(-1, 1) if y_pred.ndim == 1 else y_pred
    if y_true.shape[1] != y_pred.shape[1]:
        raise ValueError(f"y_true and y_pred have different number of output ({y_true.shape[1]}!={y_pred.shape[1]})")
    xp = backend.namespace(y_pred)
    y_true, y_pred = y_true.astype(np.float64), y_pred.astype(np.float64)
    if not backend.to_scalar(xp.isfinite(y_true).all() & xp.isfinite(y_pred).all()):
        raise ValueError("Input contains NaN or infinity.")
    if isinstance(multioutput, str):
        if multioutput not in allowed:
            raise ValueError(
                f"Allowed 'multioutput' string values are {allowed}. You provided multioutput={multioutput!r}"
            )
    else:
        multioutput = backend.to_device(as_array(multioutput), backend.device_of(y_pred)).astype(np.float64)
        if y_true.shape[1] == 1:
            raise ValueError("Custom weights are useful only in multi-output cases.")
        if multioutput.shape[0] != y_true.shape[1]:
            raise ValueError(
                f"There must be equally many custom weights ({multioutput.shape[0]}) as outputs ({y_true.shape[1]})."
            )
    return y_true, y_pred, sample_weight, multioutput


def _combine_outputs(per_output, multioutput, variances=None):
    """One score per output, or their (weighted) mean as a Python float."""
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return per_output
        weights = None
        if multioutput == "variance_weighted" and backend.to_scalar((variances != 0).any()):
            weights = variances  # all outputs constant: fall back to the uniform mean
    else:
        weights = multioutput
    return float(backend.to_scalar(average(per_output, weights)))


def mean_squared_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean squared error Σ wᵢ (yᵢ - ŷᵢ)² / Σ wᵢ."""
    y_true, y_pred, sample_weight, multioutput = _check_reg_targets(
        y_true, y_pred, sample_weight, multioutput, _ERROR_OUTPUTS
    )
    return _combine_outputs(average((y_true - y_pred) ** 2, sample_weight), multioutput)


def root_mean_squared_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Root mean squared error √(Σ wᵢ (yᵢ - ŷᵢ)² / Σ wᵢ), per output before any averaging."""
    y_true, y_pred, sample_weight, multioutput = _check_reg_targets(
        y_true, y_pred, sample_weight, multioutput, _ERROR_OUTPUTS
    )
    xp = backend.namespace(y_pred)
    return _combine_outputs(xp.sqrt(average((y_true - y_pred) ** 2, sample_weight)), multioutput)


def mean_absolute_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean absolute error Σ wᵢ |yᵢ - ŷᵢ| / Σ wᵢ."""
    y_true, y_pred, sample_weight, multioutput = _check_reg_targets(
        y_true, y_pred, sample_weight, multioutput, _ERROR_OUTPUTS
    )
    xp = backend.namespace(y_pred)
    return _combine_outputs(average(xp.abs(y_true - y_pred), sample_weight), multioutput)


def _fraction_explained(numerator, denominator, multioutput, force_finite):
    """1 - numerator / denominator per output; with ``force_finite`` 1 where numerator is 0, 0 where only
    the denominator is, never NaN or -inf."""
    xp = backend.namespace(numerator)
    if force_finite:
        safe = xp.where(denominator == 0, 1.0, denominator)
        scores = xp.where(numerator == 0, 1.0, xp.where(denominator == 0, 0.0, 1 - numerator / safe))
    else:
        scores = 1 - numerator / denominator
    return _combine_outputs(scores, multioutput, variances=denominator)


def r2_score(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average", force_finite=True):
    """Coefficient of determination R² = 1 - Σ wᵢ (yᵢ - ŷᵢ)² / Σ wᵢ (yᵢ - ȳ)², ȳ the weighted mean."""
    y_true, y_pred, sample_weight, multioutput = _check_reg_targets(
        y_true, y_pred, sample_weight, multioutput, _SCORE_OUTPUTS
    )
    if y_pred.shape[0] < 2:
        warnings.warn("R^2 score is not well-defined with less than two samples.", UndefinedMetricWarning, stacklevel=2)
        return float("nan")
    numerator = average((y_true - y_pred) ** 2, sample_weight, normalize=False)
    denominator = average((y_true - average(y_true, sample_weight)) ** 2, sample_weight, normalize=False)
    return _fraction_explained(numerator, denominator, multioutput, force_finite)


def explained_variance_score(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average", force_finite=True):
    """Explained variance 1 - Var(y - ŷ) / Var(y), with weighted variances: R² forgiving a constant offset."""
    y_true, y_pred, sample_weight, multioutput = _check_reg_targets(
        y_true, y_pred, sample_weight, multioutput, _SCORE_OUTPUTS
    )
    residual = y_true - y_pred
    numerator = average((residual - average(residual, sample_weight)) ** 2, sample_weight)
    denominator = average((y_true - average(y_true, sample_weight)) ** 2, sample_weight)
    return _fraction_explained(numerator, denominator, multioutput, force_finite)
