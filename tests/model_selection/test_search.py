"""GridSearchCV, RandomizedSearchCV, ParameterGrid, ParameterSampler, format_results: scikit-learn's candidates,
cv_results_ and best parameters; refit, multi-metric scoring, delegation, devices and errors."""

import numpy as np
import pytest
from scipy import stats

from minml import backend
from minml.exceptions import InvalidParameterError, NotFittedError
from minml.linear.logistic import LogisticRegression
from minml.linear.ridge import Ridge
from minml.model_selection import (
    GridSearchCV,
    KFold,
    ParameterGrid,
    ParameterSampler,
    RandomizedSearchCV,
    StratifiedKFold,
    cross_validate,
    format_results,
)
from minml.model_selection.search import BaseSearchCV
from minml.preprocessing import StandardScaler
from minml.testing.estimators import all_estimators


def regression_data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    return X, X @ np.array([1.0, -2.0, 0.0, 0.5]) + rng.normal(size=n)


def classification_data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, (X[:, 0] - X[:, 1] + rng.normal(size=n) > 0).astype(int)


GRID = {"alpha": [0.01, 1.0, 30.0, 300.0], "fit_intercept": [True, False]}


def test_grid_search_equals_scikit_learn_on_the_same_estimator():
    sklearn_ms = pytest.importorskip("sklearn.model_selection")
    X, y = regression_data()
    ours = GridSearchCV(Ridge(), GRID, cv=4, return_train_score=True).fit(X, y)
    theirs = sklearn_ms.GridSearchCV(Ridge(), GRID, cv=4, return_train_score=True).fit(X, y)
    assert ours.best_params_ == theirs.best_params_ and ours.best_index_ == theirs.best_index_
    assert ours.best_score_ == pytest.approx(theirs.best_score_, rel=1e-12)
    assert list(ours.cv_results_) == list(theirs.cv_results_)
    assert ours.cv_results_["params"] == theirs.cv_results_["params"]
    for key, value in theirs.cv_results_.items():
        if "time" in key or key == "params":
            continue
        if key.startswith("param_"):
            assert ours.cv_results_[key].tolist() == value.tolist()
        else:
            np.testing.assert_allclose(ours.cv_results_[key], value, rtol=1e-10, err_msg=key)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-12)


def test_grid_search_of_a_classifier_equals_scikit_learn_with_minml_scorers():
    sklearn_ms = pytest.importorskip("sklearn.model_selection")
    X, y = classification_data()
    grid = {"C": [0.01, 0.1, 1.0, 10.0]}
    ours = GridSearchCV(LogisticRegression(), grid, scoring="roc_auc", cv=3).fit(X, y)
    theirs = sklearn_ms.GridSearchCV(LogisticRegression(), grid, scoring="roc_auc", cv=3).fit(X, y)
    assert ours.best_params_ == theirs.best_params_
    np.testing.assert_allclose(ours.cv_results_["mean_test_score"], theirs.cv_results_["mean_test_score"], rtol=1e-10)
    assert ours.cv_results_["rank_test_score"].tolist() == theirs.cv_results_["rank_test_score"].tolist()
    assert ours.classes_.tolist() == [0, 1] and ours.predict_proba(X).shape == (60, 2)
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y), rel=1e-12)


def test_cv_results_for_several_metrics_and_refit_by_name():
    X, y = regression_data()
    search = GridSearchCV(Ridge(), {"alpha": [0.1, 10.0, 1000.0]}, cv=3,
                          scoring={"r2": "r2", "mae": "neg_mean_absolute_error"}, refit="mae").fit(X, y)
    results = search.cv_results_
    for name in ("r2", "mae"):
        assert {f"split{i}_test_{name}" for i in range(3)} | {f"mean_test_{name}", f"rank_test_{name}"} <= set(results)
    assert search.best_index_ == int(np.argmax(results["mean_test_mae"]))
    assert search.best_score_ == results["mean_test_mae"][search.best_index_]
    assert search.score(X, y) == pytest.approx(-np.mean(np.abs(search.predict(X) - y)))
    assert search.multimetric_ and set(search.scorer_) == {"r2", "mae"}


