"""Indexing: ``t[2]``, ``t[:, 1:3]``, ``t[[0, 0, 2]]``, ``t[t > 0]`` and embedding lookups.

Forward is NumPy's indexing. Backward puts the gradient back where the
elements came from, into zeros of the input's shape. An integer-array index may
pick one element several times (``t[[0, 0]]``); each pick then *adds* its
gradient, which is why backward uses :func:`minml.backend.scatter_add`
rather than assignment.
"""

from __future__ import annotations

import numbers

from minml import backend
from minml.autograd.function import Function
from minml.autograd.tensor import Tensor

__all__ = ["getitem", "embedding", "as_array_index"]


def as_array_index(index, device):
    """The index with Tensors replaced by their arrays and host lists / arrays moved to ``device``.

    Ints, slices, None and ``...`` stay as they are; moving an integer or
    boolean array to the data's device is an explicit transfer.
    """
    if isinstance(index, tuple):
        return tuple(as_array_index(part, device) for part in index)
    if isinstance(index, Tensor):
        index = index.data
    if index is None or index is Ellipsis or isinstance(index, (int, slice)):
        return index
    return backend.to_device(index, device)


def _is_basic(index) -> bool:
    """True when the index only slices (ints, slices, None, ...): no element is picked twice."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(part is None or part is Ellipsis or isinstance(part, (int, slice)) for part in parts)


class GetItem(Function):
    @staticmethod
    def forward(ctx, a, index):
        ctx.input_shape, ctx.index = a.shape, index
        return a[index]

    @staticmethod
    def backward(ctx, grad):
        grad_input = ctx.xp.zeros(ctx.input_shape, dtype=grad.dtype)
        if _is_basic(ctx.index):
            grad_input[ctx.index] = grad
        else:
            backend.scatter_add(grad_input, ctx.index, grad)
        return grad_input


def getitem(a: Tensor, index) -> Tensor:
    return GetItem.apply(a, index=as_array_index(index, a.device))


class Embedding(GetItem):
    """Rows of a table, as GetItem; the gradient of the padding row, if there is one, is held at zero."""

    @staticmethod
    def forward(ctx, weight, index, padding_idx):
        ctx.padding_idx = padding_idx
        return GetItem.forward(ctx, weight, index)

    @staticmethod
    def backward(ctx, grad):
        grad_weight = GetItem.backward(ctx, grad)
        if ctx.padding_idx is not None:
            grad_weight[ctx.padding_idx] = 0  # the padding row never learns
        return grad_weight


def padding_row(padding_idx, num_embeddings: int) -> int | None:
    """``padding_idx`` as a row in [0, num_embeddings) (negative counts from the end, as in PyTorch), or None."""
    if padding_idx is None:
        return None
    if not isinstance(padding_idx, numbers.Integral) or not -num_embeddings <= padding_idx < num_embeddings:
        raise ValueError(
            f"padding_idx must be None or an int in [-{num_embeddings}, {num_embeddings}), the table's rows; "
            f"got {padding_idx!r}"
        )
    return int(padding_idx) % num_embeddings


def embedding(weight: Tensor, indices, padding_idx: int | None = None) -> Tensor:
    """Rows of ``weight`` (num_embeddings, dim) for each integer in ``indices`` (any shape).

    The result has shape ``indices.shape + (dim,)``; rows used several times
    receive the sum of their gradients. Row ``padding_idx``, if given, receives
    no gradient (PyTorch's padding token: its vector stays as it is).
    """
    indices = as_array_index(indices, weight.device)
    if getattr(indices, "dtype", None) is None or indices.dtype.kind not in "iu":
        raise TypeError(f"embedding indices must be an integer array or tensor; got {type(indices).__name__}")
    return Embedding.apply(weight, index=indices, padding_idx=padding_row(padding_idx, weight.shape[0]))
