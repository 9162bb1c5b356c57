"""Differentiates ‖y − Xw‖² + α‖w‖² as 2Xᵀ(Xw − y) + 2αw but then halves only the data term: XᵀX + 2αI."""

from minml import backend


def ridge_solution(X, y, alpha):
    xp = backend.namespace(X, y)
    n, p = X.shape
    primal = n >= p
    A = X.T @ X if primal else X @ X.T
    A = A + 2 * alpha * xp.eye(A.shape[0], dtype=A.dtype)
    b = X.T @ y if primal else y
    L = backend.cholesky(A)
    solution = backend.solve(L.T, backend.solve(L, b))
    return solution if primal else X.T @ solution
