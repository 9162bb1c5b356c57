"""Gaussian naive Bayes: Bayes' rule with a "naive" independence assumption, fitted by counting.

A generative classifier models how each class produces its samples, p(x | y = k), and
turns it around with Bayes' rule:

    P(y = k | x) = P(y = k) · p(x | y = k) / Σⱼ P(y = j) · p(x | y = j).

Modelling p(x | y) in full needs a joint density over all the features. The naive
assumption is that, within a class, the features are independent, so the density
factorises into one-dimensional pieces; Gaussian naive Bayes makes each one a normal
density with its own mean θₖⱼ and variance σ²ₖⱼ::

    log P(y = k) + log p(x | y = k) = log πₖ − ½ Σⱼ [log(2π σ²ₖⱼ) + (xⱼ − θₖⱼ)² / σ²ₖⱼ]

(``predict_joint_log_proba``). Fitting is just estimating, per class, the prior πₖ (the
class's share of the samples, or given ``priors``) and the mean and variance of each
feature: one pass over the data, no optimisation. The assumption is usually false, yet
the classifier often ranks classes well — it is a strong baseline when data are few.

Two details from scikit-learn. ``var_smoothing`` adds ε = var_smoothing · (the largest
feature variance) to every variance, so a feature that is constant within a class does
not make a zero variance (an infinite density). And ``partial_fit`` learns from batches:
the per-class counts, means and variances of a new batch are merged with the old ones by
Chan's parallel formulas::

    n = n₁ + n₂     μ = (n₁ μ₁ + n₂ μ₂)/n     n σ² = n₁ σ₁² + n₂ σ₂² + (n₁ n₂ / n)(μ₁ − μ₂)²

Sample weights count as fractional samples in every sum.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from minml import backend
from minml.base import BaseEstimator, ClassifierMixin
from minml.validation import (
    Interval,
    as_array,
    check_array,
    check_is_fitted,
    check_n_features,
    check_sample_weight,
    check_X_y,
    encode_labels,
    labels_from_codes,
)

__all__ = ["GaussianNB"]


class GaussianNB(ClassifierMixin, BaseEstimator):
    """Gaussian naive Bayes (scikit-learn's ``GaussianNB``).

    Parameters: ``priors`` (class prior probabilities, one per class in sorted label order;
    None: the classes' weighted shares in the data) and ``var_smoothing`` (the fraction of
    the largest feature variance added to every variance).

    Learned: ``classes_``, ``class_count_`` (weighted samples per class), ``class_prior_``,
    ``theta_`` and ``var_`` (per-class feature means and variances, shape
    (n_classes, n_features)), ``epsilon_`` (the variance added), ``n_features_in_``.
    """

    _parameter_constraints = {
        "priors": ["array-like", None],
        "var_smoothing": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, priors=None, var_smoothing=1e-9):
        self.priors = priors
        self.var_smoothing = var_smoothing

    def fit(self, X, y, sample_weight=None):
        """Estimate the class priors and the per-class feature means and variances."""
        self._validate_params()
        X, y = check_X_y(X, y, estimator=self, numeric_y=False)
        check_n_features(self, X, reset=True)
        classes, codes = encode_labels(y, like=X, estimator=self)
        self._start(X, classes)
        return self._learn(X, codes, sample_weight, first_call=True)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Learn from one more batch; ``classes`` (every label that can occur) is required on the first call."""
        self._validate_params()
        first_call = not hasattr(self, "classes_")
        if first_call and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        X, y = check_X_y(X, y, estimator=self, numeric_y=False)
        if first_call:
            check_n_features(self, X, reset=True)
            self._start(X, encode_labels(as_array(classes), like=X, estimator=self, min_classes=1)[0])
        else:
            check_n_features(self, X, reset=False)
            if classes is not None:
                known = encode_labels(as_array(classes), like=X, estimator=self, min_classes=1)[0]
                if backend.asnumpy(known).tolist() != backend.asnumpy(self.classes_).tolist():
                    raise ValueError(
                        f"classes={backend.asnumpy(known).tolist()!r} is not the same as on the last call to "
                        f"partial_fit, was: {backend.asnumpy(self.classes_).tolist()!r}"
                    )
        return self._learn(X, self._codes(y, X), sample_weight, first_call=first_call)

    def _start(self, X, classes) -> None:
        """Empty statistics for ``classes``, and the prior checked when given."""
        xp = backend.namespace(X)
        n_classes, n_features = classes.shape[0], X.shape[1]
        if self.priors is None:
            priors = xp.zeros(n_classes, dtype=X.dtype)  # filled with the class shares after each batch
        else:
            priors = backend.to_device(as_array(self.priors), backend.device_of(X)).astype(X.dtype)
            if priors.shape != (n_classes,):
                raise ValueError("Number of priors must match number of classes.")
            if not math.isclose(backend.to_scalar(priors.sum()), 1.0, rel_tol=1e-5, abs_tol=1e-8):
                raise ValueError("The sum of the priors should be 1.")
            if backend.to_scalar((priors < 0).any()):
                raise ValueError("Priors must be non-negative.")
        self.classes_ = classes
        self.class_prior_ = priors
        self.theta_ = xp.zeros((n_classes, n_features), dtype=X.dtype)
        self.var_ = xp.zeros((n_classes, n_features), dtype=X.dtype)
        self.class_count_ = xp.zeros(n_classes, dtype=X.dtype)
        self.epsilon_ = 0.0

    def _codes(self, y, X):
        """Each label's index in ``classes_``; labels outside ``classes_`` are an error."""
        labels, codes = encode_labels(y, like=X, estimator=self, min_classes=1)
        xp = backend.namespace(self.classes_)
        positions = xp.clip(xp.searchsorted(self.classes_, labels), 0, self.classes_.shape[0] - 1)
        missing = self.classes_[positions] != labels
        if backend.to_scalar(missing.any()):
            raise ValueError(
                f"The target label(s) {backend.asnumpy(labels[missing]).tolist()} in y do not exist in the initial "
                f"classes {backend.asnumpy(self.classes_).tolist()}"
            )
        return backend.to_device(positions, backend.device_of(X))[codes]

    def _learn(self, X, codes, sample_weight, first_call: bool):
        """Merge the batch's weighted per-class counts, means and variances into the running ones (Chan).

        ε comes from this batch's largest feature variance; it is taken out of the stored
        variances before the merge and put back after, as scikit-learn does. Classes absent
        from the batch keep their statistics.
        """
        xp = backend.namespace(X)
        weights = check_sample_weight(sample_weight, X, estimator=self)
        n_classes = self.classes_.shape[0]
        self.epsilon_ = self.var_smoothing * float(backend.to_scalar(X.var(axis=0).max()))
        var_old = self.var_ if first_call else self.var_ - self.epsilon_

        member = (codes[:, None] == xp.arange(n_classes)) * weights[:, None]  # (n, K): sample i's weight in class k
        n_new = member.sum(axis=0)
        mean_new = (member.T @ X) / xp.where(n_new > 0, n_new, 1)[:, None]
        ssd_new = xp.stack([member[:, k] @ (X - mean_new[k]) ** 2 for k in range(n_classes)])

        n_old = self.class_count_
        n_total = n_old + n_new
        safe_total = xp.where(n_total > 0, n_total, 1)[:, None]
        between = (n_old * n_new)[:, None] / safe_total * (self.theta_ - mean_new) ** 2
        seen = (n_new > 0)[:, None]
        self.theta_ = xp.where(seen, (n_old[:, None] * self.theta_ + n_new[:, None] * mean_new) / safe_total,
                               self.theta_)
        self.var_ = xp.where(seen, (n_old[:, None] * var_old + ssd_new + between) / safe_total, var_old) + self.epsilon_
        self.class_count_ = n_total
        if self.priors is None:
            self.class_prior_ = n_total / n_total.sum()
        return self

    def _check_X(self, X):
        check_is_fitted(self)
        X = check_array(X, estimator=self)
        check_n_features(self, X, reset=False)
        return X

    def predict_joint_log_proba(self, X):
        """log P(y = k) + log p(x | y = k) for each sample and class, shape (n_samples, n_classes)."""
        X = self._check_X(X)
        xp = backend.namespace(X)
        columns = [
            -0.5 * xp.log(2 * np.pi * self.var_[k]).sum() - 0.5 * ((X - self.theta_[k]) ** 2 / self.var_[k]).sum(axis=1)
            for k in range(self.classes_.shape[0])
        ]
        with np.errstate(divide="ignore"):  # a zero prior gives log 0 = −inf: that class is never predicted
            return xp.stack(columns, axis=1) + xp.log(self.class_prior_)

    def predict_log_proba(self, X):
        """log P(y = k | x): the joint log-probabilities normalised by log-sum-exp over the classes."""
        joint = self.predict_joint_log_proba(X)
        xp = backend.namespace(joint)
        top = joint.max(axis=1, keepdims=True)
        return joint - (top + xp.log(xp.exp(joint - top).sum(axis=1, keepdims=True)))

    def predict_proba(self, X):
        """P(y = k | x), rows summing to 1."""
        log_proba = self.predict_log_proba(X)
        return backend.namespace(log_proba).exp(log_proba)

    def predict(self, X):
        """The class with the largest posterior probability."""
        joint = self.predict_joint_log_proba(X)
        return labels_from_codes(self.classes_, backend.namespace(joint).argmax(joint, axis=1))
