"""Toy data sets drawn at random, whose true structure is known.

- Shapes to classify: two moons, two circles, Gaussian blobs, spirals.
- ``make_classification``: Gaussian clusters on the corners of a hypercube, with
  informative, redundant (linear combinations), repeated (copies) and pure-noise
  features, unequal classes and label noise in any mix you ask for.
- ``make_regression``: a linear target ``y = X w + b + noise`` with only some
  features informative (``coef=True`` hands back the true ``w``), optionally on
  strongly correlated features (``effective_rank``, via ``make_low_rank_matrix``).
- ``make_friedman1``: a smooth non-linear target of five features among noise ones.

Because the truth is known, a learner can check what a model recovered: the
coefficients of a regression, which features a lasso kept, how accuracy falls as
``flip_y`` corrupts labels.

Each generator returns ``X, y`` as **host NumPy arrays**, as scikit-learn's
``make_*`` functions do: ``X`` float64 of shape (n_samples, n_features), ``y``
int64 class labels 0, 1, ... (float64 targets for regression). Data sets are made on the host once and then moved
where the model is (``minml.tensor(X, device="cuda")`` or a DataLoader's
``device=``), so NumPy is the right tool here. Randomness comes only from
``random_state`` through :func:`minml.backend.rng` (never NumPy's global seed):
one seed, the same data on every machine.

The shapes match scikit-learn's generators of the same name (same parameters,
layout, classes and class sizes, same algorithm); the random numbers themselves
differ, since the random generator does.
"""

from __future__ import annotations

import numbers

import numpy as np

from minml import backend
from minml.datasets.bundled import Bunch

__all__ = [
    "make_moons",
    "make_circles",
    "make_blobs",
    "make_spirals",
    "make_classification",
    "make_regression",
    "make_low_rank_matrix",
    "make_friedman1",
]


def _check_count(value, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}; got {value!r}")
    return int(value)


def _check_real(value, name: str, low: float, high: float = np.inf, *, low_open: bool = False) -> float:
    """``value`` as a float, or a ValueError naming the interval it must lie in."""
    inside = (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and (low < value if low_open else low <= value)
        and value <= high
    )
    if not inside:
        interval = f"{'(' if low_open else '['}{low}, {high}{']' if high < np.inf else ')'}"
        raise ValueError(f"{name} must be a float in {interval}; got {value!r}")
    return float(value)


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


def _hypercube_vertices(n_vertices: int, dimension: int, generator) -> np.ndarray:
    """``n_vertices`` distinct corners of the cube {0, 1}^dimension, drawn at random, as float rows.

    A corner is the binary code of an integer: draw distinct integers below 2^dimension
    and read off their bits. Past 30 dimensions the last 30 bits already make the
    corners distinct, and the first ``dimension - 30`` coordinates are fair coin flips.
    """
    coded = min(dimension, 30)
    codes = generator.choice(2**coded, size=n_vertices, replace=False)
    bits = (codes[:, None] >> np.arange(coded)) & 1
    coins = generator.integers(2, size=(n_vertices, dimension - coded))
    return np.hstack([coins, bits]).astype(np.float64)


def _class_weights(weights, n_classes: int) -> np.ndarray:
    """Class proportions: ``None`` = equal; ``n_classes - 1`` given = the last one is the rest."""
    if weights is None:
        return np.full(n_classes, 1.0 / n_classes)
    weights = np.asarray(weights, dtype=np.float64).ravel()
    if len(weights) not in (n_classes, n_classes - 1):
        raise ValueError(
            f"weights must give the proportion of each of the {n_classes} classes (or of the first "
            f"{n_classes - 1}, the last being the rest); got {len(weights)} weights"
        )
    if len(weights) == n_classes - 1:
        weights = np.append(weights, 1.0 - weights.sum())
    if np.any(weights < 0) or weights.sum() > 1 + 1e-9:
        raise ValueError(f"weights are class proportions: each >= 0, summing to at most 1; got {weights.tolist()}")
    return weights


