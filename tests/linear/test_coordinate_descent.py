"""Lasso and ElasticNet by coordinate descent: soft-thresholding, the solutions against scikit-learn,
the duality-gap stopping rule, warm starts and the convergence warning."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from linear_problems import fit_on, regression_problems

from minml import backend
from minml.exceptions import ConvergenceWarning, InvalidParameterError
from minml.linear.coordinate_descent import ElasticNet, Lasso, soft_threshold
from minml.testing import assert_close

sklearn_linear = pytest.importorskip("sklearn.linear_model")

TIGHT = 1e-12  # tol for the comparisons: both solvers end at the optimum, to rounding


def test_soft_threshold_shrinks_towards_zero_and_stops_there(device):
    z = backend.to_device(np.array([[3.0, -3.0, 0.5], [-0.5, 1.0, 0.0]]), device)
    result = soft_threshold(z, 1.0)
    assert backend.device_of(result) == backend.device_of(z)
    assert_close(backend.asnumpy(result), [[2.0, -2.0, 0.0], [0.0, 0.0, 0.0]])
    assert_close(backend.asnumpy(soft_threshold(z, 0.0)), backend.asnumpy(z))


@given(z=st.floats(-100, 100), gamma=st.floats(0, 50))
def test_soft_threshold_minimises_the_one_dimensional_lasso(z, gamma):
    # S(z, γ) = argmin_w ½(w − z)² + γ|w|: no w on a fine grid around it does better
    best = backend.to_scalar(soft_threshold(np.array(z), gamma))
    objective = lambda w: 0.5 * (w - z) ** 2 + gamma * np.abs(w)
    grid = best + np.linspace(-1, 1, 201)
    assert objective(best) <= objective(grid).min() + 1e-9


def sklearn_twin(model):
    """scikit-learn's estimator of the same class with the same parameters, at a tight tolerance."""
    params = {**model.get_params(), "tol": TIGHT, "max_iter": 100_000}
    return getattr(sklearn_linear, type(model).__name__)(**params)


def check_against_sklearn(device, model, problem):
    model.set_params(fit_intercept=problem.fit_intercept, tol=TIGHT, max_iter=100_000)
    ours, coef, intercept = fit_on(device, model, problem)
    theirs = sklearn_twin(model).fit(problem.X, problem.y, sample_weight=problem.sample_weight)
    assert coef.shape == theirs.coef_.shape
    scale = max(1.0, np.abs(theirs.coef_).max())
    assert_close(coef, theirs.coef_, rtol=1e-6, atol=1e-7 * scale)
    assert_close(intercept, theirs.intercept_, rtol=1e-6, atol=1e-7 * scale)
    clear = np.abs(theirs.coef_) > 1e-6 * scale  # the support, away from rounding-level weights
    assert np.array_equal(coef[clear] != 0, theirs.coef_[clear] != 0)
    prediction = ours.predict(backend.to_device(problem.X, device))
    assert_close(backend.asnumpy(prediction), theirs.predict(problem.X), rtol=1e-6, atol=1e-6 * scale)
    return ours


@settings(max_examples=20)
@given(problem=regression_problems(sparse=True), alpha=st.sampled_from([0.01, 0.1, 0.5, 2.0]), positive=st.booleans())
def test_lasso_matches_scikit_learn_on_random_problems(device, problem, alpha, positive):
    check_against_sklearn(device, Lasso(alpha=alpha, positive=positive), problem)


@settings(max_examples=10)
@given(problem=regression_problems(wide=True, max_features=12, sparse=True), alpha=st.sampled_from([0.05, 0.5]))
def test_lasso_with_fewer_samples_than_features_matches_scikit_learn(problem, alpha):
    check_against_sklearn("cpu", Lasso(alpha=alpha), problem)


@settings(max_examples=20)
@given(
    problem=regression_problems(sparse=True),
    alpha=st.sampled_from([0.01, 0.3, 2.0]),
    l1_ratio=st.sampled_from([0.0, 0.2, 0.5, 0.9]),
    selection=st.sampled_from(["cyclic", "random"]),
)
def test_elastic_net_matches_scikit_learn_on_random_problems(problem, alpha, l1_ratio, selection):
    model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, selection=selection, random_state=0)
    check_against_sklearn("cpu", model, problem)


