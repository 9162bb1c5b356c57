"""Grader for exercise 07.one_hot_with_unknown: one column one-hot encoded against known categories."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.grading import expect
from minml.preprocessing import OneHotEncoder
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("07.one_hot_with_unknown")

UNKNOWN_HINT = ("an unknown value matches no category: with handle_unknown='ignore' its row is all zeros — not a 1 in "
                "the first column (argmax of an all-False row is 0) and not an extra column")
NAN_HINT = "NaN != NaN: also count two entries as equal where both are missing (x != x), or NaN never finds its column"
ERROR_HINT = ("with handle_unknown='error', raise ValueError('Found unknown categories [...] during transform ...') "
              "naming the unknown values, when any row matches no category")


def objects(*values):
    """A 1-D host object array (how string columns are held), from ``values`` as given."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def definition(column, categories):
    """Y[i, c] = 1 where column[i] equals categories[c] (NaN equal to NaN, None to None), by loops on the host."""
    def same(a, b):
        return (a is None and b is None) or (a is not None and b is not None and (a == b or (a != a and b != b)))
    table = [[1.0 if same(value, category) else 0.0 for category in categories] for value in column]
    return np.array(table, dtype=np.float64).reshape(len(column), len(categories))


def encode(solution, column, categories, handle_unknown="error", device=None):
    """The solution's table for a numeric column (on ``device``) or an object column (on the host)."""
    if column.dtype.kind in "biuf":
        column, categories = backend.to_device(column, device), backend.to_device(categories, device)
    Y = solution(column, categories, handle_unknown)
    assert tuple(Y.shape) == (len(column), len(categories)), (
        f"the table has one row per value and one column per category: shape {(len(column), len(categories))}, "
        f"got {tuple(Y.shape)}")
    assert Y.dtype == np.float64, f"return float64 zeros and ones (.astype(np.float64)); got dtype {Y.dtype}"
    return Y


@pytest.mark.points(1)
@pytest.mark.hint("compare column[:, None] with categories[None, :]: broadcasting gives the whole table at once")
def test_integer_column(solution):
    column, categories = np.array([2, 0, 1, 2, 5]), np.array([0, 1, 2, 5])
    expect(encode(solution, column, categories), definition(column, categories), what="one-hot table")


@pytest.mark.points(1)
@pytest.mark.hint("strings arrive as host object arrays: == compares them element by element as well")
def test_string_column(solution):
    column, categories = objects("York", "Bath", "York", "Hull"), objects("Bath", "Hull", "York")
    expect(encode(solution, column, categories), definition(column, categories), what="one-hot table of cities")


@pytest.mark.points(2)
@pytest.mark.hint(NAN_HINT)
def test_missing_values_are_a_category(solution):
    column, categories = np.array([1.5, np.nan, 2.5, np.nan]), np.array([1.5, 2.5, np.nan])
    expect(encode(solution, column, categories), definition(column, categories), hint=NAN_HINT,
           what="one-hot table with NaN as a category")
    column, categories = objects("a", None, np.nan, "b"), objects("a", "b", None, np.nan)
    expect(encode(solution, column, categories), definition(column, categories), hint=NAN_HINT,
           what="one-hot table of strings with None and NaN as categories")


@pytest.mark.points(2)
@pytest.mark.hint(UNKNOWN_HINT)
def test_unknown_values_are_all_zero_rows_when_ignored(solution):
    column, categories = np.array([3.0, 7.0, 1.0, -2.0, 3.0]), np.array([1.0, 3.0])
    Y = encode(solution, column, categories, "ignore")
    expect(Y, np.array([[0, 1], [0, 0], [1, 0], [0, 0], [0, 1]], dtype=float), hint=UNKNOWN_HINT,
           what="the table with handle_unknown='ignore' (7 and -2 are unknown)")
    Y = encode(solution, objects("Paris", "Bath"), objects("Bath", "York"), "ignore")
    expect(Y, np.array([[0.0, 0.0], [1.0, 0.0]]), hint=UNKNOWN_HINT, what="the table of an unknown city, ignored")


