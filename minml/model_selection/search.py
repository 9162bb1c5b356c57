"""Hyperparameter search: choose a model's settings by cross-validation, never by the test set.

A hyperparameter (Ridge's alpha, a tree's depth) is not learned by ``fit``; it
is chosen. Choosing it by the test score would leak the test set into the
model, and the test score would no longer be honest. So each candidate
setting θ is scored by k-fold cross-validation on the training data alone::

    CV(θ) = (1/k) Σ_i score(model fitted with θ on the folds ≠ i, fold i)
    θ* = argmax_θ CV(θ)

and the model is then refitted with θ* on all the training data
(``refit=True``). The test set, kept aside, judges θ* once, at the end.

- :class:`GridSearchCV` — every combination of a grid of values
  (:class:`ParameterGrid`);
- :class:`RandomizedSearchCV` — ``n_iter`` settings drawn at random from lists
  or distributions (:class:`ParameterSampler`); with several hyperparameters it
  often finds as good a setting for far fewer fits;
- :func:`format_results` — ``cv_results_`` as a text table, best first.

A refitted search stands in for its best model: ``search.predict(X)`` is
``search.best_estimator_.predict(X)``, and the search has ``predict_proba``,
``transform`` ... exactly when the estimator it wraps has them.

``cv_results_`` is scikit-learn's dict of arrays, one entry per candidate:
``params``, ``param_<name>``, ``split<i>_test_score``, ``mean_test_score``,
``std_test_score``, ``rank_test_score``, ``mean_fit_time`` ... (with
``_<metric>`` in place of ``_score`` for several metrics).
"""

from __future__ import annotations

import numbers
import time
import warnings
from abc import ABCMeta, abstractmethod
from collections.abc import Mapping, Sequence
from itertools import product

import numpy as np

from minml.base import BaseEstimator, available_if, clone, estimator_type, is_classifier
from minml.model_selection.cross_validation import (
    check_multimetric_scoring,
    collect,
    fit_and_score,
    run_parallel,
    warn_about_failed_fits,
)
from minml.model_selection.split import check_cv, host_generator, num_samples
from minml.validation import Interval, check_is_fitted

__all__ = ["GridSearchCV", "ParameterGrid", "ParameterSampler", "RandomizedSearchCV", "format_results"]


# --------------------------------------------------------------------------- the candidates


def _as_grid_list(grid, what: str) -> list[dict]:
    """A dict or a list of dicts as a list of dicts, with a clear error otherwise."""
    if isinstance(grid, Mapping):
        return [grid]
    if not isinstance(grid, Sequence) or isinstance(grid, str):
        raise TypeError(f"{what} should be a dict or a list, got: {grid!r} of type {type(grid).__name__}")
    for item in grid:
        if not isinstance(item, Mapping):
            raise TypeError(f"{what} is not a dict ({item!r})")
    return list(grid)


