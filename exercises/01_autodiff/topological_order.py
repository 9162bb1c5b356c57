"""Exercise 01.topological_order: Every tensor ``root`` depends on through tracked ops, inputs before outputs.

Generated from minml/autograd/backward.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations

from minml.autograd.tensor import Tensor


def topological_order(root: Tensor) -> list[Tensor]:
    """Every tensor ``root`` depends on through tracked ops, inputs before outputs.

    The graph: a tensor an op made has ``tensor.grad_fn``, the op's node, whose
    ``.inputs`` are the op's arguments (Tensors, but also Python numbers or
    arrays used as constants); a leaf has ``grad_fn`` None. Return each Tensor
    with ``requires_grad`` that ``root`` was computed from, ``root`` included,
    exactly once, every tensor after all the tensor inputs of its node (so
    ``root`` comes last). Skip inputs that are not Tensors or do not require grad.

    Why this order: ``backward`` walks the list in reverse, from root to the
    leaves. A tensor used in several places receives the sum of the gradients
    from all its uses (the multivariate chain rule), so it must not pass its
    gradient on before every tensor computed from it has been processed —
    exactly what "after all its inputs" guarantees, read backwards.

    How: a depth-first search that appends a node once all its inputs have been
    appended (post-order). Use an explicit stack of ``(node, inputs_done)``
    pairs instead of recursion — a chain of 100,000 ops would overflow Python's
    recursion limit (about 1,000 frames). Popping ``(node, False)`` means "not
    expanded yet": push ``(node, True)`` back, then its inputs, so the node
    surfaces again only after all of them. Popping ``(node, True)`` means
    "inputs done": append it. Keep a set of visited ``id(node)`` so that a tensor
    reached along two paths (a diamond) is listed once.
    """
    raise NotImplementedError("topological_order is not implemented yet")
