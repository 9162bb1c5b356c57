"""LinearSVC against scikit-learn's (liblinear), both solvers; Pegasos against LinearSVC's optimum."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from svm_data import blobs

from minml import backend
from minml.exceptions import ConvergenceWarning, InvalidParameterError
from minml.svm import LinearSVC, pegasos, pegasos_step
from minml.testing import assert_close


def sklearn_linear_svc(**params):
    return pytest.importorskip("sklearn.svm").LinearSVC(tol=1e-10, max_iter=100_000, **params)


@pytest.mark.parametrize(("loss", "dual"), [("squared_hinge", False), ("squared_hinge", True), ("hinge", True)])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_matches_sklearn(loss, dual, n_classes, device):
    X, y = blobs(seed=20 + n_classes, n=90, p=4, n_classes=n_classes)
    params = {"loss": loss, "dual": dual, "C": 0.5, "class_weight": {1: 2.0}}
    reference = sklearn_linear_svc(**params).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = LinearSVC(tol=1e-10, max_iter=100_000, random_state=0, **params).fit(
            backend.to_device(X, device), backend.to_device(y, device))
    assert_close(model.coef_, reference.coef_, rtol=1e-4, atol=1e-5)
    assert_close(model.intercept_, reference.intercept_, rtol=1e-4, atol=1e-5)
    X_test, _ = blobs(seed=30, n=50, p=4, n_classes=n_classes)
    assert_close(model.decision_function(backend.to_device(X_test, device)), reference.decision_function(X_test),
                 rtol=1e-4, atol=1e-5)
    assert np.array_equal(backend.asnumpy(model.predict(backend.to_device(X_test, device))),
                          reference.predict(X_test))


def test_no_intercept_sample_weight_and_string_labels(device):
    X, y = blobs(seed=25, n=80, p=3, n_classes=3)
    names = np.array(["a", "b", "c"])[y]
    weights = np.random.default_rng(1).uniform(0.5, 2.0, len(y))
    reference = sklearn_linear_svc(fit_intercept=False).fit(X, names, sample_weight=weights)
    model = LinearSVC(fit_intercept=False, tol=1e-10).fit(backend.to_device(X, device), names,
                                                          sample_weight=backend.to_device(weights, device))
    assert_close(model.coef_, reference.coef_, rtol=1e-4, atol=1e-6)
    assert backend.asnumpy(model.intercept_).tolist() == [0.0, 0.0, 0.0]
    assert backend.asnumpy(model.predict(backend.to_device(X, device))).tolist() == reference.predict(X).tolist()


def test_errors_and_warnings():
    X, y = blobs(seed=26)
    with pytest.raises(ValueError, match="loss='hinge' is not supported when dual=False"):
        LinearSVC(loss="hinge", dual=False).fit(X, y)
    with pytest.raises(InvalidParameterError, match="'C' parameter of LinearSVC must be a float > 0; got -2"):
        LinearSVC(C=-2).fit(X, y)
    with pytest.raises(InvalidParameterError, match="'penalty'"):
        LinearSVC(penalty="l1").fit(X, y)
    with pytest.warns(ConvergenceWarning, match="Raise max_iter"):
        LinearSVC(dual=True, max_iter=1, tol=1e-12).fit(X, y)


@settings(max_examples=10)
@given(st.integers(0, 1000), st.floats(0.01, 1.0))
def test_pegasos_step_matches_its_formula(seed, lam):
    rng = np.random.default_rng(seed)
    w, X, y = rng.standard_normal(3), rng.standard_normal((8, 3)), rng.choice([-1.0, 1.0], 8)
    t = 1 + seed % 7
    eta = 1 / (lam * t)
    inside = y * (X @ w) < 1
    expected = (1 - eta * lam) * w + eta / 8 * (y[inside, None] * X[inside]).sum(axis=0)
    expected *= min(1.0, 1 / np.sqrt(lam) / np.linalg.norm(expected))
    np.testing.assert_allclose(pegasos_step(w, X, y, lam, t), expected, rtol=1e-12)


def test_pegasos_approaches_the_hinge_svm(device):
    X, y = blobs(seed=27, n=200, p=2, spread=1.0)
    signs = np.where(y == 1, 1.0, -1.0)
    C = 1.0
    lam = 1 / (C * len(y))
    exact = LinearSVC(loss="hinge", fit_intercept=False, C=C, tol=1e-8, max_iter=10_000).fit(X, y).coef_[0]
    w = backend.asnumpy(pegasos(backend.to_device(X, device), backend.to_device(signs, device), lam=lam,
                                n_iter=3000, batch_size=32, random_state=0))

    def objective(v):
        return lam / 2 * v @ v + np.maximum(0, 1 - signs * (X @ v)).mean()

    assert objective(w) <= objective(exact) * 1.05
    assert np.mean(np.sign(X @ w) == signs) >= np.mean(np.sign(X @ exact) == signs) - 0.02