def test_refit_false_and_refit_callable():
    X, y = regression_data()
    search = GridSearchCV(Ridge(), {"alpha": [0.1, 10.0]}, cv=3, refit=False).fit(X, y)
    assert not hasattr(search, "best_estimator_") and "mean_test_score" in search.cv_results_
    with pytest.raises(AttributeError, match="initialized with `refit=False`. predict is available only after"):
        search.predict(X)
    lowest_alpha = GridSearchCV(Ridge(), {"alpha": [10.0, 0.1]}, cv=3,
                                refit=lambda results: int(np.argmin(results["param_alpha"]))).fit(X, y)
    assert lowest_alpha.best_params_ == {"alpha": 0.1} and not hasattr(lowest_alpha, "best_score_")
    with pytest.raises(ValueError, match="For multi-metric scoring, the parameter refit must be set to a scorer key"):
        GridSearchCV(Ridge(), {"alpha": [1.0]}, scoring=["r2", "neg_mean_squared_error"]).fit(X, y)


def test_search_delegates_to_the_refitted_best_estimator():
    X, y = regression_data()
    search = GridSearchCV(Ridge(), {"alpha": [0.1, 100.0]}, cv=3).fit(X, y)
    best = Ridge(**search.best_params_).fit(X, y)
    np.testing.assert_allclose(search.predict(X), best.predict(X))
    np.testing.assert_allclose(search.best_estimator_.coef_, best.coef_)
    assert search.n_features_in_ == 4 and search.n_splits_ == 3 and search.refit_time_ >= 0
    with pytest.raises(NotFittedError):
        GridSearchCV(Ridge(), {"alpha": [1.0]}).predict(X)


def test_a_search_over_a_classifier_is_a_classifier():
    X, y = classification_data(n=30)
    search = GridSearchCV(LogisticRegression(), {"C": [1.0]}, cv=2)
    folds = cross_validate(search, X, y, cv=3, return_indices=True)["indices"]["test"]
    assert [test.tolist() for test in folds] == [test.tolist() for _, test in StratifiedKFold(3).split(X, y)]
    assert [test.tolist() for test in folds] != [test.tolist() for _, test in KFold(3).split(X)]
    assert search._estimator_type == "classifier" and GridSearchCV(Ridge(), {})._estimator_type == "regressor"


def test_search_on_every_device(device):
    X_host, y_host = regression_data()
    X, y = backend.to_device(X_host, device), backend.to_device(y_host, device)
    search = GridSearchCV(Ridge(), {"alpha": [0.1, 100.0]}, cv=3).fit(X, y)
    host = GridSearchCV(Ridge(), {"alpha": [0.1, 100.0]}, cv=3).fit(X_host, y_host)
    assert search.best_params_ == host.best_params_
    np.testing.assert_allclose(search.cv_results_["mean_test_score"], host.cv_results_["mean_test_score"], rtol=1e-10)
    assert backend.device_of(search.predict(X)) == backend.device_of(X)


def test_parameter_grid_equals_scikit_learn():
    sklearn_ms = pytest.importorskip("sklearn.model_selection")
    grids = [{"b": [1, 2, 3], "a": ["x", "y"]}, {"c": [True]}, {}]
    ours, theirs = ParameterGrid(grids), sklearn_ms.ParameterGrid(grids)
    assert list(ours) == list(theirs) and len(ours) == len(theirs) == 8
    assert [ours[i] for i in range(len(ours))] == list(theirs)
    with pytest.raises(IndexError):
        ours[8]


@pytest.mark.parametrize(
    ("grid", "error", "message"),
    [
        ({"alpha": 1.0}, TypeError, r"Parameter grid for parameter 'alpha' needs to be a list or a numpy array, but "
                                    r"got 1.0 \(of type float\) instead\. Single values need to be wrapped"),
        ({"alpha": []}, ValueError, r"Parameter grid for parameter 'alpha' need to be a non-empty sequence"),
        ({"alpha": np.ones((2, 2))}, ValueError, r"Parameter array for 'alpha' should be one-dimensional"),
        ("alpha", TypeError, r"Parameter grid should be a dict or a list, got: 'alpha'"),
        ([{"alpha": [1]}, 3], TypeError, r"Parameter grid is not a dict \(3\)"),
    ],
)
def test_parameter_grid_errors(grid, error, message):
    with pytest.raises(error, match=message):
        ParameterGrid(grid)


