"""SVR against scikit-learn's (libsvm's ε-SVR): support vectors, coefficients, intercept, predictions."""

import numpy as np
import pytest
from svm_data import regression

from minml import backend
from minml.exceptions import InvalidParameterError
from minml.svm import SVR
from minml.testing import assert_close

TOL = 1e-7


@pytest.mark.parametrize("params", [
    {"kernel": "rbf"},
    {"kernel": "linear", "C": 0.3},
    {"kernel": "poly", "degree": 2, "coef0": 1.0, "epsilon": 0.05},
    {"kernel": "sigmoid", "gamma": 0.01, "coef0": 0.1, "C": 3.0},
], ids=lambda p: p["kernel"])
def test_matches_sklearn_for_every_kernel(params, device):
    svm = pytest.importorskip("sklearn.svm")
    X, y = regression(seed=1)
    X_test, _ = regression(seed=2)
    weights = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    reference = svm.SVR(tol=TOL, **params).fit(X, y, sample_weight=weights)
    model = SVR(tol=TOL, **params).fit(backend.to_device(X, device), backend.to_device(y, device),
                                       sample_weight=backend.to_device(weights, device))
    assert np.array_equal(backend.asnumpy(model.support_), reference.support_)
    assert_close(model.dual_coef_, reference.dual_coef_, rtol=1e-3, atol=1e-4)
    assert_close(model.intercept_, reference.intercept_, rtol=1e-3, atol=1e-4)
    assert_close(model.predict(backend.to_device(X_test, device)), reference.predict(X_test), rtol=1e-3, atol=1e-4)
    if params["kernel"] == "linear":
        assert_close(model.coef_, reference.coef_, rtol=1e-3, atol=1e-4)


def test_precomputed_kernel_matches_sklearn(device):
    svm = pytest.importorskip("sklearn.svm")
    X, y = regression(seed=3)
    K = np.exp(-0.5 * ((X[:, None] - X[None]) ** 2).sum(axis=2))
    reference = svm.SVR(kernel="precomputed", tol=TOL).fit(K, y)
    model = SVR(kernel="precomputed", tol=TOL).fit(backend.to_device(K, device), backend.to_device(y, device))
    assert np.array_equal(backend.asnumpy(model.support_), reference.support_)
    assert_close(model.predict(backend.to_device(K[:10], device)), reference.predict(K[:10]), rtol=1e-3, atol=1e-4)


def test_epsilon_tube_holds_the_non_support_vectors():
    X, y = regression(seed=4)
    model = SVR(epsilon=0.2, tol=1e-8).fit(X, y)
    inside = np.setdiff1d(np.arange(len(y)), model.support_)
    assert (np.abs(model.predict(X[inside]) - y[inside]) <= 0.2 + 1e-5).all()
    assert (np.abs(model.dual_coef_) <= model.C + 1e-12).all()


def test_bad_parameters():
    X, y = regression()
    with pytest.raises(InvalidParameterError, match="'epsilon' parameter of SVR"):
        SVR(epsilon=-0.1).fit(X, y)
    with pytest.raises(InvalidParameterError, match="'C' parameter of SVR must be a float > 0"):
        SVR(C=0).fit(X, y)
    with pytest.raises(ValueError, match="square"):
        SVR(kernel="precomputed").fit(X, y)
