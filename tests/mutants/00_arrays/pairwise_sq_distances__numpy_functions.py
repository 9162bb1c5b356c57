"""Computes with numpy functions instead of xp: refused on a GPU (the fake device)."""

import numpy as np


def pairwise_sq_distances(X, Y):
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1]:
        raise ValueError(f"X and Y must be 2-D with the same number of columns; got {X.shape} and {Y.shape}")
    D = np.sum(X**2, axis=1)[:, None] + np.sum(Y**2, axis=1)[None, :] - 2 * np.dot(X, Y.T)
    return np.maximum(D, 0)
