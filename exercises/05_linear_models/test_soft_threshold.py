"""Grader for exercise 05.soft_threshold: S(z, γ) = sign(z)·max(|z| − γ, 0), the lasso's coordinate update."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.datasets import load_diabetes
from minml.grading import expect
from minml.linear import Lasso
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("05.soft_threshold")

SHRINK_HINT = ("S moves z TOWARDS 0 by γ: |z| − γ, not |z| + γ; and it stops at 0 — max(|z| − γ, 0) — "
               "it never crosses to the other side")
SIGN_HINT = "keep the sign of z: S(−3, 1) = −2, so multiply max(|z| − γ, 0) by sign(z)"
DEFINITION_HINT = "S(z, γ) = sign(z)·max(|z| − γ, 0): keep the sign of z, move it towards 0 by γ, and stop at 0"
HARD_HINT = ("that is hard thresholding (keep z when |z| > γ): the lasso's update shrinks the survivors by γ too, "
             "which makes S continuous in z")


def soft_by_numpy(z, gamma):
    """The definition, on the host."""
    z = np.asarray(z, dtype=np.float64)
    return np.sign(z) * np.maximum(np.abs(z) - gamma, 0.0)


def check(solution, z, gamma, hint=DEFINITION_HINT, device=None):
    """The solution's S(z, γ) on ``device``, compared with the definition; returns it."""
    z = np.asarray(z, dtype=np.float64)
    gamma_arg = backend.to_device(np.asarray(gamma, dtype=np.float64), device) if np.ndim(gamma) else gamma
    result = solution(backend.to_device(z, device), gamma_arg)
    want = soft_by_numpy(z, gamma)
    assert tuple(result.shape) == want.shape, f"S(z, γ) should have z's shape {want.shape}; got {result.shape}"
    expect(result, want, rtol=1e-12, atol=1e-12, hint=hint, what=f"S(z, {gamma})")
    return result


@pytest.mark.points(2)
@pytest.mark.hint(SHRINK_HINT)
def test_values_by_hand(solution):
    result = check(solution, [3.0, 0.5, 1.0, 0.0, 2.5], 1.0)
    expect(result, np.array([2.0, 0.0, 0.0, 0.0, 1.5]), what="S([3, 0.5, 1, 0, 2.5], 1)")


@pytest.mark.points(2)
@pytest.mark.hint(SIGN_HINT)
def test_negative_values(solution):
    result = check(solution, [-3.0, -0.5, -1.0, -7.25], 1.0, hint=SIGN_HINT)
    expect(result, np.array([-2.0, 0.0, 0.0, -6.25]), hint=SIGN_HINT, what="S([−3, −0.5, −1, −7.25], 1)")


@pytest.mark.points(1)
@pytest.mark.hint(HARD_HINT)
def test_continuous_just_above_the_threshold(solution):
    check(solution, [1.001, -1.001, 1.5, -2.0], 1.0, hint=HARD_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("γ = 0 shrinks nothing: S(z, 0) = z")
def test_zero_threshold_is_the_identity(solution):
    z = np.array([-2.0, -0.1, 0.0, 0.3, 5.0])
    expect(solution(backend.to_device(z), 0.0), z, what="S(z, 0)")


@pytest.mark.points(1)
@pytest.mark.hint("work elementwise with xp.sign, xp.abs and xp.maximum: any shape of z (a 0-d array, a matrix), "
                  "and a γ that broadcasts with z")
def test_shapes_and_broadcast_threshold(solution):
    check(solution, np.array(-4.0), 1.5)  # a 0-d array, as the lasso's coordinate update passes it
    check(solution, np.array([[3.0, -3.0], [0.2, -0.2]]), 0.5)
    check(solution, np.array([[3.0, -3.0, 1.0], [0.2, -0.2, 4.0]]), np.array([0.5, 3.5, 2.0]))


@pytest.mark.points(2)
@pytest.mark.hint("S(z, γ) is the minimiser of ½(w − z)² + γ|w|: " + DEFINITION_HINT)
@given(hnp.arrays(np.float64, st.integers(1, 8), elements=st.integers(-80, 80).map(lambda v: v / 8)),
       st.sampled_from([0.0, 0.125, 1.0, 2.5, 6.0]))
def test_minimises_the_one_dimensional_lasso(solution, z, gamma):
    w = backend.asnumpy(solution(backend.to_device(z), gamma))
    assert w.shape == z.shape, f"S(z, γ) should have z's shape {z.shape}; got {w.shape}"

    def objective(v):
        return 0.5 * (v - z) ** 2 + gamma * np.abs(v)

    for candidate in (soft_by_numpy(z, gamma), z, np.zeros_like(z), w + 1e-3, w - 1e-3):
        assert np.all(objective(w) <= objective(candidate) + 1e-12), (
            f"S({z.tolist()}, {gamma}) = {w.tolist()} does not minimise ½(w − z)² + γ|w| elementwise; "
            f"{candidate.tolist()} does better"
        )


@pytest.mark.points(1)
@pytest.mark.hint("compute with xp = minml.backend.namespace(z, gamma) (xp.sign, xp.abs, xp.maximum), no Python "
                  "loop or `if` on values: the fake GPU refuses NumPy functions and float() on device arrays")
def test_runs_on_the_fake_gpu(solution):
    result = check(solution, [-2.0, -0.5, 0.25, 4.0], 0.75, device=FAKE_DEVICE)
    assert backend.device_of(result) == FAKE_DEVICE, f"S(z, γ) should stay on z's device; got a {type(result)}"


def diabetes():
    data = load_diabetes()
    return backend.to_device(data.data), backend.to_device(data.target)


@pytest.mark.points(2)
@pytest.mark.hint("minml's Lasso updates each weight with S(xⱼᵀ(r + xⱼwⱼ), n·α) / ‖xⱼ‖²: " + DEFINITION_HINT)
def test_lasso_uses_it(solution, monkeypatch):
    X, y = diabetes()
    check(solution, [0.0, -5.0, 5.0], 1.0)  # the stub fails here, before any fit
    want = Lasso(alpha=0.2, tol=1e-10).fit(X, y).coef_  # with minml's own soft_threshold
    monkeypatch.setattr(sys.modules["minml.linear.coordinate_descent"], "soft_threshold", solution)
    got = Lasso(alpha=0.2, tol=1e-10).fit(X, y).coef_
    expect(got, want, rtol=1e-6, atol=1e-6, hint=DEFINITION_HINT, what="Lasso(alpha=0.2).coef_ on the diabetes data")
    expect(backend.asnumpy(got) == 0, backend.asnumpy(want) == 0, what="which weights are exactly zero")


@pytest.mark.points(1)
@pytest.mark.hint("scikit-learn's Lasso minimises (1/(2n))‖y − Xw‖² + α‖w‖₁ by the same coordinate updates: "
                  + DEFINITION_HINT)
def test_lasso_as_scikit_learn(solution, monkeypatch):
    X, y = diabetes()
    monkeypatch.setattr(sys.modules["minml.linear.coordinate_descent"], "soft_threshold", solution)
    got = Lasso(alpha=0.5, tol=1e-10).fit(X, y)
    linear_model = pytest.importorskip("sklearn.linear_model")
    want = linear_model.Lasso(alpha=0.5, tol=1e-10).fit(backend.asnumpy(X), backend.asnumpy(y))
    expect(got.coef_, want.coef_, rtol=1e-5, atol=1e-5, hint=DEFINITION_HINT,
           what="Lasso(alpha=0.5).coef_ beside scikit-learn's")
