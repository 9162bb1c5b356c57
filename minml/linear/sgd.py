"""Stochastic gradient descent for linear models: SGDClassifier and SGDRegressor.

A linear model scores a sample by z = x·w + b and is fitted by minimising the
average loss plus a penalty::

    E(w, b) = (1/n) Σᵢ sᵢ·ℓ(zᵢ, yᵢ)  +  α·R(w)          R = ½‖w‖² (l2), ‖w‖₁ (l1), or a mix (elasticnet)

Gradient descent needs all n samples for every step. Stochastic gradient descent
takes a step after each small *minibatch* B of samples instead, along the
gradient of the loss on B alone, an unbiased but noisy estimate of the full one::

    w ← w − η_t · ( (1/|B|) Σ_{i∈B} sᵢ·ℓ'(zᵢ, yᵢ)·xᵢ  +  α·∇R(w) )       b likewise, without the penalty

Many cheap steps beat few exact ones when n is large. The noise does not vanish
at the solution, so the step size η_t must shrink for the iterates to settle:
``learning_rate`` chooses how ("optimal": η = 1/(α(t₀ + t)), "invscaling":
η = η₀/t^power_t, "constant", or "adaptive": η₀ divided by 5 whenever the loss
stops improving). An L1 penalty has no gradient at 0, so it is applied after
each step by its proximal map, soft thresholding: wⱼ ← sign(wⱼ)·max(|wⱼ| − η·α·l1_ratio, 0),
which sets small weights exactly to zero.

Each loss needs only its derivative ℓ'(z, y) with respect to the score, written
out in :data:`CLASSIFICATION_LOSSES` and :data:`REGRESSION_LOSSES` beside the loss
itself (y ∈ {−1, +1} for classification, r = z − y the residual for regression).
Several classes are handled one-versus-rest, as scikit-learn does: one binary
problem per class, all K trained together on the same minibatches as the
columns of a (batch, K) score matrix.

Minibatches. scikit-learn updates after every single sample; here a minibatch of
|B| samples (``batch_size``, 32 by default) takes one step of size |B|·η_t along
the batch's mean gradient: the |B| per-sample steps of classic SGD, with the
gradient evaluated once, at the start of the batch, and vectorised. ``t`` counts
samples, so the schedules and scikit-learn's defaults (eta0, power_t) mean the
same here, and ``batch_size=1`` is classic SGD. The penalties are applied by their
proximal maps (soft thresholding for L1, w ← w/(1 + η|B|α) for L2), which stay
stable for any step size. Results are close to scikit-learn's, not equal: the
samples are drawn in another order.
"""

from __future__ import annotations

import math
import numbers
import warnings

from minml import backend
from minml.base import BaseEstimator, RegressorMixin
from minml.exceptions import ConvergenceWarning
from minml.linear.linear_classifier import LinearClassifierMixin, class_sample_weight
from minml.linear.model import LinearModel
from minml.validation import (
    Interval,
    Options,
    check_n_features,
    check_sample_weight,
    check_X_y,
    encode_labels,
)

__all__ = ["CLASSIFICATION_LOSSES", "REGRESSION_LOSSES", "SGDClassifier", "SGDRegressor"]


def _hinge(xp, z, y):
    """max(0, 1 − yz): zero once the margin yz reaches 1 (the linear SVM's loss)."""
    margin = y * z
    return xp.maximum(0, 1 - margin), xp.where(margin < 1, -y, 0.0)


def _squared_hinge(xp, z, y):
    """max(0, 1 − yz)²."""
    gap = xp.maximum(0, 1 - y * z)
    return gap * gap, -2 * y * gap


def _perceptron(xp, z, y):
    """max(0, −yz): only misclassified samples count."""
    margin = y * z
    return xp.maximum(0, -margin), xp.where(margin <= 0, -y, 0.0)


def _log_loss(xp, z, y):
    """log(1 + e^(−yz)) (logistic regression's loss); ℓ' = −y·σ(−yz)."""
    return xp.logaddexp(0, -y * z), -y * backend.special(z).expit(-y * z)


