"""Exercise 10.im2col: Every (KH, KW) window of ``padded`` (..., Hp, Wp), as a stack of KH·KW strided slices.

Generated from minml/autograd/conv.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


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
    raise NotImplementedError("im2col is not implemented yet")
