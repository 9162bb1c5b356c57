"""make_regression, make_low_rank_matrix and make_friedman1: scikit-learn's shapes, and the truth they build in.

The draws differ from scikit-learn's (another random generator); the tests check the formulas: y = X @ coef
+ bias exactly without noise, the singular values of a low-rank matrix, Friedman's target.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minml.datasets import make_friedman1, make_low_rank_matrix, make_regression

sklearn_datasets = pytest.importorskip("sklearn.datasets")


def _singular_value_profile(m, effective_rank, tail_strength):
    i = np.arange(m)
    bell = (1 - tail_strength) * np.exp(-((i / effective_rank) ** 2))
    return bell + tail_strength * np.exp(-0.1 * i / effective_rank)


# --------------------------------------------------------------------------- make_regression


@settings(max_examples=25)
@given(
    n_samples=st.integers(2, 40),
    n_features=st.integers(2, 12),
    n_informative=st.integers(0, 15),
    n_targets=st.integers(1, 3),
    bias=st.floats(-50, 50),
    low_rank=st.booleans(),
    shuffle=st.booleans(),
)
def test_coef_reproduces_y_without_noise_with_sklearns_shapes(
    n_samples, n_features, n_informative, n_targets, bias, low_rank, shuffle
):
    kwargs = {
        "n_informative": n_informative,
        "n_targets": n_targets,
        "bias": bias,
        "effective_rank": 2 if low_rank else None,
        "shuffle": shuffle,
        "coef": True,
    }
    X, y, coef = make_regression(n_samples, n_features, **kwargs, random_state=0)
    X_sk, y_sk, coef_sk = sklearn_datasets.make_regression(n_samples, n_features, **kwargs, random_state=0)
    assert X.shape == X_sk.shape and coef.shape == coef_sk.shape
    assert y.shape == y_sk.shape == ((n_samples,) if n_targets == 1 else (n_samples, n_targets))
    assert X.dtype == y.dtype == coef.dtype == np.float64
    np.testing.assert_allclose(y, X @ coef + bias, rtol=1e-12, atol=1e-10)
    # exactly min(n_informative, n_features) informative features per target, weights in (0, 100)
    nonzero = np.count_nonzero(coef.reshape(n_features, n_targets), axis=0)
    np.testing.assert_array_equal(nonzero, min(n_informative, n_features))
    assert np.all((coef >= 0) & (coef < 100))


def test_a_single_sample_or_feature_keeps_its_axis():
    """Unlike scikit-learn (which np.squeezes every axis of length 1), only the target axis is dropped."""
    X, y, coef = make_regression(1, 1, coef=True, random_state=0)
    assert X.shape == (1, 1) and y.shape == (1,) and coef.shape == (1,)
    X, y, coef = make_regression(1, 1, n_targets=2, coef=True, random_state=0)
    assert y.shape == (1, 2) and coef.shape == (1, 2)


def test_shuffle_false_puts_the_informative_features_first():
    _, _, coef = make_regression(20, 8, n_informative=3, n_targets=2, shuffle=False, coef=True, random_state=0)
    assert np.all(coef[:3] > 0) and np.all(coef[3:] == 0)


def test_shuffle_permutes_rows_and_features_together_with_coef():
    X, y, coef = make_regression(30, 6, n_informative=2, shuffle=False, coef=True, random_state=0)
    X_s, y_s, coef_s = make_regression(30, 6, n_informative=2, coef=True, random_state=0)
    np.testing.assert_array_equal(np.sort(coef_s), np.sort(coef))
    np.testing.assert_allclose(y_s, X_s @ coef_s)
    np.testing.assert_array_equal(np.sort(y_s), np.sort(y))


def test_noise_is_gaussian_with_the_given_standard_deviation():
    X, y, coef = make_regression(20000, 5, n_informative=5, noise=2.5, bias=1.0, coef=True, random_state=0)
    residual = y - X @ coef - 1.0
    assert abs(residual.mean()) < 0.05
    assert abs(residual.std() - 2.5) < 0.05


def test_features_are_standard_normal_like_sklearns():
    X, _ = make_regression(20000, 3, random_state=0)
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=0.03)
    np.testing.assert_allclose(X.std(axis=0), 1.0, atol=0.03)


def test_effective_rank_gives_the_low_rank_profile():
    X, _ = make_regression(60, 30, effective_rank=4, tail_strength=0.2, random_state=0)
    np.testing.assert_allclose(np.linalg.svd(X, compute_uv=False), _singular_value_profile(30, 4, 0.2), atol=1e-12)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"noise": -1.0}, r"noise must be a float in \[0.0, inf\); got -1.0"),
        ({"n_targets": 0}, "n_targets must be an int >= 1"),
        ({"n_informative": -1}, "n_informative must be an int >= 0"),
        ({"tail_strength": 2.0}, r"tail_strength must be a float in \[0.0, 1.0\]"),
        ({"effective_rank": 0}, "effective_rank must be an int >= 1"),
        ({"n_features": 0}, "n_features must be an int >= 1"),
    ],
)
def test_regression_bad_arguments_say_what_is_expected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_regression(10, **kwargs)


# --------------------------------------------------------------------------- make_low_rank_matrix


@pytest.mark.parametrize("shape", [(50, 20), (20, 50), (7, 7)])
@pytest.mark.parametrize("tail_strength", [0.0, 0.5, 1.0])
def test_low_rank_matrix_has_the_promised_singular_values(shape, tail_strength):
    X = make_low_rank_matrix(*shape, effective_rank=3, tail_strength=tail_strength, random_state=0)
    assert X.shape == sklearn_datasets.make_low_rank_matrix(*shape, random_state=0).shape
    assert X.dtype == np.float64
    m = min(shape)
    np.testing.assert_allclose(
        np.linalg.svd(X, compute_uv=False), _singular_value_profile(m, 3, tail_strength), atol=1e-12
    )


# --------------------------------------------------------------------------- make_friedman1


@pytest.mark.parametrize("n_features", [5, 10])
def test_friedman1_follows_its_formula_without_noise(n_features):
    X, y = make_friedman1(200, n_features, random_state=0)
    X_sk, y_sk = sklearn_datasets.make_friedman1(200, n_features, random_state=0)
    assert X.shape == X_sk.shape and y.shape == y_sk.shape and X.dtype == y.dtype == np.float64
    assert np.all((X >= 0) & (X < 1))
    expected = 10 * np.sin(np.pi * X[:, 0] * X[:, 1]) + 20 * (X[:, 2] - 0.5) ** 2 + 10 * X[:, 3] + 5 * X[:, 4]
    np.testing.assert_allclose(y, expected, rtol=1e-14)


def test_friedman1_noise_and_distribution_match_sklearns():
    X, y = make_friedman1(20000, noise=1.5, random_state=0)
    X_sk, y_sk = sklearn_datasets.make_friedman1(20000, noise=1.5, random_state=0)
    clean = 10 * np.sin(np.pi * X[:, 0] * X[:, 1]) + 20 * (X[:, 2] - 0.5) ** 2 + 10 * X[:, 3] + 5 * X[:, 4]
    assert abs((y - clean).std() - 1.5) < 0.03
    assert abs(y.mean() - y_sk.mean()) < 0.15 and abs(y.std() - y_sk.std()) < 0.15


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_features": 4}, "n_features must be an int >= 5"),
        ({"noise": -0.5}, r"noise must be a float in \[0.0, inf\)"),
        ({"n_samples": 0}, "n_samples must be an int >= 1"),
    ],
)
def test_friedman1_bad_arguments_say_what_is_expected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_friedman1(**{"n_samples": 10, **kwargs})