def _modified_huber(xp, z, y):
    """(max(0, 1 − yz))² for yz ≥ −1, −4yz below: a smoothed hinge, linear for badly wrong samples."""
    margin = y * z
    loss = xp.where(margin >= -1, xp.maximum(0, 1 - margin) ** 2, -4 * margin)
    return loss, xp.where(margin >= -1, -2 * y * xp.maximum(0, 1 - margin), -4 * y)


def _squared_error(xp, z, y, epsilon):
    """½(z − y)²; ℓ' = z − y."""
    residual = z - y
    return 0.5 * residual * residual, residual


def _huber(xp, z, y, epsilon):
    """½r² for |r| ≤ ε, ε|r| − ½ε² beyond: squared near the fit, linear (robust to outliers) far away."""
    residual = z - y
    size = xp.abs(residual)
    loss = xp.where(size <= epsilon, 0.5 * residual * residual, epsilon * size - 0.5 * epsilon * epsilon)
    return loss, xp.clip(residual, -epsilon, epsilon)


def _epsilon_insensitive(xp, z, y, epsilon):
    """max(0, |r| − ε): errors smaller than ε cost nothing (the linear SVR's loss)."""
    residual = z - y
    return xp.maximum(0, xp.abs(residual) - epsilon), xp.where(xp.abs(residual) > epsilon, xp.sign(residual), 0.0)


def _squared_epsilon_insensitive(xp, z, y, epsilon):
    """max(0, |r| − ε)²."""
    residual = z - y
    gap = xp.maximum(0, xp.abs(residual) - epsilon)
    return gap * gap, 2 * xp.sign(residual) * gap


CLASSIFICATION_LOSSES = {
    "hinge": _hinge,
    "squared_hinge": _squared_hinge,
    "perceptron": _perceptron,
    "log_loss": _log_loss,
    "modified_huber": _modified_huber,
}
REGRESSION_LOSSES = {
    "squared_error": _squared_error,
    "huber": _huber,
    "epsilon_insensitive": _epsilon_insensitive,
    "squared_epsilon_insensitive": _squared_epsilon_insensitive,
}

_COMMON_CONSTRAINTS = {
    "penalty": [Options({"l2", "l1", "elasticnet"}), None],
    "alpha": [Interval(numbers.Real, 0, None, closed="left")],
    "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
    "fit_intercept": ["boolean"],
    "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
    "tol": [Interval(numbers.Real, None, None, closed="neither"), None],
    "shuffle": ["boolean"],
    "epsilon": [Interval(numbers.Real, 0, None, closed="left")],
    "random_state": ["random_state", None],
    "learning_rate": [Options({"constant", "optimal", "invscaling", "adaptive"})],
    "eta0": [Interval(numbers.Real, 0, None, closed="left")],
    "power_t": [Interval(numbers.Real, None, None, closed="neither")],
    "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left")],
    "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
    "warm_start": ["boolean"],
}


