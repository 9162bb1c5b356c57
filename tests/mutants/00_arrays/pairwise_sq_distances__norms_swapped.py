"""Broadcasts the norms the wrong way round: Y's down the rows, X's across the columns."""

from minml import backend


def pairwise_sq_distances(X, Y):
    xp = backend.namespace(X, Y)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1]:
        raise ValueError(f"X and Y must be 2-D with the same number of columns; got {X.shape} and {Y.shape}")
    D = (Y * Y).sum(axis=1)[:, None] + (X * X).sum(axis=1)[None, :] - 2 * (X @ Y.T)
    return xp.maximum(D, 0)
