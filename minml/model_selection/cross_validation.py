"""Cross-validation: an honest estimate of how well a model does on data it has not seen.

Fit on k - 1 folds, score on the fold left out, k times over (see
:mod:`minml.model_selection.split`). The k scores s_1 .. s_k estimate the
model's performance on new data; their mean is the estimate and their spread
says how much it depends on which samples happened to be chosen::

    score_cv = (1/k) Σ_i s_i

- :func:`cross_val_score` — the k test scores;
- :func:`cross_validate` — test (and training) scores for one or several
  metrics, fit and score times, the fitted models;
- :func:`cross_val_predict` — each sample's prediction from the model that
  did not see it (for plots and error analysis, not as a score).

Every fold fits a fresh :func:`~minml.base.clone` of the estimator, so no fold
learns from another. Folds are independent, so they may run in parallel:
``n_jobs`` hands them to joblib, and the results are the same as serial ones.

Scoring: ``scoring=None`` uses the estimator's own ``score`` (accuracy for
classifiers, R² for regressors); a string names a metric
(``minml.metrics.get_scorer``); a callable ``scorer(estimator, X, y) -> float``
is used as is; a list or dict of these scores several metrics at once.
Higher is better for every scorer (losses are negated: ``neg_mean_squared_error``).
"""

from __future__ import annotations

import numbers
import time
import warnings

import numpy as np

from minml import backend
from minml.base import clone, is_classifier
from minml.exceptions import FitFailedWarning
from minml.metrics import check_scoring
from minml.model_selection.split import check_cv, host_labels, num_samples, take_rows

__all__ = ["cross_val_predict", "cross_val_score", "cross_validate"]


# --------------------------------------------------------------------------- scoring


def check_multimetric_scoring(estimator, scoring) -> tuple[dict, bool]:
    """``({name: scorer}, is_multimetric)``: one scorer is named "score"; a list or dict gives several."""
    if isinstance(scoring, (list, tuple, set, frozenset)):
        names = list(scoring)
        if not names or not all(isinstance(name, str) for name in names) or len(set(names)) != len(names):
            raise ValueError(
                f"The list/tuple of scorers must be a non-empty sequence of unique metric names (str); got "
                f"{scoring!r}. Use a dict {{name: callable}} for custom scorers."
            )
        return {name: check_scoring(estimator, name) for name in names}, True
    if isinstance(scoring, dict):
        if not scoring or not all(isinstance(name, str) for name in scoring):
            raise ValueError(f"A dict of scorers must be non-empty and keyed by str names; got {scoring!r}.")
        return {name: check_scoring(estimator, scorer) for name, scorer in scoring.items()}, True
    return {"score": check_scoring(estimator, scoring)}, False


def score_all(scorers: dict, estimator, X, y) -> dict:
    """``{name: float score}`` of a fitted ``estimator`` on ``(X, y)`` for every scorer."""
    scores = {}
    for name, scorer in scorers.items():
        value = scorer(estimator, X, y)
        if not isinstance(value, numbers.Number):
            value = backend.to_scalar(value)
        scores[name] = float(value)
    return scores


# --------------------------------------------------------------------------- one fold, and many in parallel


def fold_params(params: dict | None, n_samples: int, indices) -> dict:
    """Fit parameters for one fold: per-sample ones (e.g. ``sample_weight``) are cut to the fold's rows."""
    if not params:
        return {}
    return {
        name: take_rows(value, indices) if _is_per_sample(value, n_samples) else value
        for name, value in params.items()
    }


def _is_per_sample(value, n_samples: int) -> bool:
    has_rows = hasattr(value, "shape") or isinstance(value, (list, tuple))
    return has_rows and getattr(value, "ndim", 1) > 0 and num_samples(value) == n_samples


