"""Elementwise arithmetic and math functions, each with its derivative.

Every op here maps each element independently, so its backward is the
upstream gradient times the local derivative, element by element. Inputs may
be broadcast against each other; the engine sums gradients back to each
input's shape (see :func:`minml.autograd.function.unbroadcast`).
"""

from __future__ import annotations

import math

from minml import backend
from minml.autograd.function import Function
from minml.autograd.tensor import Tensor

__all__ = [
    "add", "sub", "mul", "div", "pow", "neg", "exp", "log", "sqrt", "abs",
    "clip", "minimum", "maximum", "where", "cast", "to_device", "compare",
]


class Add(Function):
    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class Sub(Function):
    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad if ctx.needs_input_grad[1] else None


class Mul(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        return grad * b if need_a else None, grad * a if need_b else None


class Div(Function):
    """y = a / b:  dy/da = 1 / b,  dy/db = -a / b² = -y / b."""

    @staticmethod
    def forward(ctx, a, b):
        out = a / b
        ctx.save_for_backward(b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        b, out = ctx.saved
        grad_a = grad / b
        return grad_a, -grad_a * out if ctx.needs_input_grad[1] else None


class Pow(Function):
    """y = a ** b:  dy/da = b a^(b-1),  dy/db = y ln a (taken as 0 where a <= 0)."""

    @staticmethod
    def forward(ctx, a, b):
        out = a**b
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        grad_a = grad * b * a ** (b - 1) if need_a else None
        grad_b = None
        if need_b:
            xp = ctx.xp
            if isinstance(a, (int, float)):
                grad_b = grad * out * math.log(a) if a > 0 else grad * 0
            else:
                positive = a > 0
                grad_b = grad * xp.where(positive, out * xp.log(xp.where(positive, a, 1)), 0)
        return grad_a, grad_b


class Neg(Function):
    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Exp(Function):
    """y = eᵃ:  dy/da = y."""

    @staticmethod
    def forward(ctx, a):
        out = ctx.xp.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        return grad * out


class Log(Function):
    """y = ln a:  dy/da = 1 / a."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return ctx.xp.log(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return grad / a


class Sqrt(Function):
    """y = √a:  dy/da = 1 / (2y)."""

    @staticmethod
    def forward(ctx, a):
        out = ctx.xp.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        return grad / (2 * out)


class Abs(Function):
    """y = |a|:  dy/da = sign(a) (0 at a = 0, as in PyTorch)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return ctx.xp.abs(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return grad * ctx.xp.sign(a)


class Clip(Function):
    """y = min(max(a, low), high): the gradient passes where low <= a <= high."""

    @staticmethod
    def forward(ctx, a, low, high):
        ctx.save_for_backward(a)
        ctx.low, ctx.high = low, high
        return ctx.xp.clip(a, low, high)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        inside = ctx.xp.ones(a.shape, dtype=bool)
        if ctx.low is not None:
            inside &= a >= ctx.low
        if ctx.high is not None:
            inside &= a <= ctx.high
        return grad * inside


class Maximum(Function):
    """Elementwise max; at ties each input gets half the gradient (as PyTorch)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return ctx.xp.maximum(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        share = ctx.xp.where(a == b, 0.5, 1.0).astype(grad.dtype)
        return grad * share * (a >= b), grad * share * (a <= b)


class Minimum(Function):
    """Elementwise min; at ties each input gets half the gradient (as PyTorch)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return ctx.xp.minimum(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        share = ctx.xp.where(a == b, 0.5, 1.0).astype(grad.dtype)
        return grad * share * (a <= b), grad * share * (a >= b)


class Where(Function):
    """y = a where condition else b: the gradient goes to whichever was chosen."""

    @staticmethod
    def forward(ctx, condition, a, b):
        ctx.save_for_backward(condition)
        return ctx.xp.where(condition, a, b)

    @staticmethod
    def backward(ctx, grad):
        (condition,) = ctx.saved
        zero = ctx.xp.zeros((), dtype=grad.dtype)
        need_a, need_b = ctx.needs_input_grad[1:]
        return (
            None,
            ctx.xp.where(condition, grad, zero) if need_a else None,
            ctx.xp.where(condition, zero, grad) if need_b else None,
        )


class Cast(Function):
    """A change of dtype; the gradient is cast back."""

    @staticmethod
    def forward(ctx, a, dtype):
        ctx.input_dtype = a.dtype
        return a.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.astype(ctx.input_dtype)


class ToDevice(Function):
    """A move between devices; the gradient moves back."""

    @staticmethod
    def forward(ctx, a, device):
        ctx.input_device = backend.device_of(a)
        return backend.to_device(a, device)

    @staticmethod
    def backward(ctx, grad):
        return backend.to_device(grad, ctx.input_device)


def add(a, b) -> Tensor:
    return Add.apply(a, b)


def sub(a, b) -> Tensor:
    return Sub.apply(a, b)


def mul(a, b) -> Tensor:
    return Mul.apply(a, b)


def div(a, b) -> Tensor:
    return Div.apply(a, b)


def pow(a, b) -> Tensor:  # noqa: A001 - the operator's name
    return Pow.apply(a, b)


def neg(a) -> Tensor:
    return Neg.apply(a)


def exp(a) -> Tensor:
    return Exp.apply(a)


def log(a) -> Tensor:
    return Log.apply(a)


def sqrt(a) -> Tensor:
    return Sqrt.apply(a)


def abs(a) -> Tensor:  # noqa: A001
    return Abs.apply(a)


def clip(a, min=None, max=None) -> Tensor:  # noqa: A002 - PyTorch's keyword names
    """Limit values to [min, max]; either bound may be None."""
    if min is None and max is None:
        raise ValueError("clip() needs at least one of min and max")
    return Clip.apply(a, low=min, high=max)


def maximum(a, b) -> Tensor:
    return Maximum.apply(a, b)


def minimum(a, b) -> Tensor:
    return Minimum.apply(a, b)


def where(condition, a, b) -> Tensor:
    """Elements of ``a`` where ``condition`` holds, else of ``b`` (condition gets no gradient)."""
    if isinstance(condition, Tensor):
        condition = condition.data
    return Where.apply(condition, a, b)


def cast(a, dtype) -> Tensor:
    return Cast.apply(a, dtype=dtype)


def to_device(a, device) -> Tensor:
    return ToDevice.apply(a, device=device)


def compare(name: str, a, b) -> Tensor:
    """``xp.<name>(a, b)`` for a comparison such as "less": a boolean tensor, never differentiable."""
    arrays = [x.data if isinstance(x, Tensor) else x for x in (a, b)]
    return Tensor._from_array(getattr(backend.namespace(*arrays), name)(*arrays))