class ParameterGrid:
    """Every combination of the values in a grid: ``{"a": [1, 2], "b": [True, False]}`` gives 4 dicts.

    A list of grids gives the combinations of each in turn. Iteration follows
    scikit-learn's order: parameter names sorted, the last name varying fastest.
    """

    def __init__(self, param_grid):
        grids = _as_grid_list(param_grid, "Parameter grid")
        for grid in grids:
            for name, values in grid.items():
                if isinstance(values, np.ndarray) and values.ndim > 1:
                    raise ValueError(
                        f"Parameter array for {name!r} should be one-dimensional, got: {values!r} with shape "
                        f"{values.shape}"
                    )
                if isinstance(values, str) or not isinstance(values, (np.ndarray, Sequence)):
                    raise TypeError(
                        f"Parameter grid for parameter {name!r} needs to be a list or a numpy array, but got "
                        f"{values!r} (of type {type(values).__name__}) instead. Single values need to be wrapped in "
                        "a list with one element."
                    )
                if len(values) == 0:
                    raise ValueError(
                        f"Parameter grid for parameter {name!r} need to be a non-empty sequence, got: {values!r}"
                    )
        self.param_grid = grids

    def __iter__(self):
        for grid in self.param_grid:
            names = sorted(grid)
            for values in product(*(grid[name] for name in names)):
                yield dict(zip(names, values))

    def __len__(self) -> int:
        return sum(int(np.prod([len(values) for values in grid.values()])) for grid in self.param_grid)

    def __getitem__(self, index: int) -> dict:
        """The ``index``-th combination, without walking through the ones before it."""
        for grid in self.param_grid:
            names = sorted(grid)
            size = int(np.prod([len(grid[name]) for name in names]))
            if index >= size:
                index -= size
                continue
            combination = {}
            for name in reversed(names):  # the last name varies fastest: a mixed-radix number
                index, digit = divmod(index, len(grid[name]))
                combination[name] = grid[name][digit]
            return {name: combination[name] for name in names}
        raise IndexError("ParameterGrid index out of range")


class ParameterSampler:
    """``n_iter`` settings drawn at random: from a list uniformly, from a distribution by its ``rvs``.

    A distribution is any object with ``rvs(random_state=...)``, such as
    ``scipy.stats.loguniform(1e-3, 1e3)``. When every value is a list the
    settings are drawn from the grid without replacement (fewer than
    ``n_iter`` if the grid is smaller, with a warning).
    """

    def __init__(self, param_distributions, n_iter, *, random_state=None):
        grids = _as_grid_list(param_distributions, "Parameter distribution")
        for grid in grids:
            for name, values in grid.items():
                if not hasattr(values, "rvs") and (isinstance(values, str) or not isinstance(values, Sequence)):
                    raise TypeError(
                        f"Parameter grid for parameter {name!r} is not iterable or a distribution (value={values!r})"
                    )
        self.param_distributions = grids
        self.n_iter = n_iter
        self.random_state = random_state

    def _all_lists(self) -> bool:
        return all(not hasattr(values, "rvs") for grid in self.param_distributions for values in grid.values())

    def __iter__(self):
        generator = host_generator(self.random_state)
        if self._all_lists():
            grid = ParameterGrid(self.param_distributions)
            if len(grid) < self.n_iter:
                warnings.warn(
                    f"The total space of parameters {len(grid)} is smaller than n_iter={self.n_iter}. Running "
                    f"{len(grid)} iterations. For exhaustive searches, use GridSearchCV.",
                    UserWarning,
                    stacklevel=2,
                )
            for index in generator.choice(len(grid), size=min(len(grid), self.n_iter), replace=False):
                yield grid[int(index)]
            return
        for _ in range(self.n_iter):
            distributions = self.param_distributions[int(generator.integers(len(self.param_distributions)))]
            yield {
                name: values.rvs(random_state=generator) if hasattr(values, "rvs")
                else values[int(generator.integers(len(values)))]
                for name, values in sorted(distributions.items())
            }

    def __len__(self) -> int:
        if self._all_lists():
            return min(self.n_iter, len(ParameterGrid(self.param_distributions)))
        return self.n_iter


# --------------------------------------------------------------------------- cv_results_


def _param_arrays(candidates: list[dict]) -> dict:
    """``param_<name>``: one masked array per parameter, masked where a candidate does not set it."""
    names = sorted({name for candidate in candidates for name in candidate})
    arrays = {}
    for name in names:
        present = [name in candidate for candidate in candidates]
        values = [candidate.get(name) for candidate in candidates]
        numeric = all(present) and all(
            isinstance(value, numbers.Number) and not isinstance(value, bool) for value in values
        )
        data = np.array(values) if numeric else np.empty(len(values), dtype=object)
        if not numeric:
            data[:] = values
        arrays[f"param_{name}"] = np.ma.MaskedArray(data, mask=[not is_set for is_set in present])
    return arrays


