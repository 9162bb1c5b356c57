"""A recursive depth-first search: right on small graphs, RecursionError on a long chain of ops."""

from minml.autograd.tensor import Tensor


def topological_order(root):
    order, visited = [], set()

    def visit(node):
        if id(node) in visited:
            return
        visited.add(id(node))
        if node.grad_fn is not None:
            for parent in node.grad_fn.inputs:
                if isinstance(parent, Tensor) and parent.requires_grad:
                    visit(parent)
        order.append(node)

    visit(root)
    return order
