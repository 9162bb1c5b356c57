"""2-D convolution and pooling: a small window slid over the image.

``conv2d`` is a sliding dot product. The kernel ``w`` (C_out, C_in, KH, KW)
visits every position of the (padded) input ``x`` (N, C_in, H, W), taking a
step of ``stride`` pixels and reading pixels ``dilation`` apart; at each stop
it multiplies the C_in x KH x KW patch under it elementwise with each filter
and sums:

    y[n, o, p, q] = b[o] + Σ_{c,i,j} w[o, c, i, j] · x[n, c, p·s + i·d, q·s + j·d]

with output size  OH = (H + 2·pad - d·(KH - 1) - 1) // s + 1  (and OW alike).
``padding='same'`` (stride 1) pads d·(KH - 1) rows in all so that OH = H, half
above and half below, the odd one below (columns alike, the odd one right);
``'valid'`` is no padding. With ``groups`` = g the channels split into g
independent convolutions: filter o sees only its group's C_in/g input
channels, so the weight is (C_out, C_in/g, KH, KW); g = C_in is *depthwise*.

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

For speed, :class:`Conv2d` runs these products block by block of images, each
block laid side by side as one wide image (``_SideBySide``): the same
arithmetic, with long rows to copy, columns that stay in the cache, and no
KH·KW-fold copy of the input kept for backward (it is gathered again).

Pooling slides the same window without weights, per channel: ``max_pool2d``
keeps the largest pixel of each window (padding counts as -inf) and sends the
gradient back to it alone — to the first one, in row-major order, when several
tie, as PyTorch does on the CPU (a window wholly in the padding, possible
only with dilation, gives -inf and passes no gradient); ``avg_pool2d`` averages the window (padding
counts as 0 and is included in the count, PyTorch's default; with
``count_include_pad=False`` only the image's own pixels are counted) and spreads
the gradient evenly over it.

Pooling's ``ceil_mode=True`` rounds the output size up instead of down,

    OH = ⌈(H + 2·pad - d·(KH - 1) - 1) / s⌉ + 1,

so a last window that runs past the bottom (right) edge is kept — unless it
would start in the bottom padding, where it is dropped (PyTorch's rule). The
pixels it reaches past the padding count as padding for the maximum but are
never counted in an average.

*Adaptive* pooling fixes the output size instead of the window: output cell i
of OH pools input rows ⌊i·H/OH⌋ to ⌈(i+1)·H/OH⌉ (exclusive), PyTorch's bins,
which may differ in size and overlap by a row (columns alike).
"""

from __future__ import annotations

import itertools
import numbers
from dataclasses import dataclass, replace
from functools import cached_property

from minml import backend
from minml.autograd.function import Function
from minml.autograd.shape import pad, stack
from minml.autograd.tensor import Tensor

