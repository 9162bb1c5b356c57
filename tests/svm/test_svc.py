"""SVC against scikit-learn's (libsvm): support vectors, dual coefficients, intercepts, decisions, predictions.

Both solvers run to tol=1e-7 here so that "within tolerance" is tight: the dual
optimum is then unique to about 1e-5 and so are the support-vector sets.
"""

import warnings

import numpy as np
import pytest
from svm_data import blobs

from minml import backend
from minml.exceptions import ConvergenceWarning, InvalidParameterError, NotFittedError
from minml.svm import SVC
from minml.testing import assert_close

TOL = 1e-7
KERNELS = [
    {"kernel": "linear", "C": 0.5},
    {"kernel": "poly", "degree": 2, "coef0": 1.0, "gamma": 0.3},
    {"kernel": "rbf", "gamma": "scale", "C": 2.0},
    {"kernel": "rbf", "gamma": "auto"},
    {"kernel": "sigmoid", "gamma": 0.01, "coef0": 0.1},  # mildly indefinite: the optimum is still unique
]


def sklearn_svc(**params):
    return pytest.importorskip("sklearn.svm").SVC(tol=TOL, **params)


def assert_same_model(model, reference, X_test, atol=1e-4):
    assert np.array_equal(backend.asnumpy(model.support_), reference.support_)
    assert np.array_equal(model.n_support_, reference.n_support_)
    assert_close(model.dual_coef_, reference.dual_coef_, rtol=1e-3, atol=atol)
    assert_close(model.intercept_, reference.intercept_, rtol=1e-3, atol=atol)
    if reference.support_vectors_.size:
        assert_close(model.support_vectors_, reference.support_vectors_, rtol=0, atol=0)
    host = backend.asnumpy(X_test)
    assert_close(model.decision_function(X_test), reference.decision_function(host), rtol=1e-3, atol=atol)
    assert np.array_equal(backend.asnumpy(model.predict(X_test)), reference.predict(host))


@pytest.mark.parametrize("params", KERNELS, ids=lambda p: f"{p['kernel']}-{p.get('gamma', '')}")
@pytest.mark.parametrize("n_classes", [2, 3])
def test_matches_sklearn_for_every_kernel(params, n_classes, device):
    X, y = blobs(seed=n_classes, n_classes=n_classes)
    X_test, _ = blobs(seed=10 + n_classes, n_classes=n_classes)
    reference = sklearn_svc(**params).fit(X, y)
    model = SVC(tol=TOL, **params).fit(backend.to_device(X, device), backend.to_device(y, device))
    assert_same_model(model, reference, backend.to_device(X_test, device))


def test_precomputed_and_callable_kernels_match_sklearn(device):
    X, y = blobs(seed=4, n_classes=3)
    X_test, _ = blobs(seed=5, n_classes=3)
    K, K_test = X @ X.T, X_test @ X.T
    reference = sklearn_svc(kernel="precomputed").fit(K, y)
    model = SVC(kernel="precomputed", tol=TOL).fit(backend.to_device(K, device), backend.to_device(y, device))
    assert_same_model(model, reference, backend.to_device(K_test, device))
    assert model.support_vectors_.shape == (0, 0)

    def kernel(A, B):
        return (A @ B.T + 1.0) ** 2

    reference = sklearn_svc(kernel=kernel).fit(X, y)
    model = SVC(kernel=kernel, tol=TOL).fit(backend.to_device(X, device), backend.to_device(y, device))
    host = backend.to_device(X_test, device)
    assert_close(model.dual_coef_, reference.dual_coef_, rtol=1e-3, atol=1e-4)
    assert_close(model.decision_function(host), reference.decision_function(X_test), rtol=1e-3, atol=1e-4)


def test_class_weight_sample_weight_and_string_labels(device):
    X, y = blobs(seed=6, n_classes=3)
    names = np.array(["owl", "cat", "dog"])[y]
    weights = np.random.default_rng(0).uniform(0.2, 3.0, len(y))
    for class_weight in ("balanced", {"cat": 3.0, "owl": 0.5}):
        reference = sklearn_svc(class_weight=class_weight).fit(X, names, sample_weight=weights)
        model = SVC(tol=TOL, class_weight=class_weight).fit(
            backend.to_device(X, device), names, sample_weight=backend.to_device(weights, device))
        assert backend.asnumpy(model.classes_).tolist() == ["cat", "dog", "owl"]
        assert_close(model.class_weight_, reference.class_weight_, rtol=1e-12)
        assert_same_model(model, reference, backend.to_device(X, device))


