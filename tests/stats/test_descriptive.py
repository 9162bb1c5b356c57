"""Descriptive statistics against NumPy and SciPy: axes, ddof, NaN variants, every quantile method, ties."""

import contextlib
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.stats import descriptive
from minml.stats.descriptive import (
    QUANTILE_METHODS,
    describe,
    kurtosis,
    mean,
    median,
    mode,
    moment,
    nanmean,
    nanmedian,
    nanquantile,
    nanstd,
    nanvar,
    quantile,
    skew,
    std,
    var,
)
from minml.testing import assert_close

stats = pytest.importorskip("scipy.stats", reason="SciPy not installed")


def on(device, value):
    return backend.to_device(np.asarray(value), device)


def same(actual, expected, rtol=1e-10, atol=1e-12):
    if np.ndim(expected) == 0:
        assert isinstance(actual, float), f"a full reduction gives a Python float, not {type(actual).__name__}"
    assert_close(np.asarray(backend.asnumpy(actual)) if not isinstance(actual, float) else np.asarray(actual),
                 np.asarray(expected), rtol=rtol, atol=atol)


matrices = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6),
                      elements=st.floats(-100, 100))
AXES = [None, 0, -1]


def axis_for(x, axis):
    return None if axis is None else axis % x.ndim


@settings(max_examples=15)
@given(x=matrices, axis=st.sampled_from(AXES), ddof=st.integers(0, 1))
def test_mean_var_std_match_numpy(device, x, axis, ddof):
    axis = axis_for(x, axis)
    xd = on(device, x)
    same(mean(xd, axis=axis), np.mean(x, axis=axis))
    with _quiet_numpy():
        expected_var = np.var(x, axis=axis, ddof=ddof)
    expected_var = np.where(np.asarray(x.size if axis is None else x.shape[axis]) > ddof, expected_var, np.nan)
    same(var(xd, axis=axis, ddof=ddof), expected_var, atol=1e-9)
    same(std(xd, axis=axis, ddof=ddof), np.sqrt(expected_var), atol=1e-9)


def with_nans(x, seed):
    x = x.copy()
    x.reshape(-1)[np.random.default_rng(seed).random(x.size) < 0.3] = np.nan
    return x


@settings(max_examples=15)
@given(x=matrices, axis=st.sampled_from(AXES), seed=st.integers(0, 100))
def test_nan_variants_match_numpy(device, x, axis, seed):
    axis = axis_for(x, axis)
    x = with_nans(x, seed)
    xd = on(device, x)
    with _quiet_numpy():
        expected = {
            nanmean: np.nanmean(x, axis=axis),
            nanvar: np.nanvar(x, axis=axis),
            nanstd: np.nanstd(x, axis=axis),
            nanmedian: np.nanmedian(x, axis=axis),
        }
        nanq = np.nanquantile(x, [0.1, 0.75], axis=axis)
    for function, value in expected.items():
        same(function(xd, axis=axis), value, atol=1e-9)
    same(nanquantile(xd, [0.1, 0.75], axis=axis), nanq, atol=1e-9)
    same(nanvar(xd, axis=axis, ddof=1), _nanvar_ddof1(x, axis), atol=1e-9)
    # the plain versions propagate NaN
    same(mean(xd, axis=axis), np.mean(x, axis=axis), atol=1e-9)
    same(median(xd, axis=axis), np.median(x, axis=axis), atol=1e-9)


def _nanvar_ddof1(x, axis):
    with _quiet_numpy():
        return np.nanvar(x, axis=axis, ddof=1)


@contextlib.contextmanager
def _quiet_numpy():
    """NumPy and SciPy warn on empty slices and constant data; the answers (NaN) are what is compared."""
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")
        yield


@pytest.mark.parametrize("method", QUANTILE_METHODS)
@settings(max_examples=8)
@given(x=matrices, q=st.lists(st.floats(0, 1), min_size=1, max_size=4), axis=st.sampled_from(AXES))
def test_every_quantile_method_matches_numpy(device, method, x, q, axis):
    axis = axis_for(x, axis)
    x = np.round(x)  # ties, where the discontinuous methods differ most
    same(quantile(on(device, x), q, axis=axis, method=method), np.quantile(x, q, axis=axis, method=method),
         atol=1e-9)
    same(quantile(on(device, x), q[0], axis=axis, method=method),
         np.quantile(x, q[0], axis=axis, method=method), atol=1e-9)


