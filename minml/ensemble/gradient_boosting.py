"""Gradient boosting, second order (XGBoost-style): each tree is one Newton step in function space.

Boosting builds an additive model F(x) = F₀ + η Σ_m f_m(x), one small tree f_m
at a time, each correcting the ones before. With a loss L(y, F), round m
computes per sample the gradient and hessian of the loss at the current
prediction::

    g_i = ∂L/∂F (y_i, F(x_i)),    h_i = ∂²L/∂F² (y_i, F(x_i))

and fits the tree that minimises the second-order Taylor approximation of the
loss, plus an L2 penalty λ on its leaf values w (Chen & Guestrin, 2016). For a
leaf holding samples I, with G = Σ_I g_i and H = Σ_I h_i, the best value and
the loss it reaches are ::

    w* = -G / (H + λ),        loss = -½ G² / (H + λ)

so a split of a leaf into L and R gains ½ [G_L²/(H_L+λ) + G_R²/(H_R+λ) - G²/(H+λ)]:
the split search is the histogram search of :mod:`minml.tree.splitter` with
gradient and hessian channels. The new tree's leaves are shrunk by the
learning rate η before being added (small steps generalise better).

Losses (``loss``): squared error (g = F - y, h = 1), binary log-loss
(p = σ(F), g = p - y, h = p(1 - p)) and multinomial log-loss (one tree per class
per round, p = softmax(F), g_k = p_k - [y = k], h_k = p_k(1 - p_k)).

Early stopping: with ``n_iter_no_change`` set, ``validation_fraction`` of the
data is held out and boosting stops once the held-out loss has not improved by
``tol`` for ``n_iter_no_change`` rounds. ``subsample`` < 1 fits each round on a
random fraction of the rows (stochastic gradient boosting).
"""

from __future__ import annotations

import numbers

import numpy as np

from minml import backend
from minml.base import BaseEstimator, ClassifierMixin, RegressorMixin
from minml.tree.builder import GrowthParams, grow_tree
from minml.tree.classes import bin_data, classification_fit_data, regression_fit_data
from minml.tree.histogram import feature_keys
from minml.tree.splitter import SecondOrder
from minml.validation import (
    Interval,
    Options,
    check_array,
    check_is_fitted,
    check_n_features,
    labels_from_codes,
)

__all__ = ["GradientBoostingClassifier", "GradientBoostingRegressor"]




class _SquaredError:
    """Regression: F₀ = the (weighted) mean, g = F - y, h = 1."""

    n_trees_per_round = 1

    def init(self, y, weights):
        return ((weights * y).sum() / weights.sum()).reshape(1, 1)

    def gradients(self, y, raw):
        xp = backend.namespace(raw)
        return raw[:, 0:1] - y[:, None], xp.ones_like(raw)

    def loss(self, y, raw, weights):
        return backend.to_scalar((weights * (raw[:, 0] - y) ** 2).sum() / weights.sum()) / 2


class _BinaryLogLoss:
    """Two classes: F is the log-odds, F₀ = log(p / (1 - p)) of the class-1 frequency."""

    n_trees_per_round = 1

    def init(self, y, weights):
        xp = backend.namespace(y)
        p = (weights * y).sum() / weights.sum()
        p = xp.clip(p, 1e-12, 1 - 1e-12)
        return xp.log(p / (1 - p)).reshape(1, 1)

    def gradients(self, y, raw):
        p = backend.special(raw).expit(raw)
        return p - y[:, None], p * (1 - p)

    def loss(self, y, raw, weights):
        xp = backend.namespace(raw)
        margin = raw[:, 0]
        log_loss = xp.logaddexp(0.0, margin) - y * margin  # -y log p - (1 - y) log(1 - p)
        return backend.to_scalar((weights * log_loss).sum() / weights.sum())

    def proba(self, raw):
        p = backend.special(raw).expit(raw[:, 0])
        return backend.namespace(raw).stack([1 - p, p], axis=1)


