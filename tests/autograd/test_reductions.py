"""Reductions: gradients, PyTorch agreement over every kind of ``axis``, ties, empty arrays, errors.

``axis`` is None, an int (maybe negative) or a tuple, with or without ``keepdims``. On the
PyTorch side max / min are ``torch.amax`` / ``torch.amin`` (values only, ties share the
gradient equally) and ``var(ddof=d)`` is ``torch.var(correction=d)``.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minml
from minml.testing import assert_close, check_against_torch, to_host
from minml.testing.strategies import arrays_of_shape, axes_for, shapes

# every reduction is its own test, so a few examples each keep the file fast
per_device = settings(max_examples=10)

TORCH_NAMES = {"max": "amax", "min": "amin"}
REDUCTIONS = {  # id: (name, extra keyword arguments)
    "sum": ("sum", {}),
    "mean": ("mean", {}),
    "var(ddof=0)": ("var", {"ddof": 0}),
    "var(ddof=1)": ("var", {"ddof": 1}),
    "max": ("max", {}),
    "min": ("min", {}),
    "logsumexp": ("logsumexp", {}),
}


def reduce(lib, name, x, axis, keepdims, ddof=None):
    """``minml.<name>(x, axis, keepdims)``, or its PyTorch counterpart."""
    if lib is minml:
        extra = {} if ddof is None else {"ddof": ddof}
        return getattr(minml, name)(x, axis=axis, keepdims=keepdims, **extra)
    dim = tuple(range(x.ndim)) if axis is None else axis
    if name == "var":
        return lib.var(x, dim, correction=ddof, keepdim=keepdims)
    return getattr(lib, TORCH_NAMES.get(name, name))(x, dim, keepdim=keepdims)


def distinct(x):
    """``x`` with its values replaced by distinct ones 0.5 apart (same order, same layout): no ties."""
    ranks = np.argsort(np.argsort(x, axis=None, kind="stable"), kind="stable").reshape(x.shape)
    out = x.copy(order="K")
    out[...] = 0.5 * ranks - 3.0
    return out


@st.composite
def reduction_case(draw, name, ddof=None, max_side=3):
    """(host array, axis, keepdims) for ``name``: no ties for max / min, n > ddof elements reduced."""
    shape = draw(shapes(min_dims=1 if ddof else 0, min_side=2 if ddof else 1, max_dims=3, max_side=max_side))
    elements = arrays_of_shape(shape)
    x = draw(elements.map(distinct) if name in ("max", "min") else elements)
    return x, draw(axes_for(len(shape))), draw(st.booleans())


@per_device
@given(data=st.data())
@pytest.mark.parametrize("case", REDUCTIONS)
def test_gradcheck(device, case, data):
    name, extra = REDUCTIONS[case]
    x, axis, keepdims = data.draw(reduction_case(name, **extra))
    fn = lambda a: reduce(minml, name, a, axis, keepdims, **extra)
    assert minml.gradcheck(fn, minml.tensor(x, device=device))


@per_device
@given(data=st.data())
@pytest.mark.parametrize("case", REDUCTIONS)
def test_matches_torch(device, case, data):
    name, extra = REDUCTIONS[case]
    x, axis, keepdims = data.draw(reduction_case(name, max_side=4, **extra))
    check_against_torch(lambda lib, a: reduce(lib, name, a, axis, keepdims, **extra), x, device=device)


@pytest.mark.parametrize("case", REDUCTIONS)
def test_tensor_methods_and_torch_keywords(device, case):
    """``x.sum(dim=..., keepdim=...)`` is PyTorch's spelling of ``minml.sum(x, axis, keepdims)``."""
    name, extra = REDUCTIONS[case]
    x = minml.tensor(np.arange(24.0).reshape(2, 3, 4) % 7, device=device)
    expected = reduce(minml, name, x, (0, 2), True, **extra)
    assert_close(getattr(x, name)(dim=(0, 2), keepdim=True, **extra), expected)
    assert_close(getattr(x, name)((0, 2), True, **extra), expected)


TIES = np.array([[3.0, 1.0, 3.0], [2.0, 2.0, 2.0], [0.0, 5.0, 1.0]])