def _rank(means: np.ndarray) -> np.ndarray:
    """Rank 1 for the highest mean, ties sharing the best rank ("min" ranking); NaN ranks last."""
    if np.isnan(means).all():
        return np.ones(len(means), dtype=np.int32)
    filled = np.nan_to_num(means, nan=np.nanmin(means) - 1)
    return (1 + (filled[None, :] > filled[:, None]).sum(axis=1)).astype(np.int32)


def _results_table(candidates: list[dict], results: list[dict], n_splits: int, scorer_names, train: bool) -> dict:
    """scikit-learn's ``cv_results_`` from the per-(candidate, fold) results, candidate-major."""
    n_candidates = len(candidates)
    table = {}
    for timing in ("fit_time", "score_time"):
        times = np.array([result[timing] for result in results]).reshape(n_candidates, n_splits)
        table[f"mean_{timing}"], table[f"std_{timing}"] = times.mean(axis=1), times.std(axis=1)
    table.update(_param_arrays(candidates))
    table["params"] = candidates
    parts = ("test", "train") if train else ("test",)
    for part in parts:
        scores = collect(results, f"{part}_scores")
        for name in scorer_names:
            per_split = scores[name].reshape(n_candidates, n_splits)
            for split in range(n_splits):
                table[f"split{split}_{part}_{name}"] = per_split[:, split]
            table[f"mean_{part}_{name}"] = per_split.mean(axis=1)
            table[f"std_{part}_{name}"] = per_split.std(axis=1)
            if part == "test":
                table[f"rank_test_{name}"] = _rank(table[f"mean_test_{name}"])
    return table


def _readable(value) -> str:
    """A parameter value as a table shows it: floats to 4 significant digits, the rest as repr."""
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.4g}"
    return repr(value)


def format_results(cv_results: dict, *, metric: str = "score", digits: int = 4, top: int | None = None) -> str:
    """``cv_results_`` as a readable text table, best candidate first.

    One row per candidate: its rank, mean and standard deviation of the test
    score over the folds (and the mean training score when recorded), the mean
    fit time, and its parameters. ``metric`` picks the score for several
    metrics; ``top`` keeps only the best rows. ``print(format_results(search.cv_results_))``::

        rank  mean_test_score     std  fit_time (s)  params
        ---------------------------------------------------
           1           0.8825  0.0463       0.00079  alpha=0.01
    """
    if f"mean_test_{metric}" not in cv_results:
        known = sorted(key[len("mean_test_"):] for key in cv_results if key.startswith("mean_test_"))
        raise KeyError(f"cv_results has no metric {metric!r}; it has {known}.")
    number = f"{{:.{digits}f}}".format
    columns = [("rank", f"rank_test_{metric}", str), (f"mean_test_{metric}", f"mean_test_{metric}", number),
               ("std", f"std_test_{metric}", number)]
    if f"mean_train_{metric}" in cv_results:
        columns.append((f"mean_train_{metric}", f"mean_train_{metric}", number))
    columns.append(("fit_time (s)", "mean_fit_time", "{:.3g}".format))
    rows = [[title for title, _, _ in columns] + ["params"]]
    for index in np.argsort(cv_results[f"rank_test_{metric}"], kind="stable")[:top]:
        params = ", ".join(f"{name}={_readable(value)}" for name, value in cv_results["params"][index].items())
        rows.append([show(cv_results[key][index]) for _, key, show in columns] + [params])
    widths = [max(len(row[column]) for row in rows) for column in range(len(columns))]
    lines = ["  ".join([*(cell.rjust(width) for cell, width in zip(row, widths)), row[-1]]) for row in rows]
    return "\n".join([lines[0], "-" * max(len(line) for line in lines), *lines[1:]])


# --------------------------------------------------------------------------- the searches


