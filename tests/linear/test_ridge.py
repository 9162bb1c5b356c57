"""Ridge: the Cholesky solution (primal and dual) and the SVD solver, checked against scikit-learn."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from linear_problems import fit_on, regression_problems

from minml import backend
from minml.exceptions import InvalidParameterError
from minml.linear.ridge import Ridge, ridge_solution
from minml.testing import assert_close

sklearn_linear = pytest.importorskip("sklearn.linear_model")

alphas = st.sampled_from([1e-3, 0.1, 1.0, 10.0])


def check_against_sklearn(device, problem, **params):
    ours, coef, intercept = fit_on(device, Ridge(fit_intercept=problem.fit_intercept, **params), problem)
    theirs = sklearn_linear.Ridge(fit_intercept=problem.fit_intercept, alpha=params["alpha"])
    theirs.fit(problem.X, problem.y, sample_weight=problem.sample_weight)
    assert coef.shape == theirs.coef_.shape
    assert_close(coef, theirs.coef_, rtol=1e-7, atol=1e-9)
    assert_close(intercept, theirs.intercept_, rtol=1e-7, atol=1e-9)
    prediction = ours.predict(backend.to_device(problem.X, device))
    assert_close(backend.asnumpy(prediction), theirs.predict(problem.X), rtol=1e-7, atol=1e-8)
    return ours


@given(problem=regression_problems(), alpha=alphas, solver=st.sampled_from(["auto", "cholesky", "svd"]))
def test_matches_scikit_learn_on_random_problems(device, problem, alpha, solver):
    ours = check_against_sklearn(device, problem, alpha=alpha, solver=solver)
    assert ours.solver_ == ("svd" if solver == "svd" else "cholesky") and ours.n_iter_ is None


@settings(max_examples=15)
@given(problem=regression_problems(wide=True, max_features=12), alpha=alphas, solver=st.sampled_from(["auto", "svd"]))
def test_fewer_samples_than_features_matches_scikit_learn(device, problem, alpha, solver):
    check_against_sklearn(device, problem, alpha=alpha, solver=solver)


@settings(max_examples=15)
@given(problem=regression_problems(targets=(3,)), solver=st.sampled_from(["cholesky", "svd"]))
def test_one_alpha_per_target_matches_scikit_learn(problem, solver):
    check_against_sklearn("cpu", problem, alpha=np.array([0.01, 1.0, 30.0]), solver=solver)


@pytest.mark.parametrize("shape", [(20, 5), (5, 20)])
def test_ridge_solution_solves_the_penalised_normal_equations(device, shape):
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=shape), rng.normal(size=(shape[0], 2))
    w = ridge_solution(backend.to_device(X, device), backend.to_device(Y, device), 0.7)
    expected = np.linalg.solve(X.T @ X + 0.7 * np.eye(shape[1]), X.T @ Y)
    assert w.shape == (shape[1], 2)
    assert_close(backend.asnumpy(w), expected, rtol=1e-8, atol=1e-10)
    w1 = ridge_solution(backend.to_device(X, device), backend.to_device(Y[:, 0], device), 0.7)
    assert_close(backend.asnumpy(w1), expected[:, 0], rtol=1e-8, atol=1e-10)


def test_ridge_solution_raises_when_the_system_is_singular():
    X = np.ones((4, 2))  # two equal columns: XᵀX is singular, and α = 0 adds nothing
    with pytest.raises(np.linalg.LinAlgError):
        ridge_solution(X, np.arange(4.0), 0.0)


def test_cholesky_falls_back_to_svd_when_alpha_is_zero_and_features_are_collinear(device):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(30, 2))
    X = np.column_stack([X, X[:, 0]])
    y = X[:, :2] @ np.array([2.0, -1.0])
    model = Ridge(alpha=0.0, solver="cholesky").fit(backend.to_device(X, device), backend.to_device(y, device))
    assert model.solver_ == "svd"
    assert_close(backend.asnumpy(model.coef_), [1.0, -1.0, 1.0], rtol=1e-8, atol=1e-10)  # the minimum-norm fit


def test_a_larger_alpha_shrinks_the_weights():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(40, 5)), rng.normal(size=40)
    norms = [np.linalg.norm(Ridge(alpha=alpha).fit(X, y).coef_) for alpha in (0.0, 1.0, 10.0, 100.0)]
    assert norms == sorted(norms, reverse=True)


@pytest.mark.parametrize(
    ("alpha", "error", "message"),
    [
        (-1, InvalidParameterError, r"The 'alpha' parameter of Ridge must be a float ≥ 0 or .*; got -1\."),
        ("big", InvalidParameterError, r"The 'alpha' parameter of Ridge must be a float ≥ 0"),
        (np.array([1.0, 2.0]), ValueError, r"number of penalties do not correspond: 3 != 2"),
        (np.array([1.0, -2.0, 1.0]), ValueError, r"alpha must be non-negative for every target"),
    ],
)
def test_invalid_alphas_are_reported(alpha, error, message):
    with pytest.raises(error, match=message):
        Ridge(alpha=alpha).fit(np.arange(8.0).reshape(4, 2), np.ones((4, 3)))


def test_invalid_solver_is_reported():
    with pytest.raises(InvalidParameterError, match=r"The 'solver' parameter of Ridge must be a str among"):
        Ridge(solver="lsqr").fit(np.ones((3, 1)), np.arange(3.0))
