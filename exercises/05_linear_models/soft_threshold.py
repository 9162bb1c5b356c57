"""Exercise 05.soft_threshold: Soft-thresholding S(z, γ) = sign(z)·max(|z| − γ, 0), elementwise.

Generated from minml/linear/coordinate_descent.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def soft_threshold(z, gamma):
    """Soft-thresholding S(z, γ) = sign(z)·max(|z| − γ, 0), elementwise.

    ``z`` is an array (any shape, a 0-d array too) and ``gamma`` ≥ 0 a float
    (or an array that broadcasts with z). S moves z towards 0 by γ and stops
    at 0: S(3, 1) = 2, S(−3, 1) = −2, S(0.5, 1) = 0. It is the exact minimiser
    of ½(w − z)² + γ|w|, which is why the lasso's coordinate update uses it.
    No Python loops or ``if`` on values: use ``xp.sign``, ``xp.abs`` and
    ``xp.maximum`` with ``xp = minml.backend.namespace(z, gamma)``.
    """
    raise NotImplementedError("soft_threshold is not implemented yet")
