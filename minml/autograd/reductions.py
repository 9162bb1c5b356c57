"""Reductions over axes: sum, mean, var, max, min, logsumexp (and argmax/argmin).

A reduction's backward sends each output gradient back to every input
element it summarised: ``sum`` copies it to all of them (broadcasting),
``mean`` divides it by their count, ``max`` gives it to the largest.
"""

from __future__ import annotations

from minml import backend
from minml.autograd.function import Function
from minml.autograd.tensor import Tensor

__all__ = ["sum", "mean", "var", "max", "min", "logsumexp", "argmax", "argmin"]


def normalize_axes(axis, ndim: int) -> tuple[int, ...]:
    """``axis`` (None, int or tuple, negatives allowed) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    if ndim == 0:  # a 0-d tensor has nothing to reduce; axis 0 / -1 are accepted as in PyTorch
        return ()
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    normalized = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"axis {a} is out of range for a tensor with {ndim} dimension(s)")
        normalized.append(a % ndim)
    if len(set(normalized)) != len(normalized):
        raise ValueError(f"repeated axis in {axis}")
    return tuple(sorted(normalized))


def expand_reduced(grad, input_shape, axes, keepdims: bool):
    """Put back the reduced axes of ``grad`` (size 1) so it broadcasts against the input."""
    if not keepdims:
        grad = grad.reshape(tuple(1 if i in axes else n for i, n in enumerate(input_shape)))
    return grad


def _count(shape, axes) -> int:
    count = 1
    for axis in axes:
        count *= shape[axis]
    return count


class Sum(Function):
    @staticmethod
    def forward(ctx, a, axes, keepdims):
        ctx.shape, ctx.axes, ctx.keepdims = a.shape, axes, keepdims
        return a.sum(axis=axes, keepdims=keepdims)

    @staticmethod
    def backward(ctx, grad):
        grad = expand_reduced(grad, ctx.shape, ctx.axes, ctx.keepdims)
        return ctx.xp.broadcast_to(grad, ctx.shape)


class Mean(Function):
    @staticmethod
    def forward(ctx, a, axes, keepdims):
        ctx.shape, ctx.axes, ctx.keepdims = a.shape, axes, keepdims
        return a.mean(axis=axes, keepdims=keepdims)

    @staticmethod
    def backward(ctx, grad):
        grad = expand_reduced(grad, ctx.shape, ctx.axes, ctx.keepdims)
        return ctx.xp.broadcast_to(grad / _count(ctx.shape, ctx.axes), ctx.shape)


class Var(Function):
    """v = Σ (a - μ)² / (n - ddof):  dv/da = 2 (a - μ) / (n - ddof)."""

    @staticmethod
    def forward(ctx, a, axes, keepdims, ddof):
        centred = a - a.mean(axis=axes, keepdims=True)
        ctx.save_for_backward(centred)
        ctx.shape, ctx.axes, ctx.keepdims = a.shape, axes, keepdims
        ctx.divisor = _count(a.shape, axes) - ddof
        return (centred * centred).sum(axis=axes, keepdims=keepdims) / ctx.divisor

    @staticmethod
    def backward(ctx, grad):
        (centred,) = ctx.saved
        grad = expand_reduced(grad, ctx.shape, ctx.axes, ctx.keepdims)
        return grad * centred * (2 / ctx.divisor)


class Extremum(Function):
    """max or min; the gradient is shared equally among tied extreme elements (as torch.amax)."""

    @staticmethod
    def forward(ctx, a, axes, keepdims, largest):
        out = (a.max if largest else a.min)(axis=axes, keepdims=True)
        ctx.save_for_backward(a, out)
        ctx.shape, ctx.axes, ctx.keepdims = a.shape, axes, keepdims
        return out if keepdims else out.reshape(tuple(n for i, n in enumerate(a.shape) if i not in axes))

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        grad = expand_reduced(grad, ctx.shape, ctx.axes, ctx.keepdims)
        is_extreme = a == out
        return grad * is_extreme / is_extreme.sum(axis=ctx.axes, keepdims=True)


class LogSumExp(Function):
    """y = m + log Σ exp(a - m), m = max a (stable):  dy/da = exp(a - y) = softmax(a)."""

    @staticmethod
    def forward(ctx, a, axes, keepdims):
        xp = ctx.xp
        m = a.max(axis=axes, keepdims=True)
        m = xp.where(xp.isfinite(m), m, 0)  # rows of all -inf give -inf, not nan
        out = m + xp.log(xp.exp(a - m).sum(axis=axes, keepdims=True))
        ctx.save_for_backward(a, out)
        ctx.shape, ctx.axes, ctx.keepdims = a.shape, axes, keepdims
        return out if keepdims else out.reshape(tuple(n for i, n in enumerate(a.shape) if i not in axes))

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        grad = expand_reduced(grad, ctx.shape, ctx.axes, ctx.keepdims)
        return grad * ctx.xp.exp(a - out)


def _reduce(function, a, axis, keepdims, **params) -> Tensor:
    axes = normalize_axes(axis, a.ndim)
    if 0 in (a.shape[i] for i in axes) and function is not Sum:
        raise ValueError(f"{function.__name__.lower()} of an empty axis of a tensor of shape {a.shape}")
    return function.apply(a, axes=axes, keepdims=keepdims, **params)


def sum(a, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001 - the reduction's name
    return _reduce(Sum, a, axis, keepdims)


def mean(a, axis=None, keepdims: bool = False) -> Tensor:
    return _reduce(Mean, a, axis, keepdims)


def var(a, axis=None, keepdims: bool = False, ddof: int = 0) -> Tensor:
    """Variance; ``ddof=1`` gives the unbiased sample variance (PyTorch's default, NumPy's is 0)."""
    return _reduce(Var, a, axis, keepdims, ddof=ddof)


def max(a, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001
    return _reduce(Extremum, a, axis, keepdims, largest=True)


def min(a, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001
    return _reduce(Extremum, a, axis, keepdims, largest=False)


def logsumexp(a, axis=None, keepdims: bool = False) -> Tensor:
    return _reduce(LogSumExp, a, axis, keepdims)


def argmax(a: Tensor, axis=None, keepdims: bool = False) -> Tensor:
    """Index of the largest value (int64, not differentiable)."""
    return Tensor._from_array(backend.namespace(a.data).argmax(a.data, axis=axis, keepdims=keepdims))


def argmin(a: Tensor, axis=None, keepdims: bool = False) -> Tensor:
    """Index of the smallest value (int64, not differentiable)."""
    return Tensor._from_array(backend.namespace(a.data).argmin(a.data, axis=axis, keepdims=keepdims))