@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)])
@pytest.mark.parametrize("name", ["max", "min"])
def test_ties_share_the_gradient_like_torch_amax(device, name, axis):
    check_against_torch(lambda lib, a: reduce(lib, name, a, axis, False), TIES, device=device)


def test_ties_share_the_gradient_equally(device):
    x = minml.tensor(TIES, device=device, requires_grad=True)
    minml.max(x, axis=1).sum().backward()
    assert_close(x.grad, np.array([[0.5, 0.0, 0.5], [1 / 3, 1 / 3, 1 / 3], [0.0, 1.0, 0.0]]))


@pytest.mark.filterwarnings("ignore:divide by zero encountered in log:RuntimeWarning")  # log(0) = -inf, on purpose
def test_logsumexp_of_minus_infinity_is_minus_infinity(device):
    x = np.array([[-np.inf, -np.inf], [0.0, -np.inf]])
    check_against_torch(lambda lib, a: reduce(lib, "logsumexp", a, 1, False), x, device=device, grad=False)


ZERO_SIZE = [((0,), None), ((0,), 0), ((2, 0), 1), ((2, 0), -2), ((0, 3), (0, 1)), ((2, 0, 3), (0, 2))]


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("shape, axis", ZERO_SIZE)
@pytest.mark.parametrize("case", REDUCTIONS)
def test_zero_size(device, case, shape, axis, keepdims):
    """Empty arrays reduce over non-empty axes everywhere; over empty axes only sum has a value (0)."""
    name, extra = REDUCTIONS[case]
    x = minml.tensor(np.ones(shape), device=device, requires_grad=True)
    reduced = shape if axis is None else [shape[i] for i in np.atleast_1d(axis)]
    if name != "sum" and 0 in reduced:
        with pytest.raises(ValueError, match="empty axis"):
            reduce(minml, name, x, axis, keepdims, **extra)
        return
    out = reduce(minml, name, x, axis, keepdims, **extra)
    assert_close(out, np.sum(np.ones(shape), axis=axis, keepdims=keepdims))  # the shape; any values are 0
    out.sum().backward()
    assert_close(x.grad, np.zeros(shape), what="gradient")


@pytest.mark.parametrize(
    "axis, message", [(2, "out of range"), (-3, "out of range"), ((0, 2), "out of range"), ((0, -2), "repeated axis")]
)
@pytest.mark.parametrize("case", REDUCTIONS)
def test_bad_axis_is_an_error(device, case, axis, message):
    name, extra = REDUCTIONS[case]
    with pytest.raises(ValueError, match=message):
        reduce(minml, name, minml.tensor(np.ones((2, 3)), device=device), axis, False, **extra)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("axis", [None, -1])
@pytest.mark.parametrize("case", REDUCTIONS)
def test_dtype_is_kept(device, case, axis, dtype):
    name, extra = REDUCTIONS[case]
    x = minml.tensor(np.arange(6.0, dtype=dtype).reshape(2, 3), device=device, requires_grad=True)
    out = reduce(minml, name, x, axis, False, **extra)
    assert out.dtype == dtype
    out.sum().backward()
    assert x.grad.dtype == dtype


# ----------------------------------------------------------------------------- argmax / argmin


@st.composite
def arg_case(draw):
    """(host array without ties, axis None or int, keepdims): the axes torch.argmax accepts."""
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    axis = draw(st.none() | st.integers(-len(shape), len(shape) - 1))
    return draw(arrays_of_shape(shape).map(distinct)), axis, draw(st.booleans())


@per_device
@given(case=arg_case())
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin_match_torch(device, name, case):
    x, axis, keepdims = case
    check_against_torch(lambda lib, a: getattr(lib, name)(a, axis, keepdims), x, device=device, grad=False)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin_give_integer_tensors_without_grad(device, name):
    host = np.array([[1.0, 5.0, 3.0], [4.0, 0.0, 6.0]])
    x = minml.tensor(host, device=device, requires_grad=True)
    find = getattr(np, name)
    for out, expected in [
        (getattr(minml, name)(x, 1), find(host, 1)),
        (getattr(x, name)(dim=0, keepdim=True), find(host, 0, keepdims=True)),
    ]:
        assert out.dtype.kind == "i" and not out.requires_grad and out.is_leaf
        np.testing.assert_array_equal(to_host(out), expected)
