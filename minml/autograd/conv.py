"""2-D convolution and pooling: a small window slid over the image.

``conv2d`` is a sliding dot product. The kernel ``w`` (C_out, C_in, KH, KW)
visits every position of the (padded) input ``x`` (N, C_in, H, W), taking a
step of ``stride`` pixels and reading pixels ``dilation`` apart; at each stop
it multiplies the C_in x KH x KW patch under it elementwise with each filter
and sums:

    y[n, o, p, q] = b[o] + Σ_{c,i,j} w[o, c, i, j] · x[n, c, p·s + i·d, q·s + j·d]

with output size  OH = (H + 2·pad - d·(KH - 1) - 1) // s + 1  (and OW alike).

Written as a loop over pixels that is slow; *im2col* turns it into one matrix
product. Kernel offset (i, j) sees the same strided slice of the input at
every stop, so stacking the KH·KW slices gives a matrix ``cols`` with one
column per output pixel (N·OH·OW of them) and one row per (i, j, c); the
convolution is then ``W @ cols`` with W the filters flattened to rows.

Backward is the transpose of that. From y = W @ cols:

    dL/dW    = dL/dy @ colsᵀ            (every patch a filter touched, weighted)
    dL/dcols = Wᵀ @ dL/dy

and *col2im* sends dL/dcols back to the pixels it was gathered from: for each
offset (i, j), add its slice into a zero image at the same strided positions.
Within one offset the positions are distinct, so a plain ``+=`` on the slice
is exact; a pixel read by several offsets (overlapping windows) collects the
sum over the offsets. Finally the padding is cropped off.

Pooling slides the same window without weights, per channel: ``max_pool2d``
keeps the largest pixel of each window (padding counts as -inf) and sends the
gradient back to it alone — to the first one, in row-major order, when several
tie, as PyTorch does on the CPU (a window wholly in the padding, possible
only with dilation, gives -inf and passes no gradient); ``avg_pool2d`` averages the window (padding
counts as 0 and is included in the count, PyTorch's default) and spreads
the gradient evenly over it.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from functools import cached_property

from minml import backend
from minml.autograd.function import Function
from minml.autograd.tensor import Tensor

__all__ = ["conv2d", "max_pool2d", "avg_pool2d", "im2col"]


# --------------------------------------------------------------------------- the sliding window


@dataclass(frozen=True)
class _Window:
    """Where a KH x KW window stops on a padded image; all sizes are (rows, columns) pairs.

    ``slices[k]`` are the (row, column) slices of the padded image that kernel
    offset k = i·KW + j sees, one element per output pixel.
    """

    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    out_size: tuple[int, int]

    @property
    def area(self) -> int:
        """KH·KW, the number of pixels in one window."""
        return self.kernel[0] * self.kernel[1]

    @cached_property
    def slices(self) -> list[tuple[slice, slice]]:
        (kh, kw), (sh, sw), (dh, dw), (oh, ow) = self.kernel, self.stride, self.dilation, self.out_size
        return [
            (slice(i * dh, i * dh + sh * (oh - 1) + 1, sh), slice(j * dw, j * dw + sw * (ow - 1) + 1, sw))
            for i in range(kh)
            for j in range(kw)
        ]

    def pad(self, xp, image, value: float):
        """``image`` (..., H, W) with ``value`` added around its last two axes."""
        ph, pw = self.padding
        widths = ((0, 0),) * (image.ndim - 2) + ((ph, ph), (pw, pw))
        return xp.pad(image, widths, mode="constant", constant_values=value)

    def gather(self, padded):
        """im2col: the slice each kernel offset sees, stacked: (KH·KW, ..., OH, OW)."""
        return im2col(padded, self.kernel, self.stride, self.dilation)

    def scatter(self, xp, pieces, padded_shape, dtype):
        """col2im, the transpose of :meth:`gather`: add piece k where offset k read, then crop the padding."""
        image = xp.zeros(padded_shape, dtype=dtype)
        for (rows, cols), piece in zip(self.slices, pieces):
            image[..., rows, cols] += piece  # distinct positions within one offset: += is exact
        (ph, pw), (hp, wp) = self.padding, padded_shape[-2:]
        return image[..., ph : hp - ph, pw : wp - pw]


# exercise 10.im2col
def im2col(padded, kernel: tuple[int, int], stride: tuple[int, int] = (1, 1), dilation: tuple[int, int] = (1, 1)):
    """Every (KH, KW) window of ``padded`` (..., Hp, Wp), as a stack of KH·KW strided slices.

    The window stops every ``stride`` = (sh, sw) pixels and reads pixels
    ``dilation`` = (dh, dw) apart, so it fits OH = (Hp - dh·(KH - 1) - 1) // sh + 1
    times down (OW across, alike). Return ``cols`` of shape (KH·KW, ..., OH, OW)
    with, for kernel offset k = i·KW + j (i the row, j the column),

        cols[k, ..., p, q] = padded[..., p·sh + i·dh, q·sw + j·dw]

    that is, the strided slice offset (i, j) sees at every stop. No loop over
    pixels: one basic slice ``start:stop:step`` per axis and offset, KH·KW of
    them stacked with ``xp.stack`` (``xp = minml.backend.namespace(padded)``).
    The leading axes (batch, channels) come along unchanged. conv2d multiplies
    these columns by the flattened filters; max pooling takes their maximum.
    """
    xp = backend.namespace(padded)
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    hp, wp = padded.shape[-2:]
    oh, ow = (hp - dh * (kh - 1) - 1) // sh + 1, (wp - dw * (kw - 1) - 1) // sw + 1
    return xp.stack([
        padded[..., i * dh : i * dh + sh * (oh - 1) + 1 : sh, j * dw : j * dw + sw * (ow - 1) + 1 : sw]
        for i in range(kh)
        for j in range(kw)
    ])
# end exercise


def _pair(value, name: str, op: str, minimum: int) -> tuple[int, int]:
    """An int or a pair of ints as a pair, each at least ``minimum``."""
    pair = (value, value) if isinstance(value, numbers.Integral) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, numbers.Integral) and v >= minimum for v in pair):
        raise ValueError(f"{op}: {name} must be an int >= {minimum} or a pair of them; got {value!r}")
    return int(pair[0]), int(pair[1])


def _window(op: str, image_shape, kernel, stride, padding, dilation) -> _Window:
    """Validate the window parameters against an (..., H, W) image and compute the output size."""
    kernel = _pair(kernel, "kernel_size", op, 1)
    stride = _pair(stride, "stride", op, 1)
    padding = _pair(padding, "padding", op, 0)
    dilation = _pair(dilation, "dilation", op, 1)
    padded = tuple(n + 2 * p for n, p in zip(image_shape[-2:], padding))
    extent = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    if any(e > n for e, n in zip(extent, padded)):
        raise ValueError(
            f"{op}: the kernel spans {extent[0]}x{extent[1]} pixels (kernel_size {kernel}, dilation {dilation}) "
            f"but the padded input is only {padded[0]}x{padded[1]} (input {tuple(image_shape[-2:])}, padding "
            f"{padding}); use a smaller kernel or dilation, or more padding"
        )
    out_size = tuple((n - e) // s + 1 for n, e, s in zip(padded, extent, stride))
    return _Window(kernel, stride, padding, dilation, out_size)


def _check_4d(op: str, what: str, layout: str, a) -> None:
    if len(a.shape) != 4:
        raise ValueError(f"{op} expects {what} of shape {layout}; got shape {tuple(a.shape)}")


# --------------------------------------------------------------------------- convolution


class Conv2d(Function):
    @staticmethod
    def forward(ctx, x, weight, bias, window):
        c_out, n, (oh, ow) = weight.shape[0], x.shape[0], window.out_size
        padded = window.pad(ctx.xp, x.transpose(1, 0, 2, 3), 0.0)  # (C_in, N, Hp, Wp)
        cols = window.gather(padded)  # (KH·KW, C_in, N, OH, OW)
        cols = cols.reshape(-1, n * oh * ow)  # rows (i, j, c), one column per output pixel
        w_rows = weight.transpose(0, 2, 3, 1).reshape(c_out, -1)  # (C_out, KH·KW·C_in), same (i, j, c) order
        out = w_rows @ cols  # (C_out, N·OH·OW): the whole convolution in one matrix product
        if bias is not None:
            out += bias[:, None]
        ctx.save_for_backward(cols, w_rows)
        ctx.window, ctx.padded_shape, ctx.weight_shape = window, padded.shape, weight.shape
        return out.reshape(c_out, n, oh, ow).transpose(1, 0, 2, 3)

    @staticmethod
    def backward(ctx, grad):
        cols, w_rows = ctx.saved
        need_x, need_weight, need_bias = ctx.needs_input_grad
        c_out, c_in, kh, kw = ctx.weight_shape
        grad_rows = grad.transpose(1, 0, 2, 3).reshape(c_out, -1)  # (C_out, N·OH·OW), like out
        grad_x = grad_weight = grad_bias = None
        if need_x:
            grad_cols = (w_rows.T @ grad_rows).reshape((kh * kw, c_in) + grad.shape[:1] + grad.shape[2:])
            grad_x = ctx.window.scatter(ctx.xp, grad_cols, ctx.padded_shape, grad.dtype).transpose(1, 0, 2, 3)
        if need_weight:
            # dL/dy @ colsᵀ, computed as (cols @ dL/dyᵀ)ᵀ: the same product, which OpenBLAS runs up to
            # 3x faster when the summed axis (N·OH·OW) is long
            grad_weight = (cols @ grad_rows.T).reshape(kh, kw, c_in, c_out).transpose(3, 2, 0, 1)
        if need_bias:
            grad_bias = grad.sum(axis=(0, 2, 3))
        return grad_x, grad_weight, grad_bias


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1) -> Tensor:
    """2-D convolution (PyTorch's cross-correlation): x (N, C_in, H, W), weight (C_out, C_in, KH, KW).

    ``bias`` (C_out,) is optional; ``stride``, ``padding`` (zeros) and
    ``dilation`` are an int or a (rows, columns) pair. Returns (N, C_out, OH, OW).
    """
    _check_4d("conv2d", "input", "(N, C, H, W)", x)
    _check_4d("conv2d", "weight", "(C_out, C_in, KH, KW)", weight)
    if x.shape[1] != weight.shape[1]:
        raise ValueError(
            f"conv2d expects input (N, C, H, W) with C == weight.shape[1] == {weight.shape[1]}; "
            f"got input of shape {tuple(x.shape)}"
        )
    if bias is not None and tuple(bias.shape) != (weight.shape[0],):
        raise ValueError(
            f"conv2d expects bias of shape (C_out,) == ({weight.shape[0]},); got shape {tuple(bias.shape)}"
        )
    window = _window("conv2d", x.shape, weight.shape[2:], stride, padding, dilation)
    return Conv2d.apply(x, weight, bias, window=window)


# --------------------------------------------------------------------------- pooling


class MaxPool2d(Function):
    @staticmethod
    def forward(ctx, x, window):
        padded = window.pad(ctx.xp, x, -ctx.xp.inf)
        windows = window.gather(padded)  # (KH·KW, N, C, OH, OW)
        ctx.winner = windows.argmax(axis=0)  # the first maximum on ties, like PyTorch
        ctx.window, ctx.padded_shape = window, padded.shape
        return windows.max(axis=0)

    @staticmethod
    def backward(ctx, grad):
        to_winners = (grad * (ctx.winner == k) for k in range(ctx.window.area))
        return ctx.window.scatter(ctx.xp, to_winners, ctx.padded_shape, grad.dtype)


class AvgPool2d(Function):
    @staticmethod
    def forward(ctx, x, window):
        padded = window.pad(ctx.xp, x, 0.0)
        ctx.window, ctx.padded_shape = window, padded.shape
        return sum(padded[..., rows, cols] for rows, cols in window.slices) / window.area

    @staticmethod
    def backward(ctx, grad):
        area = ctx.window.area
        return ctx.window.scatter(ctx.xp, [grad / area] * area, ctx.padded_shape, grad.dtype)


def _pool_window(op: str, x, kernel_size, stride, padding, dilation) -> _Window:
    _check_4d(op, "input", "(N, C, H, W)", x)
    window = _window(op, x.shape, kernel_size, kernel_size if stride is None else stride, padding, dilation)
    if any(p > k // 2 for p, k in zip(window.padding, window.kernel)):
        raise ValueError(
            f"{op}: padding {window.padding} must be at most half the kernel size {window.kernel} "
            "(PyTorch's rule); use less padding or a larger kernel"
        )
    return window


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1) -> Tensor:
    """The largest pixel of each window, per channel; ``stride`` defaults to ``kernel_size``, padding is -inf."""
    return MaxPool2d.apply(x, window=_pool_window("max_pool2d", x, kernel_size, stride, padding, dilation))


def avg_pool2d(x, kernel_size, stride=None, padding=0) -> Tensor:
    """The mean of each window, per channel; zero padding counts in the mean (count_include_pad=True)."""
    return AvgPool2d.apply(x, window=_pool_window("avg_pool2d", x, kernel_size, stride, padding, 1))
