"""Exercise 05.ridge_solution: The ridge weights w = (XᵀX + αI)⁻¹ Xᵀy, through a Cholesky solve.

Generated from minml/linear/ridge.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def ridge_solution(X, y, alpha):
    """The ridge weights w = (XᵀX + αI)⁻¹ Xᵀy, through a Cholesky solve.

    ``X`` is centred data of shape (n, p); ``y`` is (n,) or (n, k) for k targets;
    ``alpha`` ≥ 0 is a float. Return w of shape (p,) or (p, k), like y.

    Never form an inverse. A = XᵀX + αI is symmetric positive definite, so it
    factors as A = LLᵀ with L lower triangular (``minml.backend.cholesky(A)``);
    then A w = b is two triangular systems: L z = b, then Lᵀ w = z (each
    through ``minml.backend.solve``). When n < p, solve the smaller n×n system
    instead: (XXᵀ + αI) c = y, then w = Xᵀc — the same w, by the identity
    (XᵀX + αI)⁻¹Xᵀ = Xᵀ(XXᵀ + αI)⁻¹. Compute with
    ``xp = minml.backend.namespace(X, y)`` (``xp.eye`` for I), so the same code
    runs on a GPU. ``minml.backend.cholesky`` raises ``numpy.linalg.LinAlgError``
    when A is not positive definite (α = 0 with collinear features): let it
    propagate.
    """
    raise NotImplementedError("ridge_solution is not implemented yet")
