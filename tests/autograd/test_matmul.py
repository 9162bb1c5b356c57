"""Matrix multiplication: 2-D, batched (batch axes broadcast), and NumPy's rules for 1-D operands."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minml
from minml import backend
from minml.testing import check_against_torch
from minml.testing.strategies import arrays_of_shape, broadcastable_shapes

# every kind is its own test, so a few examples each keep the file fast
per_device = settings(max_examples=10)

KINDS = {  # kind: operand shapes from batch shapes (batch_a, batch_b) and sizes (m, k, n)
    "matrix@matrix": lambda batch_a, batch_b, m, k, n: ((m, k), (k, n)),
    "batched": lambda batch_a, batch_b, m, k, n: (batch_a + (m, k), batch_b + (k, n)),
    "matrix@batched": lambda batch_a, batch_b, m, k, n: ((m, k), batch_b + (k, n)),
    "vector@matrix": lambda batch_a, batch_b, m, k, n: ((k,), batch_b + (k, n)),
    "matrix@vector": lambda batch_a, batch_b, m, k, n: (batch_a + (m, k), (k,)),
    "vector@vector": lambda batch_a, batch_b, m, k, n: ((k,), (k,)),
}


@st.composite
def operands(draw, kind):
    """Host arrays a, b of the given kind; batch axes broadcast against each other (e.g. (2, 1) and (3,))."""
    batches = draw(broadcastable_shapes(2, max_dims=2, max_side=2))
    sizes = draw(st.tuples(*[st.integers(1, 3)] * 3))
    return tuple(draw(arrays_of_shape(shape)) for shape in KINDS[kind](*batches, *sizes))


@per_device
@given(data=st.data())
@pytest.mark.parametrize("kind", KINDS)
def test_gradcheck(device, kind, data):
    a, b = data.draw(operands(kind))
    assert minml.gradcheck(minml.matmul, minml.tensor(a, device=device), minml.tensor(b, device=device))


@per_device
@given(data=st.data())
@pytest.mark.parametrize("kind", KINDS)
def test_matches_torch(device, kind, data):
    check_against_torch(lambda lib, a, b: a @ b, *data.draw(operands(kind)), device=device)


def test_function_and_operator_agree_with_torch(device):
    a, b = np.random.default_rng(0).standard_normal((2, 3, 4)), np.random.default_rng(1).standard_normal((4, 2))
    check_against_torch(lambda lib, x, y: lib.matmul(x, y), a, b, device=device)


def test_array_on_the_left_uses_the_reflected_operator(device):
    """``array @ tensor`` calls Tensor.__rmatmul__: the result is a tensor with a gradient for the right operand."""
    left = np.random.default_rng(0).standard_normal((2, 3))
    right = np.random.default_rng(1).standard_normal((3, 4))
    on_left = lambda lib: backend.to_device(left, device) if lib is minml else lib.tensor(left)
    fn = lambda lib, b: on_left(lib) @ b
    check_against_torch(fn, right, device=device)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", KINDS)
def test_dtype_is_kept(device, kind, dtype):
    shapes = KINDS[kind]((2,), (1,), 2, 3, 4)
    a, b = (minml.tensor(np.ones(shape, dtype=dtype), device=device, requires_grad=True) for shape in shapes)
    out = a @ b
    assert out.dtype == dtype
    out.sum().backward()
    assert a.grad.dtype == b.grad.dtype == dtype


@pytest.mark.parametrize("shapes", [((), (3, 2)), ((3,), ()), ((), ())])
def test_zero_dimensional_operand_is_an_error(device, shapes):
    a, b = (minml.tensor(np.ones(shape), device=device) for shape in shapes)
    with pytest.raises(ValueError, match="at least one dimension; use \\* for scalars"):
        minml.matmul(a, b)
    with pytest.raises(ValueError, match="at least one dimension"):
        a @ b
