"""SGDClassifier and SGDRegressor: minibatch SGD reaches scikit-learn's accuracy and the exact optimum's objective."""

import warnings

import numpy as np
import pytest

from minml import backend
from minml.exceptions import ConvergenceWarning, InvalidParameterError
from minml.linear.logistic import LogisticRegression
from minml.linear.sgd import CLASSIFICATION_LOSSES, REGRESSION_LOSSES, SGDClassifier, SGDRegressor
from minml.testing import assert_close


def standardised(X):
    return (X - X.mean(axis=0)) / X.std(axis=0)


def classification(seed=0, n=400, p=5, n_classes=2):
    rng = np.random.default_rng(seed)
    X = standardised(rng.standard_normal((n, p)) @ rng.standard_normal((p, p)))
    scores = X @ rng.standard_normal((p, n_classes)) + 0.5 * rng.standard_normal((n, n_classes))
    return X, scores.argmax(axis=1)


def regression(seed=0, n=400, p=5):
    rng = np.random.default_rng(seed)
    X = standardised(rng.standard_normal((n, p)))
    return X, X @ rng.uniform(-3, 3, p) + 2.0 + 0.3 * rng.standard_normal(n)


def accuracy(model, X, y):
    return float(np.mean(backend.asnumpy(model.predict(X)) == y))


def r2(model, X, y):
    residual = y - backend.asnumpy(model.predict(X))
    return 1 - residual @ residual / np.sum((y - y.mean()) ** 2)


def on(device, *arrays):
    return [backend.to_device(a, device) for a in arrays]


@pytest.mark.parametrize(("loss", "n_classes"), [("hinge", 2), ("log_loss", 2), ("hinge", 3), ("modified_huber", 3)])
def test_classifier_reaches_sklearn_accuracy(device, loss, n_classes):
    sklearn_linear = pytest.importorskip("sklearn.linear_model")
    X, y = classification(1, n=600, n_classes=n_classes)
    train, test = slice(0, 400), slice(400, None)
    model = SGDClassifier(loss=loss, random_state=0).fit(*on(device, X[train], y[train]))
    reference = sklearn_linear.SGDClassifier(loss=loss, random_state=0).fit(X[train], y[train])
    assert backend.device_of(model.coef_) == backend.device_of(backend.to_device(X, device))
    assert model.coef_.shape == reference.coef_.shape and model.intercept_.shape == reference.intercept_.shape
    assert accuracy(model, backend.to_device(X[test], device), y[test]) >= reference.score(X[test], y[test]) - 0.03


@pytest.mark.parametrize("loss", ["squared_error", "squared_epsilon_insensitive", "huber"])
def test_regressor_reaches_sklearn_r2(device, loss):
    sklearn_linear = pytest.importorskip("sklearn.linear_model")
    X, y = regression(2)
    params = dict(loss=loss, epsilon=1.0, random_state=0)
    model = SGDRegressor(**params).fit(*on(device, X[:300], y[:300]))
    reference = sklearn_linear.SGDRegressor(**params).fit(X[:300], y[:300])
    assert model.coef_.shape == reference.coef_.shape == (5,) and model.intercept_.shape == (1,)
    assert r2(model, backend.to_device(X[300:], device), y[300:]) >= reference.score(X[300:], y[300:]) - 0.01


def logistic_objective(coef, intercept, X, y, alpha):
    """(1/n) Σ log(1 + e^(−ỹz)) + α/2 ‖w‖², ỹ = ±1: what SGDClassifier(loss="log_loss") minimises."""
    z = X @ coef.ravel() + intercept[0]
    return np.mean(np.logaddexp(0, -(2 * y - 1) * z)) + 0.5 * alpha * coef.ravel() @ coef.ravel()


