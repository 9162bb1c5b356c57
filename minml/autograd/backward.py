"""Reverse-mode differentiation: walk the graph from the output back to the leaves.

1. Order the nodes so every node comes after the inputs it was computed from
   (a topological order, found with an explicit stack: no recursion limit, so
   a chain of 100,000 ops works).
2. Seed dL/dL = 1 at the output and visit the nodes in reverse order. Each node
   receives the *sum* of the gradients from every place it was used (the
   multivariate chain rule), calls its op's backward, and passes the results on.
3. Leaves that require grad add their gradient to ``.grad``, where it stays,
   accumulating over calls, until you zero it (``tensor.grad = None``,
   ``module.zero_grad()`` or ``optimizer.zero_grad()``).

Who owns a gradient array: a leaf keeps the array an op's backward made for
it, without copying, unless someone else can see that array — it is the
upstream gradient passed straight through (``+`` does that), a view of another
array, or was handed to another input too. Then the leaf stores a copy, so an
in-place change to one ``.grad`` (gradient clipping, say) never changes another.

Calling ``backward`` twice: the first call frees what each op saved (memory),
so a second walk over the same graph raises, unless the first passed
``retain_graph=True`` — the same rule as PyTorch.
"""

from __future__ import annotations

from minml import backend
from minml.autograd.function import unbroadcast
from minml.autograd.tensor import Tensor

__all__ = ["backward", "topological_order"]


# exercise 01.topological_order
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
    order: list[Tensor] = []
    visited: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        if node.grad_fn is not None:
            for parent in node.grad_fn.inputs:
                if isinstance(parent, Tensor) and parent.requires_grad and id(parent) not in visited:
                    stack.append((parent, False))
    return order
# end exercise


def backward(root: Tensor, grad=None, retain_graph: bool = False) -> None:
    """Accumulate d(root)/d(leaf) into ``leaf.grad`` for every leaf that requires grad.

    ``grad`` is dL/d(root); it may be omitted only when root has one element.
    """
    if not root.requires_grad:
        raise RuntimeError(
            "backward() on a tensor that does not require grad: no input of the computation had "
            "requires_grad=True (or it ran under no_grad)."
        )
    if grad is None:
        if root.data.size != 1:
            raise RuntimeError(
                f"backward() needs a gradient argument for a tensor of shape {root.shape}: "
                "call loss.sum().backward() or loss.backward(gradient) with gradient shaped like it."
            )
        grad = root._xp.ones_like(root.data)
    else:
        grad = grad.data if isinstance(grad, Tensor) else backend.to_device(grad, root.device)
        if grad.shape != root.shape:
            raise RuntimeError(f"gradient shape {grad.shape} does not match the tensor's shape {root.shape}")

    grads = {id(root): grad}  # the gradient flowing into each node, summed over its uses
    shared = {id(root)}  # nodes whose gradient array others can see (see the module docstring)
    handed_out: set[int] = set()  # arrays already given to some node in this walk
    for node in reversed(topological_order(root)):
        node_grad = grads.pop(id(node), None)
        if node_grad is None:
            continue  # nothing flows here: the node only feeds unused branches
        if node._retains_grad or node._ctx is None:
            owned = node._ctx is None and id(node) not in shared  # a non-leaf passes its array on
            node._accumulate_grad(node_grad, owned)
        ctx = node._ctx
        if ctx is None:
            continue
        if getattr(ctx, "released", False):
            raise RuntimeError(
                "backward() through a graph a previous backward() already freed. Pass "
                "retain_graph=True to the first backward() to walk the graph again."
            )
        input_grads = ctx.function.backward(ctx, node_grad)
        if not isinstance(input_grads, tuple):
            input_grads = (input_grads,)
        for parent, parent_grad in zip(ctx.inputs, input_grads):
            if parent_grad is None or not isinstance(parent, Tensor) or not parent.requires_grad:
                continue
            parent_grad = unbroadcast(parent_grad, parent.shape)
            key = id(parent)
            previous = grads.get(key)
            if previous is not None:
                grads[key] = previous + parent_grad  # a fresh array: owned
                shared.discard(key)
                continue
            grads[key] = parent_grad
            if parent_grad is node_grad or parent_grad.base is not None or id(parent_grad) in handed_out:
                shared.add(key)
            handed_out.add(id(parent_grad))
        if not retain_graph:
            ctx.release()