class _MultinomialLogLoss:
    """K classes: one score per class, p = softmax(F), F₀ = the log class frequencies."""

    def __init__(self, n_classes: int):
        self.n_trees_per_round = n_classes

    def init(self, y_onehot, weights):
        xp = backend.namespace(y_onehot)
        frequency = (weights[:, None] * y_onehot).sum(axis=0) / weights.sum()
        return xp.log(xp.clip(frequency, 1e-12, None))[None, :]

    def gradients(self, y_onehot, raw):
        p = self.proba(raw)
        return p - y_onehot, p * (1 - p)

    def loss(self, y_onehot, raw, weights):
        xp = backend.namespace(raw)
        top = raw.max(axis=1, keepdims=True)
        log_norm = xp.log(xp.exp(raw - top).sum(axis=1)) + top[:, 0]
        return backend.to_scalar((weights * (log_norm - (raw * y_onehot).sum(axis=1))).sum() / weights.sum())

    def proba(self, raw):
        xp = backend.namespace(raw)
        shifted = xp.exp(raw - raw.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)


_CONSTRAINTS = {
    "learning_rate": [Interval(numbers.Real, 0.0, None, closed="neither")],
    "n_estimators": [Interval(numbers.Integral, 1, None, closed="left")],
    "subsample": [Interval(numbers.Real, 0.0, 1.0, closed="right")],
    "max_depth": [Interval(numbers.Integral, 1, None, closed="left"), None],
    "max_leaf_nodes": [Interval(numbers.Integral, 2, None, closed="left"), None],
    "min_samples_leaf": [Interval(numbers.Integral, 1, None, closed="left")],
    "min_child_weight": [Interval(numbers.Real, 0.0, None, closed="left")],
    "reg_lambda": [Interval(numbers.Real, 0.0, None, closed="left")],
    "validation_fraction": [Interval(numbers.Real, 0.0, 1.0, closed="neither")],
    "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left"), None],
    "tol": [Interval(numbers.Real, 0.0, None, closed="left")],
    "random_state": ["random_state", None],
    "max_bins": [Interval(numbers.Integral, 2, 65535, closed="both")],
}


