"""minml.ensemble: forests and boosting against scikit-learn, determinism, OOB, staging, early stopping, devices."""

import numpy as np
import pytest

from minml import backend
from minml.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine, make_classification
from minml.ensemble import (
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)

LOADERS = {"iris": load_iris, "wine": load_wine, "breast_cancer": load_breast_cancer, "digits": load_digits}
HGB_LIKE = {"max_depth": None, "max_leaf_nodes": 31, "min_samples_leaf": 20, "reg_lambda": 0.0,
            "min_child_weight": 1e-3}  # HistGradientBoosting's defaults in minml's names


def _split(X, y, seed=0):
    order = np.random.default_rng(seed).permutation(len(y))
    cut = int(0.7 * len(y))
    return X[order[:cut]], X[order[cut:]], y[order[:cut]], y[order[cut:]]


def _mean_accuracy(make_model, X, y, seeds=(0, 1, 2)):
    """Test accuracy averaged over three random 70/30 splits (one split of 50 samples moves 2 pp per sample)."""
    scores = []
    for seed in seeds:
        X_train, X_test, y_train, y_test = _split(X, y, seed)
        predicted = np.asarray(make_model(seed).fit(X_train, y_train).predict(X_test))
        scores.append(np.mean(predicted == y_test))
    return float(np.mean(scores))


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "digits"])
def test_random_forest_accuracy_like_sklearn(name):
    ensemble = pytest.importorskip("sklearn.ensemble")
    X, y = LOADERS[name](return_X_y=True)
    ours = _mean_accuracy(lambda seed: RandomForestClassifier(40, random_state=seed), X, y)
    theirs = _mean_accuracy(lambda seed: ensemble.RandomForestClassifier(40, random_state=seed), X, y)
    assert ours >= theirs - 0.01, f"minml {ours:.4f} vs scikit-learn {theirs:.4f}"


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer"])
def test_gradient_boosting_accuracy_like_hist_gradient_boosting(name):
    ensemble = pytest.importorskip("sklearn.ensemble")
    X, y = LOADERS[name](return_X_y=True)
    ours = _mean_accuracy(lambda seed: GradientBoostingClassifier(n_estimators=30, **HGB_LIKE), X, y)
    theirs = _mean_accuracy(lambda seed: ensemble.HistGradientBoostingClassifier(max_iter=30, early_stopping=False),
                            X, y)
    assert ours >= theirs - 0.005, f"minml {ours:.4f} vs scikit-learn {theirs:.4f}"


def test_boosting_and_forest_regression_like_sklearn():
    ensemble = pytest.importorskip("sklearn.ensemble")
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = _split(X, y)

    def r2(model):
        predicted = np.asarray(model.fit(X_train, y_train).predict(X_test))
        return 1 - np.sum((y_test - predicted) ** 2) / np.sum((y_test - y_test.mean()) ** 2)

    ours = r2(GradientBoostingRegressor(n_estimators=40, **HGB_LIKE))
    theirs = r2(ensemble.HistGradientBoostingRegressor(max_iter=40, early_stopping=False))
    assert ours >= theirs - 0.005, f"minml R² {ours:.4f} vs scikit-learn {theirs:.4f}"
    forest = r2(RandomForestRegressor(40, random_state=0, max_features=0.5))
    assert forest >= r2(ensemble.RandomForestRegressor(40, random_state=0, max_features=0.5)) - 0.02


def test_generated_data_binary_boosting_and_extra_trees():
    ensemble = pytest.importorskip("sklearn.ensemble")
    X, y = make_classification(1500, n_features=10, n_informative=5, random_state=0)
    X_train, X_test, y_train, y_test = _split(X, y)
    ours = np.mean(GradientBoostingClassifier(n_estimators=40, **HGB_LIKE).fit(X_train, y_train).predict(X_test)
                   == y_test)
    theirs = ensemble.HistGradientBoostingClassifier(max_iter=40, early_stopping=False).fit(X_train, y_train)
    assert ours >= theirs.score(X_test, y_test) - 0.005
    extra = np.mean(ExtraTreesClassifier(40, random_state=0).fit(X_train, y_train).predict(X_test) == y_test)
    assert extra >= ensemble.ExtraTreesClassifier(40, random_state=0).fit(X_train, y_train).score(X_test, y_test) - 0.02


# --------------------------------------------------------------------------- forests


def test_parallel_forest_equals_serial():
    X, y = make_classification(300, n_features=6, random_state=1)
    serial = RandomForestClassifier(12, random_state=3, n_jobs=1).fit(X, y)
    parallel = RandomForestClassifier(12, random_state=3, n_jobs=2).fit(X, y)
    assert np.array_equal(serial.predict_proba(X), parallel.predict_proba(X))
    np.testing.assert_array_equal(serial.feature_importances_, parallel.feature_importances_)


def test_out_of_bag_score_estimates_the_test_score():
    ensemble = pytest.importorskip("sklearn.ensemble")
    X, y = load_breast_cancer(return_X_y=True)
    ours = RandomForestClassifier(60, oob_score=True, random_state=0).fit(X, y)
    theirs = ensemble.RandomForestClassifier(60, oob_score=True, random_state=0).fit(X, y)
    assert abs(ours.oob_score_ - theirs.oob_score_) < 0.02
    assert ours.oob_decision_function_.shape == (len(y), 2)
    regression = RandomForestRegressor(30, oob_score=True, random_state=0).fit(*load_diabetes(return_X_y=True))
    assert 0.2 < regression.oob_score_ < 0.6