class _BaseSGD(BaseEstimator):
    """The minibatch SGD loop shared by SGDClassifier and SGDRegressor."""

    _contract_skip = {
        "check_sample_weight": "SGD visits samples in random order: a weight of 3 and three copies of a sample give "
        "different trajectories, equal only in expectation (tests/linear/test_sgd.py checks weights otherwise)",
    }

    def _loss(self):
        """``loss(xp, Z, Y) → (ℓ, ℓ')``, elementwise on the (batch, K') scores."""
        raise NotImplementedError

    def _check_eta0(self) -> None:
        if self.learning_rate in ("constant", "invscaling", "adaptive") and self.eta0 <= 0:
            raise ValueError(
                f"eta0 must be > 0 with learning_rate={self.learning_rate!r}; got eta0={self.eta0}. "
                "Pass a positive initial step size, for example eta0=0.01."
            )

    def _optimal_t0(self, xp, dtype) -> float:
        """t₀ of the "optimal" schedule (Bottou's heuristic, as scikit-learn): first step w/max(1, ℓ'(−w, 1)), w=α^-¼"""
        typical_w = (1.0 / self.alpha**0.5) ** 0.5
        one = xp.ones((1, 1), dtype=dtype)
        slope = backend.to_scalar(self._loss()(xp, -typical_w * one, one)[1][0, 0])
        return 1.0 / (self.alpha * typical_w / max(1.0, slope))

    def _step_size(self, t: int, t0: float, eta: float) -> float:
        """η at update t (t = 1, 2, ...)."""
        if self.learning_rate == "optimal":
            return 1.0 / (self.alpha * (t0 + t - 1))
        if self.learning_rate == "invscaling":
            return self.eta0 / t**self.power_t
        return eta  # constant, or adaptive's current value

    def _sgd(self, X, Y, s, coef, intercept):
        """Minibatch SGD from (coef, intercept); returns them, the epochs run and t_ (samples processed + 1)."""
        xp = backend.namespace(X)
        n = X.shape[0]
        generator = backend.rng(self.random_state, backend.device_of(X))
        loss = self._loss()
        if self.learning_rate == "optimal" and self.alpha == 0:
            raise ValueError("alpha must be > 0 with learning_rate='optimal' (its step size is 1/(alpha·t)).")
        t0 = self._optimal_t0(xp, X.dtype) if self.learning_rate == "optimal" else 0.0
        penalty = self.penalty
        l1 = self.alpha * (1.0 if penalty == "l1" else self.l1_ratio if penalty == "elasticnet" else 0.0)
        l2 = self.alpha * (1.0 if penalty == "l2" else 1 - self.l1_ratio if penalty == "elasticnet" else 0.0)
        eta, best, stalled, t = float(self.eta0), float("inf"), 0, 0
        total_weight = backend.to_scalar(s.sum())
        for epoch in range(1, self.max_iter + 1):
            order = generator.permutation(n) if self.shuffle else None
            X_epoch, Y_epoch, s_epoch = (X, Y, s) if order is None else (X[order], Y[order], s[order])
            epoch_loss = 0.0
            for start in range(0, n, self.batch_size):
                rows = slice(start, start + self.batch_size)
                x_b, y_b, s_b = X_epoch[rows], Y_epoch[rows], s_epoch[rows]
                step = self._step_size(t + 1, t0, eta) * x_b.shape[0]  # |B| per-sample steps at once
                t += x_b.shape[0]
                values, slopes = loss(xp, x_b @ coef.T + intercept, y_b)
                epoch_loss = epoch_loss + (s_b @ values).sum()
                weighted = slopes * (s_b[:, None] / x_b.shape[0])
                coef = coef - step * (weighted.T @ x_b)
                if l1:  # the penalties' proximal maps: soft thresholding for L1, shrinking for L2
                    coef = xp.sign(coef) * xp.maximum(xp.abs(coef) - step * l1, 0)
                if l2:
                    coef = coef / (1 + step * l2)
                if self.fit_intercept:
                    intercept = intercept - step * weighted.sum(axis=0)
            mean_loss = backend.to_scalar(epoch_loss) / total_weight
            if not math.isfinite(mean_loss):
                raise ValueError(
                    f"Floating-point overflow at epoch {epoch}: the steps grew without bound. Scale the data (for "
                    "example with minml.preprocessing.StandardScaler), or lower the step size (eta0 with "
                    "learning_rate='constant', 'invscaling' or 'adaptive'; a smaller batch_size)."
                )
            if self.tol is None:
                continue
            stalled = stalled + 1 if mean_loss > best - self.tol else 0
            best = min(best, mean_loss)
            if stalled >= self.n_iter_no_change:
                if self.learning_rate != "adaptive":
                    return coef, intercept, epoch, t + 1
                eta, stalled = eta / 5, 0
                if eta < 1e-6:
                    return coef, intercept, epoch, t + 1
        if self.tol is not None:
            warnings.warn(
                f"{type(self).__name__} reached max_iter={self.max_iter} epochs before the loss stopped improving "
                f"(tol={self.tol}). Increase max_iter, scale the data (for example with "
                "minml.preprocessing.StandardScaler), or lower the step size (eta0, or a larger alpha).",
                ConvergenceWarning,
                stacklevel=3,
            )
        return coef, intercept, self.max_iter, t + 1

    def _start(self, X, n_scores: int):
        """Zero coefficients (n_scores, p) and intercepts, or the previous fit's with warm_start."""
        xp = backend.namespace(X)
        previous = getattr(self, "coef_", None)
        if self.warm_start and previous is not None and previous.size == n_scores * X.shape[1]:
            coef = previous.reshape(n_scores, X.shape[1])
            return coef, xp.asarray(self.intercept_, dtype=X.dtype).reshape(n_scores)
        return xp.zeros((n_scores, X.shape[1]), dtype=X.dtype), xp.zeros(n_scores, dtype=X.dtype)


