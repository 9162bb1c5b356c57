"""Grader for exercise 05.logistic_loss_grad_hess: the penalised logistic loss with its gradient and Hessian."""

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minml import backend
from minml.datasets import load_breast_cancer
from minml.grading import expect
from minml.linear import LogisticRegression
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("05.logistic_loss_grad_hess")

LOSS_HINT = ("loss = Σᵢ sᵢ·[log(1 + e^(zᵢ)) − yᵢzᵢ] + ½Σⱼ αⱼwⱼ², summed over the samples (not averaged), "
             "with the ½ on the penalty")
GRAD_HINT = ("grad = Xᵀ[s·(σ(z) − y)] + α·w: the gradient of the loss (σ − y), not of the likelihood (y − σ), "
             "and α·w (not 2αw: the ½ in the penalty cancels the 2)")
HESS_HINT = ("hess = Xᵀ diag(s·σ(z)(1 − σ(z))) X + diag(α): each row of X is weighted by p(1 − p), and α goes on the "
             "diagonal only")
STABLE_HINT = ("log(1 + e^z) overflows for z > 709: compute it as max(z, 0) + log1p(e^(−|z|)), and σ with "
               "minml.backend.special(z).expit — never log(σ) or log(1 − σ), which reach log(0)")
PENALTY_HINT = ("alpha is one number or one per weight; the intercept's column gets α = 0 so it is not penalised: "
                "use ½·Σ αⱼwⱼ² and αⱼwⱼ elementwise, α on the Hessian's diagonal")


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e^(−z)), without overflow


def by_numpy(w, X, y, alpha=0.0, sample_weight=None):
    """The definitions, on the host."""
    z = X @ w
    s = np.ones(len(y)) if sample_weight is None else sample_weight
    alpha = np.broadcast_to(np.asarray(alpha, dtype=np.float64), w.shape)
    p = sigmoid(z)
    loss = s @ (np.logaddexp(0.0, z) - y * z) + 0.5 * alpha @ (w * w)
    grad = X.T @ (s * (p - y)) + alpha * w
    hess = (X * (s * p * (1 - p))[:, None]).T @ X + np.diag(alpha)
    return loss, grad, hess


def check(solution, w, X, y, alpha=0.0, sample_weight=None, device=None, hints=(LOSS_HINT, GRAD_HINT, HESS_HINT),
          rtol=1e-9):
    """The solution's (loss, grad, hess) on ``device``, compared with the definitions; returns them."""
    def put(a):
        return None if a is None else backend.to_device(np.asarray(a, dtype=np.float64), device)

    alpha_arg = put(alpha) if np.ndim(alpha) else alpha
    result = solution(put(w), put(X), put(y), alpha_arg, put(sample_weight))
    assert isinstance(result, tuple) and len(result) == 3, "return a tuple of three: (loss, grad, hess)"
    want = by_numpy(np.asarray(w, float), np.asarray(X, float), np.asarray(y, float), alpha,
                    None if sample_weight is None else np.asarray(sample_weight, float))
    for name, got, expected, hint in zip(("loss", "gradient", "Hessian"), result, want, hints):
        shape = tuple(getattr(got, "shape", ()))
        assert shape == np.shape(expected), f"the {name} should have shape {np.shape(expected)}; got {shape}"
        expect(got, np.asarray(expected), rtol=rtol, atol=1e-10, hint=hint, what=name)
    return result


@pytest.mark.points(2)
@pytest.mark.hint("at w = 0 every σ is ½: loss n·log 2, gradient Xᵀ(½ − y), Hessian ¼·XᵀX")
def test_at_zero_by_hand(solution):
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    loss, grad, hess = check(solution, np.zeros(2), X, np.array([1.0, 0.0, 1.0]))
    expect(loss, 3 * np.log(2.0), hint=LOSS_HINT, what="loss at w = 0 (3·log 2)")
    expect(grad, np.array([-1.0, 0.0]), hint=GRAD_HINT, what="gradient at w = 0")
    expect(hess, np.array([[0.5, 0.25], [0.25, 0.5]]), hint=HESS_HINT, what="Hessian at w = 0 (¼·XᵀX)")


