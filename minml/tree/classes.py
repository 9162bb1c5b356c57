"""DecisionTreeClassifier and DecisionTreeRegressor: CART with scikit-learn's parameters, grown on histograms.

A decision tree asks yes/no questions "x[f] ≤ t?" and predicts the majority
class (or the mean target) of the training samples that end in the same leaf.
Fitting is greedy: at each node the question that most reduces the impurity
(Gini, entropy, squared error) is chosen, then the children are split in turn.

How the question is searched is the ``split_finder`` parameter (minml's own):

- ``"hist"`` (default): features are first binned into at most ``max_bins``
  intervals (:mod:`minml.tree.binning`); candidate thresholds are the bin
  edges and a node's best split is read off its histograms. Fast, and on data
  with at most ``max_bins`` distinct values per feature it is exact: the same
  splits and thresholds (midway between the node's neighbouring values) as
  scikit-learn's DecisionTree.
- ``"exact"``: every distinct value is a bin, so every midpoint between two
  consecutive distinct values is tried, as in scikit-learn's DecisionTree.
  Memory grows with the number of distinct values: use it on small data.

NaN is allowed in X: it has its own bin, and each split learns whether NaN
goes left or right. ``splitter="random"`` draws one random threshold per
feature and node (extremely randomised trees). Nodes are numbered level by
level rather than depth-first as in scikit-learn; the trees are the same.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from minml import backend
from minml.base import BaseEstimator, ClassifierMixin, RegressorMixin
from minml.tree.binning import bin_codes, bin_edges
from minml.tree.builder import GrowthParams, grow_tree
from minml.tree.splitter import CRITERIA, SquaredError
from minml.validation import (
    Interval,
    Options,
    check_array,
    check_consistent_length,
    check_is_fitted,
    check_n_features,
    check_sample_weight,
    check_target,
    check_X_y,
    encode_labels,
    labels_from_codes,
)

__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor", "bin_data", "classification_fit_data",
           "drop_zero_weight", "regression_fit_data"]

_COMMON_CONSTRAINTS = {
    "splitter": [Options({"best", "random"})],
    "max_depth": [Interval(numbers.Integral, 1, None, closed="left"), None],
    "min_samples_split": [Interval(numbers.Integral, 2, None, closed="left"),
                          Interval(numbers.Real, 0.0, 1.0, closed="right")],
    "min_samples_leaf": [Interval(numbers.Integral, 1, None, closed="left"),
                         Interval(numbers.Real, 0.0, 1.0, closed="neither")],
    "min_weight_fraction_leaf": [Interval(numbers.Real, 0.0, 0.5, closed="both")],
    "max_features": [Interval(numbers.Integral, 1, None, closed="left"),
                     Interval(numbers.Real, 0.0, 1.0, closed="right"), Options({"sqrt", "log2"}), None],
    "random_state": ["random_state", None],
    "max_leaf_nodes": [Interval(numbers.Integral, 2, None, closed="left"), None],
    "min_impurity_decrease": [Interval(numbers.Real, 0.0, None, closed="left")],
    "split_finder": [Options({"hist", "exact"})],
    "max_bins": [Interval(numbers.Integral, 2, 65535, closed="both")],
}


def check_regression_data(X, y, estimator):
    """Validated (X, y) for a regressor, NaN allowed in X, y kept in float64 whatever X's dtype.

    (Sums of targets over thousands of samples need float64; check_X_y would cast y to X's dtype.)
    """
    X = check_array(X, estimator=estimator, allow_nan=True)
    y = check_target(y, like=backend.namespace(X).zeros(1, dtype=np.float64), estimator=estimator)
    check_consistent_length(X, y)
    return X, y


def drop_zero_weight(X, target, weights):
    """(X, target, weights) without the samples of weight 0: they must not even shape the bins."""
    if weights is None:
        return X, target, weights
    xp = backend.namespace(weights)
    if backend.to_scalar((weights > 0).all()):
        return X, target, weights
    kept = xp.nonzero(weights > 0)[0]
    return X[kept], target[kept], weights[kept]


def regression_fit_data(estimator, X, y, sample_weight):
    """Validated ``(X, y, weights)`` for fitting a tree regressor or an ensemble of them.

    NaN is allowed in X; y and the weights are float64 (weights None when not given);
    ``n_features_in_`` is set; the samples of weight 0 are dropped.
    """
    X, y = check_regression_data(X, y, estimator)
    check_n_features(estimator, X, reset=True)
    weights = None if sample_weight is None else check_sample_weight(sample_weight, X, estimator=estimator)
    return drop_zero_weight(X, y, None if weights is None else weights.astype(np.float64))


def classification_fit_data(estimator, X, y, sample_weight, class_weight=None):
    """Validated ``(X, codes, weights)`` for fitting a tree classifier or an ensemble of them.

    NaN is allowed in X; the labels become codes 0..K-1 (``classes_`` and ``n_classes_``
    are set on the estimator, and ``n_features_in_``); the weights are sample_weight ×
    class weight in float64 (None when both are absent); the samples of weight 0 are dropped.
    """
    X, y = check_X_y(X, y, estimator=estimator, allow_nan=True, numeric_y=False)
    check_n_features(estimator, X, reset=True)
    estimator.classes_, codes = encode_labels(y, like=X, estimator=estimator)
    estimator.n_classes_ = int(estimator.classes_.shape[0])
    weights = _combined_weights(sample_weight, X, class_weight, codes, estimator.classes_, estimator.n_classes_,
                                estimator)
    return drop_zero_weight(X, codes, weights)


def resolve_count(value, n_samples: int) -> int:
    """An int parameter as it is; a float one as a fraction of n_samples (rounded up, at least 1)."""
    if isinstance(value, numbers.Integral):
        return int(value)
    return max(1, math.ceil(value * n_samples))


def resolve_max_features(value, n_features: int) -> int:
    """scikit-learn's max_features: None (all), "sqrt", "log2", an int, or a fraction of the features."""
    if value is None:
        return n_features
    if value == "sqrt":
        return max(1, int(math.sqrt(n_features)))
    if value == "log2":
        return max(1, int(math.log2(n_features)))
    if isinstance(value, numbers.Integral):
        return min(int(value), n_features)
    return max(1, int(value * n_features))


def bin_data(X, split_finder: str, max_bins: int):
    """``(codes, edges, n_bins, values, has_nan)`` of X for the chosen split finder."""
    edges, n_bins, values = bin_edges(X, None if split_finder == "exact" else max_bins)
    codes = bin_codes(X, edges, n_bins)
    has_nan = backend.to_scalar(backend.namespace(X).isnan(X).any())
    return codes, edges, n_bins, values, has_nan


def class_weight_per_sample(class_weight, codes, classes, n_classes: int):
    """Each sample's class weight: "balanced" is n / (K · n_k); a dict maps labels to weights; None gives None."""
    xp = backend.namespace(codes)
    if class_weight is None:
        return None
    if class_weight == "balanced":
        counts = backend.bincount(codes, minlength=n_classes).astype(np.float64)
        per_class = codes.shape[0] / (n_classes * counts)
    else:
        labels = backend.asnumpy(classes).tolist()
        unknown = sorted(set(class_weight) - set(labels), key=repr)
        if unknown:
            raise ValueError(f"class_weight names classes {unknown} that are not in the data; classes are {labels}.")
        per_class = backend.to_device(np.array([float(class_weight.get(label, 1.0)) for label in labels]),
                                      backend.device_of(codes))
    return xp.asarray(per_class)[codes]


class _BaseDecisionTree(BaseEstimator):
    """What both trees share: parameters, binning, growing, apply, decision_path, feature importances."""

    _allow_nan = True

    def _growth_params(self, n_samples: int, n_features: int, total_weight: float) -> GrowthParams:
        min_samples_leaf = resolve_count(self.min_samples_leaf, n_samples)
        min_samples_split = resolve_count(self.min_samples_split, n_samples)
        return GrowthParams(
            max_depth=self.max_depth,
            min_samples_split=max(min_samples_split, 2 * min_samples_leaf),
            min_samples_leaf=min_samples_leaf,
            min_weight_leaf=self.min_weight_fraction_leaf * total_weight,
            min_impurity_decrease=self.min_impurity_decrease,
            max_leaf_nodes=self.max_leaf_nodes,
            max_features=resolve_max_features(self.max_features, n_features),
            random_thresholds=self.splitter == "random",
        )

    def _fit_binned(self, binned, target, weights, criterion, n_classes, generator):
        """Grow ``tree_`` on already binned data (forests bin once for all their trees)."""
        codes, edges, n_bins, values, has_nan = binned
        if weights is not None:  # samples of weight 0 take no part, as in scikit-learn
            xp = backend.namespace(weights)
            kept = xp.nonzero(weights > 0)[0]
            if kept.shape[0] < weights.shape[0]:
                codes, weights = codes[kept], weights[kept]
                target = target[kept]
        total = backend.to_scalar(weights.sum()) if weights is not None else codes.shape[0]
        params = self._growth_params(codes.shape[0], codes.shape[1], total)
        self.tree_ = grow_tree(codes, n_bins, edges, values, criterion, target, weights, params, generator=generator,
                               n_classes=n_classes, with_missing=has_nan)
        self.max_features_ = params.max_features
        self.n_outputs_ = 1
        return self

    def _validated(self, X):
        check_is_fitted(self)
        X = check_array(X, estimator=self, allow_nan=True)
        check_n_features(self, X, reset=False)
        return X

    def apply(self, X):
        """The id of the leaf each sample ends in."""
        X = self._validated(X)
        return self.tree_.apply(X)

    def decision_path(self, X):
        """(n_samples, node_count) bool matrix: which nodes each sample passes (dense; scikit-learn's is sparse)."""
        X = self._validated(X)
        return self.tree_.decision_path(X)

    def get_depth(self) -> int:
        """The depth of the tree (0 for a single leaf)."""
        check_is_fitted(self)
        return self.tree_.max_depth

    def get_n_leaves(self) -> int:
        """The number of leaves."""
        check_is_fitted(self)
        return self.tree_.n_leaves

    @property
    def feature_importances_(self):
        """Each feature's share of the total impurity decrease of the tree's splits (sums to 1)."""
        check_is_fitted(self)
        return self.tree_.compute_feature_importances()


class DecisionTreeClassifier(ClassifierMixin, _BaseDecisionTree):
    """A classification tree (CART): Gini or entropy splits, class fractions in the leaves.

    Parameters and attributes as scikit-learn's (``tree_``, ``classes_``,
    ``n_classes_``, ``feature_importances_``, ``n_outputs_``, ``max_features_``),
    plus ``split_finder`` ("hist" or "exact", see the module) and ``max_bins``
    (255 by default: one byte per value; more take two).
    """

    _parameter_constraints = {
        **_COMMON_CONSTRAINTS,
        "criterion": [Options({"gini", "entropy", "log_loss"})],
        "class_weight": [dict, Options({"balanced"}), None],
    }

    def __init__(self, *, criterion="gini", splitter="best", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_weight_fraction_leaf=0.0, max_features=None, random_state=None,
                 max_leaf_nodes=None, min_impurity_decrease=0.0, class_weight=None, split_finder="hist",
                 max_bins=255):
        self.criterion = criterion
        self.splitter = splitter
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.random_state = random_state
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.class_weight = class_weight
        self.split_finder = split_finder
        self.max_bins = max_bins

    def fit(self, X, y, sample_weight=None):
        """Grow the tree on X (n_samples, n_features), NaN allowed, and class labels y."""
        self._validate_params()
        X, codes, weights = classification_fit_data(self, X, y, sample_weight, self.class_weight)
        criterion = CRITERIA[self.criterion](self.n_classes_, weighted=weights is not None)
        generator = backend.rng(self.random_state, backend.device_of(X))
        return self._fit_binned(bin_data(X, self.split_finder, self.max_bins), codes, weights, criterion,
                                self.n_classes_, generator)

    def predict_proba(self, X):
        """The class fractions of each sample's leaf: (n_samples, n_classes)."""
        X = self._validated(X)
        return self.tree_.predict(X)[:, 0, :]

    def predict_log_proba(self, X):
        """log(predict_proba(X)) (-inf for a class absent from the leaf)."""
        proba = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            return backend.namespace(proba).log(proba)

    def predict(self, X):
        """The most frequent class (by weight) in each sample's leaf."""
        proba = self.predict_proba(X)
        return labels_from_codes(self.classes_, backend.namespace(proba).argmax(proba, axis=1))


class DecisionTreeRegressor(RegressorMixin, _BaseDecisionTree):
    """A regression tree (CART): squared-error splits, the mean target in the leaves.

    Parameters and attributes as scikit-learn's (``criterion="squared_error"``
    only), plus ``split_finder`` and ``max_bins`` (255 by default: one byte per value; more take two).
    """

    _parameter_constraints = {**_COMMON_CONSTRAINTS, "criterion": [Options({"squared_error"})]}

    def __init__(self, *, criterion="squared_error", splitter="best", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_weight_fraction_leaf=0.0, max_features=None, random_state=None,
                 max_leaf_nodes=None, min_impurity_decrease=0.0, split_finder="hist", max_bins=255):
        self.criterion = criterion
        self.splitter = splitter
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.random_state = random_state
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.split_finder = split_finder
        self.max_bins = max_bins

    def fit(self, X, y, sample_weight=None):
        """Grow the tree on X (n_samples, n_features), NaN allowed, and targets y."""
        self._validate_params()
        X, y, weights = regression_fit_data(self, X, y, sample_weight)
        generator = backend.rng(self.random_state, backend.device_of(X))
        return self._fit_binned(bin_data(X, self.split_finder, self.max_bins), y, weights,
                                SquaredError(weighted=weights is not None), 1, generator)

    def predict(self, X):
        """The mean training target of each sample's leaf."""
        X = self._validated(X)
        return self.tree_.predict(X)[:, 0, 0]


def _combined_weights(sample_weight, X, class_weight, codes, classes, n_classes, estimator):
    """sample_weight × class weight per sample (float64), or None when both are absent."""
    weights = None if sample_weight is None else check_sample_weight(sample_weight, X, estimator=estimator)
    per_class = class_weight_per_sample(class_weight, codes, classes, n_classes)
    if weights is None:
        return per_class
    weights = weights.astype(np.float64)
    return weights if per_class is None else weights * per_class
