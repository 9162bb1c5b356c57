"""Skips the shape check: a mismatch fails inside matmul with a message naming neither shape."""

from minml import backend


def pairwise_sq_distances(X, Y):
    xp = backend.namespace(X, Y)
    D = (X * X).sum(axis=1)[:, None] + (Y * Y).sum(axis=1)[None, :] - 2 * (X @ Y.T)
    return xp.maximum(D, 0)