def test_oob_needs_bootstrap():
    with pytest.raises(ValueError, match="bootstrap=True"):
        ExtraTreesClassifier(3, oob_score=True).fit(np.random.default_rng(0).standard_normal((20, 2)), [0, 1] * 10)


def test_forest_on_device(device):
    X, y = make_classification(200, n_features=5, random_state=0)
    X[::9, 1] = np.nan
    cpu = RandomForestClassifier(8, max_depth=6, random_state=0).fit(X, y)
    on = RandomForestClassifier(8, max_depth=6, random_state=0).fit(backend.to_device(X, device),
                                                                   backend.to_device(y, device))
    proba = on.predict_proba(backend.to_device(X, device))
    assert backend.device_of(proba) == backend.device(device)
    np.testing.assert_allclose(backend.asnumpy(proba), cpu.predict_proba(X))
    assert backend.asnumpy(on.apply(backend.to_device(X, device))).shape == (200, 8)
    np.testing.assert_allclose(backend.asnumpy(on.feature_importances_).sum(), 1.0)


# --------------------------------------------------------------------------- boosting


def test_staged_predictions_end_at_predict_and_improve(device):
    X, y = make_classification(400, n_features=6, n_classes=3, n_informative=4, random_state=0)
    X_device = backend.to_device(X, device)
    model = GradientBoostingClassifier(n_estimators=15, max_depth=3).fit(X_device, backend.to_device(y, device))
    staged = [backend.asnumpy(p) for p in model.staged_predict_proba(X_device)]
    assert len(staged) == model.n_estimators_ == 15
    np.testing.assert_allclose(staged[-1], backend.asnumpy(model.predict_proba(X_device)))
    errors = [np.mean(p.argmax(axis=1) != y) for p in staged]
    assert errors[-1] < errors[0]
    assert model.train_score_[-1] < model.train_score_[0]
    assert backend.asnumpy(model.decision_function(X_device)).shape == (400, 3)


def test_binary_boosting_on_device_matches_cpu(device):
    X, y = make_classification(300, n_features=5, random_state=2)
    X[::11, 0] = np.nan
    cpu = GradientBoostingClassifier(n_estimators=10, subsample=0.7, random_state=0).fit(X, y)
    on = GradientBoostingClassifier(n_estimators=10, subsample=0.7, random_state=0).fit(
        backend.to_device(X, device), backend.to_device(y, device))
    scores = on.decision_function(backend.to_device(X, device))
    assert backend.asnumpy(scores).shape == (300,)
    np.testing.assert_allclose(backend.asnumpy(scores), cpu.decision_function(X), rtol=1e-9)


def test_early_stopping_stops():
    X, y = make_classification(600, n_features=5, n_informative=3, random_state=0)
    model = GradientBoostingClassifier(n_estimators=500, learning_rate=0.5, n_iter_no_change=3,
                                       random_state=0).fit(X, y)
    assert model.n_estimators_ < 500
    assert len(model.validation_score_) == model.n_estimators_


def test_leaf_values_are_regularised():
    """A bigger λ shrinks every leaf value -G / (H + λ) toward 0: predictions stay nearer the mean."""
    X, y = load_diabetes(return_X_y=True)
    spread = [np.std(GradientBoostingRegressor(n_estimators=5, reg_lambda=lam).fit(X, y).predict(X))
              for lam in (0.0, 1000.0)]
    assert spread[1] < spread[0]


def test_min_child_weight_limits_leaf_hessians():
    X, y = make_classification(300, n_features=4, random_state=0)
    model = GradientBoostingClassifier(n_estimators=3, max_depth=6, min_child_weight=5.0).fit(X, y)
    for trees in model.estimators_:
        tree = trees[0]
        leaves = tree.children_left == -1
        assert tree.weighted_n_node_samples[leaves].min() >= 5.0  # the hessian sums (channel H)


@pytest.mark.parametrize("n_classes", [2, 3, None])
def test_training_predictions_from_leaves_equal_walking_the_trees(n_classes, device):
    """Each round adds the value of the leaf every training row landed in (no tree walk); the last training
    loss must be the loss of the fitted model's own predictions on the training rows, which walk the trees."""
    from minml.ensemble.gradient_boosting import _SquaredError

    X, y = make_classification(300, n_features=5, n_informative=3, n_classes=n_classes or 2, random_state=0)
    if n_classes is None:
        y = y + X[:, 0]
    X_device, y_device = backend.to_device(X, device), backend.to_device(y.astype(np.float64), device)
    Model = GradientBoostingRegressor if n_classes is None else GradientBoostingClassifier
    model = Model(n_estimators=5, max_leaf_nodes=6, max_depth=None).fit(X_device, y_device)
    *_, raw = model._staged_raw(X_device)
    xp = backend.namespace(raw)
    if n_classes == 3:
        y_device = (y_device[:, None] == xp.arange(3)[None, :]).astype(np.float64)
    loss = _SquaredError() if n_classes is None else model._loss()
    np.testing.assert_allclose(model.train_score_[-1], loss.loss(y_device, raw, xp.ones(X.shape[0])), rtol=1e-10)
