"""Shape ops (minml/autograd/shape.py): gradcheck properties, PyTorch differential tests, errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minml
from minml.testing import check_against_torch, gradcheck_on, standard_normal, to_host, torch_or_skip
from minml.testing.strategies import arrays_of_shape, axes_for, broadcastable_shapes, float_arrays, shapes

# --------------------------------------------------------------------------- gradcheck properties


@given(x=float_arrays(min_side=0, max_side=3), data=st.data())
def test_reshape_gradcheck(device, x, data):
    target = list(reversed(x.shape))
    if target and x.size:
        target[data.draw(st.integers(0, len(target) - 1))] = -1
    gradcheck_on(device, lambda t: t.reshape(tuple(target)), x)
    gradcheck_on(device, lambda t: t.reshape(-1), x)


@given(x=float_arrays(max_side=3), data=st.data())
def test_flatten_gradcheck(device, x, data):
    if x.ndim == 0:
        start = end = 0
    else:
        start = data.draw(st.integers(0, x.ndim - 1))
        end = data.draw(st.integers(start, x.ndim - 1))
        start -= data.draw(st.sampled_from([0, x.ndim]))  # also the negative spelling
    gradcheck_on(device, lambda t: t.flatten(start, end), x)


@given(x=float_arrays(min_dims=2, min_side=0, max_side=3), data=st.data())
def test_transpose_gradcheck(device, x, data):
    dim0, dim1 = (data.draw(st.integers(-x.ndim, x.ndim - 1)) for _ in range(2))
    gradcheck_on(device, lambda t: t.transpose(dim0, dim1), x)
    gradcheck_on(device, lambda t: t.mT, x)


@given(x=float_arrays(max_dims=4, min_side=0, max_side=3), data=st.data())
def test_permute_and_T_gradcheck(device, x, data):
    axes = data.draw(st.permutations(range(x.ndim)))
    gradcheck_on(device, lambda t: t.permute(*axes), x)
    gradcheck_on(device, lambda t: t.T, x)


@given(x=float_arrays(max_dims=4, max_side=2), data=st.data())
def test_squeeze_gradcheck(device, x, data):
    axis = data.draw(axes_for(x.ndim))
    gradcheck_on(device, lambda t: t.squeeze(axis), x)


@given(x=float_arrays(min_side=0, max_side=3), data=st.data())
def test_unsqueeze_gradcheck(device, x, data):
    axis = data.draw(st.integers(-x.ndim - 1, x.ndim))
    out = minml.tensor(x, device=device).unsqueeze(axis)
    assert out.shape == np.expand_dims(x, axis).shape
    gradcheck_on(device, lambda t: t.unsqueeze(axis), x)


@given(pair=broadcastable_shapes(max_side=3), data=st.data())
def test_broadcast_to_gradcheck(device, pair, data):
    source = pair[0]
    target = np.broadcast_shapes(*pair)
    x = data.draw(arrays_of_shape(source))
    gradcheck_on(device, lambda t: t.broadcast_to(target), x)
    gradcheck_on(device, lambda t: t.expand(*target), x)


@given(shape=shapes(min_dims=1, max_side=3), data=st.data())
def test_concatenate_gradcheck(device, shape, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    other = list(shape)
    other[axis] = data.draw(st.integers(0, 2))  # a zero-size piece is allowed
    x, y = data.draw(arrays_of_shape(shape)), data.draw(arrays_of_shape(tuple(other)))
    gradcheck_on(device, lambda a, b: minml.concatenate([a, b], axis=axis), x, y)
    gradcheck_on(device, lambda a, b: minml.cat([b, a, b], axis), x, y)


@given(shape=shapes(max_side=3), data=st.data())
def test_stack_gradcheck(device, shape, data):
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    x, y = data.draw(arrays_of_shape(shape)), data.draw(arrays_of_shape(shape))
    stacked = minml.stack([minml.tensor(x, device=device), minml.tensor(y, device=device)], axis)
    assert stacked.shape == np.stack([x, y], axis).shape
    gradcheck_on(device, lambda a, b: minml.stack([a, b, a], axis), x, y)


@given(x=float_arrays(min_dims=1, min_side=0, max_side=3), data=st.data())
def test_pad_gradcheck(device, x, data):
    widths = [(data.draw(st.integers(0, 2)), data.draw(st.integers(0, 2))) for _ in range(x.ndim)]
    value = data.draw(st.sampled_from([0.0, -1.5]))
    out = minml.pad(minml.tensor(x, device=device), widths, value=value)
    np.testing.assert_array_equal(out.numpy(), np.pad(x, widths, constant_values=value))
    gradcheck_on(device, lambda t: minml.pad(t, widths, value=value), x)


# --------------------------------------------------------------------------- against PyTorch

X234 = (2, 3, 4)
CASES = {
    "reshape": (X234, lambda lib, x: x.reshape(4, -1)),
    "reshape-flat": (X234, lambda lib, x: x.reshape(-1)),
    "reshape-of-transposed": (X234, lambda lib, x: x.transpose(0, 2).reshape(-1, 3)),
    "flatten": (X234, lambda lib, x: x.flatten()),
    "flatten-from-1": (X234, lambda lib, x: x.flatten(1)),
    "flatten-negative": (X234, lambda lib, x: x.flatten(-3, -2)),
    "transpose": (X234, lambda lib, x: x.transpose(0, 2)),
    "transpose-negative": (X234, lambda lib, x: x.transpose(-1, -2)),
    "permute": (X234, lambda lib, x: x.permute(2, 0, 1)),
    "permute-negative": (X234, lambda lib, x: x.permute(-1, 0, -2)),
    "T": ((3, 4), lambda lib, x: x.T),
    "mT": (X234, lambda lib, x: x.mT),
    "squeeze-all": ((1, 3, 1), lambda lib, x: x.squeeze()),
    "squeeze-axis": ((1, 3, 1), lambda lib, x: x.squeeze(0)),
    "squeeze-negative": ((1, 3, 1), lambda lib, x: x.squeeze(-1)),
    "squeeze-non-1-kept": ((1, 3, 1), lambda lib, x: x.squeeze(1)),
    "squeeze-tuple": ((1, 3, 1), lambda lib, x: x.squeeze((0, 2))),
    "unsqueeze": ((2, 3), lambda lib, x: x.unsqueeze(1)),
    "unsqueeze-negative": ((2, 3), lambda lib, x: x.unsqueeze(-1)),
    "unsqueeze-negative-middle": ((2, 3), lambda lib, x: x.unsqueeze(-2)),
    "broadcast_to": ((3, 1), lambda lib, x: x.broadcast_to((2, 3, 4))),
    "expand": ((3, 1), lambda lib, x: x.expand(2, 3, 4)),
    "expand-then-op": ((1, 4), lambda lib, x: x.expand(3, 4) * x),
}


@pytest.mark.parametrize("case", CASES)
def test_against_torch(device, case):
    shape, fn = CASES[case]
    check_against_torch(fn, standard_normal(*shape), device=device)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate_against_torch(device, axis):
    shapes = [(2, 3), (2, 3), (2, 3)]
    shapes[1] = tuple(5 if i == axis % 2 else n for i, n in enumerate(shapes[1]))
    arrays = [standard_normal(*s, seed=i) for i, s in enumerate(shapes)]
    check_against_torch(lambda lib, *xs: lib.cat(list(xs), axis), *arrays, device=device)
    check_against_torch(lambda lib, *xs: lib.concatenate(list(xs), axis), *arrays, device=device)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_stack_against_torch(device, axis):
    x, y = standard_normal(2, 3), standard_normal(2, 3, seed=1)
    check_against_torch(lambda lib, a, b: lib.stack([a, b, a], axis), x, y, device=device)


def test_pad_against_torch(device):
    torch = torch_or_skip()
    widths = ((1, 0), (2, 3))
    torch_widths = (2, 3, 1, 0)  # torch lists the last axis first

    def padded(lib, x):
        if lib is minml:
            return minml.pad(x, widths, value=0.5)
        return torch.nn.functional.pad(x, torch_widths, value=0.5)

    check_against_torch(padded, standard_normal(2, 3), device=device)
    check_against_torch(lambda lib, x: lib.pad(x, 1) if lib is minml else torch.nn.functional.pad(x, (1,) * 4),
                        standard_normal(2, 3), device=device)


def test_stacked_shape_ops_share_gradient(device):
    """One leaf through several shape ops and two branches: the gradients add up."""
    x = minml.tensor(standard_normal(2, 3), device=device, requires_grad=True)
    y = x.T.reshape(-1) * 2 + x.flatten().unsqueeze(0).squeeze(0)
    y.sum().backward()
    np.testing.assert_allclose(to_host(x.grad), np.full((2, 3), 3.0))


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("axes", [(0, 0, 1), (0, 1), (0, 1, 3), (0, 1, 2, 3)])
def test_permute_rejects_wrong_axes(device, axes):
    x = minml.zeros(2, 3, 4, device=device)
    with pytest.raises(ValueError):
        x.permute(*axes)


def test_flatten_rejects_start_after_end(device):
    with pytest.raises(ValueError, match="start_dim"):
        minml.zeros(2, 3, 4, device=device).flatten(2, 1)


@pytest.mark.parametrize("widths", [((1, 1),), ((1, 1), (1, 1), (1, 1)), ((1, -1), (0, 0)), -1])
def test_pad_rejects_bad_widths(device, widths):
    with pytest.raises(ValueError, match="pad_width"):
        minml.pad(minml.zeros(2, 3, device=device), widths)


@pytest.mark.parametrize("join", [minml.concatenate, minml.stack])
def test_join_rejects_empty_list(device, join):
    with pytest.raises(ValueError, match="at least one tensor"):
        join([])


def test_flatten_refuses_out_of_range_axes_and_pad_refuses_0d(device):
    with pytest.raises(ValueError, match="axis 5 is out of range"):
        minml.zeros(2, 3, device=device).flatten(5)
    with pytest.raises(ValueError, match="at least one dimension"):
        minml.pad(minml.tensor(1.0, device=device), 1)
