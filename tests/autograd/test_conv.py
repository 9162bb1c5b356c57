"""Convolution and pooling (minml/autograd/conv.py): gradcheck, PyTorch differential tests, errors."""

import sys
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import minml
from minml.testing import assert_close, check_against_torch, gradcheck_on
from minml.testing.strategies import arrays_of_shape


@dataclass(frozen=True)
class Window:
    """An input shape and window parameters (rows, columns) that fit it; ``params`` spells them for the ops."""

    input_shape: tuple[int, int, int, int]
    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    params: dict


@st.composite
def windows(draw, pool: bool = False, dilation: bool = True):
    """Small valid configurations: N 1-2, C 1-3, H/W 1-7, kernel 1-3, stride 1-2, padding 0-2, dilation 1-2.

    Pooling keeps padding <= kernel // 2 (PyTorch's rule), may leave stride
    out (it defaults to the kernel size) and draws ceil_mode. Each parameter is
    spelled as an int or as a (rows, columns) pair.
    """

    def spelled(pair):
        return pair[0] if pair[0] == pair[1] and draw(st.booleans()) else pair

    def pair(low, high):
        return tuple(draw(st.integers(low, high)) for _ in range(2))

    kernel = pair(1, 3)
    stride = pair(1, 2)
    padding = tuple(draw(st.integers(0, k // 2 if pool else 2)) for k in kernel)
    dilations = pair(1, 2) if dilation else (1, 1)
    size = tuple(draw(st.integers(max(1, d * (k - 1) + 1 - 2 * p), 7)) for k, d, p in zip(kernel, dilations, padding))
    params = {"stride": spelled(stride), "padding": spelled(padding)}
    if pool and draw(st.booleans()):
        params["stride"], stride = None, kernel
    if pool:
        params["ceil_mode"] = draw(st.booleans())
    if dilation:
        params["dilation"] = spelled(dilations)
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 3))) + size
    return Window(shape, kernel, stride, padding, dilations, params)


