"""Bootstrap estimates of a model's prediction error: out-of-bag, .632 and .632+.

Cross-validation holds out folds; the bootstrap holds out whatever a resample
missed. Draw B resamples of the n samples with replacement; each leaves out
about (1 - 1/n)ⁿ ≈ e⁻¹ ≈ 36.8% of the samples, its *out-of-bag* samples. Fit
the model on each resample and measure its loss L on the samples it missed.

- Out-of-bag (Efron's leave-one-out bootstrap, Err⁽¹⁾): average, for each
  sample i, its loss over the resamples that left it out, then over i::

      Err_oob = (1/n) Σ_i  Σ_b I_i^b L(y_i, f̂_b(x_i)) / Σ_b I_i^b      (I_i^b = 1 if i ∉ resample b)

  Each model trains on only ≈ 63.2% distinct samples, so Err_oob is
  *pessimistic* (too high), as k-fold with a small k is.
- .632 (Efron 1983): the apparent (training) error err = (1/n) Σ_i L(y_i, f̂(x_i))
  of the model fitted on all the data is optimistic (too low); mix the two::

      Err_.632 = 0.368 · err + 0.632 · Err_oob

  It is too optimistic again for models that overfit (a 1-nearest-neighbour
  classifier has err = 0).
- .632+ (Efron & Tibshirani 1997, "Improvements on cross-validation: the
  .632+ bootstrap method", JASA 92) moves the weight towards Err_oob as the
  model overfits. The no-information error rate γ is the loss when inputs
  and targets are unrelated: every target paired with every prediction,
  γ = (1/n²) Σ_i Σ_j L(y_i, f̂(x_j)). The relative overfitting rate is
  R = (Err_oob − err) / (γ − err) ∈ [0, 1] (0 when Err_oob ≤ err or γ ≤ err),
  and with Err_oob' = min(Err_oob, γ)::

      w = 0.632 / (1 − 0.368 · R),   Err_.632+ = (1 − w) · err + w · Err_oob'

  No overfitting (R = 0) gives .632; total overfitting (R = 1) gives Err_oob.

All three are *errors* (lower is better): the loss is zero-one (the
misclassification rate) for classifiers, squared error for regressors, or
any per-sample loss you give. The resamples come from
:func:`minml.stats.bootstrap_indices`, the one resampling implementation.
"""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.base import clone, is_classifier
from minml.model_selection.split import num_samples, take_rows
from minml.stats import bootstrap_indices

__all__ = ["bootstrap_error"]


def _zero_one(y_true, y_pred):
    """1 where the prediction is wrong, 0 where it is right."""
    return (y_true != y_pred).astype(np.float64)


def _squared_error(y_true, y_pred):
    """(y - ŷ)²."""
    return (y_true - y_pred) ** 2


def _zero_one_no_information(y_true, y_pred) -> float:
    """γ for zero-one loss: Σ_k p_k (1 − q_k), p_k the share of class k in y, q_k in the predictions."""
    xp = backend.namespace(y_true, y_pred)
    classes = xp.unique(xp.concatenate([y_true, y_pred]))
    p = (y_true[:, None] == classes[None, :]).mean(axis=0)
    q = (y_pred[:, None] == classes[None, :]).mean(axis=0)
    return backend.to_scalar((p * (1 - q)).sum())


def _squared_error_no_information(y_true, y_pred) -> float:
    """γ for squared error: mean over all pairs of (y_i − ŷ_j)² = mean(y²) − 2·mean(y)·mean(ŷ) + mean(ŷ²)."""
    return backend.to_scalar((y_true**2).mean() - 2 * y_true.mean() * y_pred.mean() + (y_pred**2).mean())


def _pairwise_no_information(loss, y_true, y_pred, block: int = 256) -> float:
    """γ for any per-sample loss: the mean of loss(y_i, ŷ_j) over all n² pairs, a block of targets at a time."""
    xp = backend.namespace(y_true, y_pred)
    n = y_true.shape[0]
    total = 0.0
    for start in range(0, n, block):
        targets = y_true[start : start + block]
        total += backend.to_scalar(loss(xp.repeat(targets, n), xp.tile(y_pred, targets.shape[0])).sum())
    return total / n**2


