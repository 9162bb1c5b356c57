"""make_classification: scikit-learn's layout and class sizes, and the structure it promises.

The random numbers differ from scikit-learn's (another generator), so the tests check the properties the
algorithm guarantees: cluster centres on hypercube corners, redundant features in the span of the
informative ones, repeated features copies, class proportions from ``weights``, label noise from ``flip_y``.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minml.datasets import make_classification

sklearn_datasets = pytest.importorskip("sklearn.datasets")


def _residual(target, basis, *, intercept):
    """Relative least-squares residual of the columns of ``target`` regressed on ``basis``."""
    if intercept:
        basis = np.hstack([basis, np.ones((len(basis), 1))])
    coef, *_ = np.linalg.lstsq(basis, target, rcond=None)
    return np.linalg.norm(target - basis @ coef, axis=0) / np.linalg.norm(target - target.mean(axis=0), axis=0)


def _columns(bunch, kind):
    return bunch.X[:, [i for i, info in enumerate(bunch.feature_info) if info == kind]]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"n_samples": 101, "n_classes": 3, "n_clusters_per_class": 1, "weights": [0.2, 0.3]},
        {"n_samples": 57, "n_features": 7, "n_informative": 3, "n_redundant": 1, "n_repeated": 2, "n_classes": 4},
        {"n_samples": 90, "n_classes": 3, "n_clusters_per_class": 1, "weights": [0.1, 0.2, 0.3]},
        {"n_samples": 40, "n_features": 40, "n_informative": 33, "n_redundant": 0, "n_classes": 5},
    ],
)
def test_shapes_dtypes_and_class_sizes_are_sklearns(kwargs):
    X, y = make_classification(**kwargs, flip_y=0.0, random_state=0)
    X_sk, y_sk = sklearn_datasets.make_classification(**kwargs, flip_y=0.0, random_state=0)
    assert type(X) is np.ndarray and type(y) is np.ndarray
    assert X.shape == X_sk.shape and y.shape == y_sk.shape
    assert X.dtype == np.float64 and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), np.bincount(y_sk))


@settings(max_examples=25)
@given(
    n_samples=st.integers(1, 300),
    n_classes=st.integers(1, 4),
    n_clusters_per_class=st.integers(1, 2),
    shares=st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4),
    drop_last=st.booleans(),
)
def test_weights_split_the_samples_as_sklearn_does(n_samples, n_classes, n_clusters_per_class, shares, drop_last):
    """``weights`` (all classes, or all but the last) fix the class sizes, identically to scikit-learn."""
    weights = (np.array(shares[:n_classes]) / max(1.0, sum(shares[:n_classes]))).tolist()
    if drop_last and n_classes > 1:
        weights = weights[:-1]
    kwargs = {
        "n_samples": n_samples,
        "n_informative": 3,
        "n_classes": n_classes,
        "n_clusters_per_class": n_clusters_per_class,
        "weights": weights,
        "flip_y": 0.0,
    }
    _, y = make_classification(**kwargs, random_state=0)
    _, y_sk = sklearn_datasets.make_classification(**kwargs, random_state=0)
    np.testing.assert_array_equal(np.bincount(y, minlength=n_classes), np.bincount(y_sk, minlength=n_classes))


def test_weights_are_the_class_proportions():
    _, y = make_classification(1000, n_classes=3, n_informative=3, weights=[0.7, 0.2, 0.1], flip_y=0.0, random_state=0)
    np.testing.assert_array_equal(np.bincount(y), [700, 200, 100])
    _, y = make_classification(1000, n_classes=3, n_informative=3, weights=[0.7, 0.2], flip_y=0.0, random_state=0)
    np.testing.assert_array_equal(np.bincount(y), [700, 200, 100])


@pytest.mark.parametrize("shifted", [False, True])
def test_redundant_features_lie_in_the_span_of_the_informative_ones(shifted):
    """Redundant = informative @ B; repeated = copies. With a random shift and scale per feature the
    relation is affine (an intercept); with the defaults (shift 0, scale 1) it is linear and copies exact."""
    extra = {"shift": None, "scale": None} if shifted else {}
    bunch = make_classification(
        300, 10, n_informative=3, n_redundant=2, n_repeated=2, return_X_y=False, random_state=0, **extra
    )
    assert sorted(bunch.feature_info) == sorted(
        ["informative"] * 3 + ["redundant"] * 2 + ["repeated"] * 2 + ["random"] * 3
    )
    informative = _columns(bunch, "informative")
    assert np.linalg.matrix_rank(informative) == 3
    for kind in ("redundant", "repeated"):
        assert np.all(_residual(_columns(bunch, kind), informative, intercept=shifted) < 1e-10), kind
    assert np.all(_residual(_columns(bunch, "random"), informative, intercept=True) > 0.9)
    if not shifted:
        useful = np.hstack([informative, _columns(bunch, "redundant")])
        for copy in _columns(bunch, "repeated").T:
            assert np.any(np.all(useful == copy[:, None], axis=0))


def test_shuffle_false_keeps_informative_redundant_repeated_random_order():
    bunch = make_classification(
        50, 8, n_informative=2, n_redundant=2, n_repeated=1, shuffle=False, return_X_y=False, random_state=0
    )
    assert bunch.feature_info == ["informative"] * 2 + ["redundant"] * 2 + ["repeated"] + ["random"] * 3
    assert bunch.parameters["n_features"] == 8 and bunch.DESCR == make_classification.__doc__
    X, y = make_classification(50, 8, n_informative=2, n_redundant=2, n_repeated=1, shuffle=False, random_state=0)
    np.testing.assert_array_equal(X, bunch.X)
    np.testing.assert_array_equal(y, bunch.y)


def test_clusters_sit_on_distinct_corners_of_the_hypercube():
    """One cluster per class: each class mean is a corner of [-class_sep, class_sep]^n_informative."""
    class_sep = 3.0
    X, y = make_classification(
        4000, 2, n_informative=2, n_redundant=0, n_classes=4, n_clusters_per_class=1,
        flip_y=0.0, class_sep=class_sep, shuffle=False, random_state=0,
    )  # fmt: skip
    means = np.array([X[y == k].mean(axis=0) for k in range(4)])
    np.testing.assert_allclose(np.abs(means), class_sep, atol=0.25)
    assert len({tuple(corner) for corner in np.sign(means)}) == 4


def test_without_hypercube_the_centres_move_inside_the_cube():
    X, y = make_classification(
        4000, 3, n_informative=3, n_redundant=0, n_classes=4, n_clusters_per_class=1,
        flip_y=0.0, class_sep=3.0, hypercube=False, shuffle=False, random_state=0,
    )  # fmt: skip
    means = np.array([X[y == k].mean(axis=0) for k in range(4)])
    assert np.all(np.abs(means) < 3.0 + 0.25)
    assert np.abs(means).min() < 2.0


def test_flip_y_redraws_that_fraction_of_the_labels():
    """Features are drawn before the labels are flipped, so one seed gives the same X with and without
    label noise; a redrawn label lands on its own class 1/n_classes of the time."""
    kwargs = {"n_classes": 3, "n_informative": 3, "shuffle": False, "random_state": 0}
    X, y = make_classification(20000, flip_y=0.0, **kwargs)
    X_noisy, y_noisy = make_classification(20000, flip_y=0.3, **kwargs)
    np.testing.assert_array_equal(X_noisy, X)
    assert abs(np.mean(y_noisy != y) - 0.3 * (1 - 1 / 3)) < 0.015


def test_shift_and_scale_move_every_feature():
    kwargs = {"n_informative": 3, "flip_y": 0.0, "shuffle": False, "random_state": 0}
    X, _ = make_classification(100, 6, **kwargs)
    X_moved, _ = make_classification(100, 6, shift=2.0, scale=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], **kwargs)
    np.testing.assert_allclose(X_moved, (X + 2.0) * np.arange(1, 7))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_features": 4, "n_redundant": 2, "n_repeated": 1}, r"= 5 features do not fit in n_features = 4; raise"),
        ({"n_informative": 2, "n_classes": 3}, r"6 clusters .* 2\*\*2 = 4; raise n_informative to at least 3"),
        ({"n_classes": 3, "n_informative": 3, "weights": [0.5]}, "proportion of each of the 3 classes"),
        ({"weights": [0.8, 0.7]}, "each >= 0, summing to at most 1"),
        ({"weights": [-0.1]}, "each >= 0, summing to at most 1"),
        ({"flip_y": 1.5}, r"flip_y must be a float in \[0.0, 1.0\]; got 1.5"),
        ({"class_sep": 0.0}, r"class_sep must be a float in \(0.0, inf\)"),
        ({"n_informative": 0}, "n_informative must be an int >= 1"),
        ({"n_samples": 0}, "n_samples must be an int >= 1"),
    ],
)  # fmt: skip
def test_impossible_settings_say_what_to_change(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_classification(**kwargs)