def every_window_sees_the_image(window) -> bool:
    """False when some window lies wholly in the padding (a small image and a dilated kernel).

    max_pool2d gives -inf there and passes no gradient back. PyTorch gives -inf
    too but sends that gradient to an index past the end of the image plane,
    into the next channel, so these cases are left out of the comparison.
    """
    axes = zip(window.input_shape[2:], window.kernel, window.stride, window.padding, window.dilation)
    ceil_mode = window.params.get("ceil_mode", False)
    for size, k, s, p, d in axes:
        stops = (size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
        stops -= ceil_mode and (stops - 1) * s >= size + p  # a last window starting in the padding is dropped
        if any(all(not 0 <= o * s - p + i * d < size for i in range(k)) for o in range(stops)):
            return False
    return True


def op(lib, name):
    """``name`` from minml, or from torch.nn.functional when ``lib`` is torch."""
    return getattr(minml, name) if lib is minml else getattr(lib.nn.functional, name)



def conv_arrays(data, window, c_out, with_bias):
    """Input, weight and (maybe) bias for a convolution with ``c_out`` filters."""
    c_in = window.input_shape[1]
    shapes = [window.input_shape, (c_out, c_in, *window.kernel)] + ([(c_out,)] if with_bias else [])
    return [data.draw(arrays_of_shape(shape)) for shape in shapes]


def distinct_values(data, shape):
    """Values at least 1/size apart, so no max is within gradcheck's step of a tie."""
    size = int(np.prod(shape))
    return np.asarray(data.draw(st.permutations(range(size))), dtype=np.float64).reshape(shape) / size


# --------------------------------------------------------------------------- conv2d


@given(window=windows(), c_out=st.integers(1, 3), with_bias=st.booleans(), data=st.data())
def test_conv2d_gradcheck(device, window, c_out, with_bias, data):
    arrays = conv_arrays(data, window, c_out, with_bias)
    gradcheck_on(device, lambda x, w, *b: minml.conv2d(x, w, *b, **window.params), *arrays)


@given(window=windows(), c_out=st.integers(1, 3), with_bias=st.booleans(), data=st.data())
def test_conv2d_matches_torch(device, window, c_out, with_bias, data):
    arrays = conv_arrays(data, window, c_out, with_bias)
    check_against_torch(lambda lib, x, w, *b: op(lib, "conv2d")(x, w, *b, **window.params), *arrays, device=device)


@pytest.mark.parametrize("block_bytes", [1, 30_000])  # one image per block; blocks of two, the last one short
@pytest.mark.parametrize(
    "params",
    [
        {"padding": 1},
        {"stride": (2, 3), "padding": (0, 2)},
        {"stride": 2, "padding": 1, "dilation": (2, 1)},
        {"padding": 1, "groups": 2},
    ],
)
def test_conv2d_in_blocks_matches_torch(device, monkeypatch, block_bytes, params):
    # On the CPU conv2d goes through the batch block by block, each block's images side by side in one wide image
    monkeypatch.setattr(sys.modules["minml.autograd.conv"], "_CPU_BLOCK_BYTES", block_bytes)
    rng = np.random.default_rng(0)
    groups = params.get("groups", 1)
    arrays = [rng.standard_normal(shape) for shape in [(7, 4, 9, 8), (4, 4 // groups, 3, 2), (4,)]]
    check_against_torch(lambda lib, x, w, b: op(lib, "conv2d")(x, w, b, **params), *arrays, device=device)


@pytest.mark.filterwarnings("ignore:Using padding='same'")  # PyTorch's note that it copies the input
@pytest.mark.parametrize(
    ("c_in", "c_out", "groups"), [(4, 6, 2), (3, 3, 3), (2, 6, 2), (6, 3, 3)]  # (3, 3, 3) and (2, 6, 2): depthwise
)
@pytest.mark.parametrize(
    "params", [{}, {"stride": 2, "padding": 1}, {"dilation": (2, 1), "padding": (0, 2)}, {"padding": "same"}]
)
@pytest.mark.parametrize("with_bias", [True, False])
def test_grouped_conv2d_matches_torch(device, c_in, c_out, groups, params, with_bias):
    rng = np.random.default_rng(0)
    shapes = [(2, c_in, 7, 6), (c_out, c_in // groups, 3, 2)] + ([(c_out,)] if with_bias else [])
    arrays = [rng.standard_normal(shape) for shape in shapes]
    check_against_torch(
        lambda lib, x, w, *b: op(lib, "conv2d")(x, w, *b, groups=groups, **params), *arrays, device=device
    )


def test_grouped_conv2d_gradcheck(device):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(shape) for shape in [(1, 4, 5, 4), (6, 2, 2, 3), (6,)]]
    gradcheck_on(device, lambda x, w, b: minml.conv2d(x, w, b, padding=1, groups=2), *arrays)


def test_groups_keep_the_channels_apart(device):
    # depthwise: each output channel is its own input channel convolved with its own filter
    x = minml.tensor(np.arange(18.0).reshape(1, 2, 3, 3), device=device)
    y = minml.conv2d(x, minml.tensor(np.array([1.0, -1.0]).reshape(2, 1, 1, 1), device=device), groups=2)
    assert_close(y, np.arange(18.0).reshape(1, 2, 3, 3) * np.array([1.0, -1.0]).reshape(1, 2, 1, 1))


@pytest.mark.filterwarnings("ignore:Using padding='same'")  # PyTorch's note that it copies the input
@pytest.mark.parametrize("kernel", [(2, 2), (4, 4), (3, 2), (1, 5), (3, 3)])
@pytest.mark.parametrize("dilation", [1, 2, (1, 3)])
def test_same_padding_keeps_the_size_and_matches_torch(device, kernel, dilation):
    # an odd total padding d·(K - 1) puts its extra pixel on the right (bottom), as PyTorch does
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(shape) for shape in [(2, 3, 7, 8), (2, 3, *kernel), (2,)]]
    out = minml.conv2d(*(minml.tensor(a, device=device) for a in arrays), padding="same", dilation=dilation)
    assert out.shape == (2, 2, 7, 8)
    check_against_torch(
        lambda lib, x, w, b: op(lib, "conv2d")(x, w, b, padding="same", dilation=dilation), *arrays, device=device
    )


@pytest.mark.parametrize("params", [{}, {"stride": 2}, {"stride": (1, 2), "dilation": 2}])
def test_valid_padding_is_no_padding(device, params):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(shape) for shape in [(2, 3, 7, 8), (2, 3, 3, 2)]]
    check_against_torch(lambda lib, x, w: op(lib, "conv2d")(x, w, padding="valid", **params), *arrays, device=device)


def test_conv2d_by_hand(device):
    # A 2x2 kernel of ones sums each 2x2 window; every interior pixel is in all four windows.
    x = minml.tensor(np.arange(9.0).reshape(1, 1, 3, 3), device=device, requires_grad=True)
    y = minml.conv2d(x, minml.tensor(np.ones((1, 1, 2, 2)), device=device))
    assert_close(y, np.array([[[[8.0, 12.0], [20.0, 24.0]]]]))
    y.sum().backward()
    assert_close(x.grad, np.array([[[[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]]]))


def test_conv2d_keeps_float32(device):
    rng = np.random.default_rng(0)
    x, w, b = (
        minml.tensor(rng.standard_normal(shape).astype(np.float32), device=device, requires_grad=True)
        for shape in [(2, 3, 6, 5), (4, 3, 3, 3), (4,)]
    )
    y = minml.conv2d(x, w, b, stride=2, padding=1)
    y.sum().backward()
    assert [t.dtype for t in (y, x.grad, w.grad, b.grad)] == [np.float32] * 4


# --------------------------------------------------------------------------- pooling


@given(window=windows(pool=True), data=st.data())
def test_max_pool2d_gradcheck(device, window, data):
    assume(every_window_sees_the_image(window))
    x = distinct_values(data, window.input_shape)
    gradcheck_on(device, lambda t: minml.max_pool2d(t, window.kernel, **window.params), x)


@given(window=windows(pool=True, dilation=False), data=st.data())
def test_avg_pool2d_gradcheck(device, window, data):
    x = data.draw(arrays_of_shape(window.input_shape))
    gradcheck_on(device, lambda t: minml.avg_pool2d(t, window.kernel, **window.params), x)


@pytest.mark.parametrize("name, dilation", [("max_pool2d", True), ("avg_pool2d", False)])
@given(data=st.data())
def test_pool_matches_torch(device, name, dilation, data):
    # hypothesis draws repeated values, so max_pool2d's ties are compared with PyTorch's too
    window = data.draw(windows(pool=True, dilation=dilation))
    assume(every_window_sees_the_image(window))
    x = data.draw(arrays_of_shape(window.input_shape))
    params = window.params | ({} if dilation else {"count_include_pad": data.draw(st.booleans())})
    check_against_torch(lambda lib, t: op(lib, name)(t, window.kernel, **params), x, device=device)


@pytest.mark.parametrize("size", [(5, 7), (7, 6), (6, 5), (1, 3)])
@pytest.mark.parametrize(
    "params",
    [
        {"kernel_size": 2, "ceil_mode": True},
        {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True},
        {"kernel_size": (3, 2), "stride": 2, "padding": (1, 0), "ceil_mode": True},
        {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False},
        {"kernel_size": (2, 3), "stride": (2, 1), "padding": (1, 1), "ceil_mode": True, "count_include_pad": False},
    ],
)
@pytest.mark.parametrize("name", ["max_pool2d", "avg_pool2d"])
def test_ceil_mode_and_count_include_pad_match_torch(device, size, params, name):
    # odd sizes with stride 2: the last window runs past the edge and counts only the pixels it covers
    if name == "max_pool2d":
        params = {key: value for key, value in params.items() if key != "count_include_pad"}
    x = np.random.default_rng(0).standard_normal((2, 3, *size))
    check_against_torch(lambda lib, t: op(lib, name)(t, **params), x, device=device)


def test_ceil_mode_keeps_the_last_window_unless_it_starts_in_the_padding(device):
    x = minml.tensor(np.arange(1.0, 6.0).reshape(1, 1, 1, 5), device=device)
    assert_close(minml.avg_pool2d(x, (1, 2), ceil_mode=True), np.array([[[[1.5, 3.5, 5.0]]]]))  # 5 alone
    assert_close(minml.max_pool2d(x, (1, 2), ceil_mode=False), np.array([[[[2.0, 4.0]]]]))
    # padding 1, stride 2: windows start at -1, 1, 3 and 5; the one at 5 starts in the right padding: dropped
    y = minml.avg_pool2d(x, (1, 2), stride=(1, 2), padding=(0, 1), ceil_mode=True, count_include_pad=False)
    assert_close(y, np.array([[[[1.0, 2.5, 4.5]]]]))


def test_max_pool2d_gives_ties_to_the_first_max(device):
    x = minml.tensor(np.zeros((1, 1, 3, 3)), device=device, requires_grad=True)
    minml.max_pool2d(x, 2, stride=1).sum().backward()  # four overlapping windows, all ties
    assert_close(x.grad, np.array([[[[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.0]]]]))


def test_avg_pool2d_counts_the_padding(device):
    x = minml.tensor(np.ones((1, 1, 2, 2)), device=device)
    assert_close(minml.avg_pool2d(x, 3, stride=1, padding=1), np.full((1, 1, 2, 2), 4 / 9))
    assert_close(minml.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False), np.ones((1, 1, 2, 2)))


# --------------------------------------------------------------------------- adaptive pooling


@pytest.mark.parametrize("name", ["adaptive_avg_pool2d", "adaptive_max_pool2d"])
@pytest.mark.parametrize("size", [(7, 5), (4, 6), (1, 3)])
@pytest.mark.parametrize("output_size", [1, 3, (2, 4), (None, 2), (5, None), (7, 5)])
@pytest.mark.parametrize("ties", [False, True])
def test_adaptive_pool_matches_torch(device, name, size, output_size, ties):
    # bins of unequal sizes that overlap (7 rows into 3: 0-3, 2-5, 4-7) and bins larger than the input
    x = np.random.default_rng(0).standard_normal((2, 3, *size))
    if ties:  # many equal maxima (zeros after a ReLU): the gradient goes to the first one, as PyTorch's
        x = np.maximum(x, 0).round()
    check_against_torch(lambda lib, t: op(lib, name)(t, output_size), x, device=device)


@given(data=st.data())
def test_adaptive_pool_gradcheck(device, data):
    shape = (1, 2, data.draw(st.integers(1, 6)), data.draw(st.integers(1, 6)))
    output_size = (data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4)))
    x = distinct_values(data, shape)
    gradcheck_on(device, lambda t: minml.adaptive_avg_pool2d(t, output_size), x)
    gradcheck_on(device, lambda t: minml.adaptive_max_pool2d(t, output_size), x)


def test_adaptive_avg_pool2d_by_hand(device):
    x = minml.tensor(np.arange(12.0).reshape(1, 1, 3, 4), device=device)
    assert_close(minml.adaptive_avg_pool2d(x, 1), np.full((1, 1, 1, 1), 5.5))  # global average pooling
    assert_close(minml.adaptive_avg_pool2d(x, (2, None)), np.array([[[[2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0]]]]))


# --------------------------------------------------------------------------- errors


IMAGE, FILTERS = (2, 3, 8, 8), (2, 3, 3, 3)


@pytest.mark.parametrize(
    "name, shapes, params, message",
    [
        ("conv2d", [(3, 8, 8), FILTERS], {}, r"conv2d expects input of shape \(N, C, H, W\); got shape \(3, 8, 8\)"),
        ("conv2d", [IMAGE, (3, 3, 3)], {}, r"conv2d expects weight of shape \(C_out, C_in/groups, KH, KW\); got"),
        (
            "conv2d", [(2, 4, 8, 8), FILTERS], {},
            r"conv2d expects input \(N, C, H, W\) with C == weight.shape\[1\] \* groups == 3; got input of shape "
            r"\(2, 4, 8, 8\) \(groups=1\)",
        ),
        ("conv2d", [(2, 4, 8, 8), (2, 2, 3, 3)], {"groups": 4}, r"groups must be an int >= 1 that divides C_out"),
        ("conv2d", [(2, 4, 8, 8), (2, 2, 3, 3)], {"groups": 0}, r"groups must be an int >= 1 .* got 0"),
        ("conv2d", [(2, 6, 8, 8), (4, 2, 3, 3)], {"groups": 2}, r"C == weight.shape\[1\] \* groups == 4; got input"),
        ("conv2d", [IMAGE, FILTERS], {"padding": "full"}, r"padding must be an int, a pair of ints, 'same' or 'valid'"),
        ("conv2d", [IMAGE, FILTERS], {"padding": "same", "stride": 2}, r"padding='same' needs stride 1"),
        ("conv2d", [IMAGE, FILTERS, (3,)], {}, r"conv2d expects bias of shape \(C_out,\) == \(2,\); got shape \(3,\)"),
        ("conv2d", [(2, 3, 2, 2), FILTERS], {}, r"kernel spans 3x3 pixels .* but the padded input is only 2x2"),
        ("conv2d", [IMAGE, FILTERS], {"dilation": 4}, r"conv2d: the kernel spans 9x9 pixels"),
        ("conv2d", [IMAGE, FILTERS], {"stride": 0}, r"conv2d: stride must be an int >= 1 or a pair of them; got 0"),
        ("conv2d", [IMAGE, FILTERS], {"padding": (1, 1, 1)}, r"conv2d: padding must be an int >= 0"),
        ("max_pool2d", [(3, 8, 8)], {"kernel_size": 2}, r"max_pool2d expects input of shape \(N, C, H, W\)"),
        ("max_pool2d", [IMAGE], {"kernel_size": 3, "padding": 2}, r"padding \(2, 2\) must be at most half"),
        ("avg_pool2d", [IMAGE], {"kernel_size": 2, "padding": (0, 2)}, r"padding \(0, 2\) must be at most half"),
        ("avg_pool2d", [IMAGE], {"kernel_size": 9}, r"avg_pool2d: the kernel spans 9x9 pixels"),
        ("avg_pool2d", [(1, 1, 1, 1)], {"kernel_size": 3, "stride": 1, "ceil_mode": True}, r"kernel spans 3x3"),
        ("adaptive_avg_pool2d", [(3, 8, 8)], {"output_size": 2}, r"adaptive_avg_pool2d expects input of shape"),
        ("adaptive_max_pool2d", [IMAGE], {"output_size": 0}, r"output_size must be an int >= 1 or a pair .* got 0"),
        ("adaptive_avg_pool2d", [IMAGE], {"output_size": (2, 2, 2)}, r"output_size must be .* got \(2, 2, 2\)"),
    ],
)
def test_shape_errors_say_what_is_wrong(device, name, shapes, params, message):
    with pytest.raises(ValueError, match=message):
        getattr(minml, name)(*(minml.zeros(*shape, device=device) for shape in shapes), **params)