def test_parameter_sampler_from_lists_draws_without_replacement():
    sampled = list(ParameterSampler({"a": [1, 2, 3], "b": [4, 5]}, n_iter=6, random_state=0))
    assert sorted(tuple(sorted(p.items())) for p in sampled) == sorted(
        tuple(sorted(p.items())) for p in ParameterGrid({"a": [1, 2, 3], "b": [4, 5]})
    )
    with pytest.warns(UserWarning, match=r"The total space of parameters 6 is smaller than n_iter=10\. Running 6"):
        assert len(list(ParameterSampler({"a": [1, 2, 3], "b": [4, 5]}, n_iter=10, random_state=0))) == 6
    assert len(ParameterSampler({"a": [1, 2, 3]}, n_iter=2)) == 2


def test_parameter_sampler_from_distributions_is_reproducible():
    distributions = {"alpha": stats.loguniform(1e-3, 1e3), "kind": ["x", "y"]}
    first = list(ParameterSampler(distributions, n_iter=20, random_state=3))
    assert first == list(ParameterSampler(distributions, n_iter=20, random_state=3))
    assert first != list(ParameterSampler(distributions, n_iter=20, random_state=4))
    assert all(1e-3 <= p["alpha"] <= 1e3 and p["kind"] in ("x", "y") for p in first)
    assert {p["kind"] for p in first} == {"x", "y"}
    with pytest.raises(TypeError, match="is not iterable or a distribution"):
        ParameterSampler({"alpha": 1.0}, n_iter=2)


def test_randomized_search_tries_n_iter_candidates_and_picks_the_best():
    X, y = regression_data()
    search = RandomizedSearchCV(Ridge(), {"alpha": stats.loguniform(1e-2, 1e3)}, n_iter=6, cv=3,
                                random_state=0).fit(X, y)
    assert len(search.cv_results_["params"]) == 6
    assert search.best_score_ == np.max(search.cv_results_["mean_test_score"])
    again = RandomizedSearchCV(Ridge(), {"alpha": stats.loguniform(1e-2, 1e3)}, n_iter=6, cv=3,
                               random_state=0).fit(X, y)
    assert again.cv_results_["params"] == search.cv_results_["params"]


def test_format_results_is_a_table_best_first():
    X, y = regression_data()
    search = GridSearchCV(Ridge(), {"alpha": [1000.0, 0.1, 10.0]}, cv=KFold(3), return_train_score=True).fit(X, y)
    table = format_results(search.cv_results_)
    lines = table.splitlines()
    assert lines[0].split()[:4] == ["rank", "mean_test_score", "std", "mean_train_score"]
    assert set(lines[1]) == {"-"} and len(lines) == 5
    assert [line.split()[0] for line in lines[2:]] == ["1", "2", "3"]
    assert f"{search.best_score_:.4f}" in lines[2] and lines[2].endswith("alpha=0.1")
    assert len(format_results(search.cv_results_, top=1).splitlines()) == 3
    with pytest.raises(KeyError, match=r"cv_results has no metric 'r2'; it has \['score'\]"):
        format_results(search.cv_results_, metric="r2")


def test_param_arrays_are_masked_where_a_grid_does_not_set_them():
    X, y = regression_data()
    search = GridSearchCV(Ridge(), [{"alpha": [1.0]}, {"fit_intercept": [False]}], cv=2).fit(X, y)
    assert search.cv_results_["param_alpha"].mask.tolist() == [False, True]
    assert search.cv_results_["param_fit_intercept"].mask.tolist() == [True, False]


def test_invalid_search_parameters_are_named():
    X, y = regression_data()
    with pytest.raises(InvalidParameterError, match=r"The 'n_jobs' parameter of GridSearchCV must be"):
        GridSearchCV(Ridge(), {"alpha": [1.0]}, n_jobs="all").fit(X, y)
    with pytest.raises(InvalidParameterError, match=r"The 'n_iter' parameter of RandomizedSearchCV must be an int"):
        RandomizedSearchCV(Ridge(), {"alpha": [1.0]}, n_iter=0).fit(X, y)