@pytest.mark.points(2)
@pytest.mark.hint(GRAD_HINT)
def test_gradient_of_the_loss(solution):
    rng = np.random.default_rng(0)
    X, y, w = rng.normal(size=(12, 3)), (rng.random(12) < 0.5).astype(float), rng.normal(size=3)
    check(solution, w, X, y, hints=(LOSS_HINT, GRAD_HINT, HESS_HINT))


@pytest.mark.points(2)
@pytest.mark.hint(HESS_HINT)
def test_hessian_is_weighted_by_p_one_minus_p(solution):
    rng = np.random.default_rng(1)
    X, y, w = rng.normal(size=(15, 4)), (rng.random(15) < 0.5).astype(float), 2 * rng.normal(size=4)
    _, _, hess = check(solution, w, X, y, 0.3, hints=(LOSS_HINT, GRAD_HINT, HESS_HINT))
    assert np.all(np.linalg.eigvalsh(backend.asnumpy(hess)) > 0), "the Hessian should be positive definite"


@pytest.mark.points(2)
@pytest.mark.hint(PENALTY_HINT)
def test_penalty_and_unpenalised_intercept(solution):
    rng = np.random.default_rng(2)
    X = np.column_stack([rng.normal(size=(20, 3)), np.ones(20)])  # the last column: the intercept
    y, w = (rng.random(20) < 0.4).astype(float), rng.normal(size=4)
    check(solution, w, X, y, 2.0, hints=(PENALTY_HINT,) * 3)  # one α for every weight
    check(solution, w, X, y, np.array([1.0, 1.0, 1.0, 0.0]), hints=(PENALTY_HINT,) * 3)  # the intercept: α = 0


@pytest.mark.points(1)
@pytest.mark.hint("sample_weight s multiplies each sample's loss, its gradient term and its Hessian term; "
                  "integer weights equal repeated rows")
def test_sample_weight(solution):
    rng = np.random.default_rng(3)
    X, y, w = rng.normal(size=(6, 2)), np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0]), rng.normal(size=2)
    counts = np.array([1, 3, 0, 2, 1, 1])
    weighted = check(solution, w, X, y, 0.5, sample_weight=counts.astype(float))
    repeated = solution(*(backend.to_device(a) for a in (w, np.repeat(X, counts, axis=0), np.repeat(y, counts))), 0.5)
    for name, a, b in zip(("loss", "gradient", "Hessian"), weighted, repeated):
        expect(a, b, rtol=1e-9, what=f"{name} with integer weights against repeated rows")


@pytest.mark.points(2)
@pytest.mark.hint(STABLE_HINT)
def test_large_scores_do_not_overflow(solution):
    X = np.array([[1.0], [-1.0], [2.0], [-3.0]])  # with w = 800: scores 800, −800, 1600, −2400
    y = np.array([0.0, 1.0, 1.0, 0.0])
    loss, grad, hess = check(solution, np.array([800.0]), X, y, hints=(STABLE_HINT, STABLE_HINT, HESS_HINT))
    for name, value in (("loss", loss), ("gradient", grad), ("Hessian", hess)):
        assert np.all(np.isfinite(backend.asnumpy(value))), f"the {name} is not finite for large scores. {STABLE_HINT}"


@pytest.mark.points(2)
@pytest.mark.hint("the gradient must be the derivative of your loss, and the Hessian the derivative of your gradient: "
                  + LOSS_HINT)