def _indexable(data):
    """``data`` as something rows can be taken from, as scikit-learn's ``indexable``.

    Arrays, lists, DataFrames, sparse matrices and None are kept; any other
    array-like (an object with only ``__array__``) becomes a NumPy array.
    """
    if data is None or hasattr(data, "__getitem__") or hasattr(data, "iloc") or hasattr(data, "tocsr"):
        return data
    return np.asarray(data)


def _check_same_lengths(*arrays) -> None:
    """ValueError unless every non-None argument has the same number of rows (lists and DataFrames too)."""
    lengths = [num_samples(array) for array in arrays if array is not None]
    if len(set(lengths)) > 1:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: {lengths}")


def _check_delegation(search, name: str) -> None:
    """AttributeError unless ``search`` can hand ``name`` on: it refits, and the (best) estimator has ``name``."""
    if not search.refit:
        raise AttributeError(
            f"This {type(search).__name__} instance was initialized with `refit=False`. {name} is available only "
            "after refitting on the best parameters. You can refit an estimator manually using the `best_params_` "
            "attribute"
        )
    inner = vars(search).get("best_estimator_", search.estimator)
    if not hasattr(inner, name):
        raise AttributeError(f"This '{type(search).__name__}' has no attribute '{name}': its estimator "
                             f"{type(inner).__name__} has none.")


# A method of the search that exists only when the (best) estimator it wraps has it:
# hasattr(search, "predict_proba") is False around a Ridge, True around a LogisticRegression.
_if_best_estimator_has = available_if(_check_delegation)


