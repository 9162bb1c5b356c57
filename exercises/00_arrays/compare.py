"""`minml compare 00`: your functions beside minml's reference and the libraries that do the same job.

Every implementation gets the same seeded inputs; the table shows how closely each agrees
with the reference and how long it took.
"""

import contextlib
import importlib
import warnings

import numpy as np

from minml.grading.compare import Case

# Import the peers now, where installed, so that their import time is not counted as their run time.
for module in ("scipy.spatial.distance", "scipy.stats", "sklearn.metrics.pairwise", "sklearn.preprocessing", "torch"):
    with contextlib.suppress(ImportError):
        importlib.import_module(module)


def point_clouds():
    """Two clouds of points, 600 and 500 of them in 32 dimensions, far from the origin (rounding shows)."""
    rng = np.random.default_rng(0)
    return rng.normal(5.0, 1.0, (600, 32)), rng.normal(5.0, 1.0, (500, 32))


def scipy_cdist(X, Y):
    from scipy.spatial.distance import cdist

    return cdist(X, Y, "sqeuclidean")


def sklearn_euclidean_squared(X, Y):
    from sklearn.metrics.pairwise import euclidean_distances

    return euclidean_distances(X, Y, squared=True)


def numpy_broadcast_differences(X, Y):
    """The definition by broadcasting: an (n, m, d) array of differences, d times the memory of D."""
    return ((X[:, None, :] - Y[None, :, :]) ** 2).sum(axis=-1)


def class_labels():
    """100,000 labels of 10 classes, class 9 never drawn (the table still needs its column)."""
    return np.random.default_rng(1).integers(0, 9, size=100_000), 10


def sklearn_one_hot_encoder(labels, n_classes):
    from sklearn.preprocessing import OneHotEncoder

    encoder = OneHotEncoder(categories=[np.arange(n_classes)], sparse_output=False)
    return encoder.fit_transform(labels[:, None])


def torch_one_hot(labels, n_classes):
    import torch

    return torch.nn.functional.one_hot(torch.from_numpy(labels), n_classes).numpy().astype(np.float64)


def numpy_identity_rows(labels, n_classes):
    return np.eye(n_classes)[labels]


def features():
    """10,000 samples of 50 features on very different scales, one feature constant."""
    rng = np.random.default_rng(2)
    X = rng.normal(0.0, 1.0, (10_000, 50)) * np.logspace(-3, 3, 50) + np.linspace(-100, 100, 50)
    X[:, 7] = 3.0
    return (X,)


def sklearn_standard_scaler(X):
    from sklearn.preprocessing import StandardScaler

    return StandardScaler().fit_transform(X)


def scipy_zscore(X):
    from scipy.stats import zscore

    with warnings.catch_warnings():  # 0 / 0 in the constant column, which zscore makes NaN and we make 0
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nan_to_num(zscore(X, axis=0))


def numpy_formula(X):
    std = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(std == 0, 1.0, std)


CASES = [
    Case(
        exercise="00.pairwise_sq_distances",
        make_inputs=point_clouds,
        peers={"scipy": scipy_cdist, "sklearn": sklearn_euclidean_squared, "numpy": numpy_broadcast_differences},
        agreement="max_abs_diff",
    ),
    Case(
        exercise="00.one_hot",
        make_inputs=class_labels,
        peers={"sklearn": sklearn_one_hot_encoder, "torch": torch_one_hot, "numpy": numpy_identity_rows},
        agreement="equal",
    ),
    Case(
        exercise="00.standardize",
        make_inputs=features,
        peers={"sklearn": sklearn_standard_scaler, "scipy": scipy_zscore, "numpy": numpy_formula},
        agreement="max_abs_diff",
    ),
]
