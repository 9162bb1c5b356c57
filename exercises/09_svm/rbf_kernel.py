"""Exercise 09.rbf_kernel: The Gaussian (RBF) kernel matrix K[i, j] = exp(-γ ‖xᵢ - yⱼ‖²), shape (n, m).

Generated from minml/svm/kernels.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def rbf_kernel(X, Y, gamma=1.0):
    """The Gaussian (RBF) kernel matrix K[i, j] = exp(-γ ‖xᵢ - yⱼ‖²), shape (n, m).

    X is (n, d), Y is (m, d). Nearby points get a similarity near 1, far ones near 0;
    γ > 0 sets how fast it decays (the distance is squared: γ‖x - y‖² is not γ‖x - y‖).
    Build the squared distances without Python loops (‖x - y‖² = ‖x‖² + ‖y‖² - 2 x · y,
    clipped at 0 because rounding can make it slightly negative; or simply call
    minml.metrics.pairwise.pairwise_sq_distances), then exponentiate with
    ``xp = minml.backend.namespace(X, Y)``. Return the matrix on X's device.
    """
    raise NotImplementedError("rbf_kernel is not implemented yet")