class SGDClassifier(LinearClassifierMixin, _BaseSGD):
    """A linear classifier (linear SVM by default, logistic regression with loss="log_loss") trained by SGD.

    Minimises (1/n)Σᵢ sᵢ·ℓ(yᵢ·zᵢ) + α·R(w), one-versus-rest for K > 2 classes.
    Parameters as scikit-learn's SGDClassifier: ``loss`` ("hinge",
    "squared_hinge", "perceptron", "log_loss", "modified_huber"), ``penalty``
    ("l2", "l1", "elasticnet", None), ``alpha``, ``l1_ratio``,
    ``fit_intercept``, ``max_iter`` (epochs), ``tol`` (stop after
    ``n_iter_no_change`` epochs whose mean loss improved by less than tol;
    None: run max_iter epochs), ``shuffle``, ``random_state``,
    ``learning_rate`` / ``eta0`` / ``power_t``, ``class_weight``,
    ``warm_start``; plus ``batch_size`` (1 is classic per-sample SGD).

    Attributes: ``classes_``, ``coef_`` (1 or K, n_features), ``intercept_``,
    ``n_iter_`` (epochs), ``t_`` (samples processed + 1, as scikit-learn counts), ``n_features_in_``.
    """

    _parameter_constraints = {
        **_COMMON_CONSTRAINTS,
        "loss": [Options(set(CLASSIFICATION_LOSSES))],
        "class_weight": [dict, Options({"balanced"}), None],
    }

    def __init__(
        self,
        loss="hinge",
        *,
        penalty="l2",
        alpha=0.0001,
        l1_ratio=0.15,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-3,
        shuffle=True,
        epsilon=0.1,
        random_state=None,
        learning_rate="optimal",
        eta0=0.01,
        power_t=0.5,
        n_iter_no_change=5,
        class_weight=None,
        warm_start=False,
        batch_size=32,
    ):
        self.loss = loss
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.epsilon = epsilon
        self.random_state = random_state
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.n_iter_no_change = n_iter_no_change
        self.class_weight = class_weight
        self.warm_start = warm_start
        self.batch_size = batch_size

    def _loss(self):
        return CLASSIFICATION_LOSSES[self.loss]

    def fit(self, X, y, sample_weight=None):
        """Fit by minibatch SGD (one-versus-rest for K > 2 classes); returns self."""
        self._validate_params()
        self._check_eta0()
        X, y = check_X_y(X, y, estimator=self, numeric_y=False)
        check_n_features(self, X, reset=True)
        xp = backend.namespace(X)
        classes, codes = encode_labels(y, like=X, estimator=self)
        s = check_sample_weight(sample_weight, X, estimator=self)
        s = class_sample_weight(self.class_weight, classes, codes, s)
        K = classes.shape[0]
        positive = codes[:, None] == (xp.ones(1, dtype=codes.dtype) if K == 2 else xp.arange(K))[None, :]
        Y = xp.where(positive, 1.0, -1.0).astype(X.dtype)  # ±1 per sample and binary problem
        coef, intercept = self._start(X, 1 if K == 2 else K)
        coef, intercept, self.n_iter_, self.t_ = self._sgd(X, Y, s, coef, intercept)
        self.classes_, self.coef_, self.intercept_ = classes, coef, intercept
        return self

    def _check_probabilistic(self) -> None:
        if self.loss not in ("log_loss", "modified_huber"):
            raise AttributeError(
                f"probability estimates are not available for loss={self.loss!r}; use loss='log_loss' or "
                "'modified_huber'."
            )

    @property
    def predict_proba(self):
        """P(class | x), (n_samples, n_classes): for loss="log_loss" (σ of the scores) or "modified_huber".

        With K > 2 classes the one-versus-rest probabilities are normalised to sum to 1.
        For the other losses the attribute does not exist (``hasattr`` is False), as in scikit-learn.
        """
        self._check_probabilistic()
        return self._predict_proba

    @property
    def predict_log_proba(self):
        """log of :meth:`predict_proba` (for log_loss computed from the scores, finite however far they are)."""
        self._check_probabilistic()
        return self._predict_log_proba

    def _predict_proba(self, X):
        scores = self.decision_function(X)
        xp = backend.namespace(scores)
        if self.loss == "log_loss":
            positive = backend.special(scores).expit(scores)
        else:
            positive = (xp.clip(scores, -1, 1) + 1) / 2
        if scores.ndim == 1:
            return xp.stack([1 - positive, positive], axis=1)
        total = positive.sum(axis=1, keepdims=True)
        uniform = xp.full(positive.shape, 1.0 / positive.shape[1], dtype=positive.dtype)
        return xp.where(total > 0, positive / xp.where(total > 0, total, 1), uniform)

    def _predict_log_proba(self, X):
        if self.loss != "log_loss":
            proba = self._predict_proba(X)
            return backend.namespace(proba).log(proba)
        scores = self.decision_function(X)
        xp = backend.namespace(scores)
        log_positive = -xp.logaddexp(0, -scores)  # log σ(z)
        if scores.ndim == 1:
            return xp.stack([-xp.logaddexp(0, scores), log_positive], axis=1)
        return log_positive - xp.log(xp.exp(log_positive).sum(axis=1, keepdims=True))


