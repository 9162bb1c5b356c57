"""Small, noisy problems shared by the SVM tests (host NumPy arrays; tests move them to their device)."""

import numpy as np


def blobs(seed=0, n=60, p=3, n_classes=2, spread=1.6):
    """Overlapping Gaussian blobs (so some support vectors are bounded, some free): X (n, p), labels 0..K-1."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % n_classes
    centers = 2.0 * rng.standard_normal((n_classes, p))
    X = centers[y] + spread * rng.standard_normal((n, p))
    return X, y


def regression(seed=0, n=60, p=3):
    """y = sin(x₀) + linear part + noise: needs a kernel to fit well."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    y = np.sin(2 * X[:, 0]) + 0.5 * X[:, 1] + 0.1 * rng.standard_normal(n)
    return X, y