class BaseSearchCV(BaseEstimator, metaclass=ABCMeta):
    """Cross-validate each candidate setting, pick the best, refit it on all the data, then act like it.

    Abstract: a subclass takes the parameters below plus its own, and says
    which candidates to try in ``_candidates``. The search offers exactly the
    prediction methods of the estimator it wraps (``predict_proba`` only if
    the estimator has it), and is a classifier or a regressor when it is.
    """

    _host_attributes = ("cv_results_",)  # a table of Python-side results, as scikit-learn's: NumPy arrays

    _parameter_constraints = {
        "scoring": [None, str, callable, list, tuple, set, dict],
        "n_jobs": [None, Interval(numbers.Integral, None, None, closed="neither")],
        "refit": ["boolean", str, callable],
        "verbose": [Interval(numbers.Integral, 0, None, closed="left"), "boolean"],
        "return_train_score": ["boolean"],
    }

    @abstractmethod
    def __init__(self, estimator, *, scoring=None, n_jobs=None, refit=True, cv=None, verbose=0,
                 pre_dispatch="2*n_jobs", error_score=np.nan, return_train_score=False):
        self.estimator = estimator
        self.scoring = scoring
        self.n_jobs = n_jobs
        self.refit = refit
        self.cv = cv
        self.verbose = verbose
        self.pre_dispatch = pre_dispatch
        self.error_score = error_score
        self.return_train_score = return_train_score

    @abstractmethod
    def _candidates(self):
        """The parameter settings to try: an iterable of dicts."""

    @property
    def _estimator_type(self):
        """A search over classifiers is a classifier (stratified folds, accuracy score), and so on."""
        return estimator_type(self.estimator)

    @property
    def _allow_nan(self):
        """NaN in X is fine when the estimator takes it (the contract suite and scikit-learn's tags ask)."""
        return getattr(self.estimator, "_allow_nan", False)

    @property
    def _multi_output(self):
        """A 2-D y is fine when the estimator takes it."""
        return getattr(self.estimator, "_multi_output", False)

    @property
    def _contract_input(self):
        """The kind of X the estimator is tested with (see minml.testing.estimators)."""
        return getattr(self.estimator, "_contract_input", "continuous")

    def _check_refit(self, scorers: dict, multimetric: bool) -> None:
        if multimetric and not callable(self.refit) and self.refit is not False and self.refit not in scorers:
            raise ValueError(
                "For multi-metric scoring, the parameter refit must be set to a scorer key or a callable to refit an "
                "estimator with the best parameter setting on the whole data and make the best_* attributes "
                f"available for that metric. If this is not needed, refit should be set to False explicitly. "
                f"{self.refit!r} was passed."
            )

    def _check_data(self, X, y, groups):
        """``(X, y, groups)`` indexable by rows and of one length; y required by classifiers and regressors."""
        X, y, groups = _indexable(X), _indexable(y), _indexable(groups)
        if y is None and estimator_type(self.estimator) in ("classifier", "regressor"):
            raise ValueError(
                f"{type(self).__name__} over {type(self.estimator).__name__} requires y to be passed, but the "
                "target y is None."
            )
        _check_same_lengths(X, y, groups)
        return X, y, groups

    def fit(self, X, y=None, *, groups=None, **params):
        """Cross-validate every candidate on ``(X, y)``; with ``refit``, fit the best on all of it.

        ``params`` go to the estimator's ``fit`` (per-sample ones cut to each
        fold); ``groups`` to the splitter (for :class:`GroupKFold`).
        """
        self._validate_params()
        X, y, groups = self._check_data(X, y, groups)
        scorers, multimetric = check_multimetric_scoring(self.estimator, self.scoring)
        self._check_refit(scorers, multimetric)
        splitter = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        splits = list(splitter.split(X, y, groups))
        candidates = list(self._candidates())
        if not candidates:
            raise ValueError("No candidate parameters to search: the parameter grid or distributions are empty.")
        tasks = [(candidate, train, test) for candidate in candidates for train, test in splits]
        results = run_parallel(
            lambda candidate, train, test: fit_and_score(
                self.estimator, X, y, scorers, train, test, parameters=candidate, fit_params=params,
                return_train_score=self.return_train_score, error_score=self.error_score,
            ),
            tasks, n_jobs=self.n_jobs, verbose=self.verbose, pre_dispatch=self.pre_dispatch,
        )
        warn_about_failed_fits(results, self.error_score)
        self.cv_results_ = _results_table(candidates, results, len(splits), list(scorers), self.return_train_score)
        self.n_splits_ = len(splits)
        self.multimetric_ = multimetric
        self.scorer_ = scorers if multimetric else scorers["score"]
        if self.refit is False:
            return self
        refit_metric = "score" if not multimetric else self.refit
        if callable(self.refit):
            self.best_index_ = int(self.refit(self.cv_results_))
        else:
            self.best_index_ = int(np.argmin(self.cv_results_[f"rank_test_{refit_metric}"]))
            self.best_score_ = float(self.cv_results_[f"mean_test_{refit_metric}"][self.best_index_])
        self.best_params_ = candidates[self.best_index_]
        start = time.perf_counter()
        self.best_estimator_ = clone(self.estimator).set_params(**clone(self.best_params_, safe=False))
        if y is None:
            self.best_estimator_.fit(X, **params)
        else:
            self.best_estimator_.fit(X, y, **params)
        self.refit_time_ = time.perf_counter() - start
        if hasattr(self.best_estimator_, "n_features_in_"):
            self.n_features_in_ = self.best_estimator_.n_features_in_
        return self

    @_if_best_estimator_has
    def predict(self, X):
        """The best estimator's ``predict``."""
        check_is_fitted(self)
        return self.best_estimator_.predict(X)

    @_if_best_estimator_has
    def predict_proba(self, X):
        """The best estimator's ``predict_proba``."""
        check_is_fitted(self)
        return self.best_estimator_.predict_proba(X)

    @_if_best_estimator_has
    def predict_log_proba(self, X):
        """The best estimator's ``predict_log_proba``."""
        check_is_fitted(self)
        return self.best_estimator_.predict_log_proba(X)

    @_if_best_estimator_has
    def decision_function(self, X):
        """The best estimator's ``decision_function``."""
        check_is_fitted(self)
        return self.best_estimator_.decision_function(X)

    @_if_best_estimator_has
    def score_samples(self, X):
        """The best estimator's ``score_samples``."""
        check_is_fitted(self)
        return self.best_estimator_.score_samples(X)

    @_if_best_estimator_has
    def transform(self, X):
        """The best estimator's ``transform``."""
        check_is_fitted(self)
        return self.best_estimator_.transform(X)

    @_if_best_estimator_has
    def inverse_transform(self, X):
        """The best estimator's ``inverse_transform``."""
        check_is_fitted(self)
        return self.best_estimator_.inverse_transform(X)

    def score(self, X, y=None) -> float:
        """The search's score of the best estimator on ``(X, y)`` (the refit metric for several metrics)."""
        _check_delegation(self, "score")
        check_is_fitted(self)
        scorer = self.scorer_[self.refit] if self.multimetric_ else self.scorer_
        return scorer(self.best_estimator_, X, y)

    @property
    def classes_(self):
        """The best estimator's classes."""
        _check_delegation(self, "classes_")
        return self.best_estimator_.classes_


