"""Elementwise ops: gradients by central differences, values and gradients against PyTorch, dtype rules.

Each entry of ``OPS`` is one function ``fn(lib, *tensors)``, run on minml (``lib = minml``) and
on PyTorch (``lib = torch``), with the domain each input is drawn from. Domains keep inputs
away from the kinks and singularities where a central difference is not the derivative
(log and sqrt of positive numbers, division by numbers away from 0, maximum of values that
never tie, clip of values that never sit on a bound). Input shapes broadcast against each other.
"""

import operator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minml
from minml.testing import assert_close, check_against_torch, to_host
from minml.testing.strategies import arrays_of_shape, broadcastable_shapes

# every op is its own test, so a few examples each keep the file fast
per_device = settings(max_examples=10)


def uniform(low=-3.0, high=3.0, min_magnitude=0.0):
    """Arrays with elements in [low, high] and |x| >= min_magnitude, in any memory layout."""
    return lambda shape: arrays_of_shape(shape, low, high, min_magnitude)


def grid(offset):
    """Arrays of values k + offset, k an integer: two grids never tie, and no value is an integer."""
    return lambda shape: arrays_of_shape(shape).map(lambda x: np.floor(x) + offset)


def condition(shape):
    return hnp.arrays(np.bool_, shape)


ANY = uniform()
NONZERO = uniform(min_magnitude=0.5)
POSITIVE = uniform(0.2, 3.0)

OPS = {
    "add": (lambda lib, a, b: a + b, ANY, ANY),
    "sub": (lambda lib, a, b: a - b, ANY, ANY),
    "mul": (lambda lib, a, b: a * b, ANY, ANY),
    "div": (lambda lib, a, b: a / b, ANY, NONZERO),
    "pow": (lambda lib, a, b: a**b, POSITIVE, uniform(-2.0, 2.0)),
    "maximum": (lambda lib, a, b: lib.maximum(a, b), grid(0.25), grid(0.75)),
    "minimum": (lambda lib, a, b: lib.minimum(a, b), grid(0.25), grid(0.75)),
    "where": (lambda lib, c, a, b: lib.where(c, a, b), condition, ANY, ANY),
    "neg": (lambda lib, a: -a, ANY),
    "exp": (lambda lib, a: lib.exp(a), ANY),
    "log": (lambda lib, a: lib.log(a), POSITIVE),
    "sqrt": (lambda lib, a: lib.sqrt(a), POSITIVE),
    "abs": (lambda lib, a: lib.abs(a), uniform(min_magnitude=0.1)),
    "abs()": (lambda lib, a: abs(a), uniform(min_magnitude=0.1)),
    "clip": (lambda lib, a: lib.clip(a, -1.0, 1.0), grid(0.5)),
    "clip(min)": (lambda lib, a: lib.clip(a, min=-1.0), grid(0.5)),
    "clip(max)": (lambda lib, a: a.clip(max=1.0), grid(0.5)),
    # Python numbers on either side: the reflected methods, and no widening of the dtype
    "t+2": (lambda lib, a: a + 2.0, ANY),
    "2+t": (lambda lib, a: 2.0 + a, ANY),
    "t-2": (lambda lib, a: a - 2.0, ANY),
    "2-t": (lambda lib, a: 2.0 - a, ANY),
    "t*2": (lambda lib, a: a * 2.0, ANY),
    "2*t": (lambda lib, a: 2.0 * a, ANY),
    "t/2": (lambda lib, a: a / 2.0, ANY),
    "2/t": (lambda lib, a: 2.0 / a, NONZERO),
    "2**t": (lambda lib, a: 2.0**a, ANY),
    "t**3": (lambda lib, a: a**3, ANY),
    "t**0.5": (lambda lib, a: a**0.5, POSITIVE),
    "t**-2": (lambda lib, a: a**-2, NONZERO),
}


def draw_inputs(data, domains, max_side=3):
    """Host arrays, one per domain, of shapes that broadcast together."""
    shapes = data.draw(broadcastable_shapes(len(domains), max_dims=3, max_side=max_side), label="shapes")
    return [data.draw(domain(shape), label="input") for domain, shape in zip(domains, shapes)]


@per_device
@given(data=st.data())
@pytest.mark.parametrize("name", OPS)
def test_gradcheck(device, name, data):
    fn, *domains = OPS[name]
    inputs = [minml.tensor(x, device=device) for x in draw_inputs(data, domains)]
    assert minml.gradcheck(lambda *xs: fn(minml, *xs), *inputs)