@settings(max_examples=15)
@given(st.integers(2, 10), st.integers(1, 4), st.integers(0, 2**32 - 1), st.sampled_from([0.0, 0.1, 1.0, 5.0]))
def test_derivatives_match_finite_differences(solution, n, p, seed, alpha):
    rng = np.random.default_rng(seed)
    X, y, w = rng.normal(size=(n, p)), (rng.random(n) < 0.5).astype(float), rng.normal(size=p)

    def evaluate(v):
        return [backend.asnumpy(a) for a in solution(*(backend.to_device(a) for a in (v, X, y)), alpha)]

    loss, grad, hess = evaluate(w)
    step = 1e-6
    for j in range(p):
        e = np.zeros(p)
        e[j] = step
        plus, minus = evaluate(w + e), evaluate(w - e)
        expect(grad[j], (plus[0] - minus[0]) / (2 * step), rtol=1e-5, atol=1e-6, hint=GRAD_HINT,
               what=f"gradient[{j}] against (loss(w + h·e_{j}) − loss(w − h·e_{j}))/2h")
        expect(hess[:, j], (plus[1] - minus[1]) / (2 * step), rtol=1e-5, atol=1e-6, hint=HESS_HINT,
               what=f"Hessian column {j} against the central difference of the gradient")
    check(solution, w, X, y, alpha, rtol=1e-8)


@pytest.mark.points(1)
@pytest.mark.hint("compute with xp = minml.backend.namespace(w, X, y) and minml.backend.special(z).expit, never np.* "
                  "or scipy: the fake GPU refuses NumPy functions on device arrays")
def test_runs_on_the_fake_gpu(solution):
    rng = np.random.default_rng(4)
    X, y, w = rng.normal(size=(8, 3)), (rng.random(8) < 0.5).astype(float), rng.normal(size=3)
    result = check(solution, w, X, y, np.array([1.0, 1.0, 0.0]), sample_weight=np.arange(1.0, 9.0),
                   device=FAKE_DEVICE)
    for name, value in zip(("loss", "gradient", "Hessian"), result):
        assert backend.device_of(value) == FAKE_DEVICE, f"the {name} should stay on X's device; got a {type(value)}"


def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


@pytest.mark.points(2)
@pytest.mark.hint("minml's LogisticRegression(solver='newton') steps w ← w − H⁻¹g with your function; a wrong "
                  "gradient moves the minimum, a wrong Hessian slows or stops Newton's method: " + GRAD_HINT)
def test_logistic_regression_uses_it(solution, monkeypatch):
    X, y = cancer()
    check(solution, np.zeros(2), X[:5, :2], y[:5].astype(float))  # the stub fails here, before any fit
    reference = LogisticRegression(C=0.5, tol=1e-8).fit(backend.to_device(X), backend.to_device(y))
    monkeypatch.setattr(sys.modules["minml.linear.logistic"], "logistic_loss_grad_hess", solution)
    model = LogisticRegression(C=0.5, tol=1e-8).fit(backend.to_device(X), backend.to_device(y))
    expect(model.coef_, reference.coef_, rtol=1e-6, atol=1e-8, what="LogisticRegression(C=0.5).coef_")
    expect(model.intercept_, reference.intercept_, rtol=1e-6, atol=1e-8, what="LogisticRegression(C=0.5).intercept_")
    n_iter = backend.to_scalar(model.n_iter_[0])
    assert n_iter <= 15, f"Newton's method needed {n_iter} iterations with your Hessian (about 9 expected). {HESS_HINT}"


@pytest.mark.points(1)
@pytest.mark.hint("scikit-learn's LogisticRegression minimises C·Σ loss + ½‖w‖² with an unpenalised intercept: "
                  + PENALTY_HINT)
def test_as_scikit_learn(solution, monkeypatch):
    X, y = cancer()
    monkeypatch.setattr(sys.modules["minml.linear.logistic"], "logistic_loss_grad_hess", solution)
    model = LogisticRegression(C=0.5, tol=1e-8).fit(backend.to_device(X), backend.to_device(y))
    linear_model = pytest.importorskip("sklearn.linear_model")
    theirs = linear_model.LogisticRegression(C=0.5, solver="newton-cholesky", tol=1e-10).fit(X, y)
    expect(model.coef_, theirs.coef_, rtol=1e-4, atol=1e-4,
           what="coef_ beside scikit-learn's LogisticRegression(C=0.5)")
    expect(model.intercept_, theirs.intercept_, rtol=1e-4, atol=1e-4, what="intercept_ beside scikit-learn's")
