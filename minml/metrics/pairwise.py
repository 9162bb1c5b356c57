"""Distances between every row of one data matrix and every row of another.

Nearest neighbours, RBF kernels and k-means all start from the table of squared
distances between two sets of points. Written as a double loop it costs n * m Python
iterations; expanded as

    ||x - y||**2 = ||x||**2 + ||y||**2 - 2 x . y

it is two row reductions, one broadcast sum and one matrix product, which run in
compiled code on the CPU and as a handful of kernels on a GPU.
"""

from __future__ import annotations

from minml import backend

__all__ = ["pairwise_sq_distances"]


# exercise 00.pairwise_sq_distances
def pairwise_sq_distances(X, Y):
    """Squared Euclidean distances between each row of ``X`` and each row of ``Y``.

    ``X`` has shape (n, d) and ``Y`` has shape (m, d); the result ``D`` has shape (n, m):

        D[i, j] = ||x_i - y_j||**2 = ||x_i||**2 + ||y_j||**2 - 2 x_i . y_j

    No Python loops: the squared row norms broadcast as a column (n, 1) plus a row (1, m),
    and all n * m dot products are one matrix product ``X @ Y.T``. The expansion can round
    to a tiny negative number where x_i is close to y_j, and a distance is never negative:
    clip the result at 0. Compute with ``xp = minml.backend.namespace(X, Y)`` (not numpy),
    so the same code runs on the CPU and on a GPU. Raise ``ValueError``, showing both shapes
    as Python prints them, unless X and Y are 2-D with the same number of columns d.
    """
    xp = backend.namespace(X, Y)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1]:
        raise ValueError(
            "X and Y must be 2-D arrays with the same number of columns; "
            f"got X with shape {X.shape} and Y with shape {Y.shape}"
        )
    x_norms = (X * X).sum(axis=1)
    y_norms = (Y * Y).sum(axis=1)
    D = x_norms[:, None] + y_norms[None, :] - 2 * (X @ Y.T)
    return xp.maximum(D, 0)
# end exercise