def planted(n_samples=200, n_features=30, n_informative=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    coef = np.zeros(n_features)
    coef[rng.choice(n_features, n_informative, replace=False)] = rng.uniform(2, 5, n_informative)
    return X, X @ coef + 1.0 + rng.normal(0, 0.1, n_samples), coef


def test_lasso_recovers_the_planted_support_and_stops_at_the_duality_gap(device):
    X, y, truth = planted()
    model = Lasso(alpha=0.1).fit(backend.to_device(X, device), backend.to_device(y, device))
    assert np.array_equal(backend.asnumpy(model.coef_) != 0, truth != 0)
    yc = y - y.mean()
    assert isinstance(model.dual_gap_, float) and isinstance(model.n_iter_, int)
    assert 0 <= model.dual_gap_ <= model.tol * (yc @ yc) / len(y)


def test_fewer_samples_than_features_keep_the_residual_on_every_device(device):
    X, y, truth = planted(n_samples=20, n_features=40, n_informative=3, seed=4)
    model = Lasso(alpha=0.1, tol=1e-8).fit(backend.to_device(X, device), backend.to_device(y, device))
    reference = Lasso(alpha=0.1, tol=1e-8).fit(X, y)  # the host run: the device must give the same weights
    theirs = sklearn_linear.Lasso(alpha=0.1, tol=1e-10).fit(X, y)
    assert_close(backend.asnumpy(model.coef_), reference.coef_, rtol=1e-12, atol=1e-12)
    assert_close(reference.coef_, theirs.coef_, rtol=1e-4, atol=1e-4)
    prediction = model.predict(backend.to_device(X, device))
    assert_close(backend.asnumpy(prediction), theirs.predict(X), rtol=1e-4, atol=1e-3)


def test_several_targets_give_one_row_one_gap_and_one_count_each(device):
    X, y, _ = planted()
    Y = np.column_stack([y, -2 * y])
    model = Lasso(alpha=0.1).fit(backend.to_device(X, device), backend.to_device(Y, device))
    assert model.coef_.shape == (2, 30) and model.intercept_.shape == (2,) and model.dual_gap_.shape == (2,)
    assert len(model.n_iter_) == 2
    single = Lasso(alpha=0.1).fit(X, y)
    assert_close(backend.asnumpy(model.coef_)[0], single.coef_, rtol=1e-12, atol=1e-12)


def test_a_large_alpha_zeroes_every_weight_without_a_sweep():
    X, y, _ = planted()
    model = Lasso(alpha=1e3).fit(X, y)
    assert np.all(model.coef_ == 0) and model.n_iter_ == 0
    assert_close(model.intercept_, y.mean())


def test_a_constant_feature_gets_weight_zero(device):
    X, y, _ = planted()
    X[:, 3] = 7.0
    model = ElasticNet(alpha=0.05).fit(backend.to_device(X, device), backend.to_device(y, device))
    coef = backend.asnumpy(model.coef_)
    assert np.all(np.isfinite(coef)) and coef[3] == 0


def test_warm_start_resumes_from_the_previous_weights():
    X, y, _ = planted(seed=1)
    cold = Lasso(alpha=0.05, tol=1e-8).fit(X, y)
    warm = Lasso(alpha=0.05, tol=1e-8, warm_start=True).fit(X, y)
    assert warm.n_iter_ == cold.n_iter_ > 0
    warm.set_params(alpha=0.04).fit(X, y)
    fresh = Lasso(alpha=0.04, tol=1e-8).fit(X, y)
    assert warm.n_iter_ < fresh.n_iter_
    assert_close(warm.coef_, fresh.coef_, rtol=1e-5, atol=1e-6)
    assert warm.fit(X, y).n_iter_ == 0  # already at the optimum: the first check stops it


def test_too_few_sweeps_warn_and_say_what_to_try():
    X, y, _ = planted()
    with pytest.warns(ConvergenceWarning, match=r"did not converge after max_iter=1 sweeps.*Increase max_iter"):
        model = Lasso(alpha=0.01, max_iter=1, tol=1e-12).fit(X, y)
    assert model.n_iter_ == 1


def test_alpha_zero_advises_linear_regression():
    X, y, _ = planted()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with pytest.warns(UserWarning, match="You are advised to use the LinearRegression estimator"):
            Lasso(alpha=0.0, max_iter=5).fit(X, y)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (Lasso(alpha=-1), r"The 'alpha' parameter of Lasso must be a float ≥ 0; got -1\."),
        (ElasticNet(l1_ratio=1.5), r"The 'l1_ratio' parameter of ElasticNet must be a float in the range \[0, 1\]"),
        (Lasso(max_iter=0), r"The 'max_iter' parameter of Lasso must be an int ≥ 1; got 0\."),
        (Lasso(selection="greedy"), r"The 'selection' parameter of Lasso must be a str among"),
        (ElasticNet(tol=-1e-4), r"The 'tol' parameter of ElasticNet must be a float ≥ 0"),
    ],
)
def test_invalid_parameters_are_reported(model, message):
    with pytest.raises(InvalidParameterError, match=message):
        model.fit(np.arange(8.0).reshape(4, 2), np.arange(4.0))


def test_lasso_has_no_l1_ratio_parameter():
    assert "l1_ratio" not in Lasso().get_params() and Lasso.l1_ratio == 1.0
