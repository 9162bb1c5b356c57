"""Exercise 01.unbroadcast: Sum ``grad`` over the axes broadcasting added or stretched, back to ``shape``.

Generated from minml/autograd/function.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


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
    raise NotImplementedError("unbroadcast is not implemented yet")
