"""Grader for exercise 08.newton_leaf_value: the second-order leaf value w = −G / (H + λ) of boosting."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
from minml.grading import expect
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("08.newton_leaf_value")

DEFINITION_HINT = ("w = −G / (H + λ): minus the gradient sum over the hessian sum plus λ (a Newton step, "
                   "downhill: the minus sign matters)")
LAMBDA_HINT = "λ belongs in the denominator, added to the hessian sum: w = −G / (H + λ) shrinks every leaf towards 0"


def newton(G, H, reg_lambda):
    return -np.asarray(G, dtype=np.float64) / (np.asarray(H, dtype=np.float64) + reg_lambda)


def check(solution, G, H, reg_lambda, hint=DEFINITION_HINT, device=None):
    G, H = np.asarray(G, dtype=np.float64), np.asarray(H, dtype=np.float64)
    result = solution(backend.to_device(G, device), backend.to_device(H, device), reg_lambda)
    assert tuple(result.shape) == G.shape, f"one value per leaf: shape {G.shape}; got {tuple(result.shape)}"
    expect(result, newton(G, H, reg_lambda), rtol=1e-12, atol=1e-15, hint=hint,
           what=f"leaf values for G = {G.tolist()}, H = {H.tolist()}, λ = {reg_lambda}")
    return result


@pytest.mark.points(1)
@pytest.mark.hint(DEFINITION_HINT)
def test_three_leaves(solution):
    result = check(solution, [-4.0, 2.0, 0.0], [2.0, 1.0, 3.0], 1.0)
    expect(result, np.array([4 / 3, -1.0, 0.0]), what="−G / (H + 1)")


@pytest.mark.points(2)
@pytest.mark.hint(LAMBDA_HINT)
def test_lambda_shrinks_the_leaves(solution):
    G, H = [-6.0, 3.0, 1.5], [3.0, 2.0, 0.5]
    check(solution, G, H, 0.0, hint=LAMBDA_HINT)
    for reg_lambda in (0.5, 4.0, 100.0):
        check(solution, G, H, reg_lambda, hint=LAMBDA_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("with the squared error ½(F − y)², g = F − y and h = 1, so w = −Σ(F − y) / (n + λ): with λ = 0, "
                  "the mean residual — " + DEFINITION_HINT)
def test_squared_error_leaf_is_the_mean_residual(solution):
    rng = np.random.default_rng(0)
    y, F = rng.normal(size=40), np.full(40, 0.3)
    result = solution(backend.to_device(np.array([(F - y).sum()])), backend.to_device(np.array([40.0])), 0.0)
    expect(result, np.array([(y - F).mean()]), rtol=1e-12, what="the leaf value with λ = 0: the mean residual")


@pytest.mark.points(2)
@pytest.mark.hint("w minimises G·w + ½(H + λ)·w²: its derivative G + (H + λ)·w must vanish at w — " + DEFINITION_HINT)
@given(hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-50, 50)),
       st.floats(0.01, 50), st.sampled_from([0.0, 0.1, 1.0, 10.0]))
def test_minimises_the_second_order_objective(solution, G, hessian_scale, reg_lambda):
    H = hessian_scale * (1 + np.arange(G.shape[0]))
    w = backend.asnumpy(check(solution, G, H, reg_lambda))
    expect(G + (H + reg_lambda) * w, np.zeros_like(G), atol=1e-9 * (1 + np.abs(G)).max(),
           what="the derivative G + (H + λ)·w at your leaf values")


@pytest.mark.points(1)
@pytest.mark.hint("compute with array arithmetic that works on any device; never np.* on the inputs")
def test_runs_on_the_fake_gpu(solution):
    result = check(solution, [-4.0, 2.0], [2.0, 1.0], 1.0, device=FAKE_DEVICE)
    assert backend.device_of(result) == FAKE_DEVICE, f"the result should stay on the inputs' device; got {type(result)}"


def stump_data():
    """One feature of four values (so every library bins it the same way) and a clear best split."""
    rng = np.random.default_rng(3)
    x = rng.integers(0, 4, 200).astype(np.float64)
    return x[:, None], x


@pytest.mark.points(2)
@pytest.mark.hint("minml's GradientBoostingRegressor sets each leaf of each round to newton_leaf_value(G, H, λ) "
                  "(then shrinks it by the learning rate): " + LAMBDA_HINT)
def test_one_boosting_round(solution, monkeypatch):
    monkeypatch.setattr(sys.modules["minml.tree.splitter"], "newton_leaf_value", solution)
    X, x = stump_data()
    y = np.where(x >= 2, 3.0, -1.0) + np.random.default_rng(4).normal(0, 0.5, x.size)
    reg_lambda = 5.0
    model = GradientBoostingRegressor(n_estimators=1, learning_rate=1.0, max_depth=1, reg_lambda=reg_lambda,
                                      min_child_weight=0.0).fit(backend.to_device(X), backend.to_device(y))
    residual = y - y.mean()
    right = x >= 2  # the one split a stump makes on this data
    expected = y.mean() + np.where(right, residual[right].sum() / (right.sum() + reg_lambda),
                                   residual[~right].sum() / ((~right).sum() + reg_lambda))
    expect(model.predict(backend.to_device(X)), expected, rtol=1e-10, hint=LAMBDA_HINT,
           what="predictions after one round: mean + Σ residuals / (n_leaf + λ) in each leaf")
    ensemble = pytest.importorskip("sklearn.ensemble")
    reference = ensemble.HistGradientBoostingRegressor(max_iter=1, learning_rate=1.0, max_depth=2, max_leaf_nodes=2,
                                                       min_samples_leaf=1, l2_regularization=reg_lambda,
                                                       early_stopping=False).fit(X, y)
    expect(model.predict(backend.to_device(X)), reference.predict(X), rtol=1e-10, hint=LAMBDA_HINT,
           what="predictions after one round, beside scikit-learn's HistGradientBoostingRegressor")


@pytest.mark.points(2)
@pytest.mark.hint("for the log-loss g = p − y and h = p(1 − p): the leaf moves the log-odds by −G / (H + λ); "
                  + DEFINITION_HINT)
def test_one_log_loss_round(solution, monkeypatch):
    monkeypatch.setattr(sys.modules["minml.tree.splitter"], "newton_leaf_value", solution)
    X, x = stump_data()
    y = (np.random.default_rng(5).random(x.size) < np.where(x >= 2, 0.8, 0.3)).astype(np.int64)
    reg_lambda = 2.0
    model = GradientBoostingClassifier(n_estimators=1, learning_rate=1.0, max_depth=1, reg_lambda=reg_lambda,
                                       min_child_weight=0.0).fit(backend.to_device(X), backend.to_device(y))
    p = y.mean()
    right = x >= 2
    step = np.where(right, -(p - y[right]).sum() / (right.sum() * p * (1 - p) + reg_lambda),
                    -(p - y[~right]).sum() / ((~right).sum() * p * (1 - p) + reg_lambda))
    expect(model.decision_function(backend.to_device(X)), np.log(p / (1 - p)) + step, rtol=1e-10,
           what="log-odds after one round: log(p/(1−p)) − G / (H + λ) in each leaf")
    ensemble = pytest.importorskip("sklearn.ensemble")
    reference = ensemble.HistGradientBoostingClassifier(max_iter=1, learning_rate=1.0, max_depth=2,
                                                        max_leaf_nodes=2, min_samples_leaf=1,
                                                        l2_regularization=reg_lambda, early_stopping=False).fit(X, y)
    expect(model.predict_proba(backend.to_device(X)), reference.predict_proba(X), rtol=1e-6,
           what="probabilities after one round, beside scikit-learn's HistGradientBoostingClassifier")
