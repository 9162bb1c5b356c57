"""Grader for exercise 05.ridge_solution: the ridge weights w = (XᵀX + αI)⁻¹ Xᵀy, by a Cholesky solve."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.grading import expect
from minml.linear import Ridge
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("05.ridge_solution")

FORMULA_HINT = ("w = (XᵀX + αI)⁻¹ Xᵀy: add α to the DIAGONAL of XᵀX only (α·I, not α added to every entry), "
                "and take α as given — minimising ‖y − Xw‖² + α‖w‖² gives XᵀX w + α w = Xᵀy, no factor 2 or ½ on α")
WIDE_HINT = ("when n < p, solve the n×n system (XXᵀ + αI) c = y — with the same α on its diagonal — "
             "and return w = Xᵀc, of shape (p,)")
TARGETS_HINT = "y may be (n, k): one column per target; solve for all of them at once and return (p, k)"
INTERCEPT_HINT = ("no intercept inside ridge_solution: Ridge centres X and y first, so that the intercept is "
                  "not penalised; the formula has no column of ones")


def ridge_by_numpy(X, y, alpha):
    """The definition, on the host: solve (XᵀX + αI) w = Xᵀy."""
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return np.linalg.solve(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ y)


def check(solution, X, y, alpha, hint=FORMULA_HINT, device=None, rtol=1e-8):
    """The solution's weights for (X, y, alpha) on ``device``, compared with the definition; returns them."""
    w = solution(backend.to_device(np.asarray(X, dtype=np.float64), device),
                 backend.to_device(np.asarray(y, dtype=np.float64), device), alpha)
    want = ridge_by_numpy(X, y, alpha)
    assert tuple(w.shape) == want.shape, f"the weights should have shape {want.shape} (like Xᵀy); got {w.shape}"
    expect(w, want, rtol=rtol, atol=1e-10, hint=hint, what=f"ridge weights with alpha={alpha}")
    return w


@pytest.mark.points(2)
@pytest.mark.hint(FORMULA_HINT)
def test_small_problem_by_hand(solution):
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])  # XᵀX + I = [[3, 1], [1, 3]], Xᵀy = [4, 5]
    w = check(solution, X, np.array([1.0, 2.0, 3.0]), 1.0)
    expect(w, np.array([0.875, 1.375]), hint=FORMULA_HINT, what="w = [[3, 1], [1, 3]]⁻¹ [4, 5]")


@pytest.mark.points(1)
@pytest.mark.hint("with alpha = 0, ridge is ordinary least squares: the solution of XᵀX w = Xᵀy")
def test_alpha_zero_is_least_squares(solution):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 4)), rng.normal(size=20)
    w = solution(backend.to_device(X), backend.to_device(y), 0.0)
    expect(w, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-8, what="least-squares weights (alpha = 0)")


@pytest.mark.points(2)
@pytest.mark.hint(FORMULA_HINT)
def test_gradient_of_the_objective_vanishes(solution):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(30, 5)), rng.normal(size=30)
    for alpha in (0.5, 3.0, 40.0):
        w = backend.asnumpy(solution(backend.to_device(X), backend.to_device(y), alpha))
        # ½·gradient of ‖y − Xw‖² + α‖w‖²: zero at the minimiser
        expect(X.T @ (X @ w - y) + alpha * w, np.zeros(5), atol=1e-9, hint=FORMULA_HINT,
               what=f"Xᵀ(Xw − y) + αw at your w (alpha={alpha}), which is zero at the ridge solution")


