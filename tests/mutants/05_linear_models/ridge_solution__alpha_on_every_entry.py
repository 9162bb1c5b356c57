"""Adds α to every entry of XᵀX (A + alpha) instead of to its diagonal (A + alpha·I)."""

from minml import backend


def ridge_solution(X, y, alpha):
    n, p = X.shape
    primal = n >= p
    A = X.T @ X if primal else X @ X.T
    A = A + alpha
    b = X.T @ y if primal else y
    L = backend.cholesky(A)
    solution = backend.solve(L.T, backend.solve(L, b))
    return solution if primal else X.T @ solution
