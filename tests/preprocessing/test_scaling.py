"""standardize: against the formula, scikit-learn's StandardScaler and SciPy's zscore, constants, errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.preprocessing import standardize
from minml.testing import assert_close, standard_normal, to_host
from minml.testing.strategies import axes_for, shapes

# multiples of 1/4 sum exactly, so constant slices are exactly constant and the mean is exact
quarters = st.integers(-12, 12).map(lambda k: k / 4)


@st.composite
def standardize_case(draw):
    """(host array, axis, ddof) with more than ddof values along axis."""
    ddof = draw(st.sampled_from([0, 1]))
    X = draw(hnp.arrays(np.float64, shapes(min_dims=1, max_dims=3, min_side=2), elements=quarters))
    return X, draw(axes_for(X.ndim)), ddof


@given(standardize_case())
def test_matches_the_formula(device, case):
    X, axis, ddof = case
    mean = X.mean(axis=axis, keepdims=True)
    n = X.size // mean.size
    std = np.sqrt(((X - mean) ** 2).sum(axis=axis, keepdims=True) / (n - ddof))
    expected = np.where(std == 0, 0.0, (X - mean) / np.where(std == 0, 1.0, std))
    Z = standardize(backend.to_device(X, device), axis=axis, ddof=ddof)
    assert backend.device_of(Z) == backend.device(device)
    assert_close(Z, expected, rtol=1e-9, atol=1e-12)


def test_agrees_with_sklearn_standard_scaler(device):
    preprocessing = pytest.importorskip("sklearn.preprocessing", reason="scikit-learn not installed")
    X = standard_normal(50, 4, seed=0) * [1.0, 10.0, 0.01, 0.0] + [0.0, -3.0, 100.0, 7.0]  # last column constant
    expected = preprocessing.StandardScaler().fit_transform(X)
    assert_close(standardize(backend.to_device(X, device)), expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(("axis", "ddof"), [(0, 1), (1, 0), (1, 1), (None, 1)])
def test_agrees_with_scipy_zscore(device, axis, ddof):
    stats = pytest.importorskip("scipy.stats", reason="SciPy not installed")
    X = standard_normal(6, 6, seed=1)  # square, so a wrongly broadcast statistic cannot hide behind a shape error
    expected = stats.zscore(X, axis=axis, ddof=ddof)
    assert_close(standardize(backend.to_device(X, device), axis=axis, ddof=ddof), expected, rtol=1e-9, atol=1e-12)


def test_constant_slices_become_zero_even_when_the_mean_rounds(device):
    X = np.array([[0.1, 5.0, 1.0], [0.1, 5.0, 2.0], [0.1, 5.0, 3.0]])  # mean of three 0.1s is 0.10000000000000002
    Z = to_host(standardize(backend.to_device(X, device)))
    assert_close(Z[:, :2], np.zeros((3, 2)), rtol=0, atol=1e-12)
    assert_close(Z[:, 2], np.array([-1.0, 0.0, 1.0]) * np.sqrt(1.5), rtol=1e-12)


def test_too_few_values_for_ddof_is_refused(device):
    with pytest.raises(ValueError, match="ddof=1"):
        standardize(backend.to_device(np.ones((1, 3)), device), ddof=1)
