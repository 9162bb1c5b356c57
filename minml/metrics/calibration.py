"""Calibration: do predicted probabilities mean what they say?

Among the samples a model gives probability ≈ 0.8, about 80 % should be positive.
:func:`calibration_curve` bins the predicted probabilities and returns, per
non-empty bin, the observed fraction of positives and the mean prediction; a
calibrated model's points lie on the diagonal. (Accuracy and AUC do not see
this: any increasing transform of the scores keeps the ranking.)
"""

from __future__ import annotations

from minml import backend
from minml.validation import as_array

__all__ = ["calibration_curve"]


def calibration_curve(y_true, y_prob, *, pos_label=None, n_bins: int = 5, strategy: str = "uniform"):
    """``(prob_true, prob_pred)``: per non-empty bin, the fraction of positives and the mean predicted probability.

    ``strategy`` "uniform" cuts [0, 1] into ``n_bins`` equal widths; "quantile"
    puts equally many samples in each bin. ``pos_label`` defaults to 1 when the
    labels are {0, 1} or {-1, 1}. Arrays follow ``y_prob``'s device.
    """
    y_prob = as_array(y_prob).astype(float, copy=False).ravel()
    y_true = backend.to_device(as_array(y_true), backend.device_of(y_prob)).ravel()
    xp = backend.namespace(y_prob)
    if y_true.shape != y_prob.shape:
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: {[y_true.shape[0], y_prob.shape[0]]}"
        )
    if strategy not in ("uniform", "quantile"):
        raise ValueError(f"strategy must be 'uniform' or 'quantile'; got {strategy!r}")
    if backend.to_scalar(((y_prob < 0) | (y_prob > 1)).any()):
        raise ValueError("y_prob has values outside [0, 1]: pass probabilities (predict_proba), not scores")
    labels = [backend.to_scalar(label) for label in xp.unique(y_true)]
    if len(labels) > 2:
        raise ValueError(f"calibration_curve is for binary targets; y_true has {len(labels)} classes: {labels}")
    if pos_label is None:
        if not (set(labels) <= {0, 1} or set(labels) <= {-1, 1}):
            raise ValueError(f"y_true takes the values {labels}: say which is positive with pos_label=...")
        pos_label = 1
    positive = (y_true == pos_label).astype(float)
    if strategy == "quantile":
        edges = xp.quantile(y_prob, xp.linspace(0, 1, n_bins + 1))
    else:
        edges = xp.linspace(0.0, 1.0, n_bins + 1)
    bin_of = xp.searchsorted(edges[1:-1], y_prob)  # bin i holds edges[i] <= p < edges[i + 1]; 1.0 in the last
    count = backend.bincount(bin_of, minlength=n_bins)
    nonempty = count > 0
    prob_true = backend.bincount(bin_of, weights=positive, minlength=n_bins)[nonempty] / count[nonempty]
    prob_pred = backend.bincount(bin_of, weights=y_prob, minlength=n_bins)[nonempty] / count[nonempty]
    return prob_true, prob_pred