__all__ = ["conv2d", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d", "im2col"]


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
    overhang: tuple[int, int] = (0, 0)  # pixels past the bottom / right padding that ceil_mode's last windows read

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
        """``image`` (..., H, W) with ``value`` added around its last two axes (and on the overhang)."""
        (ph, pw), (oh, ow) = self.padding, self.overhang
        widths = ((0, 0),) * (image.ndim - 2) + ((ph, ph + oh), (pw, pw + ow))
        return xp.pad(image, widths, mode="constant", constant_values=value)

    def gather(self, padded):
        """im2col: the slice each kernel offset sees, stacked: (KH·KW, ..., OH, OW)."""
        return im2col(padded, self.kernel, self.stride, self.dilation)

    def scatter(self, xp, pieces, padded_shape, dtype):
        """col2im, the transpose of :meth:`gather`: add piece k where offset k read, then crop the padding."""
        image = xp.zeros(padded_shape, dtype=dtype)
        for (rows, cols), piece in zip(self.slices, pieces):
            image[..., rows, cols] += piece  # distinct positions within one offset: += is exact
        (ph, pw), (oh, ow), (hp, wp) = self.padding, self.overhang, padded_shape[-2:]
        return image[..., ph : hp - ph - oh, pw : wp - pw - ow]

    def counts(self, xp, image_size, include_padding: bool):
        """(OH, OW): how many pixels each window averages over, PyTorch's divisor for avg_pool2d.

        Along each axis a window covers [start, end) clipped to the padded image (never the
        overhang); without ``include_padding``, clipped to the image itself.
        """
        sides = []
        for size, k, s, p, out in zip(image_size, self.kernel, self.stride, self.padding, self.out_size):
            starts = xp.arange(out) * s - p
            ends = xp.minimum(starts + k, size + p)
            if not include_padding:
                starts, ends = xp.maximum(starts, 0), xp.minimum(ends, size)
            sides.append(ends - starts)
        return sides[0][:, None] * sides[1][None, :]


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


def _window(op: str, image_shape, kernel, stride, padding, dilation, ceil_mode: bool = False) -> _Window:
    """Validate the window parameters against an (..., H, W) image and compute the output size.

    With ``ceil_mode`` the size is rounded up, less a last window that would start in the
    bottom (right) padding; the window then reads ``overhang`` pixels past the padding.
    """
    kernel = _pair(kernel, "kernel_size", op, 1)
    stride = _pair(stride, "stride", op, 1)
    padding = _pair(padding, "padding", op, 0)
    dilation = _pair(dilation, "dilation", op, 1)
    padded = tuple(n + 2 * p for n, p in zip(image_shape[-2:], padding))
    extent = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    if any(e > n + (s - 1 if ceil_mode else 0) for e, n, s in zip(extent, padded, stride)):
        raise ValueError(
            f"{op}: the kernel spans {extent[0]}x{extent[1]} pixels (kernel_size {kernel}, dilation {dilation}) "
            f"but the padded input is only {padded[0]}x{padded[1]} (input {tuple(image_shape[-2:])}, padding "
            f"{padding}); use a smaller kernel or dilation, or more padding"
        )
    out_size = tuple((n - e + (s - 1 if ceil_mode else 0)) // s + 1 for n, e, s in zip(padded, extent, stride))
    if ceil_mode:  # a last window starting in the bottom (right) padding is dropped
        out_size = tuple(o - ((o - 1) * s >= n + p) for o, s, n, p in zip(out_size, stride, image_shape[-2:], padding))
    overhang = tuple(max(0, (o - 1) * s + e - n) for o, s, e, n in zip(out_size, stride, extent, padded))
    return _Window(kernel, stride, padding, dilation, out_size, overhang)


def _check_4d(op: str, what: str, layout: str, a) -> None:
    if len(a.shape) != 4:
        raise ValueError(f"{op} expects {what} of shape {layout}; got shape {tuple(a.shape)}")


# --------------------------------------------------------------------------- convolution


# On the CPU, a block's columns should stay in the (L2) cache between im2col writing them and the matrix
# product reading them; a GPU prefers the whole batch in one block (fewer, larger kernels).
_CPU_BLOCK_BYTES = 2 << 20


@dataclass(frozen=True)
class _SideBySide:
    """A block of images, each padded, laid side by side as one wide image for im2col.

    im2col copies one row of OW pixels per (kernel offset, channel, image, output row):
    with rows of 28 or 8 pixels the copying is mostly per-row overhead. Laid side by
    side, each image in ``width`` columns (about its padded width, see :attr:`width`),
    a block of ``count`` images is one image whose rows are count·width pixels long,
    and im2col over it copies a few long rows.

    The window then also stops where it straddles two neighbours: of the ``stops =
    width / sw`` stops per image and output row, the first OW are the image's own, the
    others are dropped in forward and get a zero gradient in backward. (KW - 1)·dw zero
    columns at the right end give the last image's straddling stops room.
    """

    window: _Window
    image_size: tuple[int, int]  # (H, W), before padding

    @property
    def width(self) -> int:
        """Columns per image: its padded width less what it shares with its right neighbour.

        Image n + 1's left padding doubles as image n's right padding, as far as the
        (KW - 1)·dw zero columns at the wide image's right end can stand in for the last
        image's: min(pw, (KW - 1)·dw) columns shared. Rounded up to a multiple of sw.
        """
        window, pw = self.window, self.window.padding[1]
        own = self.image_size[1] + 2 * pw - min(pw, (window.kernel[1] - 1) * window.dilation[1])
        return -(-own // window.stride[1]) * window.stride[1]

    @property
    def stops(self) -> int:
        return self.width // self.window.stride[1]

    def blocks(self, images, column_rows: int) -> list[slice]:
        """The batch in blocks whose columns (``column_rows`` rows) fit in _CPU_BLOCK_BYTES; one block off the CPU."""
        n, per_image = images.shape[0], column_rows * self.window.out_size[0] * self.stops * images.dtype.itemsize
        step = max(1, _CPU_BLOCK_BYTES // per_image) if backend.device_of(images).type == "cpu" else n
        return [slice(start, min(start + step, n)) for start in range(0, n, step)]

    def _wide(self, count: int) -> tuple[_Window, tuple[int, int]]:
        """The window over the wide image of ``count`` images (already padded) and that image's (rows, columns)."""
        window = self.window
        wide = replace(window, padding=(0, 0), out_size=(window.out_size[0], count * self.stops))
        rows = self.image_size[0] + 2 * window.padding[0]
        return wide, (rows, count * self.width + (window.kernel[1] - 1) * window.dilation[1])

    def _images(self, wide, count: int):
        """The images' own pixels inside the wide image (C, Hp, ...), as a (C, H, count, W) view."""
        (h, w), (ph, pw) = self.image_size, self.window.padding
        rows = wide[:, ph : ph + h, : count * self.width]
        return rows.reshape(rows.shape[0], h, count, self.width)[..., pw : pw + w]

    def columns(self, xp, images):
        """im2col of a block (count, C, H, W): (KH·KW·C, OH·count·stops), rows (i, j, c), a column per stop."""
        count, channels = images.shape[:2]
        window, size = self._wide(count)
        wide = xp.zeros((channels, *size), dtype=images.dtype)
        self._images(wide, count)[...] = images.transpose(1, 2, 0, 3)
        return window.gather(wide).reshape(window.area * channels, -1)

    def own_stops(self, maps):
        """Maps over the wide image's stops (C, OH·count·stops) -> (count, C, OH, OW), each image's own."""
        (oh, ow), channels = self.window.out_size, maps.shape[0]
        return maps.reshape(channels, oh, -1, self.stops)[..., :ow].transpose(2, 0, 1, 3)

    def spread(self, xp, maps):
        """The transpose of :meth:`own_stops`: (count, C, OH, OW) -> (C, OH·count·stops), zero where straddling."""
        (count, channels, oh, ow) = maps.shape
        spread = xp.zeros((channels, oh, count, self.stops), dtype=maps.dtype)
        spread[..., :ow] = maps.transpose(1, 2, 0, 3)
        return spread.reshape(channels, -1)

    def col2im(self, xp, columns, count: int):
        """The transpose of :meth:`columns`: (KH·KW·C, OH·count·stops) -> (count, C, H, W), overlaps summed.

        Each kernel offset's piece is added where it was read, as in :meth:`_Window.scatter`, but in
        the wide image read as one flat line per channel, rows of ``n = count·width`` pixels end to
        end: offset (i, j) then starts at i·dh·n + j·dw, and output row p another p·sh·n further.
        With sh = 1 a piece is one run, added in one fast pass instead of row by row.
        (The stops that run past a row's end straddle two images: their gradient is zero.)
        """
        (kh, kw), (sh, sw), (dh, dw) = self.window.kernel, self.window.stride, self.window.dilation
        (oh, _), rows, n = self.window.out_size, self.image_size[0] + 2 * self.window.padding[0], count * self.width
        pieces = columns.reshape(kh * kw, -1, oh, n // sw)
        line = xp.zeros((pieces.shape[1], (rows + sh - 1) * n + (kw - 1) * dw), dtype=columns.dtype)
        for (i, j), piece in zip(itertools.product(range(kh), range(kw)), pieces):
            start = i * dh * n + j * dw
            run = line[:, start : start + oh * sh * n]
            if sh == 1:  # the piece's rows end to end: every sw-th pixel of one run
                run[:, ::sw] += piece.reshape(len(piece), -1)
            else:
                run.reshape(-1, oh, sh * n)[..., : n : sw] += piece
        return self._images(line[:, : rows * n].reshape(-1, rows, n), count).transpose(2, 0, 1, 3)


def _group_slices(groups: int, c_in: int, c_out: int) -> list[tuple[slice, slice]]:
    """(input channels, output channels) of each group: group g sees only its own C_in/groups channels."""
    ins, outs = c_in // groups, c_out // groups
    return [(slice(g * ins, (g + 1) * ins), slice(g * outs, (g + 1) * outs)) for g in range(groups)]


class Conv2d(Function):
    """im2col convolution, block by block of images (see _SideBySide).

    On the CPU no KH·KW-fold copy of x is kept: backward gathers each block's columns
    again. Off the CPU (one block, plenty of memory, a kernel launch per gather) forward
    keeps them for the weight's gradient. With groups, each group is its own convolution
    of C_in/groups channels into C_out/groups filters: the same products on channel
    slices, one group after the other.
    """

    @staticmethod
    def forward(ctx, x, weight, bias, window, groups):
        layout, c_out = _SideBySide(window, x.shape[2:]), weight.shape[0]
        w_rows = weight.transpose(0, 2, 3, 1).reshape(c_out, -1)  # (C_out, KH·KW·C_in/groups), rows (i, j, c)
        group_slices = _group_slices(groups, x.shape[1], c_out)
        keep = ctx.needs_input_grad[1:2] == (True,) and backend.device_of(x).type != "cpu"
        ctx.columns = {}  # (first image of the block, group) -> its columns, when kept
        out = ctx.xp.empty((x.shape[0], c_out) + window.out_size, dtype=x.dtype)
        for images in layout.blocks(x, w_rows.shape[1]):
            for group, (ins, outs) in enumerate(group_slices):
                columns = layout.columns(ctx.xp, x[images, ins])
                y = w_rows[outs] @ columns  # the block's convolution, one product
                if bias is not None:
                    y += bias[outs, None]
                out[images, outs] = layout.own_stops(y)
                if keep:
                    ctx.columns[images.start, group] = columns
        ctx.save_for_backward(x, w_rows)
        ctx.layout, ctx.group_slices = layout, group_slices
        return out

    @staticmethod
    def backward(ctx, grad):
        xp, layout = ctx.xp, ctx.layout
        x, w_rows = ctx.saved
        need_x, need_weight, need_bias = ctx.needs_input_grad
        grad_x = xp.empty_like(x) if need_x else None
        grad_w_cols = xp.zeros(w_rows.shape[::-1], dtype=grad.dtype)  # dL/dW as (KH·KW·C_in/groups, C_out)
        grad_bias = xp.zeros(w_rows.shape[0], dtype=grad.dtype) if need_bias else None
        for images in layout.blocks(x, w_rows.shape[1]):
            grad_rows = layout.spread(xp, grad[images])  # (C_out, OH·count·stops), laid out like y in forward
            for group, (ins, outs) in enumerate(ctx.group_slices):
                if need_weight:
                    columns = ctx.columns.pop((images.start, group), None)
                    if columns is None:
                        columns = layout.columns(xp, x[images, ins])
                    # dL/dy @ colsᵀ, computed as (cols @ dL/dyᵀ)ᵀ: the same product, which OpenBLAS runs up to
                    # 3x faster when the summed axis (the stops) is long
                    grad_w_cols[:, outs] += columns @ grad_rows[outs].T
                if need_bias:
                    grad_bias[outs] += grad_rows[outs].sum(axis=1)
                if need_x:  # Wᵀ @ dL/dy unnamed: a block-sized array kept alive into the next block costs ~20%
                    count = images.stop - images.start
                    grad_x[images, ins] = layout.col2im(xp, w_rows[outs].T @ grad_rows[outs], count)
        c_out, kh, kw = grad.shape[1], *layout.window.kernel
        grad_weight = grad_w_cols.reshape(kh, kw, -1, c_out).transpose(3, 2, 0, 1) if need_weight else None
        return grad_x, grad_weight, grad_bias


def _conv_padding(op: str, padding, stride):
    """``padding`` checked: 'same' (stride 1 only, as in PyTorch), 'valid', or an int / pair of ints as a pair."""
    if not isinstance(padding, str):
        return _pair(padding, "padding", op, 0)
    if padding not in ("same", "valid"):
        raise ValueError(f"{op}: padding must be an int, a pair of ints, 'same' or 'valid'; got {padding!r}")
    if padding == "same" and _pair(stride, "stride", op, 1) != (1, 1):
        raise ValueError(
            f"{op}: padding='same' needs stride 1 (as in PyTorch); got stride {stride!r}: "
            "pad with ints to keep the size of a strided convolution"
        )
    return padding


def _string_padding(x, kernel, padding: str, dilation):
    """``padding='valid'`` (none) or ``'same'`` (output as large as the input) as x, possibly padded, and ints.

    'same' pads d·(K - 1) pixels per axis in all, half on each side; when that total
    is odd, the extra pixel goes to the right (bottom), padded onto x here as PyTorch does.
    """
    if padding == "valid":
        return x, 0
    totals = [d * (k - 1) for k, d in zip(kernel, _pair(dilation, "dilation", "conv2d", 1))]
    if any(total % 2 for total in totals):
        x = pad(x, ((0, 0), (0, 0), (0, totals[0] % 2), (0, totals[1] % 2)))
    return x, (totals[0] // 2, totals[1] // 2)


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    """2-D convolution (PyTorch's cross-correlation): x (N, C_in, H, W), weight (C_out, C_in/groups, KH, KW).

    ``bias`` (C_out,) is optional; ``stride``, ``padding`` (zeros) and
    ``dilation`` are an int or a (rows, columns) pair; ``padding`` may also be
    ``'valid'`` (none) or ``'same'`` (stride 1: the output keeps the input's size).
    ``groups`` splits the channels into that many independent convolutions, each
    of C_in/groups input channels into C_out/groups filters; ``groups = C_in``
    gives a depthwise convolution. Returns (N, C_out, OH, OW).
    """
    _check_4d("conv2d", "input", "(N, C, H, W)", x)
    _check_4d("conv2d", "weight", "(C_out, C_in/groups, KH, KW)", weight)
    if not isinstance(groups, numbers.Integral) or groups < 1 or weight.shape[0] % groups:
        raise ValueError(
            f"conv2d: groups must be an int >= 1 that divides C_out == weight.shape[0] == {weight.shape[0]}; "
            f"got {groups!r}"
        )
    if x.shape[1] != weight.shape[1] * groups:
        raise ValueError(
            f"conv2d expects input (N, C, H, W) with C == weight.shape[1] * groups == {weight.shape[1] * groups}; "
            f"got input of shape {tuple(x.shape)} (groups={groups})"
        )
    if bias is not None and tuple(bias.shape) != (weight.shape[0],):
        raise ValueError(
            f"conv2d expects bias of shape (C_out,) == ({weight.shape[0]},); got shape {tuple(bias.shape)}"
        )
    padding = _conv_padding("conv2d", padding, stride)
    if isinstance(padding, str):
        x, padding = _string_padding(x, weight.shape[2:], padding, dilation)
    window = _window("conv2d", x.shape, weight.shape[2:], stride, padding, dilation)
    return Conv2d.apply(x, weight, bias, window=window, groups=int(groups))


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
    def forward(ctx, x, window, count_include_pad):
        padded = window.pad(ctx.xp, x, 0.0)
        ctx.window, ctx.padded_shape = window, padded.shape
        ctx.counts = window.counts(ctx.xp, x.shape[-2:], count_include_pad).astype(x.dtype)
        return sum(padded[..., rows, cols] for rows, cols in window.slices) / ctx.counts

    @staticmethod
    def backward(ctx, grad):
        share = grad / ctx.counts  # each pixel of a window gets an equal share of its gradient
        return ctx.window.scatter(ctx.xp, [share] * ctx.window.area, ctx.padded_shape, grad.dtype)


def _pool_window(op: str, x, kernel_size, stride, padding, dilation, ceil_mode) -> _Window:
    _check_4d(op, "input", "(N, C, H, W)", x)
    stride = kernel_size if stride is None else stride
    window = _window(op, x.shape, kernel_size, stride, padding, dilation, bool(ceil_mode))
    if any(p > k // 2 for p, k in zip(window.padding, window.kernel)):
        raise ValueError(
            f"{op}: padding {window.padding} must be at most half the kernel size {window.kernel} "
            "(PyTorch's rule); use less padding or a larger kernel"
        )
    return window


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False) -> Tensor:
    """The largest pixel of each window, per channel; ``stride`` defaults to ``kernel_size``, padding is -inf.

    ``ceil_mode=True`` keeps a last window that runs past the bottom (right) edge (see the module's text).
    """
    window = _pool_window("max_pool2d", x, kernel_size, stride, padding, dilation, ceil_mode)
    return MaxPool2d.apply(x, window=window)


def avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True) -> Tensor:
    """The mean of each window, per channel; ``stride`` defaults to ``kernel_size``.

    The zero padding counts in the mean unless ``count_include_pad=False``, which divides
    by the number of the image's own pixels in each window instead. ``ceil_mode=True``
    keeps a last window that runs past the bottom (right) edge, averaged over the pixels
    it covers in the padded image (see the module's text).
    """
    window = _pool_window("avg_pool2d", x, kernel_size, stride, padding, 1, ceil_mode)
    return AvgPool2d.apply(x, window=window, count_include_pad=bool(count_include_pad))


# --------------------------------------------------------------------------- adaptive pooling


def _adaptive_bins(op: str, x, output_size) -> tuple[list[slice], list[slice]]:
    """PyTorch's bins of rows and of columns: cell i of ``out`` along a size-n axis covers ⌊i·n/out⌋ : ⌈(i+1)·n/out⌉.

    ``output_size`` is an int or a (rows, columns) pair; None in the pair keeps that size.
    """
    _check_4d(op, "input", "(N, C, H, W)", x)
    single = output_size is None or isinstance(output_size, numbers.Integral)
    pair = (output_size, output_size) if single else tuple(output_size)
    if len(pair) != 2 or not all(o is None or (isinstance(o, numbers.Integral) and o >= 1) for o in pair):
        raise ValueError(
            f"{op}: output_size must be an int >= 1 or a pair of them (None keeps that size); got {output_size!r}"
        )
    bins = []
    for n, out in zip(x.shape[-2:], pair):
        out = n if out is None else int(out)
        bins.append([slice(i * n // out, -(-(i + 1) * n // out)) for i in range(out)])
    return tuple(bins)


def adaptive_avg_pool2d(x, output_size) -> Tensor:
    """The mean of each of PyTorch's adaptive bins, (N, C, H, W) -> (N, C, *output_size).

    A bin is a rectangle, so its mean is the mean, over its columns, of its rows' mean:
    the rows are pooled first, then the columns; the gradient follows by autograd.
    """
    row_bins, col_bins = _adaptive_bins("adaptive_avg_pool2d", x, output_size)
    if len(row_bins) != x.shape[-2]:  # (as many bins as rows: each row its own bin, nothing to pool)
        x = stack([x[..., rows, :].mean(axis=-2) for rows in row_bins], axis=-2)
    if len(col_bins) != x.shape[-1]:
        x = stack([x[..., cols].mean(axis=-1) for cols in col_bins], axis=-1)
    return x


class AdaptiveMaxPool2d(Function):
    @staticmethod
    def forward(ctx, x, row_bins, col_bins):
        xp, (n, c, h, w) = ctx.xp, x.shape
        winners = xp.empty((n, c, len(row_bins), len(col_bins)), dtype=xp.int64)  # flat index r·W + c of each max
        for i, rows in enumerate(row_bins):
            for j, cols in enumerate(col_bins):
                width = cols.stop - cols.start
                k = x[..., rows, cols].reshape(n, c, -1).argmax(axis=-1)  # the first maximum on ties, like PyTorch
                winners[..., i, j] = (rows.start + k // width) * w + cols.start + k % width
        ctx.winners, ctx.input_shape = winners.reshape(n, c, -1), x.shape
        return xp.take_along_axis(x.reshape(n, c, h * w), ctx.winners, axis=-1).reshape(winners.shape)

    @staticmethod
    def backward(ctx, grad):
        xp, (n, c, h, w) = ctx.xp, ctx.input_shape
        grad_x = xp.zeros((n, c, h * w), dtype=grad.dtype)
        images, channels = xp.arange(n)[:, None, None], xp.arange(c)[None, :, None]
        backend.scatter_add(grad_x, (images, channels, ctx.winners), grad.reshape(n, c, -1))  # bins may overlap
        return grad_x.reshape(n, c, h, w)


def adaptive_max_pool2d(x, output_size) -> Tensor:
    """The largest pixel of each of PyTorch's adaptive bins, (N, C, H, W) -> (N, C, *output_size).

    The gradient goes to that pixel alone (the first in row-major order on ties, as PyTorch).
    """
    row_bins, col_bins = _adaptive_bins("adaptive_max_pool2d", x, output_size)
    return AdaptiveMaxPool2d.apply(x, row_bins=row_bins, col_bins=col_bins)
