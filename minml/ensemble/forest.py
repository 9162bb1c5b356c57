"""Random forests and extremely randomised trees: many decorrelated trees, averaged.

One deep tree has low bias and high variance: a slightly different sample
gives a rather different tree. Averaging B trees divides the variance of the
average by up to B — if the trees' errors are not correlated. Random forests
(Breiman, 2001) decorrelate them twice:

- **bagging**: each tree sees a bootstrap sample, n draws with replacement.
  Here it is given as *sample weights*: sample i gets weight c_i, the number of
  times it was drawn (multinomial counts: about 37 % of the samples get 0),
  so the data is binned once and never copied;
- **feature subsampling**: each split looks at ``max_features`` features drawn
  at random for that node (√p for classification by default).

The samples a tree never saw (weight 0) are its *out-of-bag* samples: scoring
each sample with only the trees that did not train on it gives ``oob_score_``,
an estimate of the test score for free.

Extremely randomised trees (Geurts et al., 2006) go further: no bootstrap by
default, and one random threshold per feature at each node (here a random bin
between the node's smallest and largest, see :mod:`minml.tree.splitter`).

Each tree gets its own seed, drawn up front from ``random_state``, so fitting
the trees in parallel (``n_jobs``, joblib threads) gives the very same forest
as fitting them one after the other.
"""

from __future__ import annotations

import numbers

import numpy as np

from minml import backend
from minml.base import BaseEstimator, ClassifierMixin, RegressorMixin
from minml.tree.classes import (
    _COMMON_CONSTRAINTS,
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    bin_data,
    classification_fit_data,
    regression_fit_data,
)
from minml.tree.splitter import CRITERIA, SquaredError
from minml.validation import (
    Interval,
    Options,
    check_array,
    check_is_fitted,
    check_n_features,
    labels_from_codes,
)

__all__ = ["RandomForestClassifier", "RandomForestRegressor", "ExtraTreesClassifier"]

_TREE_PARAMS = ("max_depth", "min_samples_split", "min_samples_leaf", "min_weight_fraction_leaf", "max_features",
                "max_leaf_nodes", "min_impurity_decrease", "split_finder", "max_bins")

_FOREST_CONSTRAINTS = {
    **{name: _COMMON_CONSTRAINTS[name] for name in _TREE_PARAMS + ("random_state",)},
    "n_estimators": [Interval(numbers.Integral, 1, None, closed="left")],
    "bootstrap": ["boolean"],
    "oob_score": ["boolean"],
    "n_jobs": [numbers.Integral, None],
    "max_samples": [Interval(numbers.Integral, 1, None, closed="left"),
                    Interval(numbers.Real, 0.0, 1.0, closed="right"), None],
}


def bootstrap_counts(generator, n_samples: int, n_draws: int):
    """How many times each of n_samples rows is drawn in n_draws draws with replacement (on the generator's device)."""
    draws = generator.integers(0, n_samples, n_draws)
    return backend.bincount(draws, minlength=n_samples).astype(np.float64)


