"""Exercise 08.gini_impurity: Gini impurity 1 - Σ_k p_k² of each row of class weights (counts).

Generated from minml/tree/splitter.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def gini_impurity(class_weights):
    """Gini impurity 1 - Σ_k p_k² of each row of class weights (counts).

    ``class_weights``: array (..., K), the (weighted) number of samples of
    each class in a node; p_k = w_k / Σ_j w_j. Returns an array (...,): 0 for a
    pure node, 1 - 1/K for a perfectly mixed one. A row of zeros has impurity 0.
    Use ``xp = backend.namespace(class_weights)``.
    """
    raise NotImplementedError("gini_impurity is not implemented yet")
