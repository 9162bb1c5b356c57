"""Exercise 01.numerical_gradient: Central-difference estimate of df/dx, one element of ``x`` at a time.

Generated from minml/autograd/gradcheck.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def numerical_gradient(f, x, eps: float = 1e-6):
    """Central-difference estimate of df/dx, one element of ``x`` at a time.

    ``f()`` takes no arguments and returns a Python float computed from the
    *current* values of ``x`` (a Tensor, or a NumPy or CuPy array; float64,
    else ε is lost to rounding). For each position i of ``x``: set xᵢ to
    xᵢ + ε and call f, set it to xᵢ - ε and call f, put the original value
    back exactly, and estimate

        ∂f/∂xᵢ ≈ (f(x + ε eᵢ) - f(x - ε eᵢ)) / 2ε.

    The central difference is exact for quadratics; its error is O(ε²), where
    the one-sided (f(x + ε eᵢ) - f(x)) / ε has error O(ε). Change the values in
    place (``x.data`` for a Tensor) — ``f`` reads them there — and leave ``x``
    as it was. Return a NumPy float64 array shaped like ``x``, on the host.
    ``np.ndindex(*shape)`` walks every position of an array of any shape.
    """
    raise NotImplementedError("numerical_gradient is not implemented yet")
