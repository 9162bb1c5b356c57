"""Grader for exercise 09.rbf_kernel: the Gaussian kernel matrix K[i, j] = exp(-γ ‖xᵢ - yⱼ‖²)."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.grading import expect
from minml.svm import SVC
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("09.rbf_kernel")

SQUARE_HINT = ("the distance is squared: K = exp(-γ·‖x − y‖²), not exp(-γ·‖x − y‖); "
               "‖x − y‖² = ‖x‖² + ‖y‖² − 2 x·y needs no square root at all")
GAMMA_HINT = ("γ multiplies the squared distance (exp(-γ·d²)); it does not divide it, "
              "and the sign in the exponent is minus")
PAIRS_HINT = ("K[i, j] pairs row i of X with row j of Y: shape (n, m); broadcast the norms as a column (n, 1) "
              "plus a row (1, m), and take X @ Y.T for all the dot products")
ROUNDING_HINT = ("‖x‖² + ‖y‖² − 2 x·y can round to a small negative number when x ≈ y far from the origin: "
                 "clip the squared distances at 0 (or use minml.metrics.pairwise.pairwise_sq_distances)")


def definition(X, Y, gamma):
    """The kernel by NumPy on the host, pair by pair through broadcasting: the definition."""
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    return np.exp(-gamma * ((X[:, None, :] - Y[None, :, :]) ** 2).sum(axis=-1))


def check(solution, X, Y, gamma, hint, device=None, rtol=1e-9, atol=1e-12):
    """The solution's kernel matrix on ``device``, compared with the definition; returns it."""
    K = solution(backend.to_device(np.asarray(X, dtype=np.float64), device),
                 backend.to_device(np.asarray(Y, dtype=np.float64), device), gamma)
    want = definition(X, Y, gamma)
    assert tuple(K.shape) == want.shape, f"K should have shape (n, m) = {want.shape}; got {tuple(K.shape)}"
    expect(K, want, rtol=rtol, atol=atol, hint=hint, what=f"rbf kernel with gamma {gamma}")
    return K


@pytest.mark.points(2)
@pytest.mark.hint(SQUARE_HINT)
def test_three_points(solution):
    X = np.array([[0.0, 0.0], [3.0, 4.0]])
    Y = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])  # squared distances 0, 1, 4 and 25, 20, 13
    K = check(solution, X, Y, 0.5, SQUARE_HINT)
    expect(K[0], np.exp([-0.0, -0.5, -2.0]), hint=SQUARE_HINT, what="K[0] = exp(-0.5·(0, 1, 4))")


@pytest.mark.points(1)
@pytest.mark.hint(GAMMA_HINT)
def test_gamma(solution):
    X = np.array([[1.0, 2.0], [0.0, -1.0], [2.5, 0.5]])
    for gamma in (0.01, 0.3, 2.0, 10.0):
        check(solution, X, X[:2], gamma, GAMMA_HINT)


@pytest.mark.points(1)
@pytest.mark.hint(GAMMA_HINT)
def test_default_gamma_is_one(solution):
    X = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]])
    K = solution(backend.to_device(X), backend.to_device(X))
    expect(K, definition(X, X, 1.0), hint="gamma defaults to 1.0 (keep the signature's default)",
           what="rbf_kernel(X, X) with the default gamma")


@pytest.mark.points(2)
@pytest.mark.hint(PAIRS_HINT)
def test_rectangular(solution):
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(7, 3)), rng.normal(size=(4, 3))
    check(solution, X, Y, 0.7, PAIRS_HINT)
    check(solution, Y, X, 0.7, PAIRS_HINT)
    check(solution, X[:1], Y, 0.7, PAIRS_HINT)


@pytest.mark.points(1)
@pytest.mark.hint(ROUNDING_HINT)
def test_far_from_the_origin(solution):
    rng = np.random.default_rng(2)
    X = 1e4 + rng.normal(scale=1e-3, size=(40, 3))  # close points with huge norms: the expansion cancels
    K = backend.asnumpy(solution(backend.to_device(X), backend.to_device(X), 1.0))
    assert np.all(K <= 1.0), f"a kernel value above 1 ({K.max()!r}) means a negative squared distance. {ROUNDING_HINT}"
    expect(K, definition(X, X, 1.0), rtol=0, atol=1e-6, hint=ROUNDING_HINT, what="K of close points far out")


@pytest.mark.points(2)
@pytest.mark.hint(PAIRS_HINT)
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 4)),
                  elements=st.integers(-40, 40).map(lambda k: k / 8)),
       st.integers(1, 5), st.sampled_from([0.05, 0.5, 1.0, 3.0]))
def test_random_points(solution, X, m, gamma):
    Y = X[:m] * 0.5 + 0.25  # a different number of rows, the same number of columns
    check(solution, X, Y, gamma, PAIRS_HINT)
    K = backend.asnumpy(check(solution, X, X, gamma, PAIRS_HINT))
    expect(K, K.T, rtol=0, atol=1e-12, what="K(X, X) is symmetric")
    expect(np.diag(K), np.ones(len(X)), rtol=0, atol=1e-9, what="K(x, x) = exp(0) = 1 on the diagonal")


@pytest.mark.points(1)
@pytest.mark.hint("compute with xp = minml.backend.namespace(X, Y) (xp.exp, not np.exp): the fake GPU refuses "
                  "NumPy functions on device arrays, and the result must stay on X's device")
def test_runs_on_the_fake_gpu(solution):
    X = np.array([[0.0, 1.0], [2.0, 0.0], [1.0, 1.0]])
    K = check(solution, X, X[::-1], 0.8, PAIRS_HINT, device=FAKE_DEVICE)
    assert backend.device_of(K) == FAKE_DEVICE, f"K should stay on X's device; it is a {type(K)}"


@pytest.mark.points(2)
@pytest.mark.hint("minml's SVC(kernel='rbf') computes every kernel row with your function: " + SQUARE_HINT)
def test_svc_uses_it(solution, monkeypatch):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 2))
    y = (X[:, 0] ** 2 + X[:, 1] ** 2 > 1.2).astype(np.int64)  # a disc: no straight line separates it
    X_test = rng.normal(size=(40, 2))
    expected = SVC(C=10.0, gamma=0.5).fit(backend.to_device(X), backend.to_device(y))
    monkeypatch.setattr(sys.modules["minml.svm.kernels"], "rbf_kernel", solution)
    yours = SVC(C=10.0, gamma=0.5).fit(backend.to_device(X), backend.to_device(y))
    expect(yours.n_support_, expected.n_support_, what="SVC's n_support_ with your kernel")
    expect(yours.dual_coef_, expected.dual_coef_, rtol=1e-6, atol=1e-6, what="SVC's dual_coef_ with your kernel")
    expect(yours.decision_function(backend.to_device(X_test)), expected.decision_function(backend.to_device(X_test)),
           rtol=1e-6, atol=1e-6, what="SVC's decision_function on new points with your kernel")


@pytest.mark.points(1)
@pytest.mark.hint(SQUARE_HINT)
def test_as_scikit_learn_computes_it(solution):
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(30, 5)), rng.normal(size=(20, 5))
    K = backend.asnumpy(solution(backend.to_device(X), backend.to_device(Y), 0.2))
    pairwise = pytest.importorskip("sklearn.metrics.pairwise")
    expect(K, pairwise.rbf_kernel(X, Y, gamma=0.2), rtol=1e-9, atol=1e-12, hint=SQUARE_HINT,
           what="K against scikit-learn's rbf_kernel(X, Y, gamma=0.2)")
