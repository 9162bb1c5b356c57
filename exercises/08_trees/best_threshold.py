"""Exercise 08.best_threshold: The best Gini split "x ≤ t" of one feature: ``(t, decrease)``, two Python floats.

Generated from minml/tree/exact_split.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def best_threshold(x, y, n_classes: int, sample_weight=None):
    """The best Gini split "x ≤ t" of one feature: ``(t, decrease)``, two Python floats.

    ``x`` (n,) holds one feature's values (no NaN), ``y`` (n,) the class codes
    0 … n_classes - 1, ``sample_weight`` (n,) optional weights (None: all 1).
    Samples with x ≤ t go left, the others right. Among the thresholds
    halfway between two consecutive *distinct* values of x, return the one that
    maximises the weighted impurity decrease

        Δ = gini(node) - W_L / W · gini(left) - W_R / W · gini(right)

    where gini is computed from class weights (use ``gini_impurity`` from
    minml.tree.splitter) and W_L, W_R, W are the total weights of the left
    child, the right child and the node. Compute the midpoint of a < b as
    a / 2 + b / 2. On a tie, return the smallest threshold. If x has fewer than
    two distinct values there is no split: return ``(inf, 0.0)``. Compute with
    ``xp = backend.namespace(x)`` (``from minml import backend``): sort once, and
    a cumulative sum of the sorted one-hot class weights gives every left child.
    Return Python floats (``backend.to_scalar``).
    """
    raise NotImplementedError("best_threshold is not implemented yet")
