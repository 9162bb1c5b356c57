"""Grader for exercise 09.pegasos_step: one stochastic sub-gradient step of the primal SVM, then the projection."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.grading import expect
from minml.svm import pegasos
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("09.pegasos_step")

RATE_HINT = ("the step size is η = 1/(λ·t) with t counting from 1, so the first step has ηλ = 1 and forgets w "
             "entirely; not 1/(λ·(t + 1)), not 1/t")
MARGIN_HINT = ("only the samples strictly inside the margin pull: yᵢ·(w·xᵢ) < 1 with the OLD w (a sample with "
               "yᵢ·(w·xᵢ) = 1 exactly is on the margin and has a zero sub-gradient)")
BATCH_HINT = ("average over the whole batch: (η / b)·Σ yᵢxᵢ over the violators, with b = len(X_batch), "
              "not divided by the number of violators")
PROJECT_HINT = ("after the step, project onto the ball of radius 1/√λ: w ← w·min(1, (1/√λ)/‖w‖); "
                "a w already inside the ball is left as it is")
SHRINK_HINT = "the regulariser shrinks the old w: w ← (1 − ηλ)·w + (η/b)·Σ yᵢxᵢ"


def definition(w, X, y, lam, t):
    """The Pegasos step by its formula on the host."""
    w, X, y = (np.asarray(a, dtype=np.float64) for a in (w, X, y))
    eta = 1.0 / (lam * t)
    inside = y * (X @ w) < 1
    w = (1 - eta * lam) * w + eta / len(X) * (y[inside, None] * X[inside]).sum(axis=0)
    norm = np.sqrt(w @ w)
    return w * min(1.0, 1.0 / np.sqrt(lam) / norm) if norm > 0 else w


def check(solution, w, X, y, lam, t, hint, device=None):
    """The solution's new w on ``device``, compared with the formula; returns it."""
    result = solution(*(backend.to_device(np.asarray(a, dtype=np.float64), device) for a in (w, X, y)), lam, t)
    want = definition(w, X, y, lam, t)
    assert tuple(result.shape) == want.shape, f"w should keep its shape (d,) = {want.shape}; got {tuple(result.shape)}"
    expect(result, want, rtol=1e-9, atol=1e-12, hint=hint, what=f"w after the step with λ = {lam}, t = {t}")
    return result


X3 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
Y3 = np.array([1.0, -1.0, 1.0])


@pytest.mark.points(2)
@pytest.mark.hint(RATE_HINT)
def test_first_step_from_zero(solution):
    w = check(solution, np.zeros(2), X3, Y3, 1.0, 1, RATE_HINT)  # η = 1: w = (1/3)·Σ yᵢxᵢ = (2/3, 0)
    expect(w, np.array([2 / 3, 0.0]), hint=RATE_HINT, what="w after the first step from 0 (λ = 1)")


@pytest.mark.points(2)
@pytest.mark.hint(RATE_HINT)
def test_step_size_decays(solution):
    w = np.array([0.3, -0.2])
    for t in (2, 3, 7, 50):
        check(solution, w, X3, Y3, 0.5, t, RATE_HINT)


@pytest.mark.points(1)
@pytest.mark.hint(SHRINK_HINT)
def test_no_violators_only_shrinks(solution):
    w = np.array([2.0, -2.0])  # yᵢ·w·xᵢ = 2 for both samples: none inside the margin
    X, y = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, -1.0])
    result = check(solution, w, X, y, 0.1, 4, SHRINK_HINT)
    expect(result, 0.75 * w, hint=SHRINK_HINT, what="w after a step with no sample inside the margin: (1 − 1/4)·w")


@pytest.mark.points(2)
@pytest.mark.hint(MARGIN_HINT)
def test_only_samples_inside_the_margin_pull(solution):
    w = np.array([1.0, 0.0])
    X = np.array([[2.0, 1.0], [1.0, 3.0], [0.5, -1.0], [-1.0, 2.0]])  # yᵢ·w·xᵢ = 2, 1 (on the margin), 0.5, 1
    y = np.array([1.0, 1.0, 1.0, -1.0])
    check(solution, w, X, y, 0.1, 10, MARGIN_HINT)


