"""Exercise 00.pairwise_sq_distances: Squared Euclidean distances between each row of ``X`` and each row of ``Y``.

Generated from minml/metrics/pairwise.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


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
    raise NotImplementedError("pairwise_sq_distances is not implemented yet")