def test_decision_function_shapes_and_break_ties(device):
    X, y = blobs(seed=7, n=80, n_classes=4)
    X_device = backend.to_device(X, device)
    for shape in ("ovr", "ovo"):
        reference = sklearn_svc(decision_function_shape=shape, break_ties=shape == "ovr").fit(X, y)
        model = SVC(tol=TOL, decision_function_shape=shape, break_ties=shape == "ovr").fit(
            X_device, backend.to_device(y, device))
        scores = model.decision_function(X_device)
        assert scores.shape == (80, 4 if shape == "ovr" else 6)
        assert_close(scores, reference.decision_function(X), rtol=1e-3, atol=1e-4)
        assert np.array_equal(backend.asnumpy(model.predict(X_device)), reference.predict(X))
    with pytest.raises(ValueError, match="break_ties must be False"):
        model.set_params(break_ties=True).predict(X_device)


def test_linear_kernel_coef_and_binary_sign(device):
    X, y = blobs(seed=8)
    reference = sklearn_svc(kernel="linear").fit(X, y)
    model = SVC(kernel="linear", tol=TOL).fit(backend.to_device(X, device), backend.to_device(y, device))
    assert_close(model.coef_, reference.coef_, rtol=1e-3, atol=1e-4)
    scores = backend.asnumpy(model.decision_function(backend.to_device(X, device)))
    assert np.array_equal(np.where(scores > 0, 1, 0), backend.asnumpy(model.predict(backend.to_device(X, device))))
    with pytest.raises(AttributeError, match="linear kernel"):
        _ = SVC().fit(X, y).coef_


@pytest.mark.filterwarnings("ignore:The `probability` parameter was deprecated:FutureWarning")
def test_probability_by_platt_scaling(device):
    X, y = blobs(seed=9, n=90, n_classes=3)
    reference = sklearn_svc(probability=True, random_state=0).fit(X, y)
    model = SVC(probability=True, random_state=0).fit(backend.to_device(X, device), backend.to_device(y, device))
    proba = backend.asnumpy(model.predict_proba(backend.to_device(X, device)))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-9)
    assert model.probA_.shape == (3,) and (backend.asnumpy(model.probA_) < 0).all()  # larger f, more likely
    # the folds differ from libsvm's random ones, so the sigmoids differ a little
    assert np.abs(proba - reference.predict_proba(X)).mean() < 0.05
    assert_close(model.predict_log_proba(backend.to_device(X, device)), np.log(proba), rtol=1e-9)
    assert not hasattr(SVC(), "predict_proba")
    with pytest.raises(AttributeError, match="probability=True"):
        SVC().fit(X, y).predict_proba(X)


def test_binary_platt_matches_sigmoid_fit():
    X, y = blobs(seed=11, n=80)
    model = SVC(probability=True, random_state=0).fit(X, y)
    proba = model.predict_proba(X)
    assert proba.shape == (80, 2)
    assert (np.diff(proba[np.argsort(model.decision_function(X)), 1]) >= -1e-12).all()  # monotone in f


def test_bad_parameters_and_inputs():
    X, y = blobs(seed=12)
    with pytest.raises(InvalidParameterError, match="'kernel' parameter of SVC"):
        SVC(kernel="cubic").fit(X, y)
    with pytest.raises(InvalidParameterError, match="'C' parameter of SVC must be a float > 0; got -1"):
        SVC(C=-1).fit(X, y)
    with pytest.raises(InvalidParameterError, match="'gamma'"):
        SVC(gamma="large").fit(X, y)
    with pytest.raises(ValueError, match="Precomputed matrix must be a square matrix. Input is a 60x3 matrix"):
        SVC(kernel="precomputed").fit(X, y)
    model = SVC(kernel="precomputed").fit(X @ X.T, y)
    with pytest.raises(ValueError, match="X has 3 features, but SVC is expecting 60"):
        model.predict(X)
    with pytest.raises(NotFittedError):
        SVC().predict(X)
    with pytest.raises(ValueError, match="only one class"):
        SVC().fit(X, np.zeros(60))


def test_max_iter_convergence_warning():
    X, y = blobs(seed=13)
    with pytest.warns(ConvergenceWarning, match="max_iter=3.*standardise"):
        model = SVC(max_iter=3).fit(X, y)
    assert model.n_iter_.tolist() == [3]


def test_cache_size_does_not_change_the_model():
    X, y = blobs(seed=14, n=120)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        big = SVC(tol=TOL).fit(X, y)
        small = SVC(tol=TOL, cache_size=1e-4).fit(X, y)  # a few rows: most are recomputed
    assert np.array_equal(big.support_, small.support_)
    np.testing.assert_allclose(small.dual_coef_, big.dual_coef_, atol=1e-5)


def test_shrinking_changes_the_path_not_the_model(device):
    X, y = blobs(seed=15, n=120, n_classes=3)
    X, y = backend.to_device(X, device), backend.to_device(y, device)
    shrunk, full = SVC(tol=TOL).fit(X, y), SVC(tol=TOL, shrinking=False).fit(X, y)
    assert np.array_equal(backend.asnumpy(shrunk.support_), backend.asnumpy(full.support_))
    assert_close(shrunk.dual_coef_, backend.asnumpy(full.dual_coef_), rtol=1e-4, atol=1e-5)
