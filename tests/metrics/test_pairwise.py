"""pairwise_sq_distances: against the definition, SciPy and scikit-learn, never negative, clear errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minml import backend
from minml.metrics import pairwise_sq_distances
from minml.testing import FAKE_DEVICE, assert_close, standard_normal, to_host
from minml.testing.strategies import arrays_of_shape


def on(device, *arrays):
    return [backend.to_device(a, device) for a in arrays]


@st.composite
def point_sets(draw):
    """Host arrays X (n, d) and Y (m, d), any memory layout."""
    n, m, d = draw(st.integers(1, 5)), draw(st.integers(1, 5)), draw(st.integers(1, 4))
    return draw(arrays_of_shape((n, d))), draw(arrays_of_shape((m, d)))


@given(point_sets())
def test_matches_the_definition(device, XY):
    X, Y = XY
    expected = ((X[:, None, :] - Y[None, :, :]) ** 2).sum(axis=-1)
    D = pairwise_sq_distances(*on(device, X, Y))
    assert backend.device_of(D) == backend.device(device)
    assert_close(D, expected, rtol=1e-9, atol=1e-9)


def test_agrees_with_scipy_cdist(device):
    distance = pytest.importorskip("scipy.spatial.distance", reason="SciPy not installed")
    X, Y = standard_normal(40, 7, seed=1), standard_normal(30, 7, seed=2)
    assert_close(pairwise_sq_distances(*on(device, X, Y)), distance.cdist(X, Y, "sqeuclidean"), rtol=1e-9, atol=1e-9)


def test_agrees_with_sklearn(device):
    sklearn_pairwise = pytest.importorskip("sklearn.metrics.pairwise", reason="scikit-learn not installed")
    X, Y = standard_normal(25, 4, seed=3), standard_normal(35, 4, seed=4)
    expected = sklearn_pairwise.euclidean_distances(X, Y, squared=True)
    assert_close(pairwise_sq_distances(*on(device, X, Y)), expected, rtol=1e-9, atol=1e-9)


def test_near_duplicates_give_zero_not_negative(device):
    # far from the origin, ||x||^2 + ||x||^2 - 2 x.x cancels catastrophically and rounds below 0
    X = 1000.0 + np.random.default_rng(0).random((60, 3))
    unclipped = (X * X).sum(1)[:, None] + (X * X).sum(1)[None, :] - 2 * X @ X.T
    assert (unclipped < 0).any(), "the data no longer provokes the rounding this test is about"
    D = to_host(pairwise_sq_distances(*on(device, X, X)))
    assert D.min() == 0.0


def test_float32_stays_float32_and_transposed_input_works(device):
    X = np.asfortranarray(standard_normal(6, 3, seed=5)).astype(np.float32)
    Y = standard_normal(3, 4, seed=6).T.astype(np.float32)  # a non-contiguous view
    D = pairwise_sq_distances(*on(device, X, Y))
    assert D.dtype == np.float32
    assert_close(D, ((X[:, None] - Y[None]) ** 2).sum(-1), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(("x_shape", "y_shape"), [((3, 2), (4, 5)), ((3,), (4, 3)), ((2, 3), (2, 3, 1))])
def test_bad_shapes_are_named(device, x_shape, y_shape):
    X, Y = on(device, np.zeros(x_shape), np.zeros(y_shape))
    with pytest.raises(ValueError) as error:
        pairwise_sq_distances(X, Y)
    assert str(x_shape) in str(error.value) and str(y_shape) in str(error.value)


def test_mixing_devices_is_refused(device):
    other = "cpu" if device != "cpu" else FAKE_DEVICE
    X, Y = backend.to_device(np.ones((2, 2)), device), backend.to_device(np.ones((2, 2)), other)
    with pytest.raises(backend.DeviceMismatchError):
        pairwise_sq_distances(X, Y)