def test_contract_instances_fit():
    X, y = classification_data()
    for cls in (GridSearchCV, RandomizedSearchCV):
        for search in cls._contract_instances():
            assert search.fit(X, y).predict(X).shape == (60,)


def test_a_search_has_exactly_the_methods_of_its_estimator():
    X, y = classification_data()
    around_ridge = GridSearchCV(Ridge(), {"alpha": [1.0]}, cv=2)
    around_logistic = GridSearchCV(LogisticRegression(), {"C": [1.0]}, cv=2)
    for search in (around_ridge, around_logistic):  # before fit, the unfitted estimator answers
        assert hasattr(search, "predict") and not hasattr(search, "transform")
    assert not hasattr(around_ridge, "predict_proba") and hasattr(around_logistic, "predict_proba")
    around_ridge.fit(X, y)
    around_logistic.fit(X, y)
    for name in ("predict_proba", "predict_log_proba", "decision_function", "score_samples", "classes_"):
        with pytest.raises(AttributeError, match=f"has no attribute '{name}': its estimator Ridge has none"):
            getattr(around_ridge, name)
    np.testing.assert_allclose(around_logistic.predict_log_proba(X), np.log(around_logistic.predict_proba(X)))
    np.testing.assert_allclose(around_logistic.decision_function(X),
                               around_logistic.best_estimator_.decision_function(X))
    assert not hasattr(GridSearchCV(Ridge(), {"alpha": [1.0]}, refit=False), "predict")
    assert GridSearchCV.predict_proba.__doc__ == "The best estimator's ``predict_proba``."


def test_a_search_over_a_transformer_needs_no_y_and_transforms():
    X, _ = regression_data()
    search = GridSearchCV(StandardScaler(), {"with_mean": [True, False]}, cv=2,
                          scoring=lambda estimator, X, y: -float(np.abs(estimator.transform(X)).mean())).fit(X)
    scaled = StandardScaler(**search.best_params_).fit(X).transform(X)
    np.testing.assert_allclose(search.transform(X), scaled)
    np.testing.assert_allclose(search.inverse_transform(scaled), X)
    assert not hasattr(search, "predict") and not hasattr(search, "classes_")


def test_a_search_over_a_predictor_requires_y_of_the_same_length():
    X, y = regression_data()
    with pytest.raises(ValueError, match="GridSearchCV over Ridge requires y to be passed, but the target y is None"):
        GridSearchCV(Ridge(), {"alpha": [1.0]}, cv=2).fit(X, None)
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[40, 39\]"):
        GridSearchCV(Ridge(), {"alpha": [1.0]}, cv=2).fit(X, y[:-1])
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[40, 40, 10\]"):
        GridSearchCV(Ridge(), {"alpha": [1.0]}, cv=2).fit(X, y, groups=np.arange(10))


class ArrayLike:
    """Only ``__array__``: no len, no shape, no indexing (scikit-learn's _NotAnArray)."""

    def __init__(self, data):
        self.data = data

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.data, dtype=dtype)


def test_lists_and_array_likes_search_like_arrays():
    X, y = regression_data()
    arrays = GridSearchCV(Ridge(), GRID, cv=3).fit(X, y)
    for X_like, y_like in ((X.tolist(), y.tolist()), (ArrayLike(X), ArrayLike(y))):
        search = GridSearchCV(Ridge(), GRID, cv=3).fit(X_like, y_like)
        assert search.best_params_ == arrays.best_params_
        np.testing.assert_allclose(search.cv_results_["mean_test_score"], arrays.cv_results_["mean_test_score"])


def test_the_base_search_is_abstract_and_not_discovered():
    with pytest.raises(TypeError, match="abstract"):
        BaseSearchCV(Ridge())
    names = {name for name, _ in all_estimators("minml.model_selection")}
    assert {"GridSearchCV", "RandomizedSearchCV"} <= names and "BaseSearchCV" not in names