@pytest.mark.points(2)
@pytest.mark.hint(ERROR_HINT)
def test_unknown_values_raise_by_default(solution):
    with pytest.raises(ValueError, match=r"(?i)unknown categor.*7\.0"):
        solution(backend.to_device(np.array([1.0, 7.0, 1.0])), backend.to_device(np.array([1.0, 3.0])))
    with pytest.raises(ValueError, match=r"(?i)unknown categor.*Paris"):
        solution(objects("Bath", "Paris"), objects("Bath", "York"), "error")


@pytest.mark.points(1)
@pytest.mark.hint("with handle_unknown='error', raise only when some value matches no category; NaN matches NaN")
def test_known_values_do_not_raise(solution):
    column, categories = np.array([2.0, np.nan, 2.0]), np.array([2.0, np.nan])
    expect(encode(solution, column, categories, "error"), definition(column, categories), hint=NAN_HINT,
           what="one-hot table (every value known)")


@st.composite
def columns_and_categories(draw):
    categories = np.array(sorted(draw(st.sets(st.integers(-5, 5), min_size=1, max_size=6))), dtype=np.float64)
    if draw(st.booleans()):
        categories = np.append(categories, np.nan)
    values = st.one_of(st.integers(-7, 7).map(float), st.just(np.nan))
    column = draw(hnp.arrays(np.float64, draw(st.integers(0, 12)), elements=values))
    return column, categories


@pytest.mark.points(2)
@pytest.mark.hint(UNKNOWN_HINT)
@given(columns_and_categories())
def test_random_columns(solution, case):
    column, categories = case
    Y = encode(solution, column, categories, "ignore")
    expect(Y, definition(column, categories), hint=UNKNOWN_HINT, what="one-hot table with handle_unknown='ignore'")


@pytest.mark.points(1)
@pytest.mark.hint("use comparisons and .astype (they work on every device), no np.<function>; keep the table on "
                  "the column's device")
def test_runs_on_the_fake_gpu(solution):
    column, categories = np.array([4.0, np.nan, 9.0, 4.0]), np.array([4.0, np.nan])
    Y = encode(solution, column, categories, "ignore", device=FAKE_DEVICE)
    assert backend.device_of(Y) == FAKE_DEVICE, f"the table should stay on the column's device; it is a {type(Y)}"
    expect(Y, definition(column, categories), hint=NAN_HINT, what="one-hot table on the fake GPU")


@pytest.mark.points(1)
@pytest.mark.hint("minml's OneHotEncoder encodes every column with your function, against its categories_")
def test_one_hot_encoder_uses_it(solution, monkeypatch):
    monkeypatch.setattr(sys.modules["minml.preprocessing.encoding"], "one_hot_with_unknown", solution)
    train = np.empty((4, 2), dtype=object)
    train[:, 0], train[:, 1] = ["York", "Bath", "York", "Hull"], [1, 2, 2, 1]
    new = np.empty((2, 2), dtype=object)
    new[:, 0], new[:, 1] = ["Hull", "Paris"], [2, 3]
    encoder = OneHotEncoder(handle_unknown="ignore").fit(train)
    expect(encoder.transform(new), np.array([[0, 1, 0, 0, 1], [0, 0, 0, 0, 0]], dtype=float), hint=UNKNOWN_HINT,
           what="OneHotEncoder(handle_unknown='ignore') on a new Hull, 2 and an unknown Paris, 3")


@pytest.mark.points(1)
@pytest.mark.hint("scikit-learn's OneHotEncoder(categories=[...], handle_unknown='ignore') gives the same table")
def test_same_as_scikit_learn(solution):
    rng = np.random.default_rng(3)
    column = rng.integers(0, 8, size=60).astype(np.float64)
    column[rng.random(60) < 0.1] = np.nan
    categories = np.array([0.0, 1.0, 2.0, 4.0, 5.0, np.nan])
    Y = encode(solution, column, categories, "ignore")
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    encoder = preprocessing.OneHotEncoder(categories=[categories], handle_unknown="ignore", sparse_output=False)
    expect(Y, encoder.fit(column[:, None]).transform(column[:, None]), hint=UNKNOWN_HINT,
           what="the table against scikit-learn's OneHotEncoder")
