"""Forgets the visited set: a tensor reached along two paths (a diamond) is listed twice."""

from minml.autograd.tensor import Tensor


def topological_order(root):
    order, stack = [], [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        stack.append((node, True))
        if node.grad_fn is not None:
            for parent in node.grad_fn.inputs:
                if isinstance(parent, Tensor) and parent.requires_grad:
                    stack.append((parent, False))
    return order
