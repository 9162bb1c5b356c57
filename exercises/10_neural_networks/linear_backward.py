"""Exercise 10.linear_backward: The gradients of a linear layer y = x Wᵀ + b: return (dL/dx, dL/dW, dL/db).

Generated from minml/nn/functional.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def linear_backward(grad, x, weight, needs_input_grad: tuple[bool, bool, bool] = (True, True, True)):
    """The gradients of a linear layer y = x Wᵀ + b: return (dL/dx, dL/dW, dL/db).

    ``x`` has shape (..., in), ``weight`` W (out, in), and ``grad`` = dL/dy has
    y's shape (..., out): any number of leading (batch) axes. Each y[n, o] =
    Σ_i x[n, i] W[o, i] + b[o], so by the chain rule

        dL/dx = g W           (..., in)
        dL/dW = gᵀ x          (out, in), summed over every leading axis
        dL/db = Σ_n g[n, :]   (out,), summed over every leading axis

    (the bias was broadcast over the batch, so its gradient is a sum). Flatten
    the leading axes (``reshape(-1, ...)``) for the two sums. ``needs_input_grad``
    says which of the three are wanted: return None in place of the others
    (the first layer's input needs no gradient; skipping it saves a matrix
    product). Compute with the arrays' own operators (``@``, ``.T``, ``.sum``)
    so the same code runs on the CPU and a GPU.
    """
    raise NotImplementedError("linear_backward is not implemented yet")
