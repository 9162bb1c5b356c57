"""Toy data sets drawn at random: two moons, two circles, Gaussian blobs, spirals.

Each generator returns ``X, y`` as **host NumPy arrays**, as scikit-learn's
``make_*`` functions do: ``X`` float64 of shape (n_samples, n_features), ``y``
int64 class labels 0, 1, ... Data sets are made on the host once and then moved
where the model is (``minml.tensor(X, device="cuda")`` or a DataLoader's
``device=``), so NumPy is the right tool here. Randomness comes only from
``random_state`` through :func:`minml.backend.rng` (never NumPy's global seed):
one seed, the same data on every machine.

The shapes match scikit-learn's generators of the same name (same layout, classes
and class sizes); the random numbers themselves differ.
"""

from __future__ import annotations

import numbers

import numpy as np

from minml import backend

__all__ = ["make_moons", "make_circles", "make_blobs", "make_spirals"]


def _check_count(value, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}; got {value!r}")
    return int(value)


def _finish(X, y, shuffle: bool, noise, generator):
    """Shuffle the rows, then add Gaussian noise of standard deviation ``noise`` to every coordinate."""
    if noise is not None and noise < 0:
        raise ValueError(f"noise must be None or a standard deviation >= 0; got {noise!r}")
    if shuffle:
        order = generator.permutation(len(y))
        X, y = X[order], y[order]
    if noise:
        X = X + generator.normal(scale=noise, size=X.shape)
    return X, y


def _class_sizes(n_samples: int, n_classes: int) -> list[int]:
    """Split ``n_samples`` as evenly as possible; the first classes get the remainder."""
    return [n_samples // n_classes + (k < n_samples % n_classes) for k in range(n_classes)]


def _labels(sizes) -> np.ndarray:
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


def make_moons(n_samples: int = 100, *, shuffle: bool = True, noise=None, random_state=None):
    """Two interleaving half circles: a classic data set no straight line separates.

    Class 0 is the upper half of the unit circle, :math:`(\\cos t, \\sin t)`; class 1 the
    lower half shifted right and up, :math:`(1 - \\cos t, \\tfrac12 - \\sin t)`, for
    :math:`t \\in [0, \\pi]` evenly spaced. Class 0 has ``n_samples // 2`` points.

    Returns ``X`` (n_samples, 2) float64 and ``y`` (n_samples,) int64, NumPy arrays.
    """
    n_samples = _check_count(n_samples, "n_samples", 2)
    n_outer, n_inner = _class_sizes(n_samples, 2)[::-1]
    t_outer = np.linspace(0, np.pi, n_outer)
    t_inner = np.linspace(0, np.pi, n_inner)
    X = np.concatenate(
        [
            np.stack([np.cos(t_outer), np.sin(t_outer)], axis=1),
            np.stack([1 - np.cos(t_inner), 0.5 - np.sin(t_inner)], axis=1),
        ]
    )
    return _finish(X, _labels([n_outer, n_inner]), shuffle, noise, backend.rng(random_state, "cpu"))


def make_circles(n_samples: int = 100, *, shuffle: bool = True, noise=None, random_state=None, factor: float = 0.8):
    """A small circle inside a large one: class 0 on the unit circle, class 1 on radius ``factor``.

    Points are evenly spaced in angle. Class 0 has ``n_samples // 2`` points;
    ``0 <= factor < 1``. Returns ``X`` (n_samples, 2) float64 and ``y`` int64, NumPy arrays.
    """
    n_samples = _check_count(n_samples, "n_samples", 2)
    if not 0 <= factor < 1:
        raise ValueError(f"factor is the inner circle's radius and must be in [0, 1); got {factor!r}")
    sizes = _class_sizes(n_samples, 2)[::-1]
    circles = []
    for radius, size in zip([1.0, factor], sizes):
        angle = np.linspace(0, 2 * np.pi, size, endpoint=False)
        circles.append(radius * np.stack([np.cos(angle), np.sin(angle)], axis=1))
    return _finish(np.concatenate(circles), _labels(sizes), shuffle, noise, backend.rng(random_state, "cpu"))


def make_blobs(
    n_samples: int = 100,
    n_features: int = 2,
    *,
    centers=None,
    cluster_std=1.0,
    center_box=(-10.0, 10.0),
    shuffle: bool = True,
    random_state=None,
):
    """Isotropic Gaussian blobs: class k is drawn from :math:`\\mathcal N(\\mu_k, \\sigma_k^2 I)`.

    ``centers`` is the number of blobs (their centres drawn uniformly in
    ``center_box`` along every feature; default 3) or an array of centres of shape
    (n_centers, n_features), which then fixes ``n_features``. ``cluster_std`` is one
    standard deviation or one per blob. The blobs share ``n_samples`` as evenly as
    possible. Returns ``X`` (n_samples, n_features) float64 and ``y`` int64, NumPy arrays.
    """
    n_samples = _check_count(n_samples, "n_samples")
    generator = backend.rng(random_state, "cpu")
    if centers is None or isinstance(centers, numbers.Integral):
        n_centers = _check_count(3 if centers is None else centers, "centers")
        n_features = _check_count(n_features, "n_features")
        centers = generator.uniform(*center_box, size=(n_centers, n_features))
    else:
        centers = np.asarray(centers, dtype=np.float64)
        if centers.ndim != 2 or len(centers) == 0:
            raise ValueError(f"centers must be an int or an array of shape (n_centers, n_features); got {centers!r}")
    stds = np.broadcast_to(np.asarray(cluster_std, dtype=np.float64), (len(centers),))
    sizes = _class_sizes(n_samples, len(centers))
    X = np.concatenate(
        [
            generator.normal(loc=center, scale=std, size=(size, len(center)))
            for center, std, size in zip(centers, stds, sizes)
        ]
    )
    return _finish(X, _labels(sizes), shuffle, None, generator)


def make_spirals(n_samples: int = 100, *, n_classes: int = 2, shuffle: bool = True, noise=None, random_state=None):
    """Interleaved spiral arms, one per class: hard for linear models, easy for a small MLP.

    Arm k makes one full turn outwards from the origin: for :math:`t \\in [0, 1]`
    evenly spaced, radius :math:`r = t` and angle :math:`\\theta = 2\\pi (t + k / K)`,
    so the point is :math:`(r \\cos\\theta, r \\sin\\theta)`. Neighbouring arms are
    :math:`1/K` apart along any ray; ``noise`` of about 0.1 already blurs two arms.
    Returns ``X`` (n_samples, 2) float64 and ``y`` int64, NumPy arrays.
    """
    n_classes = _check_count(n_classes, "n_classes")
    n_samples = _check_count(n_samples, "n_samples", n_classes)
    sizes = _class_sizes(n_samples, n_classes)
    arms = []
    for k, size in enumerate(sizes):
        t = np.linspace(0, 1, size)
        theta = 2 * np.pi * (t + k / n_classes)
        arms.append(t[:, None] * np.stack([np.cos(theta), np.sin(theta)], axis=1))
    return _finish(np.concatenate(arms), _labels(sizes), shuffle, noise, backend.rng(random_state, "cpu"))
