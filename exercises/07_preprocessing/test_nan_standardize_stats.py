"""Grader for exercise 07.nan_standardize_stats: each column's mean, variance and scale, skipping NaN."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.grading import expect
from minml.preprocessing import StandardScaler
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("07.nan_standardize_stats")

NAN_HINT = ("skip NaN: replace it by 0 (xp.where(xp.isnan(X), 0, X)) AND give it weight 0, so that n_j counts only "
            "the values present in column j; a plain X.mean(axis=0) turns the whole column into NaN")
DDOF_HINT = "the variance divides by n_j (ddof=0, as StandardScaler does), not by n_j - 1"
CONSTANT_HINT = ("a constant column has no spread: give it scale 1 so that (x - mean) / scale is 0, not NaN; "
                 "rounding leaves a tiny positive variance (three 0.1s), so test "
                 "var_j <= n_j·ε·var_j + (n_j·mean_j·ε)², not var == 0")
WEIGHT_HINT = ("with sample_weight every sum is weighted: n_j = Σ w_i, mean_j = Σ w_i·x_ij / n_j, "
               "var_j = Σ w_i·(x_ij - mean_j)² / n_j")


def reference_stats(X, weights=None):
    """The definition, column by column on the host: weighted mean, variance (ddof 0) and scale over non-NaN rows."""
    X = np.asarray(X, dtype=np.float64)
    weights = np.ones(X.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    means, variances, scales = [], [], []
    for column in X.T:
        present = ~np.isnan(column)
        w, x = weights[present], column[present]
        if w.sum() == 0:
            means.append(np.nan), variances.append(np.nan), scales.append(np.nan)
            continue
        mean = np.sum(w * x) / np.sum(w)
        var = np.sum(w * (x - mean) ** 2) / np.sum(w)
        means.append(mean), variances.append(var)
        scales.append(1.0 if np.ptp(x) == 0 else np.sqrt(var))
    return np.array(means), np.array(variances), np.array(scales)


def check(solution, X, weights=None, hint=None, device=None):
    """Call the solution on X (and weights) on ``device`` and compare the three results with the definition."""
    args = [backend.to_device(np.asarray(X, dtype=np.float64), device)]
    if weights is not None:
        args.append(backend.to_device(np.asarray(weights, dtype=np.float64), device))
    result = solution(*args)
    assert isinstance(result, tuple) and len(result) == 3, "return a tuple of three arrays: (mean, var, scale)"
    for name, got, want in zip(("mean", "var", "scale"), result, reference_stats(X, weights)):
        assert tuple(got.shape) == want.shape, f"{name} should have shape (n_features,) = {want.shape}; got {got.shape}"
        expect(got, want, rtol=1e-9, atol=1e-12, hint=hint, what=name)
    return result


@pytest.mark.points(1)
@pytest.mark.hint(DDOF_HINT)
def test_complete_data(solution):
    X = np.array([[1.0, 10.0, -2.0], [2.0, 20.0, 0.0], [4.0, 40.0, 2.0], [9.0, 30.0, 4.0]])
    mean, var, scale = check(solution, X, hint=DDOF_HINT)
    expect(mean, X.mean(axis=0), what="mean")
    expect(var, X.var(axis=0), hint=DDOF_HINT, what="var (NumPy's X.var(axis=0))")


@pytest.mark.points(2)
@pytest.mark.hint(NAN_HINT)
def test_missing_values_are_skipped(solution):
    X = np.array([[1.0, np.nan, 3.0], [np.nan, 2.0, 5.0], [4.0, 6.0, np.nan], [7.0, np.nan, 9.0], [3.0, 4.0, 1.0]])
    mean, var, _ = check(solution, X, hint=NAN_HINT)
    expect(mean, np.nanmean(X, axis=0), hint=NAN_HINT, what="mean (np.nanmean)")
    expect(var, np.nanvar(X, axis=0), hint=NAN_HINT, what="var (np.nanvar)")


@pytest.mark.points(2)
@pytest.mark.hint(CONSTANT_HINT)
def test_constant_columns_get_scale_one(solution):
    X = np.array([[5.0, 0.1, 1.0, 3.0], [5.0, 0.1, 2.0, np.nan], [5.0, 0.1, 4.0, 3.0]])
    mean, var, scale = solution(backend.to_device(X))
    expect(scale, np.array([1.0, 1.0, np.sqrt(14 / 9), 1.0]), hint=CONSTANT_HINT, what="scale")
    expect(var, np.array([0.0, 0.0, 14 / 9, 0.0]), atol=1e-20, what="var (0 for a constant column, up to rounding)")
    expect(mean, np.array([5.0, 0.1, 7 / 3, 3.0]), what="mean")


@pytest.mark.points(1)
@pytest.mark.hint("a column with no value at all has no mean: NaN for mean, var and scale (0 / 0), and no error")
def test_all_missing_column(solution):
    X = np.array([[1.0, np.nan], [3.0, np.nan]])
    mean, var, scale = solution(backend.to_device(X))
    expect(mean, np.array([2.0, np.nan]), what="mean")
    expect(var, np.array([1.0, np.nan]), what="var")
    expect(scale, np.array([1.0, np.nan]), what="scale")


@pytest.mark.points(2)
@pytest.mark.hint(WEIGHT_HINT)
def test_sample_weight(solution):
    X = np.array([[1.0, 2.0], [3.0, np.nan], [6.0, 4.0], [2.0, 8.0]])
    check(solution, X, [1.0, 3.0, 0.5, 2.0], hint=WEIGHT_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("an integer weight k counts a row k times: the result must equal that of the data with repeated rows")
def test_integer_weights_repeat_rows(solution):
    X = np.array([[1.0, -1.0], [2.0, np.nan], [7.0, 3.0]])
    weights = np.array([2.0, 1.0, 3.0])
    weighted = solution(backend.to_device(X), backend.to_device(weights))
    repeated = solution(backend.to_device(np.repeat(X, [2, 1, 3], axis=0)))
    for name, got, want in zip(("mean", "var", "scale"), weighted, repeated):
        expect(got, backend.asnumpy(want), rtol=1e-12, atol=1e-14, hint=WEIGHT_HINT,
               what=f"{name} with weights (2, 1, 3), against the rows repeated")


@st.composite
def tables_with_gaps(draw):
    rows, columns = draw(st.integers(1, 9)), draw(st.integers(1, 4))
    X = draw(hnp.arrays(np.float64, (rows, columns), elements=st.integers(-20, 20).map(lambda k: k / 4)))
    gaps = draw(hnp.arrays(np.bool_, (rows, columns)))
    weighted = draw(st.booleans())
    weights = draw(hnp.arrays(np.float64, rows, elements=st.sampled_from([0.5, 1.0, 2.0, 3.0]))) if weighted else None
    return np.where(gaps, np.nan, X), weights


@pytest.mark.points(2)
@pytest.mark.hint(NAN_HINT)
@given(tables_with_gaps())
def test_random_tables(solution, case):
    X, weights = case
    check(solution, X, weights, hint=NAN_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("compute with xp = minml.backend.namespace(X) and array methods, never np.<function>: "
                  "the fake GPU refuses NumPy functions on device arrays, and the results must stay on X's device")
def test_runs_on_the_fake_gpu(solution):
    X = np.array([[1.0, 2.0, 5.0], [np.nan, 4.0, 5.0], [3.0, 9.0, 5.0]])
    result = check(solution, X, [1.0, 2.0, 1.0], device=FAKE_DEVICE)
    for name, array in zip(("mean", "var", "scale"), result):
        assert backend.device_of(array) == FAKE_DEVICE, f"{name} should stay on X's device; it is a {type(array)}"


@pytest.mark.points(1)
@pytest.mark.hint("minml's StandardScaler learns mean_, var_ and scale_ with your function: z = (x - mean_) / scale_")
def test_standard_scaler_uses_it(solution, monkeypatch):
    monkeypatch.setattr(sys.modules["minml.preprocessing.scaling"], "nan_standardize_stats", solution)
    X = np.array([[1.0, 7.0], [np.nan, 7.0], [3.0, 7.0], [8.0, 7.0]])
    Z = StandardScaler().fit_transform(backend.to_device(X))
    mean, _, scale = reference_stats(X)
    expect(Z, (X - mean) / scale, hint=CONSTANT_HINT, what="StandardScaler().fit_transform(X) (NaN stays NaN)")


@pytest.mark.points(2)
@pytest.mark.hint("as scikit-learn's StandardScaler: skip NaN, divide by n, give constant columns scale 1")
@pytest.mark.parametrize("weighted", [False, True])
def test_same_as_scikit_learn(solution, weighted):
    rng = np.random.default_rng(7)
    X = rng.normal(3.0, 2.0, size=(40, 5)) * np.array([1.0, 10.0, 0.01, 1.0, 1.0])
    X[:, 3] = -2.5  # a constant column
    X[rng.random(X.shape) < 0.2] = np.nan
    weights = rng.uniform(0.5, 2.0, size=40) if weighted else None
    result = solution(backend.to_device(X), None if weights is None else backend.to_device(weights))
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    scaler = preprocessing.StandardScaler().fit(X, sample_weight=weights)
    for name, got in zip(("mean_", "var_", "scale_"), result):
        expect(got, getattr(scaler, name), rtol=1e-9, atol=1e-12, what=f"{name} against scikit-learn's")