@pytest.mark.points(1)
@pytest.mark.hint(INTERCEPT_HINT)
def test_data_not_centred(solution):
    X = np.array([[1.0, 2.0], [2.0, 0.5], [3.0, 4.0], [4.0, 3.0], [5.0, 7.0]])
    check(solution, X, np.array([10.0, 11.0, 13.0, 12.0, 16.0]), 0.3, hint=INTERCEPT_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(WIDE_HINT)
def test_fewer_samples_than_features(solution):
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(5, 12)), rng.normal(size=5)
    for alpha in (0.1, 2.0):
        check(solution, X, y, alpha, hint=WIDE_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(TARGETS_HINT)
def test_several_targets(solution):
    rng = np.random.default_rng(3)
    for n, p in ((15, 4), (4, 9)):
        X, Y = rng.normal(size=(n, p)), rng.normal(size=(n, 3))
        W = check(solution, X, Y, 1.5, hint=TARGETS_HINT)
        for k in range(3):
            expect(W[:, k], ridge_by_numpy(X, Y[:, k], 1.5), rtol=1e-8, hint=TARGETS_HINT,
                   what=f"column {k} of the weights: the ridge solution of target {k} alone")


@st.composite
def problems(draw):
    n, p, k = draw(st.integers(1, 8)), draw(st.integers(1, 6)), draw(st.sampled_from([None, 1, 3]))
    X = draw(hnp.arrays(np.float64, (n, p), elements=st.integers(-20, 20).map(lambda v: v / 4)))
    y = draw(hnp.arrays(np.float64, (n,) if k is None else (n, k), elements=st.integers(-40, 40).map(lambda v: v / 4)))
    return X, y, draw(st.sampled_from([0.05, 0.5, 1.0, 7.0, 100.0]))


@pytest.mark.points(2)
@pytest.mark.hint(FORMULA_HINT + "; " + WIDE_HINT)
@given(problems())
def test_random_problems(solution, problem):
    X, y, alpha = problem
    check(solution, X, y, alpha, rtol=1e-6)


@pytest.mark.points(1)
@pytest.mark.hint("α = 0 with collinear features: XᵀX is singular and minml.backend.cholesky raises "
                  "numpy.linalg.LinAlgError; let it propagate (Ridge falls back to its SVD solver on it)")
def test_singular_system_raises(solution):
    X = np.array([[1.0, 2.0]] * 4)  # the second column is twice the first: XᵀX = [[4, 8], [8, 16]] is singular
    with pytest.raises(np.linalg.LinAlgError):
        solution(backend.to_device(X), backend.to_device(np.arange(4.0)), 0.0)


@pytest.mark.points(1)
@pytest.mark.hint("compute with xp = minml.backend.namespace(X, y), minml.backend.cholesky and minml.backend.solve, "
                  "never np.linalg: the fake GPU refuses NumPy functions on device arrays")
def test_runs_on_the_fake_gpu(solution):
    rng = np.random.default_rng(4)
    for n, p in ((12, 3), (3, 7)):
        w = check(solution, rng.normal(size=(n, p)), rng.normal(size=n), 0.8, device=FAKE_DEVICE)
        assert backend.device_of(w) == FAKE_DEVICE, f"the weights should stay on X's device; got a {type(w)}"


@pytest.mark.points(2)
@pytest.mark.hint("minml's Ridge centres the data and calls your function for its weights: " + FORMULA_HINT)
def test_ridge_uses_it(solution, monkeypatch):
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(40, 6)), rng.normal(size=40) + 3.0
    monkeypatch.setattr(sys.modules["minml.linear.ridge"], "ridge_solution", solution)
    model = Ridge(alpha=2.0, solver="cholesky").fit(backend.to_device(X), backend.to_device(y))
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    want = ridge_by_numpy(Xc, yc, 2.0)
    expect(model.coef_, want, rtol=1e-8, hint=FORMULA_HINT, what="Ridge(alpha=2).coef_")
    expect(model.intercept_, y.mean() - X.mean(axis=0) @ want, rtol=1e-8, what="Ridge(alpha=2).intercept_")


@pytest.mark.points(1)
@pytest.mark.hint("scikit-learn's Ridge minimises ‖y − Xw‖² + α‖w‖² too: " + FORMULA_HINT)
def test_as_scikit_learn(solution):
    rng = np.random.default_rng(6)
    X, y = rng.normal(size=(30, 8)), rng.normal(size=30)
    w = solution(backend.to_device(X), backend.to_device(y), 4.0)
    linear_model = pytest.importorskip("sklearn.linear_model")
    want = linear_model.Ridge(alpha=4.0, fit_intercept=False, solver="cholesky").fit(X, y).coef_
    expect(w, want, rtol=1e-8, hint=FORMULA_HINT,
           what="weights beside scikit-learn's Ridge(alpha=4, fit_intercept=False)")
