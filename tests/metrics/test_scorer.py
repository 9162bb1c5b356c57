"""Scorers: every name gives scikit-learn's number for the same fitted model, on every device."""

import functools

import numpy as np
import pytest

from minml import backend
from minml.metrics import (
    accuracy_score,
    average_precision_score,
    check_scoring,
    get_scorer,
    get_scorer_names,
    make_scorer,
    mean_squared_error,
)

sk = pytest.importorskip("sklearn.metrics", reason="scikit-learn not installed")
linear_model = pytest.importorskip("sklearn.linear_model", reason="scikit-learn not installed")

CLASSIFICATION = [
    "accuracy",
    "balanced_accuracy",
    "precision",
    "recall",
    "f1",
    "f1_macro",
    "f1_micro",
    "f1_weighted",
    "precision_macro",
    "recall_weighted",
    "roc_auc",
    "roc_auc_ovr",
    "roc_auc_ovr_weighted",
    "roc_auc_ovo",
    "roc_auc_ovo_weighted",
    "average_precision",
    "neg_log_loss",
    "neg_brier_score",
]
REGRESSION = [
    "r2",
    "neg_mean_squared_error",
    "neg_root_mean_squared_error",
    "neg_mean_absolute_error",
    "explained_variance",
]


class OnDevice:
    """A fitted scikit-learn model whose predictions land on ``device``, as a minml model's would
    (string labels stay on the host: no GPU array holds strings)."""

    def __init__(self, model, device):
        self.model, self.device = model, device
        if hasattr(model, "classes_"):
            self.classes_ = model.classes_

    def __getattr__(self, name):
        if name not in ("predict", "predict_proba", "decision_function"):
            raise AttributeError(name)
        method = getattr(self.model, name)

        def on_device(X):
            result = method(backend.asnumpy(X))
            return result if result.dtype.kind in "OUS" else backend.to_device(result, self.device)

        return on_device


def _data(n_classes, seed=0, labels=None):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] + 0.8 * rng.normal(size=60) > 0).astype(int) if n_classes == 2 else rng.integers(0, n_classes, 60)
    return X, (np.asarray(labels)[y] if labels is not None else y)


def _agree(name, model, X, y, device):
    """Both libraries' scorer of ``name`` on the same model: equal values, or both refuse."""
    try:
        expected = sk.get_scorer(name)(model, X, y)
    except ValueError:
        with pytest.raises(ValueError):
            get_scorer(name)(OnDevice(model, device), X, y)
        return
    ours = get_scorer(name)(OnDevice(model, device), backend.to_device(X, device), y)
    assert type(ours) is float
    assert ours == pytest.approx(expected, rel=1e-9, abs=1e-12), name


@functools.cache
def _fitted_classifier(classes):
    labels = classes if isinstance(classes, tuple) else None
    X, y = _data(2 if labels else classes, labels=labels)
    return linear_model.LogisticRegression().fit(X, y), X, y


@pytest.mark.parametrize("name", CLASSIFICATION)
@pytest.mark.parametrize("classes", [2, 3, ("ham", "spam")])
def test_classification_scorers_match_sklearn(device, name, classes):
    model, X, y = _fitted_classifier(classes)
    _agree(name, model, X, y, device)


@pytest.mark.parametrize("name", REGRESSION)
def test_regression_scorers_match_sklearn(device, name):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + rng.normal(size=40)
    _agree(name, linear_model.LinearRegression().fit(X, y), X, y, device)


def test_names_are_a_subset_of_sklearns():
    names = get_scorer_names()
    assert names == sorted(names)
    assert set(CLASSIFICATION + REGRESSION) <= set(names) <= set(sk.get_scorer_names())


def test_decision_function_is_negated_when_the_positive_class_comes_first():
    X, y = _data(2)
    model = linear_model.LogisticRegression().fit(X, y)
    scorer = make_scorer(average_precision_score, response_method="decision_function", pos_label=0)
    expected = sk.make_scorer(sk.average_precision_score, response_method="decision_function", pos_label=0)
    assert scorer(model, X, y) == pytest.approx(expected(model, X, y))
    assert scorer(model, X, y) != pytest.approx(get_scorer("average_precision")(model, X, y))


def test_make_scorer_signs_weights_and_repr():
    X, y = _data(2)
    model = linear_model.LogisticRegression().fit(X, y)
    weights = np.linspace(0, 1, 60)
    scorer = make_scorer(accuracy_score)
    assert scorer(model, X, y, sample_weight=weights) == pytest.approx(
        sk.accuracy_score(y, model.predict(X), sample_weight=weights)
    )
    loss = make_scorer(mean_squared_error, greater_is_better=False)
    assert loss(model, X, y) == -sk.mean_squared_error(y, model.predict(X))
    assert repr(loss) == "make_scorer(mean_squared_error, greater_is_better=False, response_method='predict')"


def test_check_scoring_falls_back_to_the_estimators_score():
    X, y = _data(2)
    model = linear_model.LogisticRegression().fit(X, y)
    assert check_scoring(model)(model, X, y) == pytest.approx(model.score(X, y))
    assert check_scoring(model, "f1")(model, X, y) == pytest.approx(sk.f1_score(y, model.predict(X)))


def test_scorer_errors():
    with pytest.raises(ValueError, match="'accuracy_typo' is not a valid scoring value"):
        get_scorer("accuracy_typo")
    with pytest.raises(ValueError, match="response_method must be one of"):
        make_scorer(accuracy_score, response_method="predict_log_odds")
    X, y = _data(2)
    regressor = linear_model.LinearRegression().fit(X, y)
    with pytest.raises(AttributeError, match="has none of the following attributes: predict_proba"):
        get_scorer("neg_log_loss")(regressor, X, y)
