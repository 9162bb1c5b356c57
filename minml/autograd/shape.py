"""Ops that move elements without changing them: reshape, transpose, squeeze, concatenate, pad...

Their backward applies the inverse movement to the gradient: reshape back,
transpose back, split a concatenation, crop the padding.
"""

from __future__ import annotations

from minml.autograd.function import Function
from minml.autograd.reductions import normalize_axes
from minml.autograd.tensor import Tensor

__all__ = [
    "reshape", "flatten", "transpose", "permute", "squeeze", "unsqueeze", "broadcast_to",
    "concatenate", "stack", "pad",
]


class Reshape(Function):
    @staticmethod
    def forward(ctx, a, shape):
        ctx.input_shape = a.shape
        return a.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.input_shape)


class Permute(Function):
    """Reorder axes; the gradient is reordered by the inverse permutation."""

    @staticmethod
    def forward(ctx, a, axes):
        ctx.axes = axes
        return a.transpose(axes)

    @staticmethod
    def backward(ctx, grad):
        inverse = [0] * len(ctx.axes)
        for position, axis in enumerate(ctx.axes):
            inverse[axis] = position
        return grad.transpose(inverse)


class BroadcastTo(Function):
    """Repeat along new or size-1 axes; the engine sums the gradient back (unbroadcast)."""

    @staticmethod
    def forward(ctx, a, shape):
        return ctx.xp.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad


class Concatenate(Function):
    """Join along an axis; the gradient is cut back into the inputs' pieces."""

    @staticmethod
    def forward(ctx, *arrays, axis):
        ctx.axis = axis
        ctx.sizes = [a.shape[axis] for a in arrays]
        return ctx.xp.concatenate(arrays, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        cuts, start = [], 0
        for size in ctx.sizes[:-1]:
            start += size
            cuts.append(start)
        return tuple(ctx.xp.split(grad, cuts, axis=ctx.axis))


class Pad(Function):
    """Pad with a constant; the gradient of the padding is dropped by cropping."""

    @staticmethod
    def forward(ctx, a, widths, value):
        ctx.crop = tuple(slice(before, before + n) for (before, _), n in zip(widths, a.shape))
        return ctx.xp.pad(a, widths, mode="constant", constant_values=value)

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.crop]


def reshape(a, shape) -> Tensor:
    """Same elements, new shape (one entry may be -1: inferred)."""
    return Reshape.apply(a, shape=tuple(shape))


def flatten(a, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge axes start_dim..end_dim into one."""
    if a.ndim == 0:
        return reshape(a, (1,))
    (start,), (end,) = normalize_axes(start_dim, a.ndim), normalize_axes(end_dim, a.ndim)
    if start > end:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    return reshape(a, a.shape[:start] + (-1,) + a.shape[end + 1 :])


def permute(a, axes) -> Tensor:
    axes = tuple(axes)
    if sorted(normalize_axes(axes, a.ndim)) != list(range(a.ndim)) or len(axes) != a.ndim:
        raise ValueError(f"permute needs each of the {a.ndim} axes exactly once; got {axes}")
    return Permute.apply(a, axes=tuple(axis % a.ndim for axis in axes))


def transpose(a, dim0: int = -2, dim1: int = -1) -> Tensor:
    """Swap two axes (PyTorch's ``transpose``)."""
    axes = list(range(a.ndim))
    dim0, dim1 = normalize_axes(dim0, a.ndim)[0], normalize_axes(dim1, a.ndim)[0]
    axes[dim0], axes[dim1] = axes[dim1], axes[dim0]
    return Permute.apply(a, axes=tuple(axes))


def squeeze(a, axis=None) -> Tensor:
    """Remove axes of size 1 (all of them, or those named; a named axis of another size is kept, as in PyTorch)."""
    axes = normalize_axes(axis, a.ndim)
    return reshape(a, tuple(n for i, n in enumerate(a.shape) if not (i in axes and n == 1)))


def unsqueeze(a, axis: int) -> Tensor:
    """Insert an axis of size 1 at position ``axis`` of the result."""
    axis = normalize_axes(axis, a.ndim + 1)[0]
    return reshape(a, a.shape[:axis] + (1,) + a.shape[axis:])


def broadcast_to(a, shape) -> Tensor:
    return BroadcastTo.apply(a, shape=tuple(shape))


def concatenate(tensors, axis: int = 0) -> Tensor:
    """Join tensors along an existing axis (``torch.cat``)."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("concatenate needs at least one tensor")
    return Concatenate.apply(*tensors, axis=axis)


def stack(tensors, axis: int = 0) -> Tensor:
    """Join tensors along a new axis."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("stack needs at least one tensor")
    return concatenate([unsqueeze(t, axis) for t in tensors], axis=axis)


def pad(a, pad_width, value: float = 0.0) -> Tensor:
    """Constant padding; ``pad_width`` as in numpy.pad: ((before, after), ...) per axis, or one int."""
    if a.ndim == 0:
        raise ValueError("pad needs a tensor with at least one dimension; reshape a 0-d tensor to (1,) first")
    if isinstance(pad_width, int):
        pad_width = ((pad_width, pad_width),) * a.ndim
    widths = tuple((int(before), int(after)) for before, after in pad_width)
    if len(widths) != a.ndim or any(w < 0 for pair in widths for w in pair):
        raise ValueError(f"pad_width needs {a.ndim} pairs of non-negative ints; got {pad_width}")
    return Pad.apply(a, widths=widths, value=value)
