"""Convolution and pooling layers: Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d.

Thin Modules around :func:`minml.conv2d`, :func:`minml.max_pool2d`,
:func:`minml.avg_pool2d` and the adaptive poolings (minml/autograd/conv.py explains the sliding window,
im2col and the backward passes). Conv2d owns the filters, a Parameter of shape
(C_out, C_in/groups, KH, KW), and a bias (C_out,); both start uniform in ±1/√fan_in
with fan_in = C_in/groups·KH·KW (what one output pixel sums over), PyTorch's default, so that every output starts with
a variance of about 1/3 of its input's, whatever the layer's size.

Each layer takes a batch (N, C, H, W) or a single image (C, H, W).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from minml import backend
from minml.autograd.conv import (
    _conv_padding,
    _pair,
    adaptive_avg_pool2d,
    adaptive_max_pool2d,
    avg_pool2d,
    conv2d,
    max_pool2d,
)
from minml.autograd.tensor import Tensor, zeros
from minml.nn import init
from minml.nn.module import Module, Parameter

__all__ = ["Conv2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d"]


def _batched(layer: Module, x: Tensor, channels: int | None, op) -> Tensor:
    """``op(x)`` for a batch (N, C, H, W), or for one image (C, H, W) as a batch of one; checks C if given."""
    name = type(layer).__name__
    wanted = "(N, C, H, W) or (C, H, W)" + ("" if channels is None else f" with C = {channels}")
    if x.ndim not in (3, 4) or (channels is not None and x.shape[-3] != channels):
        raise ValueError(f"{name} expects input of shape {wanted}; got shape {tuple(x.shape)}")
    if x.ndim == 3:
        return op(x.unsqueeze(0)).squeeze(0)
    return op(x)


class Conv2d(Module):
    """2-D convolution of C_in input channels with C_out learned KH x KW filters (see :func:`minml.conv2d`).

    ``kernel_size``, ``stride``, ``padding`` (zeros) and ``dilation`` are an int
    or a (rows, columns) pair; ``padding`` may also be ``'valid'`` (none) or
    ``'same'`` (stride 1 only: the output keeps the input's size). ``groups``
    splits the channels into independent convolutions (``groups=in_channels``:
    depthwise). ``random_state`` seeds the initial weights.
    """

    def __init__(
        self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, dilation=1, groups=1,
        *, bias: bool = True, device=None, dtype=None, random_state=None,
    ):
        super().__init__()
        if not isinstance(groups, numbers.Integral) or groups < 1:
            raise ValueError(f"Conv2d: groups must be a positive int; got {groups!r}")
        for name, channels in (("in_channels", in_channels), ("out_channels", out_channels)):
            if channels % groups:
                raise ValueError(f"Conv2d: {name} ({channels}) must be divisible by groups ({groups})")
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, int(groups)
        self.kernel_size = _pair(kernel_size, "kernel_size", "Conv2d", 1)
        self.stride = _pair(stride, "stride", "Conv2d", 1)
        self.dilation = _pair(dilation, "dilation", "Conv2d", 1)
        self.padding = _conv_padding("Conv2d", padding, self.stride)  # a pair, 'same' or 'valid'
        dtype = np.dtype(dtype or np.float32)
        shape = (out_channels, in_channels // self.groups, *self.kernel_size)
        self.weight = Parameter(zeros(*shape, dtype=dtype, device=device))
        self.register_parameter("bias", Parameter(zeros(out_channels, dtype=dtype, device=device)) if bias else None)
        self.reset_parameters(random_state)

    def reset_parameters(self, random_state=None) -> None:
        """Weights and bias uniform in ±1/√fan_in: PyTorch's kaiming_uniform_ with a = √5, drawn from one generator."""
        generator = backend.rng(random_state, self.weight.device)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), random_state=generator)
        if self.bias is not None:
            bound = 1 / math.sqrt(math.prod(self.weight.shape[1:]))  # fan_in = C_in/groups·KH·KW
            init.uniform_(self.bias, -bound, bound, random_state=generator)

    def forward(self, x: Tensor) -> Tensor:
        return _batched(
            self, x, self.in_channels,
            lambda batch: conv2d(batch, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups),
        )

    def extra_repr(self) -> str:
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        return text


class MaxPool2d(Module):
    """The largest value of each window, per channel (see :func:`minml.max_pool2d`); no parameters.

    ``stride`` defaults to ``kernel_size`` (windows side by side), as for :class:`AvgPool2d`.
    ``ceil_mode=True`` keeps a last window that runs past the bottom (right) edge.
    """

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, *, ceil_mode=False):
        super().__init__()
        self.kernel_size, self.padding, self.dilation, self.ceil_mode = kernel_size, padding, dilation, ceil_mode
        self.stride = kernel_size if stride is None else stride

    def forward(self, x: Tensor) -> Tensor:
        return _batched(
            self, x, None,
            lambda batch: max_pool2d(batch, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode),
        )

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class AvgPool2d(Module):
    """The mean of each window, per channel (see :func:`minml.avg_pool2d`); no parameters.

    The zero padding counts in the mean unless ``count_include_pad=False``;
    ``ceil_mode=True`` keeps a last window that runs past the bottom (right) edge.
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
        super().__init__()
        self.kernel_size, self.padding = kernel_size, padding
        self.stride = kernel_size if stride is None else stride
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, x: Tensor) -> Tensor:
        return _batched(
            self, x, None,
            lambda batch: avg_pool2d(
                batch, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad
            ),
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AdaptivePool2d(Module):
    """Pools to a fixed ``output_size`` with the function ``pool``; the two adaptive layers differ only there."""

    pool = None

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, x: Tensor) -> Tensor:
        return _batched(self, x, None, lambda batch: type(self).pool(batch, self.output_size))

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool2d(_AdaptivePool2d):
    """The mean of each of ``output_size`` bins, whatever the input's size (see :func:`minml.adaptive_avg_pool2d`).

    ``output_size`` is an int or a (rows, columns) pair, None keeping that size;
    ``AdaptiveAvgPool2d(1)`` is global average pooling: one value per channel.
    """

    pool = staticmethod(adaptive_avg_pool2d)


class AdaptiveMaxPool2d(_AdaptivePool2d):
    """The largest value of each of ``output_size`` bins (see :func:`minml.adaptive_max_pool2d`)."""

    pool = staticmethod(adaptive_max_pool2d)
