"""``Function``: one differentiable operation, forward and backward side by side.

A subclass implements two static methods on raw backend arrays::

    class Mul(Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad):
            a, b = ctx.saved
            return grad * b, grad * a      # d(ab)/da = b, d(ab)/db = a

``Mul.apply(x, y)`` runs ``forward`` on the tensors' arrays and, when a
gradient is needed, records a node of the graph (the ``ctx``) that
:func:`minml.autograd.backward.backward` later walks in reverse.

``backward`` may return gradients with the *broadcast* shape of the output;
the engine sums them back to each input's shape (:func:`unbroadcast`), once,
so no op has to.
"""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.autograd.grad_mode import is_grad_enabled
from minml.autograd.tensor import Tensor

__all__ = ["Function", "Context", "unbroadcast"]


class Context:
    """A node of the graph: the op, its inputs and what backward needs.

    ``xp`` is the array namespace, ``needs_input_grad[i]`` says whether input i
    wants a gradient (so backward may skip work), ``saved`` holds the arrays
    given to :meth:`save_for_backward`. An op may also set plain attributes.
    """

    def __init__(self, xp):
        self.xp = xp
        self.needs_input_grad = ()

    def save_for_backward(self, *arrays) -> None:
        self.saved = arrays

    def release(self) -> None:
        """Drop everything backward would need, keeping only the graph's shape."""
        kept = {"function": self.function, "inputs": self.inputs, "released": True}
        self.__dict__.clear()
        self.__dict__.update(kept)


class Function:
    """Base class of every differentiable op (see the module docstring)."""

    @staticmethod
    def forward(ctx: Context, *arrays, **params):
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Context, grad):
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs, **params) -> Tensor:
        """Run ``forward`` on the inputs' arrays; record the node if a gradient is needed.

        Inputs may be Tensors, Python numbers (constants) or backend arrays
        (constants). Keyword ``params`` are passed to ``forward`` unchanged.
        """
        arrays = [x.data if isinstance(x, Tensor) else x for x in inputs]
        ctx = Context(backend.namespace(*arrays))
        needs_input_grad = tuple(isinstance(x, Tensor) and x.requires_grad for x in inputs)
        tracked = is_grad_enabled() and any(needs_input_grad)
        if tracked:
            ctx.needs_input_grad = needs_input_grad
        out = cls.forward(ctx, *arrays, **params)
        if isinstance(out, np.generic):  # NumPy reductions return scalars, not 0-d arrays
            out = np.asarray(out)
        if not tracked:
            return Tensor._from_array(out)
        ctx.function = cls
        ctx.inputs = inputs
        return Tensor._from_array(out, ctx)


# exercise 01.unbroadcast
def unbroadcast(grad, shape: tuple[int, ...]):
    """Sum ``grad`` over the axes broadcasting added or stretched, back to ``shape``.

    If ``y = x + b`` broadcast ``b`` of shape (3,) across (4, 3), every row used
    b, so dL/db is the sum of the rows of dL/dy.

    ``grad`` (a NumPy or CuPy array) has the broadcast shape of an op's output;
    ``shape`` is the shape of one input, which broadcast to ``grad.shape`` by
    NumPy's rule: align the shapes on the right, then repeat the input along
    the leading axes it lacks and along its axes of size 1. An input element
    used k times receives the sum of the k gradients of its copies (the chain
    rule, summed over every use), so sum ``grad`` over (1) the leading
    ``grad.ndim - len(shape)`` axes and (2) every axis where ``shape`` has
    size 1 but ``grad`` does not, keeping those axes with size 1. Return an
    array of exactly ``shape`` (which may be ``()``), e.g. grad (4, 2, 3) to
    shape (2, 1): sum over axes 0 and 2.
    """
    if grad.shape == shape:
        return grad
    leading = grad.ndim - len(shape)
    stretched = tuple(
        leading + i for i, size in enumerate(shape) if size == 1 and grad.shape[leading + i] != 1
    )
    axes = tuple(range(leading)) + stretched
    if axes:
        grad = grad.sum(axis=axes)
    return grad.reshape(shape)
# end exercise
