"""cross_val_score, cross_validate, cross_val_predict: scikit-learn's results for the same estimator and folds,
every device, joblib parallelism identical to serial, failed fits and errors."""

import sys

import numpy as np
import pytest

from minml import backend
from minml.base import BaseEstimator, ClassifierMixin, RegressorMixin
from minml.linear.logistic import LogisticRegression
from minml.linear.ridge import Ridge
from minml.model_selection import (
    FitFailedWarning,
    KFold,
    StratifiedKFold,
    cross_val_predict,
    cross_val_score,
    cross_validate,
)


def classification_data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + 0.8 * rng.normal(size=n) > 0).astype(int)
    return X, y


def regression_data(n=50, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, X @ np.array([1.0, -2.0, 0.5]) + rng.normal(size=n)


class FailsOnSmallData(RegressorMixin, BaseEstimator):
    """Fits (predicts the mean) unless its training set has fewer than ``min_samples`` rows."""

    def __init__(self, min_samples=0):
        self.min_samples = min_samples

    def fit(self, X, y):
        if X.shape[0] < self.min_samples:
            raise ValueError("too few samples")
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return np.full(X.shape[0], self.mean_)


def test_cross_val_score_equals_scikit_learn_for_its_own_estimators():
    sklearn_ms = pytest.importorskip("sklearn.model_selection")
    from sklearn.linear_model import LogisticRegression as SkLogistic
    from sklearn.linear_model import Ridge as SkRidge

    X, y = classification_data()
    assert np.array_equal(cross_val_score(SkLogistic(), X, y), sklearn_ms.cross_val_score(SkLogistic(), X, y))
    X, y = regression_data()
    for cv in (3, KFold(4, shuffle=True, random_state=0)):
        assert np.array_equal(
            cross_val_score(SkRidge(), X, y, cv=cv, scoring="neg_mean_squared_error"),
            sklearn_ms.cross_val_score(SkRidge(), X, y, cv=cv, scoring="neg_mean_squared_error"),
        )


def test_cross_val_score_of_minml_models_equals_scikit_learn_running_them():
    sklearn_ms = pytest.importorskip("sklearn.model_selection")
    X, y = classification_data()
    for scoring in ("accuracy", "roc_auc"):
        np.testing.assert_allclose(
            cross_val_score(LogisticRegression(), X, y, scoring=scoring),
            sklearn_ms.cross_val_score(LogisticRegression(), X, y, scoring=scoring), rtol=1e-12,
        )
    X, y = regression_data()
    np.testing.assert_allclose(cross_val_score(Ridge(alpha=2.0), X, y, cv=4),
                               sklearn_ms.cross_val_score(Ridge(alpha=2.0), X, y, cv=4), rtol=1e-12)


def test_classifiers_get_stratified_folds_and_regressors_plain_ones():
    X, y = classification_data(n=30)
    scores = cross_validate(LogisticRegression(), X, y, cv=3, return_indices=True)
    expected = [test.tolist() for _, test in StratifiedKFold(3).split(X, y)]
    assert [test.tolist() for test in scores["indices"]["test"]] == expected
    scores = cross_validate(Ridge(), X, y.astype(float), cv=3, return_indices=True)
    assert [test.tolist() for test in scores["indices"]["test"]] == [list(range(10)), list(range(10, 20)),
                                                                     list(range(20, 30))]


def test_cross_validate_reports_several_metrics_train_scores_times_and_estimators():
    X, y = classification_data()
    results = cross_validate(LogisticRegression(), X, y, cv=4, scoring=["accuracy", "roc_auc"],
                             return_train_score=True, return_estimator=True)
    assert set(results) == {"fit_time", "score_time", "test_accuracy", "test_roc_auc", "train_accuracy",
                            "train_roc_auc", "estimator"}
    assert all(results[key].shape == (4,) for key in results if key != "estimator")
    assert (results["fit_time"] >= 0).all() and len({id(model) for model in results["estimator"]}) == 4
    assert all(hasattr(model, "coef_") for model in results["estimator"])
    for model, (_, test), score in zip(results["estimator"], StratifiedKFold(4).split(X, y), results["test_accuracy"]):
        assert score == np.mean(model.predict(X[test]) == y[test])
    by_dict = cross_validate(LogisticRegression(), X, y, cv=4,
                             scoring={"acc": "accuracy", "mine": lambda model, X, y: 1.0})
    assert np.array_equal(by_dict["test_acc"], results["test_accuracy"]) and (by_dict["test_mine"] == 1.0).all()


def test_parallel_results_equal_serial_ones():
    pytest.importorskip("joblib")
    X, y = classification_data()
    serial = cross_validate(LogisticRegression(), X, y, cv=3, scoring=["accuracy", "neg_log_loss"])
    parallel = cross_validate(LogisticRegression(), X, y, cv=3, scoring=["accuracy", "neg_log_loss"], n_jobs=2)
    for key in ("test_accuracy", "test_neg_log_loss"):
        assert np.array_equal(serial[key], parallel[key])


def test_parallelism_without_joblib_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "joblib", None)
    X, y = regression_data()
    with pytest.raises(ImportError, match="pip install joblib"):
        cross_val_score(Ridge(), X, y, n_jobs=2)
    assert cross_val_score(Ridge(), X, y, n_jobs=1).shape == (5,)