class _BaseGradientBoosting(BaseEstimator):
    """The boosting loop shared by the classifier and the regressor."""

    _allow_nan = True

    @classmethod
    def _contract_instances(cls):
        """Twenty rounds: the contract's checks fit hundreds of times."""
        return [cls(n_estimators=20)]

    def _boost(self, X, target, weights, loss):
        """Fit ``self.estimators_`` (rounds × trees per round) on X; ``target`` as the loss expects it.

        ``weights`` (None: every sample weighs 1) come without zeros (:func:`regression_fit_data`).
        """
        xp = backend.namespace(X)
        if weights is None:
            weights = xp.ones(X.shape[0], dtype=np.float64)
        generator = backend.rng(self.random_state, backend.device_of(X))
        n = X.shape[0]
        validation = None
        if self.n_iter_no_change is not None:
            order = generator.permutation(n)
            n_validation = max(1, int(round(self.validation_fraction * n)))
            held, kept = order[:n_validation], order[n_validation:]
            validation = (X[held], target[held], weights[held])
            X, target, weights = X[kept], target[kept], weights[kept]
        codes, edges, n_bins, values, has_nan = bin_data(X, "hist", self.max_bins)
        max_leaf_nodes = self.max_leaf_nodes
        if max_leaf_nodes is None and self.max_depth is not None:
            # A tree of depth d has at most 2^d leaves, so best-first growth with 2^d leaves grows the same
            # tree as growing level by level; its histogram subtraction makes it about twice as fast.
            max_leaf_nodes = 2**self.max_depth
        keys = None if max_leaf_nodes is None else feature_keys(codes, n_bins)  # best-first growth reads them
        self.init_ = loss.init(target, weights)
        raw = xp.zeros((X.shape[0], loss.n_trees_per_round)) + self.init_
        raw_validation = None
        if validation is not None:
            raw_validation = xp.zeros((validation[0].shape[0], loss.n_trees_per_round)) + self.init_
        params = GrowthParams(max_depth=self.max_depth, min_samples_leaf=self.min_samples_leaf,
                              min_samples_split=2 * self.min_samples_leaf, max_leaf_nodes=max_leaf_nodes,
                              min_child_weight=self.min_child_weight)
        criterion = SecondOrder(self.reg_lambda)
        self.estimators_, self.train_score_, self.validation_score_ = [], [], []
        best, rounds_without_gain = np.inf, 0
        for _ in range(self.n_estimators):
            gradient, hessian = loss.gradients(target, raw)
            rows = None
            if self.subsample < 1.0:
                rows = xp.sort(generator.permutation(X.shape[0])[: max(1, int(self.subsample * X.shape[0]))])
            trees = []
            for k in range(loss.n_trees_per_round):
                g, h = gradient[:, k] * weights, hessian[:, k] * weights
                if rows is None:
                    tree, leaf = grow_tree(codes, n_bins, edges, values, criterion, (g, h), None, params,
                                           with_missing=has_nan, keys=keys, return_leaves=True)
                else:
                    tree = grow_tree(codes[rows], n_bins, edges, values, criterion, (g[rows], h[rows]), None,
                                     params, with_missing=has_nan, keys=None if keys is None else keys[rows])
                tree.value = tree.value * self.learning_rate
                # each training row's tree output is its leaf's value: no need to walk the tree
                raw[:, k] += tree.value[leaf, 0, 0] if rows is None else tree.predict(X)[:, 0, 0]
                if raw_validation is not None:
                    raw_validation[:, k] += tree.predict(validation[0])[:, 0, 0]
                trees.append(tree)
            self.estimators_.append(trees)
            self.train_score_.append(loss.loss(target, raw, weights))
            if validation is not None:
                score = loss.loss(validation[1], raw_validation, validation[2])
                self.validation_score_.append(score)
                if score < best - self.tol:
                    best, rounds_without_gain = score, 0
                else:
                    rounds_without_gain += 1
                    if rounds_without_gain >= self.n_iter_no_change:
                        break
        self.n_estimators_ = len(self.estimators_)
        return self

    def _validated(self, X):
        check_is_fitted(self)
        X = check_array(X, estimator=self, allow_nan=True)
        check_n_features(self, X, reset=False)
        return X

    def _staged_raw(self, X):
        """The raw predictions F(x) after each round: (n_samples, trees per round) arrays."""
        X = self._validated(X)
        xp = backend.namespace(X)
        raw = xp.zeros((X.shape[0], len(self.estimators_[0]))) + self.init_
        for trees in self.estimators_:
            raw = raw + xp.stack([tree.predict(X)[:, 0, 0] for tree in trees], axis=1)
            yield raw

    def _raw(self, X):
        *_, raw = self._staged_raw(X)
        return raw

    @property
    def feature_importances_(self):
        """Each feature's share of the total split gain over all trees (sums to 1)."""
        check_is_fitted(self)
        total = sum(tree.compute_feature_importances(normalize=False) for trees in self.estimators_
                    for tree in trees)
        norm = backend.to_scalar(total.sum())
        return total / norm if norm > 0 else total