class SGDRegressor(RegressorMixin, LinearModel, _BaseSGD):
    """A linear regressor trained by minibatch SGD: (1/n)Σᵢ sᵢ·ℓ(zᵢ − yᵢ) + α·R(w).

    Parameters as scikit-learn's SGDRegressor (``loss`` "squared_error",
    "huber", "epsilon_insensitive", "squared_epsilon_insensitive"; ``epsilon``
    the width of huber's and the insensitive losses' zone; defaults
    learning_rate="invscaling", eta0=0.01, power_t=0.25), plus ``batch_size``.

    Attributes: ``coef_`` (n_features,), ``intercept_`` (1,), ``n_iter_`` (epochs),
    ``t_`` (samples processed + 1), ``n_features_in_``.
    """

    _parameter_constraints = {**_COMMON_CONSTRAINTS, "loss": [Options(set(REGRESSION_LOSSES))]}
    _multi_output = False  # one target, as scikit-learn's SGDRegressor

    def __init__(
        self,
        loss="squared_error",
        *,
        penalty="l2",
        alpha=0.0001,
        l1_ratio=0.15,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-3,
        shuffle=True,
        epsilon=0.1,
        random_state=None,
        learning_rate="invscaling",
        eta0=0.01,
        power_t=0.25,
        n_iter_no_change=5,
        warm_start=False,
        batch_size=32,
    ):
        self.loss = loss
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.epsilon = epsilon
        self.random_state = random_state
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.n_iter_no_change = n_iter_no_change
        self.warm_start = warm_start
        self.batch_size = batch_size

    def _loss(self):
        function, epsilon = REGRESSION_LOSSES[self.loss], self.epsilon
        return lambda xp, z, y: function(xp, z, y, epsilon)

    def fit(self, X, y, sample_weight=None):
        """Fit by minibatch SGD; returns self."""
        self._validate_params()
        self._check_eta0()
        X, y = check_X_y(X, y, estimator=self)
        check_n_features(self, X, reset=True)
        s = check_sample_weight(sample_weight, X, estimator=self)
        coef, intercept = self._start(X, 1)
        coef, intercept, self.n_iter_, self.t_ = self._sgd(X, y[:, None], s, coef, intercept)
        self.coef_, self.intercept_ = coef[0], intercept
        return self
