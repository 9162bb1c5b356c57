"""Kernels: inner products in a feature space you never build.

A linear SVM separates classes with a hyperplane w · x + b. Its dual form only
ever touches the data through inner products xᵢ · xⱼ, so replacing them with a
kernel k(xᵢ, xⱼ) = φ(xᵢ) · φ(xⱼ) fits a hyperplane in the space of φ(x) — a space
that may have millions of dimensions (poly) or infinitely many (rbf) — at the
cost of one number per pair of samples. That is the kernel trick.

    linear    k(x, z) = x · z
    poly      k(x, z) = (γ x · z + coef0)^degree
    rbf       k(x, z) = exp(-γ ‖x - z‖²)          (Gaussian; γ = 1 / (2σ²))
    sigmoid   k(x, z) = tanh(γ x · z + coef0)     (not positive definite for every γ, coef0)

Each function takes X (n, d) and Y (m, d) and returns the (n, m) matrix
K[i, j] = k(xᵢ, yⱼ), with one matrix product doing the work (rbf goes through
:func:`minml.metrics.pairwise.pairwise_sq_distances`). :func:`kernel_diagonal`
gives k(xᵢ, xᵢ) without building the matrix, which the SMO solver needs for its
step sizes. :func:`resolve_gamma` turns scikit-learn's ``gamma="scale"`` (1 / (d ·
Var(X))) and ``"auto"`` (1 / d) into a number.
"""

from __future__ import annotations

import numbers

from minml import backend
from minml.metrics.pairwise import pairwise_sq_distances

__all__ = [
    "KERNELS", "kernel_diagonal", "kernel_matrix", "linear_kernel", "polynomial_kernel", "rbf_kernel",
    "resolve_gamma", "sigmoid_kernel",
]


def linear_kernel(X, Y):
    """K = X Yᵀ: plain inner products, shape (n, m)."""
    return X @ Y.T


def polynomial_kernel(X, Y, gamma=1.0, coef0=0.0, degree=3):
    """K = (γ X Yᵀ + coef0)^degree: all products of up to ``degree`` features, weighted."""
    return (gamma * (X @ Y.T) + coef0) ** degree


# exercise 09.rbf_kernel
def rbf_kernel(X, Y, gamma=1.0):
    """The Gaussian (RBF) kernel matrix K[i, j] = exp(-γ ‖xᵢ - yⱼ‖²), shape (n, m).

    X is (n, d), Y is (m, d). Nearby points get a similarity near 1, far ones near 0;
    γ > 0 sets how fast it decays (the distance is squared: γ‖x - y‖² is not γ‖x - y‖).
    Build the squared distances without Python loops (‖x - y‖² = ‖x‖² + ‖y‖² - 2 x · y,
    clipped at 0 because rounding can make it slightly negative; or simply call
    minml.metrics.pairwise.pairwise_sq_distances), then exponentiate with
    ``xp = minml.backend.namespace(X, Y)``. Return the matrix on X's device.
    """
    xp = backend.namespace(X, Y)
    return xp.exp(-gamma * pairwise_sq_distances(X, Y))
# end exercise


def sigmoid_kernel(X, Y, gamma=1.0, coef0=0.0):
    """K = tanh(γ X Yᵀ + coef0), the activation of a one-hidden-layer network."""
    xp = backend.namespace(X, Y)
    return xp.tanh(gamma * (X @ Y.T) + coef0)


KERNELS = {"linear": linear_kernel, "poly": polynomial_kernel, "rbf": rbf_kernel, "sigmoid": sigmoid_kernel}
"""The built-in kernels by the name SVC's ``kernel`` parameter uses."""


def resolve_gamma(gamma, X) -> float:
    """γ as a number: ``"scale"`` → 1 / (d · Var(X)) (1 if X is constant), ``"auto"`` → 1 / d, a float as given."""
    if isinstance(gamma, numbers.Real):
        return float(gamma)
    n_features = X.shape[1]
    if gamma == "auto":
        return 1.0 / n_features
    variance = backend.to_scalar(X.var())
    return 1.0 / (n_features * variance) if variance > 0 else 1.0


def kernel_matrix(kernel, X, Y, *, gamma=1.0, coef0=0.0, degree=3):
    """K[i, j] = k(X[i], Y[j]) for a kernel name, ``"precomputed"`` (X already holds K rows) or a callable."""
    if kernel == "precomputed":
        return X
    if callable(kernel):
        return kernel(X, Y)
    if kernel == "linear":
        return linear_kernel(X, Y)
    if kernel == "poly":
        return polynomial_kernel(X, Y, gamma, coef0, degree)
    if kernel == "rbf":
        return rbf_kernel(X, Y, gamma)
    return sigmoid_kernel(X, Y, gamma, coef0)


def kernel_diagonal(kernel, X, *, gamma=1.0, coef0=0.0, degree=3, block=1024):
    """k(xᵢ, xᵢ) for every row, shape (n,), without building the n × n matrix (a callable goes block by block)."""
    xp = backend.namespace(X)
    if kernel == "precomputed":
        return xp.diagonal(X).copy()
    if callable(kernel):
        pieces = [xp.diagonal(kernel(X[s:s + block], X[s:s + block])) for s in range(0, X.shape[0], block)]
        return xp.concatenate(pieces)
    norms = (X * X).sum(axis=1)
    if kernel == "linear":
        return norms
    if kernel == "poly":
        return (gamma * norms + coef0) ** degree
    if kernel == "rbf":
        return xp.ones(X.shape[0], dtype=X.dtype)
    return xp.tanh(gamma * norms + coef0)
