"""StandardScaler, MinMaxScaler, RobustScaler and nan_standardize_stats: against scikit-learn with NaN and
constant columns, on every device; inverse transforms, fitted attributes, error messages."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from preprocessing_data import numeric_tables

from minml import backend
from minml.base import clone
from minml.exceptions import NotFittedError
from minml.preprocessing import MinMaxScaler, RobustScaler, StandardScaler, nan_standardize_stats
from minml.testing import assert_close, to_host

TOLERANCE = {"rtol": 1e-9, "atol": 1e-9}


def fit_both(ours, theirs, X, device, **fit_params):
    """Fit a minml scaler on ``device`` and its scikit-learn twin on the host; return both transforms of X."""
    X_device = backend.to_device(X, device)
    Z = ours.fit(X_device, **{k: backend.to_device(v, device) for k, v in fit_params.items()}).transform(X_device)
    assert backend.device_of(Z) == backend.device(device)
    return Z, theirs.fit(X, **fit_params).transform(X)


@given(X=numeric_tables(), with_mean=st.booleans(), with_std=st.booleans(), weighted=st.booleans())
def test_standard_scaler_matches_sklearn(device, X, with_mean, with_std, weighted):
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    params = {"with_mean": with_mean, "with_std": with_std}
    fit_params = {"sample_weight": np.linspace(0.5, 2.0, X.shape[0])} if weighted else {}
    ours, theirs = StandardScaler(**params), preprocessing.StandardScaler(**params)
    Z, expected = fit_both(ours, theirs, X, device, **fit_params)
    assert_close(Z, expected, **TOLERANCE)
    for name in ("mean_", "var_", "scale_"):
        if getattr(theirs, name) is None:
            assert getattr(ours, name) is None, name
        else:
            assert backend.device_of(getattr(ours, name)) == backend.device(device)
            assert_close(getattr(ours, name), getattr(theirs, name), **TOLERANCE, what=name)
    assert_close(np.asarray(to_host(ours.n_samples_seen_), dtype=float), np.asarray(theirs.n_samples_seen_, float))
    assert np.isscalar(ours.n_samples_seen_) == np.isscalar(theirs.n_samples_seen_)
    assert_close(ours.inverse_transform(Z), X, rtol=1e-9, atol=1e-6)


@given(X=numeric_tables(), feature_range=st.sampled_from([(0, 1), (-1, 1), (2.5, 3.0)]), clip=st.booleans())
def test_min_max_scaler_matches_sklearn(device, X, feature_range, clip):
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    ours = MinMaxScaler(feature_range=feature_range, clip=clip)
    theirs = preprocessing.MinMaxScaler(feature_range=feature_range, clip=clip)
    Z, expected = fit_both(ours, theirs, X, device)
    assert_close(Z, expected, **TOLERANCE)
    for name in ("data_min_", "data_max_", "data_range_", "scale_", "min_"):
        assert_close(getattr(ours, name), getattr(theirs, name), **TOLERANCE, what=name)
    assert ours.n_samples_seen_ == theirs.n_samples_seen_
    beyond = 3 * X - 5  # new data, partly outside the training range: clip decides what happens there
    assert_close(ours.transform(backend.to_device(beyond, device)), theirs.transform(beyond), **TOLERANCE)
    if not clip:
        assert_close(ours.inverse_transform(Z), X, rtol=1e-9, atol=1e-6)


@given(X=numeric_tables(), quantile_range=st.sampled_from([(25.0, 75.0), (10.0, 90.0), (0.0, 100.0), (50, 50)]),
       with_centering=st.booleans(), with_scaling=st.booleans(), unit_variance=st.booleans())
def test_robust_scaler_matches_sklearn(device, X, quantile_range, with_centering, with_scaling, unit_variance):
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    params = {"quantile_range": quantile_range, "with_centering": with_centering, "with_scaling": with_scaling,
              "unit_variance": unit_variance and quantile_range[0] < quantile_range[1] and quantile_range[0] > 0}
    ours, theirs = RobustScaler(**params), preprocessing.RobustScaler(**params)
    Z, expected = fit_both(ours, theirs, X, device)
    assert_close(Z, expected, **TOLERANCE)
    for name in ("center_", "scale_"):
        if getattr(theirs, name) is None:
            assert getattr(ours, name) is None, name
        else:
            assert_close(getattr(ours, name), getattr(theirs, name), **TOLERANCE, what=name)
    assert_close(ours.inverse_transform(Z), X, rtol=1e-9, atol=1e-6)


@pytest.mark.parametrize("scaler", [StandardScaler(), MinMaxScaler(), RobustScaler()], ids=repr)
def test_missing_values_are_skipped_in_fit_and_kept_in_transform(device, scaler):
    X = np.array([[1.0, np.nan], [2.0, 5.0], [np.nan, 7.0], [4.0, 6.0]])
    Z = to_host(scaler.fit_transform(backend.to_device(X, device)))
    assert np.array_equal(np.isnan(Z), np.isnan(X))
    without_nan = to_host(scaler.fit(backend.to_device(X[[1, 3]], device)).transform(backend.to_device(X, device)))
    assert not np.array_equal(Z[:, 0], without_nan[:, 0])  # row 0's 1.0 counted in the first fit, not the second


@pytest.mark.parametrize("scaler", [StandardScaler(), MinMaxScaler(), RobustScaler()], ids=repr)
def test_constant_columns_get_scale_one_and_become_constant(device, scaler):
    X = np.array([[0.1, 1.0], [0.1, 2.0], [0.1, 4.0]])  # the mean of three 0.1 is not exactly 0.1
    Z = to_host(scaler.fit_transform(backend.to_device(X, device)))
    assert to_host(scaler.scale_)[0] == 1.0
    assert np.all(np.isfinite(Z)) and np.ptp(Z[:, 0]) == 0


# ----------------------------------------------------------------- the exercise


@given(X=numeric_tables(), weighted=st.booleans())
def test_nan_standardize_stats_is_the_weighted_nan_formula(device, X, weighted):
    w = np.linspace(0.5, 2.0, X.shape[0]) if weighted else np.ones(X.shape[0])
    observed = ~np.isnan(X)
    W = np.where(observed, w[:, None], 0.0)
    mean = (W * np.nan_to_num(X)).sum(0) / W.sum(0)
    var = (W * np.where(observed, X - mean, 0.0) ** 2).sum(0) / W.sum(0)
    constant = np.array([np.nanmax(c) == np.nanmin(c) for c in X.T])
    got_mean, got_var, got_scale = nan_standardize_stats(
        backend.to_device(X, device), backend.to_device(w, device) if weighted else None
    )
    assert backend.device_of(got_scale) == backend.device(device)
    assert_close(got_mean, mean, **TOLERANCE)
    assert_close(got_var, var, **TOLERANCE)
    scale = to_host(got_scale)
    assert np.all(scale[constant] == 1.0)
    assert_close(scale[~constant], np.sqrt(var[~constant]), **TOLERANCE)


def test_nan_standardize_stats_gives_nan_for_a_column_without_values(device):
    X = backend.to_device(np.array([[1.0, np.nan], [3.0, np.nan]]), device)
    mean, var, scale = (to_host(a) for a in nan_standardize_stats(X))
    assert mean[0] == 2.0 and var[0] == 1.0 and scale[0] == 1.0
    assert np.isnan(mean[1]) and np.isnan(var[1]) and np.isnan(scale[1])


# ----------------------------------------------------------------- names and errors


def test_feature_names_pass_through():
    scaler = StandardScaler().fit(np.ones((3, 2)))
    assert scaler.get_feature_names_out().tolist() == ["x0", "x1"]
    assert scaler.get_feature_names_out(["age", "income"]).tolist() == ["age", "income"]
    with pytest.raises(ValueError, match=r"input_features should have length equal to number of features \(2\)"):
        scaler.get_feature_names_out(["age"])


@pytest.mark.parametrize(
    ("scaler", "message"),
    [
        (MinMaxScaler(feature_range=(1, 0)), r"Minimum of desired feature range must be smaller than maximum\. "
                                             r"Got \(1, 0\)"),
        (RobustScaler(quantile_range=(75.0, 25.0)), r"Invalid quantile range: \(75\.0, 25\.0\)"),
        (RobustScaler(quantile_range=(-1, 50)), r"Invalid quantile range"),
        (StandardScaler(with_mean="yes"), r"The 'with_mean' parameter of StandardScaler must be a bool; got 'yes'"),
        (MinMaxScaler(feature_range=[0, 1]), r"'feature_range' parameter of MinMaxScaler must be an instance of "
                                             r"'tuple'"),
    ],
)
def test_invalid_parameters_are_explained(scaler, message):
    with pytest.raises(ValueError, match=message):
        scaler.fit(np.ones((3, 2)))


@pytest.mark.parametrize("scaler", [StandardScaler(), MinMaxScaler(), RobustScaler()], ids=repr)
def test_transform_checks_fit_columns_and_infinity(device, scaler):
    scaler = clone(scaler)
    X = backend.to_device(np.arange(6.0).reshape(3, 2), device)
    with pytest.raises(NotFittedError, match="is not fitted yet"):
        scaler.transform(X)
    scaler.fit(X)
    with pytest.raises(ValueError, match="X has 3 features, but .* is expecting 2 features"):
        scaler.transform(backend.to_device(np.ones((2, 3)), device))
    with pytest.raises(ValueError, match="X has 3 features"):
        scaler.inverse_transform(backend.to_device(np.ones((2, 3)), device))
    with pytest.raises(ValueError, match="infinity"):
        scaler.transform(backend.to_device(np.array([[np.inf, 1.0]]), device))
