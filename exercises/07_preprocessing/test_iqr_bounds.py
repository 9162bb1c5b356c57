"""Grader for exercise 07.iqr_bounds: Tukey's fences Q1 − k·IQR and Q3 + k·IQR of each column, skipping NaN."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.grading import expect
from minml.preprocessing import OutlierClipper
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("07.iqr_bounds")

FENCE_HINT = ("the fences stand on the quartiles, not on the median: lower = Q1 − factor·IQR, upper = Q3 + factor·IQR, "
              "with IQR = Q3 − Q1")
QUANTILE_HINT = ("quartiles by linear interpolation (NumPy's default): position h = (n − 1)·q in the sorted values, "
                 "v[⌊h⌋] + (h − ⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋]); minml.preprocessing.nan_quantile(X, q) does it for you")
NAN_HINT = "skip NaN: the quartiles of column j come from its non-missing values only (nan_quantile does that)"


def fences(X, factor=1.5):
    """Tukey's fences by NumPy on the host: the definition."""
    X = np.asarray(X, dtype=np.float64)
    q1, q3 = np.nanquantile(X, 0.25, axis=0), np.nanquantile(X, 0.75, axis=0)
    return q1 - factor * (q3 - q1), q3 + factor * (q3 - q1)


def check(solution, X, factor=1.5, hint=FENCE_HINT, device=None):
    """The solution's fences for X on ``device``, compared with the definition; returns them."""
    result = solution(backend.to_device(np.asarray(X, dtype=np.float64), device), factor)
    assert isinstance(result, tuple) and len(result) == 2, "return a tuple of two arrays: (lower, upper)"
    for name, got, want in zip(("lower", "upper"), result, fences(X, factor)):
        assert tuple(got.shape) == want.shape, f"{name} should have shape (n_features,) = {want.shape}; got {got.shape}"
        expect(got, want, rtol=1e-9, atol=1e-12, hint=hint, what=f"{name} fence with factor {factor}")
    return result


@pytest.mark.points(1)
@pytest.mark.hint(FENCE_HINT)
def test_one_to_nine(solution):
    X = np.arange(1.0, 10.0)[:, None]  # Q1 = 3, Q3 = 7, IQR = 4
    lower, upper = check(solution, X)
    expect(lower, np.array([-3.0]), what="lower fence of 1..9 (3 − 1.5·4)")
    expect(upper, np.array([13.0]), what="upper fence of 1..9 (7 + 1.5·4)")


@pytest.mark.points(2)
@pytest.mark.hint(FENCE_HINT)
def test_skewed_columns(solution):
    X = np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 1.0], [4.0, 1.0], [50.0, 2.0], [60.0, 10.0], [80.0, 100.0]])
    check(solution, X)


@pytest.mark.points(2)
@pytest.mark.hint(QUANTILE_HINT)
def test_quartiles_between_values(solution):
    X = np.array([[1.0, 5.0], [2.0, -1.0], [4.0, 0.0], [8.0, 2.0], [16.0, 3.0], [32.0, 9.0]])
    lower, upper = check(solution, X, factor=0.0, hint=QUANTILE_HINT)
    expect(lower, np.array([2.5, 0.5]), hint=QUANTILE_HINT, what="Q1s (1, 2, 4, 8, 16, 32: position 1.25, 2 + 0.25·2)")
    expect(upper, np.array([14.0, 4.5]), hint=QUANTILE_HINT, what="Q3s (1, 2, 4, 8, 16, 32: position 3.75, 8 + 0.75·8)")


@pytest.mark.points(2)
@pytest.mark.hint(NAN_HINT)
def test_missing_values_are_skipped(solution):
    X = np.array([[1.0, np.nan], [np.nan, 4.0], [3.0, 8.0], [7.0, np.nan], [np.nan, 2.0], [2.0, 6.0]])
    check(solution, X, hint=NAN_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("factor is Tukey's k: 0 gives the quartiles themselves, 3 the 'far out' fences")
def test_factor(solution):
    X = np.array([[0.0, 10.0], [1.0, 30.0], [5.0, 20.0], [2.0, 25.0], [9.0, 12.0]])
    for factor in (0.0, 1.0, 3.0):
        check(solution, X, factor)


@pytest.mark.points(1)
@pytest.mark.hint("a negative factor would put the lower fence above the upper one: raise ValueError naming factor")
def test_negative_factor_raises(solution):
    with pytest.raises(ValueError, match="factor"):
        solution(backend.to_device(np.array([[1.0], [2.0], [3.0]])), -0.5)


@st.composite
def tables_with_gaps(draw):
    rows, columns = draw(st.integers(1, 10)), draw(st.integers(1, 4))
    X = draw(hnp.arrays(np.float64, (rows, columns), elements=st.integers(-50, 50).map(lambda k: k / 8)))
    gaps = draw(hnp.arrays(np.bool_, (rows, columns)))
    gaps[0] = False  # every column keeps at least one value
    return np.where(gaps, np.nan, X), draw(st.sampled_from([0.0, 0.5, 1.5, 3.0]))


@pytest.mark.points(2)
@pytest.mark.hint(QUANTILE_HINT)
@given(tables_with_gaps())
def test_random_tables(solution, case):
    X, factor = case
    check(solution, X, factor, hint=QUANTILE_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("compute with minml.preprocessing.nan_quantile or xp = minml.backend.namespace(X), never "
                  "np.nanquantile: the fake GPU refuses NumPy functions on device arrays")
def test_runs_on_the_fake_gpu(solution):
    X = np.array([[1.0, 2.0], [np.nan, 4.0], [3.0, 9.0], [10.0, 4.0], [4.0, np.nan]])
    lower, upper = check(solution, X, device=FAKE_DEVICE)
    for name, array in (("lower", lower), ("upper", upper)):
        assert backend.device_of(array) == FAKE_DEVICE, f"{name} should stay on X's device; it is a {type(array)}"


@pytest.mark.points(1)
@pytest.mark.hint("minml's OutlierClipper (method='iqr') learns lower_ and upper_ with your function, then clips")
def test_outlier_clipper_uses_it(solution, monkeypatch):
    monkeypatch.setattr(sys.modules["minml.preprocessing.outliers"], "iqr_bounds", solution)
    X = np.array([[1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0], [8.0], [9.0], [100.0]])  # Q1 3.25, Q3 7.75
    clipped = OutlierClipper(factor=1.0).fit_transform(backend.to_device(X))
    expect(clipped, np.minimum(X, 12.25), hint=FENCE_HINT, what="OutlierClipper(factor=1.0) on 1..9 and 100")


@pytest.mark.points(1)
@pytest.mark.hint("the fences are IQR·(1 + 2·factor) apart, where scikit-learn's RobustScaler learns the IQR as scale_")
def test_iqr_as_scikit_learn_measures_it(solution):
    rng = np.random.default_rng(5)
    X = rng.lognormal(size=(50, 3))
    X[rng.random(X.shape) < 0.1] = np.nan
    lower, upper = solution(backend.to_device(X), 1.5)
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    iqr = preprocessing.RobustScaler().fit(X).scale_
    hint = "the fences are (1 + 2·factor)·IQR apart: " + FENCE_HINT + "; " + QUANTILE_HINT
    expect(backend.asnumpy(upper) - backend.asnumpy(lower), 4 * iqr, rtol=1e-9, hint=hint,
           what="upper − lower = 4·IQR (factor 1.5), IQR from scikit-learn's RobustScaler")