class _BaseForest(BaseEstimator):
    """Bagging of trees: the fit loop, parallelism, out-of-bag bookkeeping and importances."""

    _allow_nan = True
    _contract_skip = {
        "check_sample_weight": "bootstrap draws depend on the number of rows, so weight 3 cannot equal 3 copies "
                               "(scikit-learn's forests fail this check too)",
    }
    _splitter = "best"

    @classmethod
    def _contract_instances(cls):
        """Ten trees: the contract's checks fit hundreds of times, the default hundred trees would be slow."""
        return [cls(n_estimators=10)]

    def _make_tree(self, seed: int):
        tree_type = DecisionTreeClassifier if self._estimator_type == "classifier" else DecisionTreeRegressor
        params = {name: getattr(self, name) for name in _TREE_PARAMS}
        return tree_type(criterion=self.criterion, splitter=self._splitter, random_state=seed, **params)

    def _fit_forest(self, X, target, weights, make_criterion, n_classes):
        """Fit ``n_estimators`` trees on the binned X (shared), each with its own seed and bootstrap weights."""
        from joblib import Parallel, delayed

        n_samples = X.shape[0]
        device = backend.device_of(X)
        binned = bin_data(X, self.split_finder, self.max_bins)
        seeds = backend.rng(self.random_state, "cpu").integers(0, 2**31 - 1, self.n_estimators).tolist()
        if self.oob_score and not self.bootstrap:
            raise ValueError("Out of bag estimation only available if bootstrap=True; set bootstrap=True or "
                             "oob_score=False.")
        n_draws = n_samples
        if self.max_samples is not None:
            n_draws = self.max_samples if isinstance(self.max_samples, numbers.Integral) else max(
                1, round(self.max_samples * n_samples))

        def fit_one(seed):
            generator = backend.rng(seed, device)
            tree = self._make_tree(seed)
            counts = bootstrap_counts(generator, n_samples, n_draws) if self.bootstrap else None
            tree_weights = counts if weights is None else (weights if counts is None else weights * counts)
            criterion = make_criterion(tree_weights is not None)
            tree._fit_binned(binned, target, tree_weights, criterion, n_classes, generator)
            tree.n_features_in_ = X.shape[1]
            return tree, counts if self.oob_score else None  # kept for the out-of-bag estimate only

        fitted = Parallel(n_jobs=self.n_jobs, prefer="threads")(delayed(fit_one)(seed) for seed in seeds)
        self.estimators_ = [tree for tree, _ in fitted]
        self.n_outputs_ = 1
        return [counts for _, counts in fitted]

    def _average(self, X, outputs):
        """The mean over trees of ``outputs(tree, X)``."""
        total = None
        for tree in self.estimators_:
            result = outputs(tree.tree_, X)
            total = result if total is None else total + result
        return total / len(self.estimators_)

    def _oob_average(self, X, counts_per_tree, outputs):
        """Per sample, the mean of ``outputs`` over the trees that did not draw it (NaN where every tree did)."""
        xp = backend.namespace(X)
        total, n_trees = None, xp.zeros(X.shape[0])
        for tree, counts in zip(self.estimators_, counts_per_tree):
            unseen = (counts == 0).astype(np.float64)
            result = outputs(tree.tree_, X) * unseen[:, None]
            total = result if total is None else total + result
            n_trees += unseen
        return total / xp.where(n_trees > 0, n_trees, xp.nan)[:, None]

    def _validated(self, X):
        check_is_fitted(self)
        X = check_array(X, estimator=self, allow_nan=True)
        check_n_features(self, X, reset=False)
        return X

    def apply(self, X):
        """(n_samples, n_estimators): the leaf each sample ends in, in each tree."""
        X = self._validated(X)
        return backend.namespace(X).stack([tree.tree_.apply(X) for tree in self.estimators_], axis=1)

    @property
    def feature_importances_(self):
        """The trees' impurity-based importances, averaged and normalised to sum to 1."""
        check_is_fitted(self)
        xp = backend.namespace(self.estimators_[0].tree_.value)
        mean = sum(tree.tree_.compute_feature_importances() for tree in self.estimators_) / len(self.estimators_)
        total = backend.to_scalar(mean.sum())
        return mean / total if total > 0 else xp.zeros_like(mean)


def _class_proba(tree, X):
    return tree.predict(X)[:, 0, :]


def _regression_value(tree, X):
    return tree.predict(X)[:, 0, :]


class _ForestClassifier(ClassifierMixin, _BaseForest):
    """A forest of classification trees: the average of the trees' class probabilities."""

    def fit(self, X, y, sample_weight=None):
        """Fit the trees on bootstrap weights of (X, y); NaN allowed in X."""
        self._validate_params()
        if self.class_weight == "balanced_subsample":
            raise ValueError("class_weight='balanced_subsample' is not supported; use 'balanced'.")
        X, codes, weights = classification_fit_data(self, X, y, sample_weight, self.class_weight)
        n_classes = self.n_classes_
        counts = self._fit_forest(X, codes, weights, lambda weighted: CRITERIA[self.criterion](n_classes, weighted),
                                  n_classes)
        for tree in self.estimators_:
            tree.classes_, tree.n_classes_ = self.classes_, self.n_classes_
        if self.oob_score:
            proba = self._oob_average(X, counts, _class_proba)
            self.oob_decision_function_ = proba
            xp = backend.namespace(proba)
            seen = ~xp.isnan(proba[:, 0])
            right = (xp.argmax(xp.where(xp.isnan(proba), -1.0, proba), axis=1) == codes) & seen
            self.oob_score_ = backend.to_scalar(right.sum()) / max(backend.to_scalar(seen.sum()), 1)
        return self

    def predict_proba(self, X):
        """The mean over trees of the leaf class fractions: (n_samples, n_classes)."""
        X = self._validated(X)
        return self._average(X, _class_proba)

    def predict_log_proba(self, X):
        """log(predict_proba(X))."""
        proba = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            return backend.namespace(proba).log(proba)

    def predict(self, X):
        """The class of highest mean probability."""
        proba = self.predict_proba(X)
        return labels_from_codes(self.classes_, backend.namespace(proba).argmax(proba, axis=1))


