"""Learning and validation curves: is the model short of data, or of flexibility?

Both curves put the training score beside the cross-validated test score:

- :func:`learning_curve` varies the number of training samples. A large gap
  between a high training score and a lower test score that narrows as n
  grows is variance (overfitting): more data helps. Both scores low and close
  together is bias (underfitting): more data will not help, a more flexible
  model may.
- :func:`validation_curve` varies one hyperparameter over ``param_range``.
  Where the test score peaks is the right amount of flexibility; to its one
  side both scores are low (underfitting), to the other the training score
  keeps rising while the test score falls (overfitting).

Scores are arrays of shape (n_points, n_folds), as scikit-learn's; plot their
mean over folds (axis 1) with the standard deviation as a band.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from minml.base import clone, is_classifier
from minml.model_selection.cross_validation import (
    check_multimetric_scoring,
    collect,
    fit_and_score,
    fold_params,
    run_parallel,
    score_all,
    warn_about_failed_fits,
)
from minml.model_selection.split import check_cv, host_generator, host_labels, num_samples, take_rows

__all__ = ["learning_curve", "validation_curve"]

DEFAULT_TRAIN_SIZES = (0.1, 0.325, 0.55, 0.775, 1.0)  # np.linspace(0.1, 1.0, 5), scikit-learn's default


def _train_sizes_as_counts(train_sizes, n_max_training_samples: int) -> np.ndarray:
    """Training-set sizes as distinct sample counts: floats are fractions of the largest training set."""
    sizes = np.asarray(train_sizes)
    n_ticks = sizes.shape[0]
    smallest, largest = sizes.min(), sizes.max()
    if np.issubdtype(sizes.dtype, np.floating):
        if smallest <= 0.0 or largest > 1.0:
            raise ValueError(
                "train_sizes has been interpreted as fractions of the maximum number of training samples and must "
                f"be within (0, 1], but is within [{smallest:f}, {largest:f}]."
            )
        counts = np.clip((sizes * n_max_training_samples).astype(int), 1, n_max_training_samples)
    else:
        if smallest <= 0 or largest > n_max_training_samples:
            raise ValueError(
                "train_sizes has been interpreted as absolute numbers of training samples and must be within "
                f"(0, {n_max_training_samples}], but is within [{smallest}, {largest}]."
            )
        counts = sizes
    counts = np.unique(counts)
    if counts.shape[0] < n_ticks:
        warnings.warn(
            "Removed duplicate entries from 'train_sizes'. Number of ticks will be less than the size of "
            f"'train_sizes': {counts.shape[0]} instead of {n_ticks}.",
            RuntimeWarning,
            stacklevel=3,
        )
    return counts


def _incremental_fit_and_score(estimator, X, y, classes, scorers, train, test, sizes, fit_params) -> list[dict]:
    """One model per fold, ``partial_fit`` on train[previous size:size] for each size, scored after each step."""
    model = clone(estimator)
    results, seen = [], 0
    for size in sizes:
        chunk = train[seen:size]
        extra = {"classes": classes} if classes is not None else {}
        start = time.perf_counter()
        model.partial_fit(take_rows(X, chunk), take_rows(y, chunk), **extra,
                          **fold_params(fit_params, num_samples(X), chunk))
        fit_time = time.perf_counter() - start
        start = time.perf_counter()
        test_scores = score_all(scorers, model, take_rows(X, test), take_rows(y, test))
        score_time = time.perf_counter() - start
        train_scores = score_all(scorers, model, take_rows(X, train[:size]), take_rows(y, train[:size]))
        results.append({"test_scores": test_scores, "train_scores": train_scores, "fit_time": fit_time,
                        "score_time": score_time, "fit_error": None})
        seen = size
    return results


def _score_grid(results: list[dict], n_folds: int, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) scores of shape (n_points, n_folds) from fold-major results."""
    return tuple(
        collect(results, f"{part}_scores")[metric].reshape(n_folds, -1).T for part in ("train", "test")
    )