def test_log_loss_objective_decreases_to_the_logistic_optimum(device):
    X, y = classification(3)
    alpha, X_d, y_d = 0.01, *on(device, X, y)
    objectives = []
    for epochs in (1, 5, 40):
        model = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=epochs, tol=None, random_state=0).fit(X_d, y_d)
        objectives.append(logistic_objective(*map(backend.asnumpy, (model.coef_, model.intercept_)), X, y, alpha))
    # the same objective, scaled by n/... : C·Σℓ + ½‖w‖² with C = 1/(n·α)
    exact = LogisticRegression(C=1 / (len(y) * alpha), tol=1e-10).fit(X, y)
    optimum = logistic_objective(exact.coef_, exact.intercept_, X, y, alpha)
    assert objectives[0] > objectives[1] > objectives[2] >= optimum - 1e-12
    assert objectives[2] - optimum < 2e-3 * optimum
    assert objectives[0] - optimum > 10 * (objectives[2] - optimum)


def test_squared_error_converges_to_the_ridge_solution(device):
    X, y = regression(4)
    alpha, n = 0.05, len(y)
    model = SGDRegressor(alpha=alpha, learning_rate="adaptive", eta0=0.01, tol=1e-6, max_iter=500, random_state=0)
    model.fit(*on(device, X, y))
    # (1/n)Σ½(y − Xw − b)² + α/2‖w‖² → (XcᵀXc + nα I) w = Xcᵀ yc on centred data, b = ȳ − x̄·w
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    w = np.linalg.solve(Xc.T @ Xc + n * alpha * np.eye(5), Xc.T @ yc)
    assert_close(model.coef_, w, rtol=0, atol=2e-3)
    assert_close(model.intercept_, np.array([y.mean() - X.mean(axis=0) @ w]), rtol=0, atol=2e-3)


def test_batch_size_one_is_classic_sgd_and_counts_samples():
    X, y = classification(5, n=100)
    model = SGDClassifier(batch_size=1, random_state=0).fit(X, y)
    assert model.t_ == model.n_iter_ * 100 + 1
    assert accuracy(model, X, y) > 0.8


def test_l1_penalty_sets_irrelevant_weights_to_exactly_zero():
    rng = np.random.default_rng(6)
    X = standardised(rng.standard_normal((400, 8)))
    y = 3 * X[:, 0] - 2 * X[:, 1] + 0.1 * rng.standard_normal(400)
    coef = SGDRegressor(penalty="l1", alpha=0.05, random_state=0).fit(X, y).coef_
    assert np.all(coef[2:] == 0) and np.all(np.abs(coef[:2]) > 1), coef
    coef = SGDRegressor(penalty="elasticnet", alpha=0.05, l1_ratio=0.9, random_state=0).fit(X, y).coef_
    assert np.sum(coef[2:] == 0) >= 3 and np.all(np.abs(coef[2:]) < 1e-3), coef
    assert np.all(SGDRegressor(alpha=0.05, random_state=0).fit(X, y).coef_ != 0)


def test_predict_proba_for_probabilistic_losses(device):
    X, y = classification(7, n_classes=3)
    X_d, y_d = on(device, X, y)
    for loss in ("log_loss", "modified_huber"):
        proba = backend.asnumpy(SGDClassifier(loss=loss, random_state=0).fit(X_d, y_d).predict_proba(X_d))
        assert proba.shape == (len(y), 3) and np.allclose(proba.sum(axis=1), 1) and (proba >= 0).all()
    binary = SGDClassifier(loss="log_loss", random_state=0).fit(*on(device, *classification(7)))
    proba = backend.asnumpy(binary.predict_proba(X_d))
    assert_close(proba[:, 1], 1 / (1 + np.exp(-backend.asnumpy(binary.decision_function(X_d)))))
    log_proba = backend.asnumpy(binary.predict_log_proba(X_d))
    assert np.isfinite(log_proba).all()  # from the scores: finite where the probability rounds to 0
    assert_close(np.exp(log_proba), proba)
    with pytest.raises(AttributeError, match="not available for loss='hinge'"):
        SGDClassifier().fit(X, y).predict_proba(X)


