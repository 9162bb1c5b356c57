"""iqr_bounds and OutlierClipper: Tukey's fences and z-score fences against NumPy's nan-statistics, NaN kept,
on every device."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from preprocessing_data import numeric_tables

from minml import backend
from minml.preprocessing import OutlierClipper, iqr_bounds, nan_quantile
from minml.testing import assert_close, to_host

TOLERANCE = {"rtol": 1e-12, "atol": 1e-9}


@given(X=numeric_tables(), q=st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 1.0]), empty=st.booleans())
def test_nan_quantile_matches_numpy(device, X, q, empty):
    if empty:
        X = np.concatenate([X, np.full((X.shape[0], 1), np.nan)], axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy warns about the all-NaN column
        expected = np.nanquantile(X, q, axis=0)
    got = nan_quantile(backend.to_device(X, device), q)
    assert backend.device_of(got) == backend.device(device)
    assert_close(got, expected, rtol=0, atol=0)


def test_nan_quantile_refuses_q_outside_zero_one():
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\]; got 50"):
        nan_quantile(np.ones((2, 2)), 50)


@given(X=numeric_tables(), factor=st.sampled_from([0.0, 1.5, 3.0]))
def test_iqr_bounds_are_tukeys_fences(device, X, factor):
    q1, q3 = np.nanpercentile(X, 25, axis=0), np.nanpercentile(X, 75, axis=0)
    lower, upper = iqr_bounds(backend.to_device(X, device), factor)
    assert backend.device_of(lower) == backend.device(device)
    assert_close(lower, q1 - factor * (q3 - q1), **TOLERANCE)
    assert_close(upper, q3 + factor * (q3 - q1), **TOLERANCE)


def test_iqr_bounds_refuses_a_negative_factor():
    with pytest.raises(ValueError, match="factor must be ≥ 0"):
        iqr_bounds(np.ones((3, 1)), -1.0)


@given(X=numeric_tables(), method=st.sampled_from(["iqr", "zscore"]), spread=st.sampled_from([0.5, 1.5, 3.0]))
def test_clipper_clips_to_the_fences_and_keeps_nan(device, X, method, spread):
    if method == "iqr":
        q1, q3 = np.nanpercentile(X, 25, axis=0), np.nanpercentile(X, 75, axis=0)
        lower, upper = q1 - spread * (q3 - q1), q3 + spread * (q3 - q1)
        clipper = OutlierClipper("iqr", factor=spread)
    else:
        mean, std = np.nanmean(X, axis=0), np.nanstd(X, axis=0)
        lower, upper = mean - spread * std, mean + spread * std
        clipper = OutlierClipper("zscore", threshold=spread)
    Z = clipper.fit_transform(backend.to_device(X, device))
    assert backend.device_of(Z) == backend.device(device)
    assert_close(clipper.lower_, lower, **TOLERANCE)
    assert_close(clipper.upper_, upper, **TOLERANCE)
    assert_close(Z, np.clip(X, to_host(clipper.lower_), to_host(clipper.upper_)), rtol=0, atol=0)
    assert np.array_equal(np.isnan(to_host(Z)), np.isnan(X))


def test_clipper_applies_the_training_fences_to_new_data(device):
    X = backend.to_device(np.array([[1.0], [2.0], [3.0], [4.0]]), device)
    clipper = OutlierClipper(factor=1.0).fit(X)  # Q1 = 1.75, Q3 = 3.25: fences at 0.25 and 4.75
    new = backend.to_device(np.array([[-10.0], [2.0], [np.nan], [100.0]]), device)
    assert_close(clipper.transform(new), np.array([[0.25], [2.0], [np.nan], [4.75]]))
    assert clipper.get_feature_names_out(["size"]).tolist() == ["size"]


@pytest.mark.parametrize(
    ("params", "message"),
    [({"method": "mad"}, r"'method' parameter of OutlierClipper must be a str among \{'iqr', 'zscore'\}"),
     ({"factor": -1}, r"'factor' parameter of OutlierClipper must be a float ≥ 0")],
)
def test_invalid_parameters_are_explained(params, message):
    with pytest.raises(ValueError, match=message):
        OutlierClipper(**params).fit(np.ones((3, 1)))