class GradientBoostingClassifier(ClassifierMixin, _BaseGradientBoosting):
    """Second-order gradient-boosted trees for classification (binary or multinomial log-loss).

    scikit-learn's GradientBoostingClassifier parameters where they exist
    (``learning_rate``, ``n_estimators``, ``subsample``, ``max_depth``,
    ``max_leaf_nodes``, ``min_samples_leaf``, ``validation_fraction``,
    ``n_iter_no_change``, ``tol``), XGBoost's for the second-order terms
    (``min_child_weight``: least hessian sum per leaf; ``reg_lambda``: L2 on
    leaf values), and ``max_bins``. Trees are grown on histograms; NaN allowed.
    Attributes: ``estimators_`` (rounds × trees of :class:`~minml.tree.structure.Tree`),
    ``n_estimators_``, ``init_``, ``train_score_``, ``validation_score_``,
    ``classes_``, ``n_classes_``, ``feature_importances_``.
    """

    _parameter_constraints = {**_CONSTRAINTS, "loss": [Options({"log_loss"})]}

    def __init__(self, *, loss="log_loss", learning_rate=0.1, n_estimators=100, subsample=1.0, max_depth=3,
                 max_leaf_nodes=None, min_samples_leaf=1, min_child_weight=1.0, reg_lambda=1.0,
                 validation_fraction=0.1, n_iter_no_change=None, tol=1e-4, random_state=None, max_bins=255):
        self.loss = loss
        self.learning_rate = learning_rate
        self.n_estimators = n_estimators
        self.subsample = subsample
        self.max_depth = max_depth
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.min_child_weight = min_child_weight
        self.reg_lambda = reg_lambda
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.random_state = random_state
        self.max_bins = max_bins

    def fit(self, X, y, sample_weight=None):
        """Boost trees on (X, y): binary log-loss for two classes, multinomial for more."""
        self._validate_params()
        X, codes, weights = classification_fit_data(self, X, y, sample_weight)
        xp = backend.namespace(X)
        if self.n_classes_ == 2:
            return self._boost(X, codes.astype(np.float64), weights, _BinaryLogLoss())
        onehot = (codes[:, None] == xp.arange(self.n_classes_)[None, :]).astype(np.float64)
        return self._boost(X, onehot, weights, _MultinomialLogLoss(self.n_classes_))

    def _loss(self):
        return _BinaryLogLoss() if self.n_classes_ == 2 else _MultinomialLogLoss(self.n_classes_)

    def decision_function(self, X):
        """The raw scores F(x): the log-odds (n,) for two classes, (n, K) per-class scores for more."""
        raw = self._raw(X)
        return raw[:, 0] if self.n_classes_ == 2 else raw

    def staged_decision_function(self, X):
        """decision_function after each boosting round (a generator)."""
        for raw in self._staged_raw(X):
            yield raw[:, 0] if self.n_classes_ == 2 else raw

    def predict_proba(self, X):
        """Class probabilities: σ(F) for two classes, softmax(F) for more; (n_samples, n_classes)."""
        raw = self._raw(X)
        return self._loss().proba(raw)

    def staged_predict_proba(self, X):
        """predict_proba after each boosting round (a generator)."""
        for raw in self._staged_raw(X):
            yield self._loss().proba(raw)

    def predict_log_proba(self, X):
        """log(predict_proba(X))."""
        proba = self.predict_proba(X)
        return backend.namespace(proba).log(proba)

    def predict(self, X):
        """The most probable class."""
        proba = self.predict_proba(X)
        return labels_from_codes(self.classes_, backend.namespace(proba).argmax(proba, axis=1))

    def staged_predict(self, X):
        """predict after each boosting round (a generator): for plotting error against rounds."""
        for proba in self.staged_predict_proba(X):
            yield labels_from_codes(self.classes_, backend.namespace(proba).argmax(proba, axis=1))


class GradientBoostingRegressor(RegressorMixin, _BaseGradientBoosting):
    """Second-order gradient-boosted trees for regression (squared error); parameters as the classifier's."""

    _parameter_constraints = {**_CONSTRAINTS, "loss": [Options({"squared_error"})]}

    def __init__(self, *, loss="squared_error", learning_rate=0.1, n_estimators=100, subsample=1.0, max_depth=3,
                 max_leaf_nodes=None, min_samples_leaf=1, min_child_weight=1.0, reg_lambda=1.0,
                 validation_fraction=0.1, n_iter_no_change=None, tol=1e-4, random_state=None, max_bins=255):
        self.loss = loss
        self.learning_rate = learning_rate
        self.n_estimators = n_estimators
        self.subsample = subsample
        self.max_depth = max_depth
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.min_child_weight = min_child_weight
        self.reg_lambda = reg_lambda
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.random_state = random_state
        self.max_bins = max_bins

    def fit(self, X, y, sample_weight=None):
        """Boost regression trees on (X, y) with the squared error."""
        self._validate_params()
        X, y, weights = regression_fit_data(self, X, y, sample_weight)
        return self._boost(X, y, weights, _SquaredError())

    def predict(self, X):
        """F(x): the initial mean plus the learning-rate-shrunk trees."""
        return self._raw(X)[:, 0]

    def staged_predict(self, X):
        """predict after each boosting round (a generator)."""
        for raw in self._staged_raw(X):
            yield raw[:, 0]