def test_same_seed_same_model_on_every_device(device):
    X, y = classification(8, n_classes=3)
    names = np.array(["a", "b", "c"])[y]
    host = SGDClassifier(random_state=3).fit(X, names)
    there = SGDClassifier(random_state=3).fit(backend.to_device(X, device), names)
    assert_close(there.coef_, host.coef_, rtol=1e-12, atol=1e-12)
    assert list(there.predict(backend.to_device(X, device))) == list(host.predict(X))
    assert not np.allclose(SGDClassifier(random_state=4).fit(X, names).coef_, host.coef_)


def test_class_weight_is_a_weight_per_sample():
    X, y = classification(9)
    by_class = SGDClassifier(class_weight={1: 3.0}, random_state=0).fit(X, y)
    by_sample = SGDClassifier(random_state=0).fit(X, y, sample_weight=np.where(y == 1, 3.0, 1.0))
    assert_close(by_class.coef_, by_sample.coef_, rtol=1e-12, atol=1e-12)
    balanced = SGDClassifier(class_weight="balanced", random_state=0).fit(X, y)
    assert not np.allclose(balanced.coef_, SGDClassifier(random_state=0).fit(X, y).coef_)


def test_warm_start_continues_from_the_previous_weights():
    X, y = regression(10)
    cold = SGDRegressor(max_iter=1, tol=None, random_state=0)
    warm = SGDRegressor(max_iter=1, tol=None, random_state=0, warm_start=True)
    first = warm.fit(X, y).coef_.copy()
    assert np.array_equal(first, cold.fit(X, y).coef_)
    assert r2(warm.fit(X, y), X, y) > r2(cold.fit(X, y), X, y)


def test_every_loss_has_the_derivative_of_its_loss():
    rng = np.random.default_rng(11)
    z, h = rng.uniform(-3, 3, 200), 1e-6
    for labels, losses, extra in [(np.sign(rng.standard_normal(200)), CLASSIFICATION_LOSSES, ()),
                                  (rng.standard_normal(200), REGRESSION_LOSSES, (0.5,))]:
        for name, loss in losses.items():
            values, slopes = loss(np, z, labels, *extra)
            numeric = (loss(np, z + h, labels, *extra)[0] - loss(np, z - h, labels, *extra)[0]) / (2 * h)
            smooth = np.abs(numeric - slopes) < 1e-4
            assert smooth.mean() > 0.95, name  # all but the kinks
            assert (values >= 0).all(), name


def test_warnings_and_errors_say_what_to_do():
    X, y = classification(12)
    with pytest.warns(ConvergenceWarning, match="reached max_iter=2 epochs.*Increase max_iter"):
        SGDClassifier(max_iter=2, tol=1e-12, random_state=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SGDClassifier(max_iter=2, tol=None, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="eta0 must be > 0 with learning_rate='constant'"):
        SGDClassifier(learning_rate="constant", eta0=0.0).fit(X, y)
    with pytest.raises(ValueError, match="alpha must be > 0 with learning_rate='optimal'"):
        SGDClassifier(alpha=0.0).fit(X, y)
    with pytest.raises(InvalidParameterError, match="'loss' parameter of SGDClassifier"):
        SGDClassifier(loss="squared_error").fit(X, y)
    with pytest.raises(InvalidParameterError, match="'batch_size' parameter of SGDRegressor"):
        SGDRegressor(batch_size=0).fit(X, y.astype(float))
    with pytest.raises(ValueError, match="contains only one class"):
        SGDClassifier().fit(X, np.zeros(len(y)))
    with pytest.raises(ValueError, match=r"Floating-point overflow at epoch \d+.*Scale the data"):
        with np.errstate(all="ignore"):
            SGDRegressor(learning_rate="constant", eta0=10.0).fit(1e3 * X, y.astype(float))
