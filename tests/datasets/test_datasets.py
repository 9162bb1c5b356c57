"""minml.datasets: the shape generators against scikit-learn's, seeding of every generator, and the
bundled digits against sklearn's copy. (make_classification, make_regression and the other bundled data
sets have their own files.)"""

from importlib import resources

import numpy as np
import pytest

import minml
from minml import backend
from minml.datasets import (
    load_digits,
    make_blobs,
    make_circles,
    make_classification,
    make_friedman1,
    make_low_rank_matrix,
    make_moons,
    make_regression,
    make_spirals,
)

sklearn_datasets = pytest.importorskip("sklearn.datasets")

GENERATORS = [make_moons, make_circles, make_blobs, make_spirals]
# Every generator, called with settings where each of its random draws matters.
ALL_GENERATORS = {
    **{make.__name__: (make, {} if make is make_blobs else {"noise": 0.1}) for make in GENERATORS},
    "make_classification": (make_classification, {"shift": None, "scale": None, "flip_y": 0.2}),
    "make_regression": (make_regression, {"n_features": 5, "noise": 1.0}),
    "make_regression_low_rank": (make_regression, {"n_features": 5, "effective_rank": 2}),
    "make_low_rank_matrix": (make_low_rank_matrix, {"n_features": 5}),
    "make_friedman1": (make_friedman1, {"noise": 1.0}),
}


def _sorted_rows(X):
    return X[np.lexsort(X.T[::-1])]


# --------------------------------------------------------------------------- generators


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("n_samples", [2, 7, 100])
def test_generators_return_host_float64_features_and_int64_labels(make, n_samples):
    X, y = make(n_samples, random_state=0)
    assert type(X) is np.ndarray and type(y) is np.ndarray
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert X.shape == (n_samples, 2) and y.shape == (n_samples,)


def _draws(make, kwargs, random_state):
    """The generator's output as a tuple of host arrays (make_low_rank_matrix returns a bare array)."""
    out = make(50, random_state=random_state, **kwargs)
    out = out if isinstance(out, tuple) else (out,)
    assert all(type(array) is np.ndarray for array in out)
    return out


@pytest.mark.parametrize("name", ALL_GENERATORS)
def test_one_seed_gives_one_data_set_whatever_form_it_takes(name, device):
    make, kwargs = ALL_GENERATORS[name]
    reference = _draws(make, kwargs, 7)
    for seed in (7, np.random.default_rng(7), backend.rng(7, device)):
        for array, expected in zip(_draws(make, kwargs, seed), reference, strict=True):
            np.testing.assert_array_equal(array, expected)
    assert not np.array_equal(_draws(make, kwargs, 8)[0], reference[0])


@pytest.mark.parametrize("name", ALL_GENERATORS)
def test_generators_never_touch_numpy_global_seed(name):
    make, kwargs = ALL_GENERATORS[name]
    state = np.random.get_state()[1].copy()
    _draws(make, kwargs, None)
    _draws(make, kwargs, 1)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_everything_public_is_exported():
    assert set(minml.datasets.__all__) == {
        name for module in (minml.datasets.synthetic, minml.datasets.bundled) for name in module.__all__
    }
    for name in minml.datasets.__all__:
        assert getattr(minml.datasets, name) is not None


@pytest.mark.parametrize("name", ["make_moons", "make_circles"])
@pytest.mark.parametrize("n_samples", [5, 64])
def test_noiseless_moons_and_circles_are_sklearns_points(name, n_samples):
    X, y = getattr(minml.datasets, name)(n_samples, random_state=0)
    X_sk, y_sk = getattr(sklearn_datasets, name)(n_samples, random_state=0)
    np.testing.assert_array_equal(np.bincount(y), np.bincount(y_sk))
    for label in (0, 1):
        np.testing.assert_allclose(_sorted_rows(X[y == label]), _sorted_rows(X_sk[y_sk == label]), atol=1e-12)


@pytest.mark.parametrize("name, kwargs", [("make_moons", {}), ("make_circles", {"factor": 0.3})])
def test_noisy_moons_and_circles_have_sklearns_distribution(name, kwargs):
    X, y = getattr(minml.datasets, name)(4000, noise=0.2, random_state=0, **kwargs)
    X_sk, y_sk = getattr(sklearn_datasets, name)(4000, noise=0.2, random_state=0, **kwargs)
    for label in (0, 1):
        ours, theirs = X[y == label], X_sk[y_sk == label]
        np.testing.assert_allclose(ours.mean(axis=0), theirs.mean(axis=0), atol=0.03)
        np.testing.assert_allclose(ours.std(axis=0), theirs.std(axis=0), atol=0.03)


def test_shuffle_false_keeps_the_classes_in_order():
    for make in GENERATORS:
        _, y = make(9, shuffle=False, random_state=0)
        assert np.all(np.diff(y) >= 0) and y[0] == 0