class RandomForestClassifier(_ForestClassifier):
    """A random forest of classification trees (scikit-learn's parameters and attributes).

    Attributes: ``estimators_``, ``classes_``, ``n_classes_``, ``n_outputs_``,
    ``feature_importances_``, ``oob_score_`` and ``oob_decision_function_``
    (with ``oob_score=True``). minml's own: ``split_finder`` and ``max_bins``.
    """

    _parameter_constraints = {**_FOREST_CONSTRAINTS, "criterion": [Options({"gini", "entropy", "log_loss"})],
                              "class_weight": [dict, Options({"balanced", "balanced_subsample"}), None]}

    def __init__(self, n_estimators=100, *, criterion="gini", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_weight_fraction_leaf=0.0, max_features="sqrt", max_leaf_nodes=None,
                 min_impurity_decrease=0.0, bootstrap=True, oob_score=False, n_jobs=None, random_state=None,
                 class_weight=None, max_samples=None, split_finder="hist", max_bins=255):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.class_weight = class_weight
        self.max_samples = max_samples
        self.split_finder = split_finder
        self.max_bins = max_bins


class ExtraTreesClassifier(_ForestClassifier):
    """Extremely randomised trees: random thresholds, no bootstrap by default (scikit-learn's parameters)."""

    _parameter_constraints = RandomForestClassifier._parameter_constraints
    _splitter = "random"
    _contract_skip = {}

    def __init__(self, n_estimators=100, *, criterion="gini", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_weight_fraction_leaf=0.0, max_features="sqrt", max_leaf_nodes=None,
                 min_impurity_decrease=0.0, bootstrap=False, oob_score=False, n_jobs=None, random_state=None,
                 class_weight=None, max_samples=None, split_finder="hist", max_bins=255):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.class_weight = class_weight
        self.max_samples = max_samples
        self.split_finder = split_finder
        self.max_bins = max_bins


class RandomForestRegressor(RegressorMixin, _BaseForest):
    """A random forest of regression trees: the mean of the trees' predictions (scikit-learn's parameters).

    Attributes: ``estimators_``, ``n_outputs_``, ``feature_importances_``,
    ``oob_score_`` (R²) and ``oob_prediction_`` (with ``oob_score=True``).
    """

    _parameter_constraints = {**_FOREST_CONSTRAINTS, "criterion": [Options({"squared_error"})]}

    def __init__(self, n_estimators=100, *, criterion="squared_error", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_weight_fraction_leaf=0.0, max_features=1.0, max_leaf_nodes=None,
                 min_impurity_decrease=0.0, bootstrap=True, oob_score=False, n_jobs=None, random_state=None,
                 max_samples=None, split_finder="hist", max_bins=255):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.max_samples = max_samples
        self.split_finder = split_finder
        self.max_bins = max_bins

    def fit(self, X, y, sample_weight=None):
        """Fit the trees on bootstrap weights of (X, y); NaN allowed in X."""
        self._validate_params()
        X, y, weights = regression_fit_data(self, X, y, sample_weight)
        counts = self._fit_forest(X, y, weights, lambda weighted: SquaredError(weighted), 1)
        if self.oob_score:
            xp = backend.namespace(X)
            prediction = self._oob_average(X, counts, _regression_value)[:, 0]
            self.oob_prediction_ = prediction
            seen = ~xp.isnan(prediction)
            residual = xp.where(seen, y - prediction, 0.0)
            mean = backend.to_scalar(y[seen].mean())
            spread = backend.to_scalar((xp.where(seen, y - mean, 0.0) ** 2).sum())
            self.oob_score_ = 1.0 - backend.to_scalar((residual**2).sum()) / spread if spread > 0 else 0.0
        return self

    def predict(self, X):
        """The mean of the trees' predictions."""
        X = self._validated(X)
        return self._average(X, _regression_value)[:, 0]

