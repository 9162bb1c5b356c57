"""Scoring predicted probabilities: the log loss and the Brier score.

A label says "cat"; a probability says "cat, with 70 % confidence". These metrics reward
a model for being right *and* for being honest about how sure it is. Write the truth as
a one-hot row Yᵢ (1 in the true class's column) and the prediction as a row of
probabilities Pᵢ summing to 1:

    log loss = -(1/n) Σᵢ Σₖ Yᵢₖ log Pᵢₖ     the negative log-likelihood of the truth
    Brier    =  (1/n) Σᵢ Σₖ (Yᵢₖ - Pᵢₖ)²    the mean squared error of the probabilities

The log loss punishes confident mistakes without limit (log 0 = -∞), so probabilities are
clipped to [ε, 1 - ε] with ε the float type's machine epsilon. The Brier score is bounded;
for two classes it is halved by default, so that it equals the familiar binary
(1/n) Σᵢ (yᵢ - pᵢ)² with pᵢ the positive class's probability.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from minml import backend
from minml.metrics._targets import (
    align,
    as_array,
    average,
    check_pos_label,
    check_sample_weight,
    host_unique,
    is_text,
    label_indicator,
    type_of_target,
)
from minml.validation import check_consistent_length

__all__ = ["log_loss", "brier_score_loss"]


def _check_probability_range(y_prob, below: str) -> None:
    xp = backend.namespace(y_prob)
    largest, smallest = backend.to_scalar(xp.max(y_prob)), backend.to_scalar(xp.min(y_prob))
    if largest > 1:
        raise ValueError(f"y_prob contains values greater than 1: {largest}")
    if smallest < 0:
        raise ValueError(f"y_prob contains values {below} 0: {smallest}")


def _as_probabilities(y_prob):
    return y_prob if y_prob.dtype.kind == "f" else y_prob.astype(np.float64)


def _multiclass_probabilities(y_true, y_prob, sample_weight, labels):
    """One-hot truth and a (n_samples, n_classes) probability matrix, both checked.

    The classes are ``labels`` (sorted) or those in ``y_true``; ``y_prob``'s columns follow
    them in sorted order. A 1-D ``y_prob`` is the positive (second) class's probability.
    """
    _check_probability_range(y_prob, "lower than")
    check_consistent_length(y_prob, y_true, sample_weight)
    check_sample_weight(sample_weight, y_prob.shape[0])
    if labels is not None:
        given = backend.asnumpy(as_array(labels))
        classes = np.unique(given)
        if not np.array_equal(classes, given):
            warnings.warn(
                f"Labels passed were {given}. But this function assumes labels are ordered lexicographically. "
                f"Pass the ordered labels={classes.tolist()} and ensure that the columns of y_prob correspond "
                "to this ordering.",
                UserWarning,
                stacklevel=3,
            )
        undeclared = set(host_unique(y_true).tolist()) - set(classes.tolist())
        if undeclared:
            raise ValueError(f"y_true contains values {undeclared} not belonging to the passed labels {given}.")
    else:
        classes = host_unique(y_true)
    if classes.shape[0] == 1:
        if labels is None:
            raise ValueError(
                f"y_true contains only one label ({classes[0]}). Please provide the list of all expected class "
                "labels explicitly through the labels argument."
            )
        raise ValueError(f"The labels array needs to contain at least two labels, got {classes}.")
    xp = backend.namespace(y_prob)
    truth = backend.to_device(label_indicator(y_true, classes), backend.device_of(y_prob))
    if y_prob.ndim == 1:
        y_prob = y_prob[:, None]
    if y_prob.shape[1] == 1:
        y_prob = xp.concatenate([1 - y_prob, y_prob], axis=1)
    eps = np.finfo(y_prob.dtype).eps
    if not backend.to_scalar(xp.isclose(y_prob.sum(axis=1), 1, rtol=math.sqrt(eps)).all()):
        warnings.warn(
            "The y_prob values do not sum to one. Make sure to pass probabilities.", UserWarning, stacklevel=3
        )
    if classes.shape[0] != y_prob.shape[1]:
        if labels is None:
            raise ValueError(
                f"y_true and y_prob contain different number of classes: {classes.shape[0]} vs {y_prob.shape[1]}. "
                f"Please provide the true labels explicitly through the labels argument. Classes found in y_true: "
                f"{classes}"
            )
        raise ValueError(
            f"The number of classes in labels is different from that in y_prob. Classes found in labels: {classes}"
        )
    return truth, y_prob


def log_loss(y_true, y_proba, *, normalize=True, sample_weight=None, labels=None):
    """The mean negative log-likelihood of the true labels under the predicted probabilities.

        log loss = -(1/Σw) Σᵢ wᵢ log Pᵢ,yᵢ      (``normalize=False``: the sum, not the mean)

    ``y_proba`` is (n_samples, n_classes), columns in sorted label order, or 1-D: the
    probability of the positive class. Probabilities are clipped to [ε, 1 - ε].
    """
    y_proba, y_true, sample_weight = align(y_proba, y_true, sample_weight)
    truth, y_proba = _multiclass_probabilities(y_true, _as_probabilities(y_proba), sample_weight, labels)
    xp = backend.namespace(y_proba)
    eps = np.finfo(y_proba.dtype).eps
    loss = -(truth * xp.log(xp.clip(y_proba, eps, 1 - eps))).sum(axis=1)
    return float(backend.to_scalar(average(loss, sample_weight, normalize)))


def _binary_probabilities(y_true, y_prob, sample_weight, pos_label):
    """One-hot truth (negative, positive) and the matching two-column probabilities, from 1-D ``y_prob``."""
    y_true, y_prob = y_true.reshape(-1), y_prob.reshape(-1)
    check_consistent_length(y_prob, y_true, sample_weight)
    check_sample_weight(sample_weight, y_prob.shape[0])
    y_type = type_of_target(y_true, "y_true")
    if y_type != "binary":
        raise ValueError(
            f"The type of the target inferred from y_true is {y_type} but should be binary according to the "
            "shape of y_prob."
        )
    xp = backend.namespace(y_prob)
    if not backend.to_scalar(xp.isfinite(y_prob).all()):
        raise ValueError("Input y_prob contains NaN or infinity.")
    _check_probability_range(y_prob, "less than")
    try:
        pos_label = check_pos_label(pos_label, y_true)
    except ValueError:
        if is_text(y_true):
            raise
        pos_label = host_unique(y_true)[-1]  # numeric labels: the larger one is positive
    positive = backend.to_device(y_true == pos_label, backend.device_of(y_prob)).astype(np.int64)
    return xp.stack([1 - positive, positive], axis=1), xp.stack([1 - y_prob, y_prob], axis=1)


def brier_score_loss(y_true, y_proba, *, sample_weight=None, pos_label=None, labels=None, scale_by_half="auto"):
    """The mean squared difference between one-hot truth and predicted probabilities.

        Brier = (1/Σw) Σᵢ wᵢ Σₖ (Yᵢₖ - Pᵢₖ)²

    ``scale_by_half="auto"`` halves it for two classes, giving the binary (1/n) Σ (yᵢ - pᵢ)².
    A 1-D ``y_proba`` is the probability of ``pos_label`` (default: the larger label).
    """
    y_proba, y_true, sample_weight = align(y_proba, y_true, sample_weight)
    y_proba = _as_probabilities(y_proba)
    if y_proba.ndim == 1 or y_proba.shape[1] == 1:
        truth, y_proba = _binary_probabilities(y_true, y_proba, sample_weight, pos_label)
    else:
        truth, y_proba = _multiclass_probabilities(y_true, y_proba, sample_weight, labels)
    score = backend.to_scalar(average(((truth - y_proba) ** 2).sum(axis=1), sample_weight))
    if scale_by_half == "auto":
        scale_by_half = y_proba.shape[1] < 3
    return float(score * 0.5 if scale_by_half else score)
