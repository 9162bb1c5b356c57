"""``gradcheck`` (minml/autograd/gradcheck.py) must accept right gradients and catch wrong ones."""

import numpy as np
import pytest

import minml
from minml.autograd.function import Function
from minml.testing import standard_normal


class WrongSquare(Function):
    """y = a², with the classic mistake in backward: the factor 2 is missing."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * a

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return grad * a


class WrongSecondGradient(Function):
    """y = a·b, with b's gradient sent as if it were a's."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return grad * b, grad * b



def test_accepts_correct_gradients(device):
    x, y = (minml.tensor(standard_normal(2, 3, seed=s), device=device) for s in (0, 1))
    assert minml.gradcheck(lambda a: (a * a).exp().sum(), x) is True
    assert minml.gradcheck(lambda a, b: (a @ b.T) @ a.tanh(), x, y) is True
    assert minml.gradcheck(lambda a: a * 3, minml.tensor(1.5, device=device)) is True  # a 0-d input


def test_rejects_a_wrong_backward(device):
    x = minml.tensor(standard_normal(3), device=device)
    with pytest.raises(minml.GradcheckError, match="input 0"):
        minml.gradcheck(WrongSquare.apply, x)


def test_names_the_wrong_input(device):
    x, y = (minml.tensor(standard_normal(3, seed=s), device=device) for s in (0, 1))
    with pytest.raises(minml.GradcheckError, match=r"input 1 \(shape \(3,\)\)"):
        minml.gradcheck(WrongSecondGradient.apply, x, y)


def test_names_inputs_by_position_among_all_arguments(device):
    index = np.array([2, 0, 1])
    x = minml.tensor(standard_normal(3), device=device)
    with pytest.raises(minml.GradcheckError, match="input 1"):
        minml.gradcheck(lambda i, a: WrongSquare.apply(a[i]), index, x)


def test_checks_in_float64_and_leaves_the_inputs_alone(device):
    x = minml.tensor([0.5, 1.5], device=device, requires_grad=True)  # float32
    seen = []

    def fn(a):
        seen.append(a.dtype)
        return a.exp()

    assert minml.gradcheck(fn, x)
    assert set(seen) == {np.dtype(np.float64)}
    assert x.grad is None and x.dtype == np.float32
    np.testing.assert_array_equal(x.detach().numpy(), np.array([0.5, 1.5], dtype=np.float32))


def test_passes_non_float_inputs_through(device):
    x = minml.tensor(standard_normal(4, 2), device=device)
    indices = minml.tensor([[0, 3], [3, 3]], device=device)
    received = []

    def lookup(weight, idx, scale):
        received.append((idx, scale))
        return minml.embedding(weight, idx) * scale

    assert minml.gradcheck(lookup, x, indices, 2)
    assert all(idx is indices.data and scale == 2 for idx, scale in received)


def test_needs_a_float_input(device):
    with pytest.raises(ValueError, match="floating-point"):
        minml.gradcheck(lambda i: i * 2, minml.tensor([1, 2], device=device))
