"""bootstrap_error: out-of-bag, .632 and .632+ estimates recomputed by hand from the same resamples."""

import numpy as np
import pytest

from minml import backend
from minml.base import BaseEstimator, ClassifierMixin
from minml.linear.logistic import LogisticRegression
from minml.linear.ridge import Ridge
from minml.model_selection import bootstrap_error
from minml.stats import bootstrap_indices


class OneNearestNeighbour(ClassifierMixin, BaseEstimator):
    """Memorises the training set: zero training error, the textbook case .632 gets wrong."""

    def __init__(self):
        pass

    def fit(self, X, y):
        self.X_, self.y_ = X, y
        return self

    def predict(self, X):
        distances = ((X[:, None, :] - self.X_[None, :, :]) ** 2).sum(axis=2)
        return self.y_[distances.argmin(axis=1)]


def data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    return X, (X[:, 0] + rng.normal(size=n) > 0).astype(int)


def oob_by_hand(model, X, y, n_resamples, seed):
    """Err⁽¹⁾: each sample's mean loss over the resamples that left it out, then the mean over samples."""
    losses = [[] for _ in range(len(y))]
    for rows in bootstrap_indices(len(y), n_resamples, seed):
        left_out = np.setdiff1d(np.arange(len(y)), rows)
        fitted = model.fit(X[rows], y[rows])
        for i, prediction in zip(left_out, fitted.predict(X[left_out])):
            losses[i].append(float(prediction != y[i]))
    return np.mean([np.mean(sample) for sample in losses if sample])


def test_oob_and_632_match_the_formulas():
    X, y = data()
    oob = bootstrap_error(LogisticRegression(), X, y, method="oob", n_resamples=30, random_state=0)
    assert oob == pytest.approx(oob_by_hand(LogisticRegression(), X, y, 30, 0), rel=1e-12)
    apparent = np.mean(LogisticRegression().fit(X, y).predict(X) != y)
    e632 = bootstrap_error(LogisticRegression(), X, y, method=".632", n_resamples=30, random_state=0)
    assert e632 == pytest.approx(0.368 * apparent + 0.632 * oob, rel=1e-12)


def test_632_plus_moves_towards_oob_when_the_model_overfits():
    X, y = data()
    errors = {m: bootstrap_error(OneNearestNeighbour(), X, y, method=m, n_resamples=30, random_state=0)
              for m in ("oob", ".632", ".632+")}
    assert errors[".632"] == pytest.approx(0.632 * errors["oob"])  # zero training error
    p, q = np.mean(y), np.mean(OneNearestNeighbour().fit(X, y).predict(X))
    gamma = p * (1 - q) + (1 - p) * q
    overfitting = min(errors["oob"], gamma) / gamma
    weight = 0.632 / (1 - 0.368 * overfitting)
    assert errors[".632+"] == pytest.approx(weight * min(errors["oob"], gamma), rel=1e-12)
    assert errors[".632"] < errors[".632+"] <= errors["oob"]


def test_named_losses_equal_the_same_loss_given_as_a_callable():
    X, y = data()
    for model, name, loss, target in (
        (OneNearestNeighbour(), "zero_one", lambda t, p: (t != p).astype(float), y),
        (Ridge(alpha=50.0), "squared_error", lambda t, p: (t - p) ** 2, X[:, 0] + 0.3 * X[:, 1]),
    ):
        named = bootstrap_error(model, X, target, loss=name, n_resamples=20, random_state=1)
        given = bootstrap_error(model, X, target, loss=loss, n_resamples=20, random_state=1)
        assert named == pytest.approx(given, rel=1e-10)


def test_same_estimate_on_every_device(device):
    X_host, y_host = data(n=30)
    X, y = backend.to_device(X_host, device), backend.to_device(y_host, device)
    for model in (LogisticRegression(), Ridge()):
        target, target_host = (y, y_host) if isinstance(model, LogisticRegression) else (
            X[:, 0] * 2.0, X_host[:, 0] * 2.0)
        on_device = bootstrap_error(model, X, target, n_resamples=15, random_state=2)
        on_host = bootstrap_error(model, X_host, target_host, n_resamples=15, random_state=2)
        assert isinstance(on_device, float) and on_device == pytest.approx(on_host, rel=1e-10)


def test_errors():
    X, y = data(n=10)
    with pytest.raises(ValueError, match=r"method must be 'oob', '.632' or '.632\+'; got '632'"):
        bootstrap_error(Ridge(), X, y, method="632")
    with pytest.raises(ValueError, match="n_resamples must be an int ≥ 1; got 0"):
        bootstrap_error(Ridge(), X, y, n_resamples=0)
    with pytest.raises(ValueError, match="loss must be 'zero_one', 'squared_error', None or a callable"):
        bootstrap_error(Ridge(), X, y, loss="hinge")
