"""LogisticRegression and its exercise, logistic_loss_grad_hess: against scikit-learn, on every device."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minml import backend
from minml.exceptions import ConvergenceWarning, InvalidParameterError, NotFittedError
from minml.linear import logistic
from minml.linear.logistic import LogisticRegression, logistic_loss_grad_hess
from minml.testing import assert_close
from minml.testing.memory import peak_memory


def classification(seed, n=120, p=4, n_classes=2, signal=1.5):
    """A noisy (not separable) problem: labels drawn from a softmax of linear scores."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + rng.uniform(-1, 1, p)
    scores = signal * X @ rng.standard_normal((p, n_classes))
    probabilities = np.exp(scores - scores.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    y = np.array([rng.choice(n_classes, p=row) for row in probabilities])
    y[:n_classes] = np.arange(n_classes)  # every class present
    return X, y


def sklearn_fit(X, y, **params):
    sklearn_linear = pytest.importorskip("sklearn.linear_model")
    sample_weight = params.pop("sample_weight", None)
    if params.pop("penalty", "l2") is None:
        params["C"] = np.inf
    return sklearn_linear.LogisticRegression(tol=1e-12, max_iter=10_000, **params).fit(
        X, y, sample_weight=sample_weight
    )


def assert_matches_sklearn(model, reference, X, device="cpu", atol=1e-5):
    """coef_, intercept_, probabilities within atol; the same classes away from the boundary (X on the host)."""
    assert_close(model.coef_, reference.coef_, rtol=1e-4, atol=atol, what="coef_")
    assert_close(model.intercept_, reference.intercept_, rtol=1e-4, atol=atol, what="intercept_")
    X_d = backend.to_device(X, device)
    proba = backend.asnumpy(model.predict_proba(X_d))
    assert_close(proba, reference.predict_proba(X), rtol=0, atol=atol, what="predict_proba")
    top2 = np.sort(reference.predict_proba(X), axis=1)[:, -2:]
    clear = top2[:, 1] - top2[:, 0] > 1e-4  # away from the decision boundary
    assert np.array_equal(backend.asnumpy(model.predict(X_d))[clear], reference.predict(X)[clear])


def on(device, *arrays):
    return [backend.to_device(a, device) for a in arrays]


# --------------------------------------------------------------------------- the exercise


def test_logistic_loss_grad_hess_matches_finite_differences(device):
    rng = np.random.default_rng(0)
    X, w = rng.standard_normal((30, 4)), rng.standard_normal(4)
    y, s, alpha = (rng.random(30) < 0.5).astype(float), rng.uniform(0.5, 2, 30), np.array([0.3, 0.3, 0.3, 0.0])
    X_d, y_d, s_d, a_d = on(device, X, y, s, alpha)

    def at(v):
        return [backend.asnumpy(out) for out in logistic_loss_grad_hess(backend.to_device(v, device), X_d, y_d,
                                                                          a_d, s_d)]

    loss, grad, hess = at(w)
    z = X @ w
    expected = np.sum(s * (np.logaddexp(0, z) - y * z)) + 0.5 * np.sum(alpha * w**2)
    assert np.isclose(loss, expected, rtol=1e-12)
    h = 1e-6
    numeric_grad = [(at(w + h * e)[0] - at(w - h * e)[0]) / (2 * h) for e in np.eye(4)]
    numeric_hess = np.array([(at(w + h * e)[1] - at(w - h * e)[1]) / (2 * h) for e in np.eye(4)])
    assert_close(grad, np.array(numeric_grad), rtol=1e-6, atol=1e-6, what="gradient")
    assert_close(hess, numeric_hess, rtol=1e-6, atol=1e-6, what="Hessian")
    assert np.allclose(hess, hess.T)


def test_logistic_loss_is_finite_for_huge_scores_and_unweighted_by_default(device):
    X = backend.to_device(np.array([[1000.0], [-1000.0]]), device)
    y = backend.to_device(np.array([0.0, 1.0]), device)
    loss, grad, hess = logistic_loss_grad_hess(backend.to_device(np.array([1.0]), device), X, y)
    assert np.isclose(backend.to_scalar(loss), 2000.0)  # log(1 + e^1000) − 0 and log(1 + e^−1000) + 1000
    assert_close(grad, np.array([2000.0]))
    assert np.isfinite(backend.asnumpy(hess)).all()


# --------------------------------------------------------------------------- against scikit-learn


@settings(max_examples=10)
@given(
    seed=st.integers(0, 2**16),
    n_classes=st.sampled_from([2, 3, 4]),
    C=st.floats(0.05, 20),
    fit_intercept=st.booleans(),
    solver=st.sampled_from(["newton", "lbfgs"]),
    class_weight=st.sampled_from([None, "balanced"]),
    weighted=st.booleans(),
)
def test_matches_sklearn(device, seed, n_classes, C, fit_intercept, solver, class_weight, weighted):
    X, y = classification(seed, n=90, p=3, n_classes=n_classes)
    sample_weight = np.random.default_rng(seed).uniform(0.2, 3, len(y)) if weighted else None
    params = dict(C=C, fit_intercept=fit_intercept, class_weight=class_weight)
    reference = sklearn_fit(X, y, sample_weight=sample_weight, **params)
    X_d, y_d = on(device, X, y)
    weights = None if sample_weight is None else backend.to_device(sample_weight, device)
    model = LogisticRegression(solver=solver, tol=1e-10, max_iter=1000, **params).fit(X_d, y_d, weights)
    assert backend.device_of(model.coef_) == backend.device_of(X_d)
    assert model.coef_.shape == ((1, 3) if n_classes == 2 else (n_classes, 3))
    assert model.intercept_.shape == ((1,) if n_classes == 2 else (n_classes,))
    assert_matches_sklearn(model, reference, X, device)
    assert_close(model.decision_function(X_d), reference.decision_function(X), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_no_penalty_matches_sklearn_on_overlapping_classes(device, n_classes):
    X, y = classification(1, n=300, p=3, n_classes=n_classes, signal=0.7)
    reference = sklearn_fit(X, y, penalty=None)
    model = LogisticRegression(penalty=None, tol=1e-10).fit(*on(device, X, y))
    assert_matches_sklearn(model, reference, X, device, atol=1e-4)
    assert_close(LogisticRegression(C=np.inf, tol=1e-10).fit(X, y).coef_, model.coef_, rtol=1e-6, atol=1e-8)


def test_string_labels_come_back_as_strings(device):
    X, codes = classification(2, n_classes=3)
    names = np.array(["cat", "dog", "emu"])
    model = LogisticRegression(tol=1e-10).fit(backend.to_device(X, device), names[codes])
    assert list(model.classes_) == ["cat", "dog", "emu"]
    predicted = model.predict(backend.to_device(X, device))
    assert predicted.dtype.kind == "U"
    assert_matches_sklearn(model, sklearn_fit(X, names[codes]), X, device)


def test_binary_labels_keep_their_values_and_order():
    X, codes = classification(3)
    y = np.array([7, -2])[codes]
    model = LogisticRegression().fit(X, y)
    assert list(model.classes_) == [-2, 7]
    scores = model.decision_function(X)
    assert np.array_equal(model.predict(X), np.where(scores > 0, 7, -2))
    assert np.array_equal(model.predict_proba(X)[:, 1] > 0.5, scores > 0)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_newton_and_lbfgs_agree(device, n_classes):
    X, y = classification(4, n=200, p=5, n_classes=n_classes)
    X_d, y_d = on(device, X, y)
    newton = LogisticRegression(solver="newton", tol=1e-10).fit(X_d, y_d)
    lbfgs = LogisticRegression(solver="lbfgs", tol=1e-10, max_iter=1000).fit(X_d, y_d)
    assert_close(newton.coef_, lbfgs.coef_, rtol=1e-6, atol=1e-6)
    assert_close(newton.intercept_, lbfgs.intercept_, rtol=1e-6, atol=1e-6)
    assert backend.to_scalar(newton.n_iter_[0]) < backend.to_scalar(lbfgs.n_iter_[0])


def test_multinomial_weights_sum_to_zero_over_the_classes():
    X, y = classification(5, n_classes=4)
    model = LogisticRegression(tol=1e-10).fit(X, y)
    assert np.allclose(model.coef_.sum(axis=0), 0, atol=1e-10)
    assert np.allclose(model.intercept_.sum(), 0, atol=1e-10)


def test_class_weight_dict_is_sample_weight_per_class(device):
    X, y = classification(6, n_classes=3)
    X_d, y_d = on(device, X, y)
    by_class = LogisticRegression(class_weight={0: 3.0, 2: 0.5}, tol=1e-10).fit(X_d, y_d)
    by_sample = LogisticRegression(tol=1e-10).fit(X_d, y_d, backend.to_device(np.array([3.0, 1.0, 0.5])[y], device))
    assert_close(by_class.coef_, by_sample.coef_, rtol=1e-8, atol=1e-10)


def test_integer_sample_weight_is_repetition():
    X, y = classification(7)
    counts = np.random.default_rng(7).integers(0, 4, len(y))
    counts[:2] = 1
    weighted = LogisticRegression(tol=1e-10).fit(X, y, sample_weight=counts)
    repeated = LogisticRegression(tol=1e-10).fit(np.repeat(X, counts, axis=0), np.repeat(y, counts))
    assert_close(weighted.coef_, repeated.coef_, rtol=1e-7, atol=1e-9)
    assert_close(weighted.intercept_, repeated.intercept_, rtol=1e-7, atol=1e-9)


def test_probabilities_are_normalised_and_stable_for_extreme_scores(device):
    X, y = classification(8, n_classes=3)
    model = LogisticRegression().fit(*on(device, X, y))
    far = backend.to_device(np.vstack([X, 1e4 * X[:5]]), device)
    proba, log_proba = backend.asnumpy(model.predict_proba(far)), backend.asnumpy(model.predict_log_proba(far))
    assert np.isfinite(log_proba).all() and np.allclose(proba.sum(axis=1), 1)
    assert_close(np.exp(log_proba), proba)
    binary = LogisticRegression().fit(*on(device, *classification(8)))
    log_proba = backend.asnumpy(binary.predict_log_proba(far))
    assert np.isfinite(log_proba).all() and (log_proba <= 0).all()


def test_newton_hessian_is_the_exercise_and_none_at_the_solution(monkeypatch):
    X, y = classification(14, n=200, p=3)
    calls = []
    exercise = logistic.logistic_loss_grad_hess
    monkeypatch.setattr(logistic, "logistic_loss_grad_hess", lambda *args: calls.append(1) or exercise(*args))
    model = LogisticRegression(tol=1e-10).fit(X, y)
    assert len(calls) == model.n_iter_[0] > 0  # one block of rows: one Hessian per step, none once converged
    assert_matches_sklearn(model, sklearn_fit(X, y), X)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_a_subsampled_hessian_reaches_the_full_newton_solution(monkeypatch, n_classes):
    """With n ≫ parameters the Hessian comes from every k-th row; the exact gradient still decides convergence."""
    X, y = classification(17, n=30_000, p=4, n_classes=n_classes)
    assert logistic.hessian_stride(30_000, 5 * (1 if n_classes == 2 else n_classes)) > 1
    subsampled = LogisticRegression(tol=1e-8).fit(X, y)
    monkeypatch.setattr(logistic, "HESSIAN_ROWS_PER_PARAMETER", 10**9)  # every row
    full = LogisticRegression(tol=1e-8).fit(X, y)
    assert_close(subsampled.coef_, full.coef_, rtol=1e-5, atol=1e-6)  # both stop at max|gradient| ≤ 1e-8
    assert_close(subsampled.intercept_, full.intercept_, rtol=1e-5, atol=1e-6)
    assert subsampled.n_iter_[0] <= full.n_iter_[0] + 3


def test_zero_weights_on_the_hessian_rows_fall_back_to_every_row():
    X, y = classification(18, n=30_000, p=4)
    k = logistic.hessian_stride(30_000, 5)
    weight = np.ones(30_000)
    weight[::k] = 0.0  # exactly the rows the subsampled Hessian would read
    model = LogisticRegression().fit(X, y, sample_weight=weight)
    reference = LogisticRegression().fit(X[weight > 0], y[weight > 0])
    assert_close(model.coef_, reference.coef_, rtol=1e-3, atol=1e-4)


def _loss_along(t, Z, D, Y, s):
    """Σ s·(log(1 + e^z) − y·z) at the scores Z + t·D, one score per sample."""
    z = (Z + t * D)[:, 0]
    return np.sum(s * (np.logaddexp(0, z) - Y[:, 0] * z))


@pytest.mark.parametrize("spread", [0.1, 1.0, 30.0])
def test_step_length_nearly_minimises_the_loss_along_the_step(spread):
    rng = np.random.default_rng(15)
    Z, D = rng.normal(size=(500, 1)), spread * rng.normal(size=(500, 1))
    Y, s = (rng.random((500, 1)) < 0.5).astype(float), rng.uniform(0.5, 2, 500)
    if np.sum(s * (1 / (1 + np.exp(-Z[:, 0])) - Y[:, 0]) * D[:, 0]) > 0:
        D = -D  # a descent direction: φ'(0) < 0
    h = 1e-6

    def derivative(t):
        return (_loss_along(t + h, Z, D, Y, s) - _loss_along(t - h, Z, D, Y, s)) / (2 * h)

    slope = derivative(0.0)
    t = logistic._step_length(Z, D, Y, s, 0.0, 0.0, slope)
    assert t > 0 and abs(derivative(t)) <= 0.1 * abs(slope) + 1e-6
    grid = np.linspace(0, 4 * t, 401)
    assert _loss_along(t, Z, D, Y, s) <= min(_loss_along(g, Z, D, Y, s) for g in grid) + 0.01 * abs(slope) * t


def test_newton_does_not_copy_X():
    X, y = classification(16, n=20_000, p=50)
    LogisticRegression().fit(X, y)  # imports and caches outside the measurement
    assert peak_memory(lambda: LogisticRegression().fit(X, y)) < 0.5 * X.nbytes  # no X̃ = [X | 1] (1.0 × X)


def test_newton_falls_back_to_lbfgs_above_the_parameter_limit(monkeypatch):
    X, y = classification(9, n_classes=3)
    calls = []
    lbfgs = logistic._lbfgs
    monkeypatch.setattr(logistic, "_lbfgs", lambda *args: calls.append(1) or lbfgs(*args))
    LogisticRegression().fit(X, y)
    assert not calls
    monkeypatch.setattr(logistic, "NEWTON_MAX_PARAMETERS", 10)
    model = LogisticRegression(tol=1e-10).fit(X, y)
    assert calls
    assert_matches_sklearn(model, sklearn_fit(X, y), X)


def test_warm_start_starts_from_the_previous_solution():
    X, y = classification(10, n_classes=3)
    model = LogisticRegression(warm_start=True).fit(X, y)
    assert model.n_iter_[0] > 0
    assert model.fit(X, y).n_iter_[0] == 0


def test_convergence_warning_says_what_to_try():
    X, y = classification(11)
    with pytest.warns(ConvergenceWarning, match="did not converge in 1 iterations.*Increase max_iter, scale the data"):
        LogisticRegression(max_iter=1).fit(X, y)
    with pytest.warns(ConvergenceWarning, match="lbfgs solver did not converge"):
        LogisticRegression(solver="lbfgs", max_iter=1).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LogisticRegression().fit(X, y)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"C": -1.0}, r"The 'C' parameter of LogisticRegression must be a float > 0; got -1.0"),
        ({"C": 0}, r"'C' parameter .* got 0"),
        ({"solver": "sag"}, r"'solver' parameter .* got 'sag'"),
        ({"penalty": "l1"}, r"'penalty' parameter .* got 'l1'"),
        ({"class_weight": "auto"}, r"'class_weight' parameter .* got 'auto'"),
    ],
)
def test_invalid_parameters(params, message):
    X, y = classification(12)
    with pytest.raises(InvalidParameterError, match=message):
        LogisticRegression(**params).fit(X, y)


def test_bad_targets_and_unknown_class_weights_are_refused(device):
    X = backend.to_device(classification(13)[0], device)
    with pytest.raises(ValueError, match="contains only one class"):
        LogisticRegression().fit(X, backend.to_device(np.ones(len(X)), device))
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        LogisticRegression().fit(X, backend.to_device(np.linspace(0, 1, len(X)), device))
    y = backend.to_device(classification(13)[1], device)
    with pytest.raises(ValueError, match=r"class_weight has keys \[5\] that are not classes of y"):
        LogisticRegression(class_weight={5: 2.0}).fit(X, y)
    with pytest.raises(NotFittedError):
        LogisticRegression().predict(X)
    model = LogisticRegression().fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but LogisticRegression is expecting 4 features"):
        model.predict_proba(X[:, :2])
