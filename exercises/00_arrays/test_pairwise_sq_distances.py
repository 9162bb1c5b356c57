"""Grader for exercise 00.pairwise_sq_distances: all squared distances between two sets of points."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minml import backend
from minml.grading import expect
from minml.testing import FAKE_DEVICE
from minml.testing.strategies import arrays_of_shape

pytestmark = pytest.mark.exercise("00.pairwise_sq_distances")


def loop_sq_distances(X, Y):
    """The definition, one pair of rows at a time: D[i, j] = sum over k of (X[i, k] - Y[j, k])**2."""
    D = np.zeros((len(X), len(Y)))
    for i, x in enumerate(X.tolist()):
        for j, y in enumerate(Y.tolist()):
            D[i, j] = sum((a - b) ** 2 for a, b in zip(x, y))
    return D


@st.composite
def point_sets(draw):
    """X (n, d) and Y (m, d) with n, m, d drawn independently, in any memory layout."""
    n, m, d = draw(st.integers(1, 6)), draw(st.integers(1, 6)), draw(st.integers(1, 4))
    return draw(arrays_of_shape((n, d))), draw(arrays_of_shape((m, d)))


@pytest.mark.points(1)
@pytest.mark.hint("D[i, j] = ||x_i||² + ||y_j||² - 2 x_i·y_j: the distances squared (no square root), -2 times X @ Y.T")
def test_small_example(solution):
    X = np.array([[0.0, 0.0], [1.0, 0.0]])
    Y = np.array([[0.0, 1.0], [3.0, 4.0], [1.0, 0.0]])
    expect(solution(X, Y), [[1.0, 25.0, 1.0], [2.0, 20.0, 0.0]], what="pairwise_sq_distances(X, Y)")


@pytest.mark.points(2)
@pytest.mark.hint(
    "the result has shape (n, m): X's squared norms as a column (n, 1) plus Y's as a row (1, m); "
    "sum squares over axis 1 (the features), not axis 0"
)
@given(point_sets())
def test_matches_the_double_loop(solution, XY):
    X, Y = XY
    expect(solution(X, Y), loop_sq_distances(X, Y), rtol=1e-9, atol=1e-9, what=f"D for X {X.shape}, Y {Y.shape}")


@pytest.mark.points(1)
@pytest.mark.hint(
    "where x_i is almost y_j the expansion rounds to a tiny negative number; a squared distance "
    "is never negative: clip the result at 0 (xp.maximum(D, 0))"
)
def test_never_negative(solution):
    X = 1000.0 + np.random.default_rng(0).random((60, 3))  # far from the origin: ||x||² is large, x - y small
    D = solution(X, X)
    smallest = backend.to_scalar(D.min())
    assert smallest >= 0.0, f"pairwise_sq_distances(X, X) has a negative entry, {smallest:.3g}"


@pytest.mark.points(1)
@pytest.mark.hint(
    "compute with xp = minml.backend.namespace(X, Y) and array methods (X.sum, X @ Y.T, xp.maximum), "
    "never numpy functions: on a GPU the arrays are not NumPy arrays, and the fake GPU refuses np.<function>"
)
def test_runs_on_the_fake_gpu(solution):
    X = np.random.default_rng(1).standard_normal((5, 3))
    Y = np.random.default_rng(2).standard_normal((4, 3))
    D = solution(backend.to_device(X, FAKE_DEVICE), backend.to_device(Y, FAKE_DEVICE))
    assert backend.device_of(D) == FAKE_DEVICE, f"the result should stay on the inputs' device; it is a {type(D)}"
    expect(D, solution(X, Y), rtol=1e-9, atol=1e-9, what="D on the fake GPU against D on the cpu")


@pytest.mark.points(1)
@pytest.mark.hint("check X.ndim == Y.ndim == 2 and X.shape[1] == Y.shape[1]; put both shapes in the ValueError")
def test_bad_shapes_raise_naming_both(solution):
    for x_shape, y_shape in [((3, 2), (4, 5)), ((3,), (4, 3))]:
        with pytest.raises(ValueError) as error:
            solution(np.ones(x_shape), np.ones(y_shape))
        message = str(error.value)
        assert str(x_shape) in message and str(y_shape) in message, (
            f"the message should show both shapes, {x_shape} and {y_shape}; it is: {message!r}"
        )
