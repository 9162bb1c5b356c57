"""Grader for exercise 01.unbroadcast: the gradient of a broadcast input, summed back to its shape."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minml
from minml import backend
from minml.grading import expect
from minml.testing.strategies import broadcastable_shapes

pytestmark = pytest.mark.exercise("01.unbroadcast")

ALIGN_HINT = "align the shapes on the right: input axis i is grad axis i + (grad.ndim - len(shape))"


def explicit(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """The definition: every element of grad adds to the input element it was a copy of."""
    result = np.zeros(shape)
    leading = grad.ndim - len(shape)
    for index in np.ndindex(*grad.shape):
        source = tuple(0 if size == 1 else i for i, size in zip(index[leading:], shape))
        result[source] += grad[index]
    return result


def on_device(host: np.ndarray):
    """The gradient as the engine holds it: a backend array on the default device."""
    return backend.to_device(host)


def check(solution, grad_host, shape, hint):
    result = solution(on_device(grad_host), shape)
    expect(tuple(result.shape), tuple(shape), what=f"shape of unbroadcast(grad of shape {grad_host.shape}, {shape})",
           hint=hint)
    expect(result, explicit(grad_host, shape), what=f"unbroadcast(grad of shape {grad_host.shape}, {shape})",
           hint=hint)


def counting(*shape):
    return np.arange(np.prod(shape), dtype=np.float64).reshape(shape)


@pytest.mark.points(1)
@pytest.mark.hint("when grad already has the input's shape nothing was broadcast: return it as it is")
def test_same_shape(solution):
    check(solution, counting(2, 3), (2, 3), hint=None)


@pytest.mark.points(1)
@pytest.mark.hint("sum over the leading axes the input lacks: a bias of shape (3,) gets the sum of the rows")
def test_bias_of_a_batch(solution):
    check(solution, counting(4, 3), (3,), hint=None)
    check(solution, counting(5, 4, 3), (3,), hint=None)


@pytest.mark.points(2)
@pytest.mark.hint("axes where the input has size 1 were stretched too: sum them and keep them, with size 1")
def test_keeps_size_one_axes(solution):
    for grad_shape, shape in [((4, 3), (1, 3)), ((2, 3), (2, 1)), ((4, 2, 3), (2, 1)), ((4, 1, 3), (1, 1, 3))]:
        check(solution, counting(*grad_shape), shape, hint=ALIGN_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("shape () is a scalar input: sum over every axis and return a 0-d array")
def test_to_a_scalar(solution):
    check(solution, counting(2, 3), (), hint=None)
    check(solution, counting(), (), hint=None)


@pytest.mark.points(1)
@pytest.mark.hint("compute with grad's own methods (grad.sum, grad.reshape): the result keeps grad's device and dtype")
def test_keeps_dtype_and_device(solution):
    grad = on_device(counting(4, 3).astype(np.float32))
    result = solution(grad, (1, 3))
    assert result.dtype == np.float32, f"expected a float32 result, got {result.dtype}"
    assert backend.device_of(result) == backend.device_of(grad), "the result moved to another device"


@st.composite
def broadcast_cases(draw):
    """A host gradient of the broadcast shape and the shape of one input."""
    shape, other = draw(broadcastable_shapes(num_shapes=2, max_dims=4))
    out_shape = np.broadcast_shapes(shape, other)
    grad = draw(st.integers(0, 2**32 - 1).map(lambda seed: np.random.default_rng(seed).standard_normal(out_shape)))
    return grad, shape


@pytest.mark.points(3)
@pytest.mark.hint(ALIGN_HINT + "; sum the missing leading axes and the stretched size-1 axes (kept)")
@given(broadcast_cases())
def test_matches_the_definition(solution, case):
    grad, shape = case
    check(solution, grad, shape, hint=None)


@pytest.mark.points(2)
@pytest.mark.hint("the engine calls your function for every input of every op, also when nothing was broadcast")
def test_backward_uses_it(solution, monkeypatch):
    engine = sys.modules["minml.autograd.backward"]  # the module: minml.autograd.backward is also a function's name
    monkeypatch.setattr(engine, "unbroadcast", solution)
    rng = np.random.default_rng(0)
    X = minml.tensor(rng.standard_normal((5, 3)))
    W = minml.tensor(rng.standard_normal((3, 2)), requires_grad=True)
    b = minml.tensor(np.zeros(2), requires_grad=True)
    upstream = rng.standard_normal((5, 2))
    (X @ W + b).backward(upstream)
    expect(b.grad, upstream.sum(axis=0), what="bias gradient of X @ W + b")

    a = minml.tensor(np.ones((4, 1, 3)), requires_grad=True)
    v = minml.tensor(np.ones(3), requires_grad=True)
    c = minml.tensor(np.ones((2, 1)), requires_grad=True)
    (a * v + c).sum().backward()  # result (4, 2, 3)
    expect(a.grad, np.full((4, 1, 3), 2.0), what="gradient of the (4, 1, 3) input of a (4, 2, 3) result")
    expect(v.grad, np.full(3, 8.0), what="gradient of the (3,) input of a (4, 2, 3) result")
    expect(c.grad, np.full((2, 1), 12.0), what="gradient of the (2, 1) input of a (4, 2, 3) result")