class GridSearchCV(BaseSearchCV):
    """Cross-validate every combination in ``param_grid``; refit the best on all the data.

    >>> search = GridSearchCV(Ridge(), {"alpha": [0.1, 1.0, 10.0]}, cv=5).fit(X, y)
    >>> search.best_params_, search.best_score_
    """

    _parameter_constraints = {**BaseSearchCV._parameter_constraints, "param_grid": [dict, list]}

    def __init__(self, estimator, param_grid, *, scoring=None, n_jobs=None, refit=True, cv=None, verbose=0,
                 pre_dispatch="2*n_jobs", error_score=np.nan, return_train_score=False):
        super().__init__(estimator, scoring=scoring, n_jobs=n_jobs, refit=refit, cv=cv, verbose=verbose,
                         pre_dispatch=pre_dispatch, error_score=error_score, return_train_score=return_train_score)
        self.param_grid = param_grid

    def _candidates(self):
        return ParameterGrid(self.param_grid)

    @classmethod
    def _contract_instances(cls):
        from minml.linear.logistic import LogisticRegression
        from minml.linear.ridge import Ridge

        return [cls(Ridge(), {"alpha": [0.1, 10.0]}, cv=3),
                cls(LogisticRegression(), {"C": [0.1, 1.0]}, cv=3)]


class RandomizedSearchCV(BaseSearchCV):
    """Cross-validate ``n_iter`` settings drawn from ``param_distributions``; refit the best.

    >>> from scipy.stats import loguniform
    >>> RandomizedSearchCV(Ridge(), {"alpha": loguniform(1e-3, 1e3)}, n_iter=20, random_state=0).fit(X, y)
    """

    _parameter_constraints = {
        **BaseSearchCV._parameter_constraints,
        "param_distributions": [dict, list],
        "n_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state", None],
    }

    def __init__(self, estimator, param_distributions, *, n_iter=10, scoring=None, n_jobs=None, refit=True, cv=None,
                 verbose=0, pre_dispatch="2*n_jobs", random_state=None, error_score=np.nan,
                 return_train_score=False):
        super().__init__(estimator, scoring=scoring, n_jobs=n_jobs, refit=refit, cv=cv, verbose=verbose,
                         pre_dispatch=pre_dispatch, error_score=error_score, return_train_score=return_train_score)
        self.param_distributions = param_distributions
        self.n_iter = n_iter
        self.random_state = random_state

    def _candidates(self):
        return ParameterSampler(self.param_distributions, self.n_iter, random_state=self.random_state)

    @classmethod
    def _contract_instances(cls):
        from minml.linear.ridge import Ridge

        return [cls(Ridge(), {"alpha": [0.01, 0.1, 1.0, 10.0]}, n_iter=2, cv=3, random_state=0)]
