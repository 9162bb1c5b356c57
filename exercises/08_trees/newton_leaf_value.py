"""Exercise 08.newton_leaf_value: The second-order (Newton) value of boosting leaves: w = -G / (H + λ).

Generated from minml/tree/splitter.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def newton_leaf_value(gradient_sum, hessian_sum, reg_lambda):
    """The second-order (Newton) value of boosting leaves: w = -G / (H + λ).

    ``gradient_sum`` G and ``hessian_sum`` H (arrays (n_leaves,)) are the sums
    of the loss's gradients and hessians over each leaf's samples; λ ≥ 0 is the
    L2 penalty on leaf values. w minimises G·w + ½(H + λ)·w², the second-order
    Taylor approximation of the loss plus ½λw². Returns an array (n_leaves,).
    """
    raise NotImplementedError("newton_leaf_value is not implemented yet")