@pytest.mark.points(1)
@pytest.mark.hint(BATCH_HINT)
def test_averages_over_the_whole_batch(solution):
    w = np.array([1.0, 0.0])
    X = np.array([[3.0, 0.0], [3.0, 1.0], [0.1, 2.0], [3.0, -1.0]])  # only the third sample is inside
    y = np.ones(4)
    check(solution, w, X, y, 0.2, 5, BATCH_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(PROJECT_HINT)
def test_projects_onto_the_ball(solution):
    lam = 0.01  # radius 1/√λ = 10
    X = np.array([[5.0, 0.0], [4.0, 3.0]])
    w = check(solution, np.zeros(2), X, np.ones(2), lam, 1, PROJECT_HINT)  # the step lands at 100·(4.5, 1.5)
    norm = float(np.linalg.norm(backend.asnumpy(w)))
    assert norm == pytest.approx(10.0), f"‖w‖ should be 1/√λ = 10 after the projection; got {norm}. {PROJECT_HINT}"


@pytest.mark.points(1)
@pytest.mark.hint(PROJECT_HINT)
def test_inside_the_ball_is_not_projected(solution):
    w = check(solution, np.array([0.2, 0.1]), X3, Y3, 0.5, 40, PROJECT_HINT)
    norm = float(np.linalg.norm(backend.asnumpy(w)))
    assert norm < 1 / np.sqrt(0.5) - 1e-3, f"a w inside the ball must not be stretched to its surface. {PROJECT_HINT}"


@pytest.mark.points(1)
@pytest.mark.hint("return a new array: w = (1 − ηλ)·w + ... rebinds the name; w *= ... would change the caller's w")
def test_leaves_the_argument_unchanged(solution):
    w = backend.to_device(np.array([0.5, -0.5]))
    solution(w, backend.to_device(X3), backend.to_device(Y3), 0.5, 3)
    expect(w, np.array([0.5, -0.5]), what="the caller's w after the call (it must not change)")


@st.composite
def batches(draw):
    size, features = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    values = st.integers(-16, 16).map(lambda k: k / 8)
    X = draw(hnp.arrays(np.float64, (size, features), elements=values))
    y = draw(hnp.arrays(np.float64, size, elements=st.sampled_from([1.0, -1.0])))
    w = draw(hnp.arrays(np.float64, features, elements=values))
    return w, X, y, draw(st.sampled_from([0.01, 0.1, 0.5, 2.0])), draw(st.integers(1, 30))


@pytest.mark.points(2)
@pytest.mark.hint(MARGIN_HINT + "; " + PROJECT_HINT)
@given(batches())
def test_random_batches(solution, case):
    w, X, y, lam, t = case
    check(solution, w, X, y, lam, t, MARGIN_HINT + "; " + PROJECT_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("compute with xp = minml.backend.namespace(w, X_batch) (xp.sqrt, xp.where, xp.minimum) and never "
                  "float(...) of a device value: the fake GPU refuses NumPy functions and host conversions")
def test_runs_on_the_fake_gpu(solution):
    w = check(solution, np.array([0.2, -0.1]), X3, Y3, 0.05, 2, PROJECT_HINT, device=FAKE_DEVICE)
    assert backend.device_of(w) == FAKE_DEVICE, f"w should stay on the device of its inputs; it is a {type(w)}"


def separable_problem():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = np.where(X @ np.array([1.0, -2.0, 0.5]) + 0.3 * rng.normal(size=200) > 0, 1.0, -1.0)
    return np.column_stack([X, np.ones(200)]), y  # a constant column: an intercept


@pytest.mark.points(2)
@pytest.mark.hint("minml's pegasos() calls your step once per mini-batch: " + RATE_HINT)
def test_pegasos_uses_it(solution, monkeypatch):
    X, y = (backend.to_device(a) for a in separable_problem())
    expected = pegasos(X, y, lam=0.01, n_iter=300, random_state=0)
    monkeypatch.setattr(sys.modules["minml.svm.pegasos"], "pegasos_step", solution)
    yours = pegasos(X, y, lam=0.01, n_iter=300, random_state=0)
    expect(yours, expected, rtol=1e-8, atol=1e-10, what="pegasos(X, y) weights after 300 steps with your step")


@pytest.mark.points(1)
@pytest.mark.hint("2,000 Pegasos steps should come within 2 % of the optimum of the hinge-loss objective: "
                  + RATE_HINT + "; " + MARGIN_HINT)
def test_reaches_scikit_learns_optimum(solution, monkeypatch):
    X, y = separable_problem()
    lam = 0.01
    monkeypatch.setattr(sys.modules["minml.svm.pegasos"], "pegasos_step", solution)
    w = backend.asnumpy(pegasos(backend.to_device(X), backend.to_device(y), lam=lam, n_iter=2000, random_state=0))
    svm = pytest.importorskip("sklearn.svm")
    best = svm.LinearSVC(loss="hinge", fit_intercept=False, C=1 / (lam * len(X)), tol=1e-8, max_iter=100_000)
    w_best = best.fit(X, y).coef_[0]

    def objective(v):
        return lam / 2 * v @ v + np.maximum(0.0, 1 - y * (X @ v)).mean()

    assert objective(w) <= 1.02 * objective(w_best), (
        f"the objective λ/2‖w‖² + mean hinge is {objective(w):.4f} after 2,000 steps; scikit-learn's LinearSVC "
        f"reaches {objective(w_best):.4f}")