def fit_and_score(
    estimator,
    X,
    y,
    scorers: dict,
    train,
    test,
    *,
    parameters: dict | None = None,
    fit_params: dict | None = None,
    return_train_score: bool = False,
    return_estimator: bool = False,
    error_score=np.nan,
) -> dict:
    """Fit a clone of ``estimator`` (with ``parameters`` set) on ``train`` and score it on ``test``.

    Returns ``{"test_scores", "train_scores", "fit_time", "score_time",
    "estimator", "fit_error"}``. A failed fit gives ``error_score`` for every
    metric and a :class:`FitFailedWarning`, or re-raises when
    ``error_score="raise"``.
    """
    model = clone(estimator)
    if parameters:
        model.set_params(**clone(parameters, safe=False))
    X_train, X_test = take_rows(X, train), take_rows(X, test)
    y_train, y_test = take_rows(y, train), take_rows(y, test)
    result = {"estimator": model if return_estimator else None, "fit_error": None}
    start = time.perf_counter()
    try:
        if y_train is None:
            model.fit(X_train, **fold_params(fit_params, num_samples(X), train))
        else:
            model.fit(X_train, y_train, **fold_params(fit_params, num_samples(X), train))
    except Exception as error:
        if isinstance(error_score, str) and error_score == "raise":
            raise
        if not isinstance(error_score, numbers.Number):
            raise ValueError("error_score must be the string 'raise' or a numeric value.") from error
        result["fit_time"] = time.perf_counter() - start
        result["score_time"] = 0.0
        result["fit_error"] = f"{type(error).__name__}: {error}"
        result["test_scores"] = dict.fromkeys(scorers, float(error_score))
        result["train_scores"] = dict.fromkeys(scorers, float(error_score)) if return_train_score else None
        return result
    result["fit_time"] = time.perf_counter() - start
    start = time.perf_counter()
    result["test_scores"] = score_all(scorers, model, X_test, y_test)
    result["score_time"] = time.perf_counter() - start
    result["train_scores"] = score_all(scorers, model, X_train, y_train) if return_train_score else None
    return result


def warn_about_failed_fits(results: list[dict], error_score) -> None:
    """One :class:`FitFailedWarning` counting the failed fits and showing the first error."""
    errors = [result["fit_error"] for result in results if result["fit_error"] is not None]
    if errors:
        warnings.warn(
            f"{len(errors)} fits failed out of a total of {len(results)}. The score on these train-test partitions "
            f"for these parameters will be set to {error_score}. If these failures are not expected, you can try "
            f"to debug them by setting error_score='raise'. First error: {errors[0]}",
            FitFailedWarning,
            stacklevel=3,
        )


def run_parallel(function, tasks, *, n_jobs=None, verbose=0, pre_dispatch="2*n_jobs") -> list:
    """``[function(*task) for task in tasks]``, on ``n_jobs`` joblib workers when n_jobs is not None or 1.

    Each task is independent and deterministic, so the results (and their
    order) are the same as a serial run's.
    """
    tasks = list(tasks)
    if n_jobs in (None, 1):
        return [function(*task) for task in tasks]
    try:
        import joblib
    except ImportError as error:
        raise ImportError(
            f"n_jobs={n_jobs} runs the folds in parallel through joblib, which is not installed: pip install joblib "
            "(or leave n_jobs=None to run them one after another)."
        ) from error
    parallel = joblib.Parallel(n_jobs=n_jobs, verbose=verbose, pre_dispatch=pre_dispatch)
    return parallel(joblib.delayed(function)(*task) for task in tasks)


def collect(results: list[dict], key: str) -> dict:
    """``{metric: array of one score per result}`` from the per-fold dicts under ``key``."""
    names = results[0][key].keys()
    return {name: np.array([result[key][name] for result in results]) for name in names}


# --------------------------------------------------------------------------- the public functions


def cross_validate(
    estimator,
    X,
    y=None,
    *,
    groups=None,
    scoring=None,
    cv=None,
    n_jobs=None,
    verbose=0,
    params=None,
    pre_dispatch="2*n_jobs",
    return_train_score=False,
    return_estimator=False,
    return_indices=False,
    error_score=np.nan,
) -> dict:
    """Cross-validated scores and timings: a dict of arrays with one entry per fold.

    Keys: ``test_score`` (or ``test_<name>`` for each of several metrics),
    ``train_score`` / ``train_<name>`` with ``return_train_score``, ``fit_time``,
    ``score_time`` (seconds), ``estimator`` (the fitted clones) with
    ``return_estimator``, ``indices`` ({"train": [...], "test": [...]}) with
    ``return_indices``. ``params`` are passed to ``fit``; per-sample ones
    (such as ``sample_weight``) are cut to each fold's training rows.
    """
    scorers, multimetric = check_multimetric_scoring(estimator, scoring)
    splitter = check_cv(cv, y, classifier=is_classifier(estimator))
    splits = list(splitter.split(X, y, groups))
    results = run_parallel(
        lambda train, test: fit_and_score(
            estimator, X, y, scorers, train, test, fit_params=params, return_train_score=return_train_score,
            return_estimator=return_estimator, error_score=error_score,
        ),
        splits, n_jobs=n_jobs, verbose=verbose, pre_dispatch=pre_dispatch,
    )
    warn_about_failed_fits(results, error_score)
    output = {
        "fit_time": np.array([result["fit_time"] for result in results]),
        "score_time": np.array([result["score_time"] for result in results]),
    }
    if return_estimator:
        output["estimator"] = [result["estimator"] for result in results]
    if return_indices:
        output["indices"] = {"train": [train for train, _ in splits], "test": [test for _, test in splits]}
    for part, wanted in (("test", True), ("train", return_train_score)):
        if wanted:
            for name, scores in collect(results, f"{part}_scores").items():
                output[f"{part}_{name}" if multimetric else f"{part}_score"] = scores
    return output


