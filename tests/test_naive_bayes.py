"""GaussianNB against scikit-learn (attributes, probabilities, weights, labels, priors, partial_fit) on every device."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minml import backend
from minml.naive_bayes import GaussianNB
from minml.testing import assert_close

naive_bayes = pytest.importorskip("sklearn.naive_bayes", reason="scikit-learn not installed")

ATTRIBUTES = ("theta_", "var_", "class_count_", "class_prior_")


def problem(seed, n_samples=40, n_features=3, n_classes=3):
    """Gaussian blobs with class-dependent means and scales, every class present."""
    rng = np.random.default_rng(seed)
    y = np.concatenate([np.arange(n_classes), rng.integers(0, n_classes, n_samples - n_classes)])
    centres = rng.normal(scale=2.0, size=(n_classes, n_features))
    scales = rng.uniform(0.5, 2.0, size=(n_classes, n_features))
    X = centres[y] + scales[y] * rng.normal(size=(n_samples, n_features))
    return X, y, rng.uniform(0.0, 3.0, n_samples)


def on(device, array):
    return backend.to_device(np.asarray(array), device)


def assert_same_model(ours, theirs, X_test, device, rtol=1e-9, atol=1e-12):
    for name in ATTRIBUTES:
        assert_close(getattr(ours, name), getattr(theirs, name), rtol=rtol, atol=atol, what=name)
    assert ours.epsilon_ == pytest.approx(theirs.epsilon_, rel=1e-12)
    X_device = on(device, X_test)
    for method in ("predict_joint_log_proba", "predict_log_proba", "predict_proba"):
        output = getattr(ours, method)(X_device)
        assert backend.device_of(output) == backend.device(device)
        assert_close(output, getattr(theirs, method)(X_test), rtol=1e-7, atol=1e-9, what=method)
    assert backend.asnumpy(ours.predict(X_device)).tolist() == theirs.predict(X_test).tolist()


@settings(max_examples=10)
@given(seed=st.integers(0, 2**16), n_classes=st.integers(2, 4), n_features=st.integers(1, 4), weighted=st.booleans())
def test_fit_matches_sklearn(device, seed, n_classes, n_features, weighted):
    X, y, weights = problem(seed, n_features=n_features, n_classes=n_classes)
    sample_weight = weights if weighted else None
    theirs = naive_bayes.GaussianNB().fit(X, y, sample_weight=sample_weight)
    ours = GaussianNB().fit(on(device, X), on(device, y),
                            sample_weight=None if sample_weight is None else on(device, sample_weight))
    assert backend.device_of(ours.theta_) == backend.device(device)
    assert_same_model(ours, theirs, X + 0.5, device)


def test_string_labels_and_priors_match_sklearn(device):
    X, y, weights = problem(1)
    labels = np.array(["owl", "cat", "dog"])[y]
    priors = [0.2, 0.5, 0.3]
    theirs = naive_bayes.GaussianNB(priors=priors, var_smoothing=1e-3).fit(X, labels, sample_weight=weights)
    ours = GaussianNB(priors=priors, var_smoothing=1e-3).fit(on(device, X), labels, sample_weight=on(device, weights))
    assert ours.classes_.tolist() == ["cat", "dog", "owl"]
    assert_close(ours.class_prior_, priors, what="class_prior_ = the given priors")
    assert_same_model(ours, theirs, X, device)


def test_likelihood_is_the_sum_of_per_feature_normal_log_densities(device):
    """The naive assumption spelt out: log π_k + Σ_j log N(x_j; θ_kj, σ²_kj), by scipy.stats.norm."""
    norm = pytest.importorskip("scipy.stats").norm
    X, y, _ = problem(2)
    model = GaussianNB().fit(on(device, X), on(device, y))
    theta, var, prior = (backend.asnumpy(getattr(model, name)) for name in ("theta_", "var_", "class_prior_"))
    expected = np.log(prior) + norm.logpdf(X[:, None, :], theta, np.sqrt(var)).sum(axis=2)
    assert_close(model.predict_joint_log_proba(on(device, X)), expected, rtol=1e-10)


@pytest.mark.filterwarnings("ignore:divide by zero encountered in log")  # scikit-learn's log of class 5's zero prior
def test_partial_fit_in_batches_matches_sklearn_and_fit(device):
    X, y, weights = problem(3, n_samples=60)
    theirs, ours = naive_bayes.GaussianNB(), GaussianNB()
    for rows in (slice(0, 25), slice(25, 26), slice(26, 60)):
        theirs.partial_fit(X[rows], y[rows], classes=[0, 1, 2, 5], sample_weight=weights[rows])
        ours.partial_fit(on(device, X[rows]), on(device, y[rows]), classes=[0, 1, 2, 5],
                         sample_weight=on(device, weights[rows]))
    assert backend.asnumpy(ours.classes_).tolist() == [0, 1, 2, 5]
    assert_same_model(ours, theirs, X, device)
    full = GaussianNB(var_smoothing=0.0).fit(on(device, X), on(device, y), sample_weight=on(device, weights))
    batched = GaussianNB(var_smoothing=0.0)
    for rows in (slice(0, 30), slice(30, 60)):
        batched.partial_fit(on(device, X[rows]), on(device, y[rows]), classes=[0, 1, 2],
                            sample_weight=on(device, weights[rows]))
    for name in ATTRIBUTES:  # Chan's merge is exact: batches give the one-pass statistics
        assert_close(getattr(batched, name), getattr(full, name), rtol=1e-10, atol=1e-12, what=name)


def test_partial_fit_errors(device):
    X, y, _ = problem(4)
    model = GaussianNB()
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        model.partial_fit(on(device, X), on(device, y))
    model.partial_fit(on(device, X), on(device, y), classes=[0, 1, 2])
    with pytest.raises(ValueError, match=r"target label\(s\) \[7\] in y do not exist"):
        model.partial_fit(on(device, X[:2]), on(device, np.array([0, 7])))
    with pytest.raises(ValueError, match="is not the same as on the last call"):
        model.partial_fit(on(device, X), on(device, y), classes=[0, 1, 3])
    with pytest.raises(ValueError, match="features"):
        model.partial_fit(on(device, X[:, :2]), on(device, y))


@pytest.mark.parametrize(
    "priors, message",
    [([0.5, 0.5], "Number of priors must match"), ([0.5, 0.4, 0.3], "sum of the priors should be 1"),
     ([1.2, -0.1, -0.1], "Priors must be non-negative")],
)
def test_invalid_priors(device, priors, message):
    X, y, _ = problem(5)
    with pytest.raises(ValueError, match=message):
        GaussianNB(priors=priors).fit(on(device, X), on(device, y))


def test_var_smoothing_keeps_a_constant_feature_finite(device):
    """A feature constant within each class has variance 0; ε = var_smoothing · max variance rescues it."""
    X = np.array([[0.0, 1.0], [0.0, 2.0], [1.0, 3.0], [1.0, 4.0]])
    y = np.array([0, 0, 1, 1])
    model = GaussianNB(var_smoothing=1e-2).fit(on(device, X), on(device, y))
    epsilon = 1e-2 * X.var(axis=0).max()
    assert model.epsilon_ == pytest.approx(epsilon)
    assert_close(model.var_[:, 0], [epsilon, epsilon])
    assert backend.asnumpy(model.predict(on(device, X))).tolist() == [0, 0, 1, 1]
    assert np.isfinite(backend.asnumpy(model.predict_log_proba(on(device, X)))).all()


def test_float32_stays_float32(device):
    X, y, _ = problem(6)
    model = GaussianNB().fit(on(device, X.astype(np.float32)), on(device, y))
    assert model.theta_.dtype == np.float32 and model.var_.dtype == np.float32
    reference = GaussianNB().fit(on(device, X), on(device, y))
    assert_close(model.predict_proba(on(device, X)), reference.predict_proba(on(device, X)), rtol=1e-3, atol=1e-4)