_LOSSES = {
    "zero_one": (_zero_one, _zero_one_no_information),
    "squared_error": (_squared_error, _squared_error_no_information),
}


def _check_loss(loss, estimator):
    """``(per-sample loss, no-information rate)`` for "zero_one", "squared_error", None or a callable."""
    if loss is None:
        loss = "zero_one" if is_classifier(estimator) else "squared_error"
    if callable(loss):
        return loss, lambda y_true, y_pred: _pairwise_no_information(loss, y_true, y_pred)
    if loss not in _LOSSES:
        raise ValueError(f"loss must be 'zero_one', 'squared_error', None or a callable; got {loss!r}.")
    return _LOSSES[loss]


def _targets_beside(y, predictions):
    """``y`` on the predictions' device (numeric targets move; string labels live on the host anyway)."""
    if not hasattr(y, "dtype"):
        y = np.asarray(y)
    if y.dtype.kind in "biuf":
        return backend.to_device(y, backend.device_of(predictions))
    return y


def bootstrap_error(estimator, X, y, *, method=".632+", n_resamples=200, loss=None, random_state=None) -> float:
    """A bootstrap estimate of ``estimator``'s prediction error on new data (lower is better).

    ``method``: "oob" (Err_oob, the leave-one-out bootstrap), ".632" or
    ".632+" (the default, Efron & Tibshirani 1997); see the module docstring
    for the formulas. ``loss``: "zero_one" (default for classifiers),
    "squared_error" (default otherwise), or a callable ``loss(y_true, y_pred)``
    returning one loss per sample (its no-information rate then costs n²
    loss evaluations). Each of the ``n_resamples`` resamples fits a clone of
    the estimator; ``random_state`` seeds the resamples. Returns a float.
    """
    if method not in ("oob", ".632", ".632+"):
        raise ValueError(f"method must be 'oob', '.632' or '.632+'; got {method!r}.")
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)) or n_resamples < 1:
        raise ValueError(f"n_resamples must be an int ≥ 1; got {n_resamples!r}.")
    pointwise_loss, no_information_rate = _check_loss(loss, estimator)
    n_samples = num_samples(X)
    device = backend.device_of(X) if hasattr(X, "dtype") else "cpu"
    resamples = bootstrap_indices(n_samples, n_resamples, random_state, device)
    xp = backend.namespace(resamples)
    loss_sum = loss_count = None
    for rows in resamples:
        out_of_bag = xp.flatnonzero(backend.bincount(rows, minlength=n_samples) == 0)
        if out_of_bag.shape[0] == 0:
            continue
        model = clone(estimator).fit(take_rows(X, rows), take_rows(y, rows))
        predictions = model.predict(take_rows(X, out_of_bag))
        losses = pointwise_loss(_targets_beside(take_rows(y, out_of_bag), predictions), predictions)
        if loss_sum is None:
            loss_xp = backend.namespace(losses)
            loss_sum, loss_count = loss_xp.zeros(n_samples), loss_xp.zeros(n_samples)
        where = backend.to_device(out_of_bag, backend.device_of(losses))
        loss_sum[where] += losses  # a resample's out-of-bag samples are distinct: no repeated index
        loss_count[where] += 1
    if loss_sum is None or not backend.to_scalar((loss_count > 0).any()):
        raise ValueError(
            f"No sample was ever out of bag in {n_resamples} resamples: raise n_resamples (about 37% of the "
            "samples are left out of each resample, so a few dozen resamples cover them all)."
        )
    seen = loss_count > 0
    oob_error = backend.to_scalar((loss_sum[seen] / loss_count[seen]).mean())
    if method == "oob":
        return float(oob_error)
    predictions = clone(estimator).fit(X, y).predict(X)
    targets = _targets_beside(y, predictions)
    apparent_error = backend.to_scalar(pointwise_loss(targets, predictions).mean())
    if method == ".632":
        return float(0.368 * apparent_error + 0.632 * oob_error)
    gamma = no_information_rate(targets, predictions)
    oob_error = min(oob_error, gamma)
    overfitting = (oob_error - apparent_error) / (gamma - apparent_error) if oob_error > apparent_error else 0.0
    weight = 0.632 / (1 - 0.368 * overfitting)
    return float((1 - weight) * apparent_error + weight * oob_error)
