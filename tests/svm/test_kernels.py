"""minml.svm.kernels: each kernel against scikit-learn's pairwise kernels, its diagonal, and gamma's rules."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minml import backend
from minml.svm import kernels
from minml.testing import assert_close


def data(seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((7, 4)), rng.standard_normal((5, 4))


@pytest.mark.parametrize(("name", "params", "peer"), [
    ("linear", {}, "linear_kernel"),
    ("poly", {"gamma": 0.3, "coef0": 1.5, "degree": 3}, "polynomial_kernel"),
    ("rbf", {"gamma": 0.7}, "rbf_kernel"),
    ("sigmoid", {"gamma": 0.2, "coef0": -0.5}, "sigmoid_kernel"),
])
def test_kernel_matrix_matches_sklearn(name, params, peer, device):
    pairwise = pytest.importorskip("sklearn.metrics.pairwise")
    X, Y = data()
    got = kernels.kernel_matrix(name, backend.to_device(X, device), backend.to_device(Y, device), **params)
    assert backend.device_of(got) == backend.device(device)
    assert_close(got, getattr(pairwise, peer)(X, Y, **params), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["linear", "poly", "rbf", "sigmoid"])
def test_kernel_diagonal_is_the_matrix_diagonal(name, device):
    X, _ = data(1)
    X = backend.to_device(X, device)
    params = {"gamma": 0.4, "coef0": 0.3, "degree": 2}
    full = backend.asnumpy(kernels.kernel_matrix(name, X, X, **params))
    assert_close(kernels.kernel_diagonal(name, X, **params), np.diagonal(full), rtol=1e-12, atol=1e-12)


def test_callable_and_precomputed_diagonals(device):
    X, _ = data(2)
    X = backend.to_device(X, device)
    K = kernels.linear_kernel(X, X)
    host = np.diagonal(backend.asnumpy(K))
    assert_close(kernels.kernel_diagonal("precomputed", K), host, rtol=1e-12)
    assert_close(kernels.kernel_diagonal(kernels.linear_kernel, X, block=3), host, rtol=1e-12)


@settings(max_examples=10)
@given(st.integers(0, 10_000), st.floats(0.01, 5.0))
def test_rbf_is_one_on_the_diagonal_and_symmetric(seed, gamma):
    X, _ = data(seed)
    K = kernels.rbf_kernel(X, X, gamma)
    assert np.allclose(np.diagonal(K), 1.0) and np.allclose(K, K.T) and (K > 0).all() and (K <= 1 + 1e-12).all()


def test_resolve_gamma(device):
    X, _ = data(3)
    assert kernels.resolve_gamma("scale", backend.to_device(X, device)) == pytest.approx(1 / (4 * X.var()))
    assert kernels.resolve_gamma("auto", X) == 0.25
    assert kernels.resolve_gamma(0.5, X) == 0.5
    assert kernels.resolve_gamma("scale", np.ones((3, 2))) == 1.0  # constant X: no division by zero
