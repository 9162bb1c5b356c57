"""Matrix multiplication, with NumPy's rules for vectors and batches.

For C = A @ B:  dL/dA = dL/dC @ Bᵀ  and  dL/dB = Aᵀ @ dL/dC.
A 1-D operand is treated as a row (left) or column (right) vector and the
added axis removed again; batch axes broadcast like any other op and are summed
back by the engine.
"""

from __future__ import annotations

from minml.autograd.function import Function
from minml.autograd.tensor import Tensor

__all__ = ["matmul"]


class MatMul(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx, grad):
        xp = ctx.xp
        a, b = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        matrix_a = a[None, :] if a.ndim == 1 else a  # (..., m, k)
        matrix_b = b[:, None] if b.ndim == 1 else b  # (..., k, n)
        if b.ndim == 1:
            grad = xp.expand_dims(grad, -1)
        if a.ndim == 1:
            grad = xp.expand_dims(grad, -2)  # grad is now (..., m, n)
        grad_a = grad_b = None
        if need_a:
            grad_a = grad @ xp.swapaxes(matrix_b, -1, -2)
            if a.ndim == 1:
                grad_a = grad_a[..., 0, :]
        if need_b:
            grad_b = xp.swapaxes(matrix_a, -1, -2) @ grad
            if b.ndim == 1:
                grad_b = grad_b[..., 0]
        return grad_a, grad_b


def matmul(a, b) -> Tensor:
    """Matrix product ``a @ b`` (batched; 1-D operands are vectors)."""
    if getattr(a, "ndim", 1) == 0 or getattr(b, "ndim", 1) == 0:
        raise ValueError("matmul needs operands with at least one dimension; use * for scalars")
    return MatMul.apply(a, b)