def learning_curve(
    estimator,
    X,
    y,
    *,
    groups=None,
    train_sizes=DEFAULT_TRAIN_SIZES,
    cv=None,
    scoring=None,
    exploit_incremental_learning=False,
    n_jobs=None,
    pre_dispatch="all",
    verbose=0,
    shuffle=False,
    random_state=None,
    error_score=np.nan,
    return_times=False,
    params=None,
):
    """Training and test scores for growing training sets.

    For each fold, the model is fitted on the first ``n`` samples of the
    fold's training set (shuffled first when ``shuffle``) for each ``n`` in
    ``train_sizes`` (fractions of the largest training set, or counts), and
    scored on that subset and on the fold's test set. With
    ``exploit_incremental_learning`` an estimator with ``partial_fit`` is
    instead fed each fold's training samples in growing chunks, one model per
    fold, and scored after each chunk.

    Returns ``(train_sizes_abs, train_scores, test_scores)`` with scores of
    shape (n_ticks, n_folds), and ``fit_times, score_times`` too when
    ``return_times``.
    """
    scorers, _ = check_multimetric_scoring(estimator, scoring)
    splits = list(check_cv(cv, y, classifier=is_classifier(estimator)).split(X, y, groups))
    if shuffle:
        generator = host_generator(random_state)
        splits = [(generator.permutation(train), test) for train, test in splits]
    sizes = _train_sizes_as_counts(train_sizes, len(splits[0][0]))
    if exploit_incremental_learning:
        if not hasattr(estimator, "partial_fit"):
            raise ValueError("An estimator must support the partial_fit interface to exploit incremental learning")
        classes = np.unique(host_labels(y)) if is_classifier(estimator) else None
        per_split = run_parallel(
            lambda train, test: _incremental_fit_and_score(estimator, X, y, classes, scorers, train, test, sizes,
                                                           params),
            splits, n_jobs=n_jobs, verbose=verbose, pre_dispatch=pre_dispatch,
        )
        results = [result for split_results in per_split for result in split_results]
    else:
        tasks = [(train[:size], test) for train, test in splits for size in sizes]
        results = run_parallel(
            lambda train, test: fit_and_score(estimator, X, y, scorers, train, test, fit_params=params,
                                              return_train_score=True, error_score=error_score),
            tasks, n_jobs=n_jobs, verbose=verbose, pre_dispatch=pre_dispatch,
        )
    warn_about_failed_fits(results, error_score)
    train_scores, test_scores = _score_grid(results, len(splits), "score")
    if not return_times:
        return sizes, train_scores, test_scores
    fit_times, score_times = (
        np.array([result[timing] for result in results]).reshape(len(splits), -1).T
        for timing in ("fit_time", "score_time")
    )
    return sizes, train_scores, test_scores, fit_times, score_times


def validation_curve(
    estimator,
    X,
    y,
    *,
    param_name,
    param_range,
    groups=None,
    cv=None,
    scoring=None,
    n_jobs=None,
    pre_dispatch="all",
    verbose=0,
    error_score=np.nan,
    params=None,
):
    """Training and test scores as one hyperparameter ``param_name`` takes each value in ``param_range``.

    Returns ``(train_scores, test_scores)``, each of shape (len(param_range), n_folds).
    """
    scorers, _ = check_multimetric_scoring(estimator, scoring)
    splits = list(check_cv(cv, y, classifier=is_classifier(estimator)).split(X, y, groups))
    tasks = [({param_name: value}, train, test) for train, test in splits for value in param_range]
    results = run_parallel(
        lambda parameters, train, test: fit_and_score(
            estimator, X, y, scorers, train, test, parameters=parameters, fit_params=params,
            return_train_score=True, error_score=error_score,
        ),
        tasks, n_jobs=n_jobs, verbose=verbose, pre_dispatch=pre_dispatch,
    )
    warn_about_failed_fits(results, error_score)
    return _score_grid(results, len(splits), "score")