def test_fit_params_are_cut_to_each_fold():
    X, y = regression_data()
    weights = np.linspace(0.5, 2.0, len(y))
    folds = KFold(3)
    scores = cross_val_score(Ridge(), X, y, cv=folds, params={"sample_weight": weights})
    expected = [Ridge().fit(X[train], y[train], sample_weight=weights[train]).score(X[test], y[test])
                for train, test in folds.split(X)]
    np.testing.assert_allclose(scores, expected, rtol=1e-12)


def test_failed_fits_score_error_score_with_a_warning_or_raise():
    X, y = regression_data(n=12)
    cv = [(np.arange(2), np.arange(2, 12)), (np.arange(2, 12), np.arange(2))]
    with pytest.warns(FitFailedWarning, match=r"1 fits failed out of a total of 2.*ValueError: too few samples"):
        scores = cross_val_score(FailsOnSmallData(min_samples=5), X, y, cv=cv)
    assert np.isnan(scores[0]) and np.isfinite(scores[1])
    with pytest.warns(FitFailedWarning):
        assert cross_val_score(FailsOnSmallData(min_samples=5), X, y, cv=cv, error_score=-1.0)[0] == -1.0
    with pytest.raises(ValueError, match="too few samples"):
        cross_val_score(FailsOnSmallData(min_samples=5), X, y, cv=cv, error_score="raise")


def test_scoring_none_needs_a_score_method():
    class NoScore(BaseEstimator):
        def __init__(self):
            pass

        def fit(self, X, y):
            return self

    with pytest.raises(TypeError, match="the estimator passed should have a 'score' method"):
        cross_val_score(NoScore(), *regression_data())


def test_cross_val_predict_on_every_device(device):
    X_host, y_host = classification_data(n=40)
    X, y = backend.to_device(X_host, device), backend.to_device(y_host, device)
    for method in ("predict", "predict_proba", "decision_function"):
        predictions = cross_val_predict(LogisticRegression(), X, y, cv=4, method=method)
        assert backend.device_of(predictions) == backend.device_of(X)
        expected = np.empty((40, 2) if method == "predict_proba" else 40)
        for train, test in StratifiedKFold(4).split(X_host, y_host):
            expected[test] = getattr(LogisticRegression().fit(X_host[train], y_host[train]), method)(X_host[test])
        np.testing.assert_allclose(backend.asnumpy(predictions), expected, rtol=1e-10, atol=1e-12)


def test_cross_val_predict_equals_scikit_learn_even_when_a_fold_misses_a_class():
    sklearn_ms = pytest.importorskip("sklearn.model_selection")
    from sklearn.linear_model import LogisticRegression as SkLogistic

    rng = np.random.default_rng(1)
    X = rng.normal(size=(23, 2))
    y = np.array([0] * 10 + [1] * 10 + [2] * 3)  # the last fold's model never sees class 2
    assert np.array_equal(cross_val_predict(SkLogistic(), X, y, cv=KFold(3)),
                          sklearn_ms.cross_val_predict(SkLogistic(), X, y, cv=KFold(3)))
    for method in ("predict_proba", "predict_log_proba"):
        with pytest.warns(RuntimeWarning, match=r"Number of classes in training fold \(2\) does not match total "
                                                r"number of classes \(3\)"):
            ours = cross_val_predict(SkLogistic(), X, y, cv=KFold(3), method=method)
        with pytest.warns(RuntimeWarning):
            theirs = sklearn_ms.cross_val_predict(SkLogistic(), X, y, cv=KFold(3), method=method)
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)
        if method == "predict_proba":
            assert (ours[16:, 2] == 0).all() and (ours[:16, 2] > 0).all()
    with pytest.warns(RuntimeWarning), pytest.raises(ValueError, match="Only 2 class/es in training fold, but 3"):
        cross_val_predict(SkLogistic(), X, y, cv=KFold(3), method="decision_function")


def test_cross_val_predict_keeps_string_labels():
    X, y = classification_data(n=30)
    names = np.array(["no", "yes"])[y]
    predictions = cross_val_predict(LogisticRegression(), X, names, cv=3)
    assert predictions.dtype.kind == "U" and set(predictions.tolist()) <= {"no", "yes"}


def test_cross_val_predict_errors():
    X, y = regression_data(n=10)
    with pytest.raises(ValueError, match="cross_val_predict only works for partitions"):
        cross_val_predict(Ridge(), X, y, cv=[(np.arange(5), np.arange(5, 9))])
    with pytest.raises(ValueError, match="method must be 'predict', 'predict_proba'"):
        cross_val_predict(Ridge(), X, y, method="transform")


def test_a_custom_classifier_without_tags_is_stratified_too():
    class Majority(ClassifierMixin, BaseEstimator):
        def __init__(self):
            pass

        def fit(self, X, y):
            self.label_ = np.bincount(y).argmax()
            return self

        def predict(self, X):
            return np.full(X.shape[0], self.label_)

    X = np.zeros((12, 1))
    y = np.array([0] * 8 + [1] * 4)
    results = cross_validate(Majority(), X, y, cv=4, return_indices=True, scoring=lambda m, X, y: 0.0)
    assert all(np.count_nonzero(y[test] == 1) == 1 for test in results["indices"]["test"])