@pytest.mark.parametrize("method", QUANTILE_METHODS)
def test_nanquantile_methods_match_numpy(device, method):
    x = with_nans(np.round(np.random.default_rng(0).normal(size=(5, 9)) * 3), 1)
    q = [0.0, 0.2, 0.5, 0.9, 1.0]
    same(nanquantile(on(device, x), q, axis=1, method=method), np.nanquantile(x, q, axis=1, method=method))


def test_quantile_rejects_bad_arguments():
    with pytest.raises(ValueError, match="method must be one of"):
        quantile(np.arange(3.0), 0.5, method="tukey")
    with pytest.raises(ValueError, match=r"quantiles must be in the range \[0, 1\]"):
        quantile(np.arange(3.0), 1.5)


@settings(max_examples=15)
@given(x=hnp.arrays(np.int64, hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=8),
                    elements=st.integers(-3, 3)), axis=st.sampled_from([0, -1, None]))
def test_mode_matches_scipy(device, x, axis):
    result = mode(on(device, x), axis=axis)
    expected = stats.mode(x, axis=axis)
    assert np.array_equal(np.asarray(backend.asnumpy(result.mode)), expected.mode)
    assert np.array_equal(np.asarray(backend.asnumpy(result.count)), expected.count)


@settings(max_examples=15)
@given(x=matrices, axis=st.sampled_from([0, -1, None]), bias=st.booleans(), fisher=st.booleans())
def test_shape_statistics_match_scipy(device, x, axis, bias, fisher):
    x = x + np.random.default_rng(x.size).normal(size=x.shape)  # break exact constancy most of the time
    xd = on(device, x)
    with _quiet_numpy():
        expected_skew = stats.skew(x, axis=axis, bias=bias)
        expected_kurtosis = stats.kurtosis(x, axis=axis, fisher=fisher, bias=bias)
    same(skew(xd, axis=axis, bias=bias), expected_skew, rtol=1e-7, atol=1e-9)
    same(kurtosis(xd, axis=axis, fisher=fisher, bias=bias), expected_kurtosis, rtol=1e-7, atol=1e-9)
    same(moment(xd, order=3, axis=axis), stats.moment(x, order=3, axis=axis), rtol=1e-8, atol=1e-8)


def test_shape_statistics_of_constant_data_are_nan():
    assert np.isnan(skew(np.full(5, 2.0)))
    assert np.isnan(kurtosis(np.full(5, 2.0)))


@pytest.mark.parametrize("axis", [0, 1, None])
def test_describe_matches_scipy(device, axis):
    x = np.random.default_rng(2).gamma(2.0, size=(30, 4))
    result = describe(on(device, x), axis=axis)
    expected = stats.describe(x, axis=axis)
    assert result.nobs == expected.nobs
    same(result.minmax[0], expected.minmax[0])
    same(result.minmax[1], expected.minmax[1])
    for field in ("mean", "variance", "skewness", "kurtosis"):
        same(getattr(result, field), getattr(expected, field), rtol=1e-9)
    unbiased = describe(on(device, x), ddof=0, bias=False)
    same(unbiased.variance, stats.describe(x, ddof=0, bias=False).variance)
    same(unbiased.kurtosis, stats.describe(x, ddof=0, bias=False).kurtosis, rtol=1e-9)


def test_lists_work_and_full_reductions_are_floats():
    assert mean([1, 2, 3, 4]) == 2.5
    assert median([3, 1, 2]) == 2.0
    assert var([1.0, 3.0], ddof=1) == 2.0
    assert isinstance(quantile([1.0, 2.0], 0.5), float)


def test_module_lists_its_public_names():
    assert set(descriptive.__all__) >= {"mean", "nanquantile", "describe", "mode", "kurtosis"}