def test_circles_factor_is_the_inner_radius():
    X, y = make_circles(40, factor=0.3, random_state=0)
    np.testing.assert_allclose(np.hypot(*X.T), np.where(y == 0, 1.0, 0.3))


def test_blobs_with_given_centers_match_sklearn_in_sizes_and_spread():
    centers = np.array([[0.0, 0.0, 0.0], [5.0, -5.0, 2.0]])
    kwargs = {"centers": centers, "cluster_std": [0.5, 2.0], "random_state": 0}
    X, y = make_blobs(3001, **kwargs)
    X_sk, y_sk = sklearn_datasets.make_blobs(3001, **kwargs)
    assert X.shape == X_sk.shape == (3001, 3)
    np.testing.assert_array_equal(np.bincount(y), np.bincount(y_sk))
    for label, std in enumerate([0.5, 2.0]):
        np.testing.assert_allclose(X[y == label].mean(axis=0), centers[label], atol=4 * std / np.sqrt(1500))
        np.testing.assert_allclose(X[y == label].std(axis=0), std, rtol=0.1)


def test_blobs_draw_their_centers_in_the_box():
    X, y = make_blobs(500, n_features=4, centers=5, cluster_std=0.01, center_box=(2.0, 3.0), random_state=0)
    X_sk, y_sk = sklearn_datasets.make_blobs(500, n_features=4, centers=5, random_state=0)
    assert X.shape == X_sk.shape and set(y) == set(y_sk) == set(range(5))
    assert np.all((X > 1.9) & (X < 3.1))


def test_spiral_arms_follow_their_formula_and_split_the_classes():
    X, y = make_spirals(301, n_classes=3, shuffle=False)
    np.testing.assert_array_equal(np.bincount(y), [101, 100, 100])
    t = np.hypot(*X.T)  # the radius is the arm parameter t
    np.testing.assert_allclose(t[y == 0], np.linspace(0, 1, 101), atol=1e-12)
    angle = np.arctan2(X[:, 1], X[:, 0]) - 2 * np.pi * (t + y / 3)
    np.testing.assert_allclose(np.cos(angle[t > 0]), 1.0, atol=1e-9)


def test_slightly_noisy_spirals_stay_separable():
    """Leave-one-out 1-nearest-neighbour accuracy: arms 1/K apart are told apart under small noise."""
    X, y = make_spirals(400, n_classes=2, noise=0.03, random_state=0)
    distances = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1) + np.diag(np.full(len(X), np.inf))
    assert (y[distances.argmin(axis=1)] == y).mean() > 0.97


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: make_moons(1), "n_samples must be an int >= 2"),
        (lambda: make_moons(10, noise=-1.0), "noise must be None or a standard deviation >= 0"),
        (lambda: make_circles(10, factor=1.0), r"factor .* \[0, 1\)"),
        (lambda: make_blobs(0), "n_samples must be an int >= 1"),
        (lambda: make_blobs(10, centers=[1.0, 2.0]), r"shape \(n_centers, n_features\)"),
        (lambda: make_spirals(2, n_classes=3), "n_samples must be an int >= 3"),
        (lambda: make_spirals(10, n_classes=0), "n_classes must be an int >= 1"),
    ],
)
def test_bad_arguments_say_what_is_expected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --------------------------------------------------------------------------- digits


def test_digits_equal_sklearns_exactly():
    ours, theirs = load_digits(), sklearn_datasets.load_digits()
    for key in ("data", "target", "images", "target_names"):
        assert ours[key].dtype == theirs[key].dtype, key
        np.testing.assert_array_equal(ours[key], theirs[key])
    assert ours.data.shape == (1797, 64) and ours.images.shape == (1797, 8, 8)
    assert ours.data.dtype == np.float64 and ours.target.dtype == np.int64
    assert ours.feature_names == theirs.feature_names
    X, y = load_digits(return_X_y=True)
    np.testing.assert_array_equal(X, theirs.data)
    np.testing.assert_array_equal(y, theirs.target)


def test_digits_images_are_the_rows_of_data():
    digits = load_digits()
    assert np.shares_memory(digits.images, digits.data)
    np.testing.assert_array_equal(digits.images[5].ravel(), digits.data[5])
    assert digits.data.min() == 0 and digits.data.max() == 16
    np.testing.assert_array_equal(np.unique(digits.target), np.arange(10))


def test_digits_ship_with_licence_and_citation():
    digits = load_digits()
    data = resources.files("minml.datasets").joinpath("data")
    assert digits.DESCR == data.joinpath("DIGITS_LICENSE.md").read_text(encoding="utf-8")
    for required in ("CC BY 4.0", "https://doi.org/10.24432/C50P49", "Alpaydin", "Kaynak", "Dua"):
        assert required in digits.DESCR
    assert digits["DESCR"] is digits.DESCR and "DESCR" in dir(digits)
    with pytest.raises(AttributeError, match="has no 'frame'"):
        _ = digits.frame