def cross_val_score(
    estimator, X, y=None, *, groups=None, scoring=None, cv=None, n_jobs=None, verbose=0, params=None,
    pre_dispatch="2*n_jobs", error_score=np.nan,
) -> np.ndarray:
    """The test score of each fold (an array of k floats); ``cv=None`` means 5 folds, stratified for classifiers."""
    return cross_validate(
        estimator, X, y, groups=groups, scoring=scoring, cv=cv, n_jobs=n_jobs, verbose=verbose, params=params,
        pre_dispatch=pre_dispatch, error_score=error_score,
    )["test_score"]


def _fit_and_predict(estimator, X, y, train, test, fit_params, method: str, all_classes):
    model = clone(estimator)
    y_train = take_rows(y, train)
    if y_train is None:
        model.fit(take_rows(X, train), **fold_params(fit_params, num_samples(X), train))
    else:
        model.fit(take_rows(X, train), y_train, **fold_params(fit_params, num_samples(X), train))
    predictions = getattr(model, method)(take_rows(X, test))
    if all_classes is None:
        return predictions
    fold_classes = host_labels(model.classes_)
    if len(fold_classes) == len(all_classes):
        return predictions
    advice = "To fix this, use a cross-validation technique resulting in properly stratified folds"
    warnings.warn(
        f"Number of classes in training fold ({len(fold_classes)}) does not match total number of classes "
        f"({len(all_classes)}). Results may not be appropriate for your use case. {advice}",
        RuntimeWarning,
        stacklevel=3,
    )
    if method == "decision_function" and len(fold_classes) <= 2:  # one column of margins: no column to map
        raise ValueError(
            f"Only {len(fold_classes)} class/es in training fold, but {len(all_classes)} in overall dataset. This "
            f"is not supported for decision_function with imbalanced folds. {advice}"
        )
    xp = backend.namespace(predictions)
    fill = 0.0 if method == "predict_proba" else float(np.finfo(predictions.dtype).min)  # as scikit-learn
    full = xp.full((predictions.shape[0], len(all_classes)), fill, dtype=predictions.dtype)
    columns = backend.to_device(np.searchsorted(all_classes, fold_classes), backend.device_of(predictions))
    full[:, columns] = predictions
    return full


def cross_val_predict(
    estimator, X, y=None, *, groups=None, cv=None, n_jobs=None, verbose=0, params=None, pre_dispatch="2*n_jobs",
    method="predict",
):
    """Each sample's prediction by the fold model that did not train on it, in the samples' order.

    ``method`` is "predict", "predict_proba", "predict_log_proba" or
    "decision_function". The test folds must cover every sample exactly once
    (a partition). For a classifier whose fold missed a class, that class's
    probability column is 0 (its log-probability or score column the
    most negative float), so columns always follow
    the sorted classes of the whole y. Predictions live on X's device.
    """
    if method not in ("predict", "predict_proba", "predict_log_proba", "decision_function"):
        raise ValueError(
            "method must be 'predict', 'predict_proba', 'predict_log_proba' or 'decision_function'; got "
            f"{method!r}."
        )
    splitter = check_cv(cv, y, classifier=is_classifier(estimator))
    splits = list(splitter.split(X, y, groups))
    n_samples = num_samples(X)
    test_order = np.concatenate([test for _, test in splits])
    if len(test_order) != n_samples or not np.array_equal(np.sort(test_order), np.arange(n_samples)):
        raise ValueError("cross_val_predict only works for partitions: every sample must be in exactly one test fold.")
    all_classes = None
    if method != "predict" and is_classifier(estimator) and y is not None:
        labels = host_labels(y)
        all_classes = np.unique(labels.astype(str) if labels.dtype.kind == "O" else labels)
    fold_predictions = run_parallel(
        lambda train, test: _fit_and_predict(estimator, X, y, train, test, params, method, all_classes),
        splits, n_jobs=n_jobs, verbose=verbose, pre_dispatch=pre_dispatch,
    )
    if not hasattr(fold_predictions[0], "shape"):
        fold_predictions = [np.asarray(predictions) for predictions in fold_predictions]
    xp = backend.namespace(*fold_predictions)
    stacked = xp.concatenate(fold_predictions)
    position = np.empty(n_samples, dtype=np.intp)
    position[test_order] = np.arange(n_samples)
    return take_rows(stacked, position)