def make_classification(
    n_samples: int = 100,
    n_features: int = 20,
    *,
    n_informative: int = 2,
    n_redundant: int = 2,
    n_repeated: int = 0,
    n_classes: int = 2,
    n_clusters_per_class: int = 2,
    weights=None,
    flip_y: float = 0.01,
    class_sep: float = 1.0,
    hypercube: bool = True,
    shift=0.0,
    scale=1.0,
    shuffle: bool = True,
    random_state=None,
    return_X_y: bool = True,
):
    """A random n-class problem: Gaussian clusters on the corners of a hypercube (scikit-learn's algorithm).

    1. Informative features: each class gets ``n_clusters_per_class`` clusters, each centred
       on its own corner of the cube [−class_sep, class_sep]^n_informative (squeezed by
       random factors when ``hypercube=False``). A cluster is x = z A + c with z ~ N(0, I)
       and A a random matrix with entries uniform in [−1, 1], so features are correlated.
       Samples are shared between classes by ``weights`` (equal by default).
    2. ``n_redundant`` features are random linear combinations x_informative B of them,
       ``n_repeated`` are copies of informative or redundant columns, the rest are N(0, 1) noise.
    3. Label noise: each label is redrawn uniformly among the classes with probability
       ``flip_y`` (so it changes with probability ``flip_y · (1 − 1/n_classes)``).
    4. Every feature is shifted by ``shift`` and multiplied by ``scale`` (``None``: a random
       shift in [−class_sep, class_sep] and a random scale in [1, 101] per feature).
    5. With ``shuffle``, rows and feature columns are permuted; with ``shuffle=False``
       the columns come in the order informative, redundant, repeated, noise.

    Returns ``X`` (n_samples, n_features) float64 and ``y`` (n_samples,) int64, NumPy
    arrays; with ``return_X_y=False`` a :class:`Bunch` with ``X``, ``y``,
    ``feature_info`` (each column's kind: ``"informative"``, ``"redundant"``,
    ``"repeated"`` or ``"random"``), ``parameters`` and ``DESCR``.
    """
    parameters = dict(locals())  # the arguments as given, for the Bunch
    n_samples = _check_count(n_samples, "n_samples")
    n_features = _check_count(n_features, "n_features")
    n_informative = _check_count(n_informative, "n_informative")
    n_redundant = _check_count(n_redundant, "n_redundant", 0)
    n_repeated = _check_count(n_repeated, "n_repeated", 0)
    n_classes = _check_count(n_classes, "n_classes")
    n_clusters_per_class = _check_count(n_clusters_per_class, "n_clusters_per_class")
    flip_y = _check_real(flip_y, "flip_y", 0.0, 1.0)
    class_sep = _check_real(class_sep, "class_sep", 0.0, low_open=True)
    n_random = n_features - n_informative - n_redundant - n_repeated
    if n_random < 0:
        raise ValueError(
            f"n_informative + n_redundant + n_repeated = {n_features - n_random} features do not fit in "
            f"n_features = {n_features}; raise n_features or lower the others"
        )
    n_clusters = n_classes * n_clusters_per_class
    if n_clusters > 2**n_informative:
        raise ValueError(
            f"n_classes * n_clusters_per_class = {n_clusters} clusters need as many corners of the "
            f"n_informative-dimensional hypercube, which has only 2**{n_informative} = {2**n_informative}; "
            f"raise n_informative to at least {(n_clusters - 1).bit_length()}, "
            "or lower n_classes or n_clusters_per_class"
        )
    weights = _class_weights(weights, n_classes)
    generator = backend.rng(random_state, "cpu")

    # Samples per cluster: class k's share split evenly over its clusters, the remainder dealt round-robin.
    sizes = [int(n_samples * weights[k % n_classes] / n_clusters_per_class) for k in range(n_clusters)]
    for i in range(n_samples - sum(sizes)):
        sizes[i % n_clusters] += 1

    centroids = (2 * _hypercube_vertices(n_clusters, n_informative, generator) - 1) * class_sep
    if not hypercube:
        centroids *= generator.uniform(size=(n_clusters, 1)) * generator.uniform(size=(1, n_informative))
    informative = generator.standard_normal(size=(n_samples, n_informative))
    y = np.zeros(n_samples, dtype=np.int64)
    stop = 0
    for k, (centroid, size) in enumerate(zip(centroids, sizes)):
        start, stop = stop, stop + size
        y[start:stop] = k % n_classes
        mixing = 2 * generator.uniform(size=(n_informative, n_informative)) - 1
        informative[start:stop] = informative[start:stop] @ mixing + centroid

    redundant = informative @ (2 * generator.uniform(size=(n_informative, n_redundant)) - 1)
    useful = np.hstack([informative, redundant])
    copied = ((n_informative + n_redundant - 1) * generator.uniform(size=n_repeated) + 0.5).astype(np.intp)
    noise = generator.standard_normal(size=(n_samples, n_random))
    X = np.hstack([useful, useful[:, copied], noise])

    flipped = generator.uniform(size=n_samples) < flip_y
    y[flipped] = generator.integers(n_classes, size=int(flipped.sum()))

    if shift is None:
        shift = (2 * generator.uniform(size=n_features) - 1) * class_sep
    if scale is None:
        scale = 1 + 100 * generator.uniform(size=n_features)
    X = (X + shift) * scale

    counts = [n_informative, n_redundant, n_repeated, n_random]
    kinds = np.repeat(["informative", "redundant", "repeated", "random"], counts)
    if shuffle:
        X, y = _finish(X, y, True, None, generator)
        columns = generator.permutation(n_features)
        X, kinds = X[:, columns], kinds[columns]
    if return_X_y:
        return X, y
    return Bunch(X=X, y=y, feature_info=kinds.tolist(), parameters=parameters, DESCR=make_classification.__doc__)