@per_device
@given(data=st.data())
@pytest.mark.parametrize("name", OPS)
def test_matches_torch(device, name, data):
    fn, *domains = OPS[name]
    check_against_torch(fn, *draw_inputs(data, domains, max_side=4), device=device)


def zero_size_input(domain, shape, device):
    if domain is condition:
        return minml.tensor(np.ones(shape, dtype=bool), device=device)
    return minml.tensor(np.ones(shape), device=device, requires_grad=True)


@pytest.mark.parametrize("shapes", [((0,), (0,), (0,)), ((2, 0, 3), (3,), (1, 0, 1)), ((0, 1, 3), (4, 1), (3,))])
@pytest.mark.parametrize("name", OPS)
def test_zero_size(device, name, shapes):
    fn, *domains = OPS[name]
    shapes = shapes[: len(domains)]
    inputs = [zero_size_input(domain, shape, device) for domain, shape in zip(domains, shapes)]
    out = fn(minml, *inputs)
    assert out.shape == np.broadcast_shapes(*shapes)
    out.sum().backward()
    for x in inputs:
        if x.requires_grad:
            assert_close(x.grad, np.zeros(x.shape), what="gradient of a zero-size result")


@settings(per_device, max_examples=2)
@given(data=st.data())
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", OPS)
def test_dtype_is_kept(device, name, dtype, data):
    """float32 in gives float32 out (Python numbers do not widen it); float64 stays float64."""
    fn, *domains = OPS[name]
    inputs = [
        minml.tensor(x if x.dtype == bool else x.astype(dtype), device=device, requires_grad=x.dtype != bool)
        for x in draw_inputs(data, domains)
    ]
    out = fn(minml, *inputs)
    assert out.dtype == dtype
    out.sum().backward()
    assert all(x.grad.dtype == dtype for x in inputs if x.requires_grad)


COMPARISONS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


@pytest.mark.parametrize("compare", COMPARISONS.values(), ids=COMPARISONS)
def test_comparisons_give_boolean_tensors_without_grad(device, compare):
    a, b = np.array([[1.0, 2.0, 3.0]]), np.array([[2.0], [3.0]])
    ta = minml.tensor(a, device=device, requires_grad=True)
    tb = minml.tensor(b, device=device, requires_grad=True)
    for result, expected in [
        (compare(ta, tb), compare(a, b)),
        (compare(ta, 2.0), compare(a, 2.0)),
        (compare(2.0, ta), compare(2.0, a)),  # the reflected comparison
    ]:
        assert result.dtype == np.bool_ and not result.requires_grad and result.is_leaf
        np.testing.assert_array_equal(to_host(result), expected)


KINKS = {  # where the derivative is not defined, we do what PyTorch does
    "maximum ties": (lambda lib, a, b: lib.maximum(a, b), [[1.0, 2.0, 3.0, -1.0]], [[1.0], [2.0]]),
    "minimum ties": (lambda lib, a, b: lib.minimum(a, b), [[1.0, 2.0, 3.0, -1.0]], [[1.0], [2.0]]),
    "abs at 0": (lambda lib, a: lib.abs(a), [-1.0, 0.0, 2.0]),
    "clip at bounds": (lambda lib, a: lib.clip(a, -1.0, 1.0), [-2.0, -1.0, 0.0, 1.0, 2.0]),
}


@pytest.mark.parametrize("name", KINKS)
def test_kinks_match_torch(device, name):
    fn, *arrays = KINKS[name]
    check_against_torch(fn, *map(np.array, arrays), device=device)


@pytest.mark.parametrize("op, share", [(minml.maximum, [0.5, 1.0, 0.5, 0.0]), (minml.minimum, [0.5, 0.0, 0.5, 1.0])])
def test_maximum_and_minimum_split_ties_in_half(device, op, share):
    a = minml.tensor([1.0, 3.0, 2.0, 0.0], device=device, requires_grad=True)
    b = minml.tensor([1.0, 0.0, 2.0, 3.0], device=device, requires_grad=True)
    op(a, b).sum().backward()
    assert_close(a.grad, np.array(share, dtype=np.float32))
    assert_close(b.grad, 1 - np.array(share, dtype=np.float32))


def test_clip_needs_a_bound(device):
    with pytest.raises(ValueError, match="at least one of min and max"):
        minml.clip(minml.tensor([1.0], device=device))
