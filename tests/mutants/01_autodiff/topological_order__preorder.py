"""Appends each node when it is first reached (pre-order) and reverses: wrong where paths of different lengths meet."""

from minml.autograd.tensor import Tensor


def topological_order(root):
    order, visited, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        order.append(node)
        if node.grad_fn is not None:
            for parent in node.grad_fn.inputs:
                if isinstance(parent, Tensor) and parent.requires_grad:
                    stack.append(parent)
    return order[::-1]
