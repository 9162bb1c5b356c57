"""Forgets the factor 2: ||x||² + ||y||² - x·y instead of - 2 x·y."""

from minml import backend


def pairwise_sq_distances(X, Y):
    xp = backend.namespace(X, Y)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1]:
        raise ValueError(f"X and Y must be 2-D with the same number of columns; got {X.shape} and {Y.shape}")
    D = (X * X).sum(axis=1)[:, None] + (Y * Y).sum(axis=1)[None, :] - X @ Y.T
    return xp.maximum(D, 0)
