"""Grader for exercise 00.standardize: z-scores along an axis, with ddof and constant slices."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.grading import expect
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("00.standardize")


def loop_standardize_columns(X, ddof=0):
    """The definition, one column at a time, in plain Python: (x - mean) / std, constant columns 0."""
    n, d = X.shape
    Z = np.zeros((n, d))
    for j in range(d):
        column = [X[i, j] for i in range(n)]
        mean = sum(column) / n
        std = math.sqrt(sum((x - mean) ** 2 for x in column) / (n - ddof))
        for i in range(n):
            Z[i, j] = 0.0 if max(column) == min(column) else (column[i] - mean) / std
    return Z


# multiples of 1/4 add up exactly, so the loop and the array code agree to the last bit on the mean
quarters = st.integers(-12, 12).map(lambda k: k / 4)


@st.composite
def data_matrices(draw):
    rows, columns = draw(st.integers(2, 8)), draw(st.integers(1, 4))
    return draw(hnp.arrays(np.float64, (rows, columns), elements=quarters))


@pytest.mark.points(1)
@pytest.mark.hint("subtract each column's mean, divide by its standard deviation (ddof=0 divides by n)")
def test_small_example(solution):
    X = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 60.0]])
    expect(solution(X), loop_standardize_columns(X), rtol=1e-9, what="standardize(X)")


@pytest.mark.points(1)
@pytest.mark.hint("axis=0 means down the columns: X.mean(axis=0, keepdims=True), one mean per feature")
@given(data_matrices())
def test_matches_the_loop(solution, X):
    expect(solution(X), loop_standardize_columns(X), rtol=1e-9, atol=1e-12, what=f"standardize of {X.tolist()}")


@pytest.mark.points(1)
@pytest.mark.hint(
    "reduce with keepdims=True so the statistics broadcast back along the right axis: without it, the row means "
    "of a square matrix (shape (n,)) line up with its columns and are silently subtracted from the wrong entries"
)
def test_rows_of_a_square_matrix(solution):
    X = np.array([[1.0, 2.0, 6.0], [0.0, 4.0, 8.0], [9.0, 3.0, 3.0]])
    expect(solution(X, axis=1), loop_standardize_columns(X.T).T, rtol=1e-9, what="standardize(X, axis=1)")


@pytest.mark.points(1)
@pytest.mark.hint("ddof=1 divides the sum of squares by n - 1 (the sample standard deviation): pass ddof through")
def test_ddof(solution):
    X = np.array([[1.0, -2.0], [2.0, 0.0], [4.0, 5.0], [7.0, 1.0]])
    expect(solution(X, ddof=1), loop_standardize_columns(X, ddof=1), rtol=1e-9, what="standardize(X, ddof=1)")
    with pytest.raises(ValueError):
        solution(np.ones((1, 3)), ddof=1)  # one value per column: n - ddof = 0


@pytest.mark.points(1)
@pytest.mark.hint(
    "axis may be None (all values together) or a tuple of axes: let X.mean / X.std take it as it is, keepdims=True"
)
def test_axis_none_and_tuples(solution):
    X = np.arange(24.0).reshape(2, 3, 4) ** 1.5
    for axis in (None, (0, 2)):
        mean = X.mean(axis=axis, keepdims=True)
        expected = (X - mean) / X.std(axis=axis, keepdims=True)
        expect(solution(X, axis=axis), expected, rtol=1e-9, what=f"standardize(X, axis={axis})")


@pytest.mark.points(1)
@pytest.mark.hint(
    "a constant column has std 0, or after rounding barely above 0 (three 0.1s average to 0.10000000000000002): "
    "find constant slices with X.max(...) == X.min(...) and divide by 1 there, so they come out 0"
)
def test_constant_columns_become_zero(solution):
    X = np.array([[5.0, 0.1, 1.0], [5.0, 0.1, 2.0], [5.0, 0.1, 3.0]])
    expect(solution(X), loop_standardize_columns(X), rtol=1e-9, atol=1e-12, what="standardize with constant columns")


@pytest.mark.points(1)
@pytest.mark.hint(
    "compute with xp = minml.backend.namespace(X) and array methods (X.mean, X.std, xp.where), "
    "never numpy functions: the fake GPU refuses np.<function> on device arrays"
)
def test_runs_on_the_fake_gpu(solution):
    X = np.array([[1.0, 7.0], [2.0, 7.0], [4.0, 7.0], [9.0, 7.0]])
    Z = solution(backend.to_device(X, FAKE_DEVICE), ddof=1)
    assert backend.device_of(Z) == FAKE_DEVICE, f"the result should stay on X's device; it is a {type(Z)}"
    expect(Z, solution(X, ddof=1), rtol=1e-9, what="standardize on the fake GPU against the cpu")