def make_low_rank_matrix(
    n_samples: int = 100,
    n_features: int = 100,
    *,
    effective_rank: int = 10,
    tail_strength: float = 0.5,
    random_state=None,
):
    """A matrix X = U diag(s) Vᵀ whose singular values fall off fast, then slowly: strongly correlated features.

    U (n_samples × m) and V (n_features × m), m = min(n_samples, n_features), have
    random orthonormal columns (the Q of the QR decomposition of Gaussian matrices), and

        s_i = (1 − tail_strength) · exp(−(i / effective_rank)²) + tail_strength · exp(−0.1 · i / effective_rank)

    for i = 0 .. m−1: a bell of about ``effective_rank`` large singular values plus a slowly
    decaying tail. Real data (images, word counts, gene expression) often looks like this,
    and it is where least squares becomes ill-conditioned and ridge helps.
    Returns X (n_samples, n_features) float64, a NumPy array.
    """
    n_samples = _check_count(n_samples, "n_samples")
    n_features = _check_count(n_features, "n_features")
    effective_rank = _check_count(effective_rank, "effective_rank")
    tail_strength = _check_real(tail_strength, "tail_strength", 0.0, 1.0)
    generator = backend.rng(random_state, "cpu")
    m = min(n_samples, n_features)
    u, _ = np.linalg.qr(generator.standard_normal(size=(n_samples, m)))
    v, _ = np.linalg.qr(generator.standard_normal(size=(n_features, m)))
    i = np.arange(m, dtype=np.float64)
    singular_values = (1 - tail_strength) * np.exp(-((i / effective_rank) ** 2)) + tail_strength * np.exp(
        -0.1 * i / effective_rank
    )
    return (u * singular_values) @ v.T


def make_regression(
    n_samples: int = 100,
    n_features: int = 100,
    *,
    n_informative: int = 10,
    n_targets: int = 1,
    bias: float = 0.0,
    effective_rank=None,
    tail_strength: float = 0.5,
    noise: float = 0.0,
    shuffle: bool = True,
    coef: bool = False,
    random_state=None,
):
    """A random linear regression problem: y = X w + bias + ε, with only some features informative.

    X is standard normal (or, given ``effective_rank``, a :func:`make_low_rank_matrix`
    with correlated features). The true coefficients w (n_features × n_targets) are
    uniform in [0, 100] for ``n_informative`` features and 0 for the others; ε ~ N(0, noise²).
    With ``shuffle``, rows and feature columns are permuted (w with them); with
    ``shuffle=False`` the informative features come first.

    Returns ``X`` (n_samples, n_features) float64 and ``y`` float64 of shape (n_samples,)
    when ``n_targets == 1``, else (n_samples, n_targets); with ``coef=True`` also the true
    ``w``, of shape (n_features,) or (n_features, n_targets), so ``y == X @ w + bias``
    exactly when ``noise=0``. NumPy arrays. (scikit-learn squeezes every axis of length 1,
    so one sample or one feature loses its axis there; here only the target axis goes.)
    """
    n_samples = _check_count(n_samples, "n_samples")
    n_features = _check_count(n_features, "n_features")
    n_informative = min(n_features, _check_count(n_informative, "n_informative", 0))
    n_targets = _check_count(n_targets, "n_targets")
    bias = _check_real(bias, "bias", -np.inf)
    tail_strength = _check_real(tail_strength, "tail_strength", 0.0, 1.0)
    noise = _check_real(noise, "noise", 0.0)
    generator = backend.rng(random_state, "cpu")

    if effective_rank is None:
        X = generator.standard_normal(size=(n_samples, n_features))
    else:
        X = make_low_rank_matrix(
            n_samples, n_features, effective_rank=effective_rank, tail_strength=tail_strength, random_state=generator
        )
    w = np.zeros((n_features, n_targets))
    w[:n_informative] = 100 * generator.uniform(size=(n_informative, n_targets))
    y = X @ w + bias
    if noise > 0:
        y = y + generator.normal(scale=noise, size=y.shape)
    if shuffle:
        X, y = _finish(X, y, True, None, generator)
        columns = generator.permutation(n_features)
        X, w = X[:, columns], w[columns]
    if n_targets == 1:
        y, w = y[:, 0], w[:, 0]
    return (X, y, w) if coef else (X, y)


def make_friedman1(n_samples: int = 100, n_features: int = 10, *, noise: float = 0.0, random_state=None):
    """Friedman's first regression problem: a smooth non-linear target of the first five features.

    X is uniform on [0, 1]^n_features and

        y = 10 sin(π x₀ x₁) + 20 (x₂ − ½)² + 10 x₃ + 5 x₄ + noise · ε,   ε ~ N(0, 1),

    so features 5, 6, ... are pure noise: does a model learn to ignore them? (Friedman,
    1991, "Multivariate adaptive regression splines".) ``n_features >= 5``. Returns ``X``
    (n_samples, n_features) float64 and ``y`` (n_samples,) float64, NumPy arrays.
    """
    n_samples = _check_count(n_samples, "n_samples")
    n_features = _check_count(n_features, "n_features", 5)
    noise = _check_real(noise, "noise", 0.0)
    generator = backend.rng(random_state, "cpu")
    X = generator.uniform(size=(n_samples, n_features))
    y = (
        10 * np.sin(np.pi * X[:, 0] * X[:, 1])
        + 20 * (X[:, 2] - 0.5) ** 2
        + 10 * X[:, 3]
        + 5 * X[:, 4]
        + noise * generator.standard_normal(size=n_samples)
    )
    return X, y
