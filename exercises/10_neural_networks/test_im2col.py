"""Grader for exercise 10.im2col: the windows of an image as a stack of strided slices."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minml
from minml import backend
from minml.grading import expect

pytestmark = pytest.mark.exercise("10.im2col")

ORDER_HINT = "offset k = i·KW + j: loop over the kernel rows i outside and the columns j inside"
STRIDE_HINT = ("offset (i, j) starts at row i·dh and steps sh rows: padded[..., i·dh : i·dh + sh·(OH-1) + 1 : sh, "
               "...]; the step is the stride, the start the dilation times the offset")
SIZE_HINT = "OH = (Hp - dh·(KH - 1) - 1) // sh + 1: a window that does not fit at the edge is left out"


def explicit(padded, kernel, stride, dilation):
    """The definition with loops, on the host: cols[k, ..., p, q] = padded[..., p·sh + i·dh, q·sw + j·dw]."""
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    hp, wp = padded.shape[-2:]
    oh, ow = (hp - dh * (kh - 1) - 1) // sh + 1, (wp - dw * (kw - 1) - 1) // sw + 1
    cols = np.zeros((kh * kw, *padded.shape[:-2], oh, ow), dtype=padded.dtype)
    for i in range(kh):
        for j in range(kw):
            for p in range(oh):
                for q in range(ow):
                    cols[i * kw + j, ..., p, q] = padded[..., p * sh + i * dh, q * sw + j * dw]
    return cols


def counting(*shape):
    """Every pixel a different number, so a wrong pixel shows."""
    return np.arange(np.prod(shape), dtype=np.float64).reshape(shape)


def check(solution, padded, kernel, stride=(1, 1), dilation=(1, 1), hint=None):
    cols = solution(backend.to_device(padded), kernel, stride, dilation)
    want = explicit(padded, kernel, stride, dilation)
    what = f"im2col(image {padded.shape}, kernel={kernel}, stride={stride}, dilation={dilation})"
    expect(tuple(cols.shape), want.shape, what=f"shape of {what}", hint=SIZE_HINT)
    expect(cols, want, what=what, hint=hint)


@pytest.mark.points(1)
@pytest.mark.hint("a 1 x 1 kernel sees every pixel once: the result is the image with a new axis of length 1 in front")
def test_one_by_one_kernel(solution):
    check(solution, counting(2, 3, 4), (1, 1))


@pytest.mark.points(2)
@pytest.mark.hint(ORDER_HINT)
def test_offsets_in_row_major_order(solution):
    check(solution, counting(4, 5), (2, 3), hint=ORDER_HINT)
    check(solution, counting(2, 1, 5, 4), (3, 2), hint=ORDER_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(STRIDE_HINT)
def test_stride(solution):
    check(solution, counting(1, 2, 7, 7), (3, 3), stride=(2, 2), hint=STRIDE_HINT)
    check(solution, counting(6, 9), (2, 2), stride=(1, 3), hint=STRIDE_HINT)


@pytest.mark.points(1)
@pytest.mark.hint(SIZE_HINT)
def test_window_that_does_not_fit(solution):
    check(solution, counting(8, 8), (3, 3), stride=(3, 3), hint=SIZE_HINT)  # OH = 2: the last 2 rows are unused


@pytest.mark.points(2)
@pytest.mark.hint("with dilation d the window reads pixels d apart: offset (i, j) starts at (i·dh, j·dw)")
def test_dilation(solution):
    check(solution, counting(1, 9, 8), (3, 2), dilation=(2, 3), hint=STRIDE_HINT)
    check(solution, counting(9, 9), (2, 2), stride=(2, 1), dilation=(3, 2), hint=STRIDE_HINT)


@st.composite
def windows(draw):
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    size = [draw(st.integers(d * (k - 1) + 1, d * (k - 1) + 6)) for k, d in zip(kernel, dilation)]
    leading = draw(st.lists(st.integers(1, 3), max_size=2))
    return counting(*leading, *size), kernel, stride, dilation


@pytest.mark.points(2)
@pytest.mark.hint(STRIDE_HINT)
@given(windows())
def test_matches_the_definition(solution, case):
    padded, kernel, stride, dilation = case
    check(solution, padded, kernel, stride, dilation)


@pytest.mark.points(2)
@pytest.mark.hint("conv2d and max_pool2d call your function: compare conv2d with torch.nn.functional.conv2d")
def test_conv2d_uses_it(solution, monkeypatch):
    conv = sys.modules["minml.autograd.conv"]
    monkeypatch.setattr(conv, "im2col", solution)
    rng = np.random.default_rng(0)
    x, weight, bias = rng.standard_normal((2, 3, 7, 6)), rng.standard_normal((4, 3, 3, 2)), rng.standard_normal(4)
    out = minml.nn.functional.conv2d(minml.tensor(x), minml.tensor(weight), minml.tensor(bias),
                                     stride=(2, 1), padding=1, dilation=(1, 2))
    torch = pytest.importorskip("torch")
    expected = torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(weight), torch.tensor(bias),
                                          stride=(2, 1), padding=1, dilation=(1, 2))
    expect(out, expected.numpy(), what="conv2d(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2))")


@pytest.mark.points(1)
@pytest.mark.hint("max_pool2d takes the maximum of your columns: each window's largest pixel")
def test_max_pool_uses_it(solution, monkeypatch):
    conv = sys.modules["minml.autograd.conv"]
    monkeypatch.setattr(conv, "im2col", solution)
    x = np.random.default_rng(1).standard_normal((2, 3, 6, 6))
    out = minml.nn.functional.max_pool2d(minml.tensor(x), 2)
    expect(out, x.reshape(2, 3, 3, 2, 3, 2).max(axis=(3, 5)), what="max_pool2d(x, 2)")
