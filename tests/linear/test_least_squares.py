"""LinearRegression: least squares by QR, checked against scikit-learn and against the normal equations."""

import numpy as np
import pytest
from hypothesis import given, settings
from linear_problems import fit_on, regression_problems

from minml import backend
from minml.exceptions import InvalidParameterError, NotFittedError
from minml.linear.least_squares import LinearRegression
from minml.testing import assert_close

sklearn_linear = pytest.importorskip("sklearn.linear_model")


@given(problem=regression_problems())
def test_matches_scikit_learn_on_random_problems(device, problem):
    ours, coef, intercept = fit_on(device, LinearRegression(fit_intercept=problem.fit_intercept), problem)
    theirs = sklearn_linear.LinearRegression(fit_intercept=problem.fit_intercept)
    theirs.fit(problem.X, problem.y, sample_weight=problem.sample_weight)
    assert coef.shape == theirs.coef_.shape
    assert_close(coef, theirs.coef_, rtol=1e-7, atol=1e-9)
    assert_close(intercept, theirs.intercept_, rtol=1e-7, atol=1e-9)
    assert ours.rank_ == theirs.rank_
    assert_close(backend.asnumpy(ours.singular_), theirs.singular_, rtol=1e-8, atol=1e-10)
    prediction = ours.predict(backend.to_device(problem.X, device))
    assert backend.device_of(prediction) == backend.device_of(backend.to_device(problem.X, device))
    assert_close(backend.asnumpy(prediction), theirs.predict(problem.X), rtol=1e-7, atol=1e-8)


@settings(max_examples=10)
@given(problem=regression_problems(wide=True))
def test_fewer_samples_than_features_gives_the_minimum_norm_solution(problem):
    ours, coef, intercept = fit_on("cpu", LinearRegression(fit_intercept=problem.fit_intercept), problem)
    theirs = sklearn_linear.LinearRegression(fit_intercept=problem.fit_intercept)
    theirs.fit(problem.X, problem.y, sample_weight=problem.sample_weight)
    assert_close(coef, theirs.coef_, rtol=1e-6, atol=1e-8)
    assert_close(intercept, theirs.intercept_, rtol=1e-6, atol=1e-8)


def test_a_duplicated_feature_falls_back_to_lstsq_and_splits_the_weight(device):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    X = np.column_stack([X, X[:, 0]])  # feature 3 repeats feature 0: X has rank 3
    y = X[:, :3] @ np.array([2.0, -1.0, 0.5]) + 1.0
    model = LinearRegression().fit(backend.to_device(X, device), backend.to_device(y, device))
    assert model.rank_ == 3
    # of all weights with w0 + w3 = 2, the minimum-norm solution splits them equally
    assert_close(backend.asnumpy(model.coef_), [1.0, -1.0, 0.5, 1.0], rtol=1e-9, atol=1e-10)
    assert_close(backend.asnumpy(model.intercept_), 1.0, rtol=1e-9, atol=1e-10)


def test_qr_keeps_the_digits_that_the_normal_equations_lose():
    # a polynomial basis 1, t, ..., t⁷ on [0, 1] is nearly collinear: κ(X) ≈ 10⁷, κ(XᵀX) ≈ 10¹⁴
    t = np.linspace(0, 1, 60)
    X = np.vander(t, 8, increasing=True)[:, 1:]
    truth = np.arange(1.0, 8.0)
    y = X @ truth + 3.0
    qr = LinearRegression().fit(X, y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    normal = np.linalg.solve(Xc.T @ Xc, Xc.T @ yc)
    qr_error, normal_error = np.abs(qr.coef_ - truth).max(), np.abs(normal - truth).max()
    assert qr_error < 1e-5
    assert normal_error > 100 * qr_error


def test_lstsq_solver_agrees_with_qr_for_several_targets(device):
    rng = np.random.default_rng(1)
    X, Y = backend.to_device(rng.normal(size=(30, 4)), device), backend.to_device(rng.normal(size=(30, 2)), device)
    by_qr, by_lstsq = LinearRegression().fit(X, Y), LinearRegression(solver="lstsq").fit(X, Y)
    assert by_qr.coef_.shape == (2, 4) and by_qr.intercept_.shape == (2,)
    assert_close(by_qr.coef_, by_lstsq.coef_, rtol=1e-10, atol=1e-12)
    assert_close(by_qr.intercept_, by_lstsq.intercept_, rtol=1e-10, atol=1e-12)


def test_without_intercept_the_intercept_is_zero_and_the_fit_goes_through_the_origin():
    X, y = np.array([[1.0], [2.0], [3.0]]), np.array([3.0, 5.0, 7.0])
    model = LinearRegression(fit_intercept=False).fit(X, y)
    assert model.intercept_ == 0.0
    assert_close(model.coef_, [np.dot(X[:, 0], y) / np.dot(X[:, 0], X[:, 0])])


def test_invalid_solver_unfitted_use_and_wrong_width_are_reported():
    with pytest.raises(InvalidParameterError, match=r"The 'solver' parameter of LinearRegression must be"):
        LinearRegression(solver="normal").fit(np.ones((3, 1)), np.arange(3.0))
    with pytest.raises(NotFittedError, match="This LinearRegression instance is not fitted yet"):
        LinearRegression().predict(np.ones((2, 1)))
    model = LinearRegression().fit(np.arange(6.0).reshape(3, 2), np.arange(3.0))
    with pytest.raises(ValueError, match="X has 3 features, but LinearRegression is expecting 2 features"):
        model.predict(np.ones((2, 3)))
