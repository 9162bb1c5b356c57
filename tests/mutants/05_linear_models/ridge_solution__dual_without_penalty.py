"""For n < p solves XXᵀc = y without the α on the diagonal: the minimum-norm interpolant, not ridge."""

from minml import backend


def ridge_solution(X, y, alpha):
    xp = backend.namespace(X, y)
    n, p = X.shape
    if n >= p:
        A = X.T @ X + alpha * xp.eye(p, dtype=X.dtype)
        return backend.solve(A, X.T @ y)
    return X.T @ backend.solve(X @ X.T, y)
