"""Exercise 09.smo_pair_update: One SMO step on the pair (i, j): the new (αᵢ, αⱼ), both kept in their box [0, C].

Generated from minml/svm/smo.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def smo_pair_update(alpha_i, alpha_j, y_i, y_j, C_i, C_j, b, a):
    """One SMO step on the pair (i, j): the new (αᵢ, αⱼ), both kept in their box [0, C].

    The step moves αᵢ by +yᵢ·t and αⱼ by -yⱼ·t, which keeps Σ yₖ αₖ unchanged. Along
    that line the dual objective changes by -b·t + ½·a·t², where b > 0 is the KKT
    violation of the pair and a = Kᵢᵢ + Kⱼⱼ - 2Kᵢⱼ its curvature, so the
    unconstrained best step is t = b / a. If a ≤ 0 (two identical samples, or a
    kernel that is not positive definite) f does not curve up along the line and
    the best step is as long as the box allows: use a = 1e-12 instead, as libsvm
    does. Clip t so that neither α leaves [0, C]: αᵢ can move by at most Cᵢ - αᵢ
    if yᵢ = +1 (it grows), αᵢ if yᵢ = -1 (it shrinks); αⱼ by at most αⱼ if
    yⱼ = +1, Cⱼ - αⱼ if yⱼ = -1. Clip the one step t, not each α on its own: both
    must move by the same t, or Σ yₖ αₖ changes. All arguments are Python floats
    (y = ±1); return two floats.
    """
    raise NotImplementedError("smo_pair_update is not implemented yet")
