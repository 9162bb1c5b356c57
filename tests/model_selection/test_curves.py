"""learning_curve and validation_curve: scikit-learn's shapes and values for the same estimator and folds."""

import numpy as np
import pytest

from minml import backend
from minml.linear.ridge import Ridge
from minml.model_selection import KFold, learning_curve, validation_curve


def regression_data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, X @ np.array([1.0, -2.0, 0.5]) + rng.normal(size=n)


@pytest.mark.parametrize("train_sizes", [np.linspace(0.1, 1.0, 5), [5, 12, 32]])
def test_learning_curve_equals_scikit_learn(train_sizes):
    sklearn_ms = pytest.importorskip("sklearn.model_selection")
    X, y = regression_data()
    ours = learning_curve(Ridge(), X, y, train_sizes=train_sizes, cv=5, return_times=True)
    theirs = sklearn_ms.learning_curve(Ridge(), X, y, train_sizes=train_sizes, cv=5, return_times=True)
    assert ours[0].tolist() == theirs[0].tolist()
    for our_scores, their_scores in zip(ours[1:3], theirs[1:3]):
        assert our_scores.shape == their_scores.shape == (len(train_sizes), 5)
        np.testing.assert_allclose(our_scores, their_scores, rtol=1e-10)
    assert ours[3].shape == ours[4].shape == (len(train_sizes), 5)


def test_learning_curve_shuffle_is_seeded_and_on_every_device(device):
    X_host, y_host = regression_data()
    X, y = backend.to_device(X_host, device), backend.to_device(y_host, device)
    first = learning_curve(Ridge(), X, y, train_sizes=[0.3, 1.0], cv=KFold(4), shuffle=True, random_state=0)
    again = learning_curve(Ridge(), X_host, y_host, train_sizes=[0.3, 1.0], cv=KFold(4), shuffle=True,
                           random_state=0)
    unshuffled = learning_curve(Ridge(), X_host, y_host, train_sizes=[0.3, 1.0], cv=KFold(4))
    np.testing.assert_allclose(first[2], again[2], rtol=1e-10)
    assert not np.allclose(first[2][0], unshuffled[2][0])
    np.testing.assert_allclose(first[2][1], unshuffled[2][1], rtol=1e-10)  # the full training set: same model


def test_learning_curve_train_size_errors_and_duplicates():
    X, y = regression_data()
    with pytest.raises(ValueError, match=r"fractions of the maximum number of training samples and must be within "
                                         r"\(0, 1\], but is within \[0.000000, 1.000000\]"):
        learning_curve(Ridge(), X, y, train_sizes=[0.0, 1.0])
    with pytest.raises(ValueError, match=r"absolute numbers of training samples and must be within \(0, 32\], but "
                                         r"is within \[1, 40\]"):
        learning_curve(Ridge(), X, y, train_sizes=[1, 40])
    with pytest.warns(RuntimeWarning, match=r"Removed duplicate entries from 'train_sizes'.*: 2 instead of 3"):
        sizes, _, _ = learning_curve(Ridge(), X, y, train_sizes=[0.5, 0.5, 1.0])
    assert sizes.tolist() == [16, 32]


def test_validation_curve_equals_scikit_learn():
    sklearn_ms = pytest.importorskip("sklearn.model_selection")
    X, y = regression_data()
    alphas = [0.01, 1.0, 100.0]
    ours = validation_curve(Ridge(), X, y, param_name="alpha", param_range=alphas, cv=4,
                            scoring="neg_mean_squared_error")
    theirs = sklearn_ms.validation_curve(Ridge(), X, y, param_name="alpha", param_range=alphas, cv=4,
                                         scoring="neg_mean_squared_error")
    for our_scores, their_scores in zip(ours, theirs):
        assert our_scores.shape == (3, 4)
        np.testing.assert_allclose(our_scores, their_scores, rtol=1e-10)
    assert (np.diff(ours[0].mean(axis=1)) < 0).all()  # more shrinkage, worse training fit


def test_incremental_learning_curve_equals_scikit_learn():
    sklearn_ms = pytest.importorskip("sklearn.model_selection")
    from sklearn.linear_model import SGDClassifier

    X, y = regression_data(n=60)
    labels = (y > 0).astype(int)
    kwargs = {"train_sizes": [0.2, 0.6, 1.0], "cv": 3, "exploit_incremental_learning": True}
    ours = learning_curve(SGDClassifier(random_state=0), X, labels, **kwargs)
    theirs = sklearn_ms.learning_curve(SGDClassifier(random_state=0), X, labels, **kwargs)
    for our_part, their_part in zip(ours, theirs):
        np.testing.assert_allclose(our_part, their_part, rtol=1e-12)
    with pytest.raises(ValueError, match="An estimator must support the partial_fit interface"):
        learning_curve(Ridge(), X, y, exploit_incremental_learning=True)
