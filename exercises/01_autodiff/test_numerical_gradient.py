"""Grader for exercise 01.numerical_gradient: derivatives by central differences."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minml
from minml import backend
from minml.autograd.function import Function
from minml.grading import expect
from minml.testing.strategies import float_arrays

pytestmark = pytest.mark.exercise("01.numerical_gradient")

CENTRAL_HINT = "use the central difference (f(x+ε) - f(x-ε)) / 2ε: the one-sided (f(x+ε) - f(x)) / ε has error O(ε)"


def leaf(host):
    return minml.tensor(np.asarray(host, dtype=np.float64), requires_grad=True)


def value_of(fn, x):
    """f() for numerical_gradient: fn of x's current values, as a Python float."""
    return lambda: fn(x).sum().item()


@pytest.mark.points(1)
@pytest.mark.hint("for each element: f at x+ε, f at x-ε, difference divided by 2ε; return an array shaped like x")
def test_a_sum_of_squares(solution):
    host = np.array([[0.5, -1.0, 2.0], [3.0, 0.0, -0.25]])
    x = leaf(host)
    expect(solution(value_of(lambda t: t * t, x), x), 2 * host, atol=1e-6, what="d/dx Σx²")


@pytest.mark.points(1)
@pytest.mark.hint("the two evaluation points are 2ε apart: divide by 2ε, not ε")
def test_a_linear_function_with_a_large_step(solution):
    slopes = np.array([3.0, -2.0, 0.5])
    x = leaf([1.0, 2.0, 3.0])
    c = minml.tensor(slopes)
    expect(solution(value_of(lambda t: c * t, x), x, eps=1e-2), slopes, atol=1e-9, what="d/dx Σ cᵢxᵢ (ε = 0.01)")


@pytest.mark.points(2)
@pytest.mark.hint(CENTRAL_HINT)
def test_second_order_accuracy(solution):
    host = np.array([0.5, -1.5, 2.0])
    x = leaf(host)
    # For x³ the central difference errs by ε² = 1e-6; the one-sided one by 3xε, about 1e-3.
    expect(solution(value_of(lambda t: t * t * t, x), x, eps=1e-3), 3 * host**2, rtol=0, atol=1e-5,
           what="d/dx Σx³ with ε = 1e-3")


@pytest.mark.points(2)
@pytest.mark.hint("after each element, put back its exact original value (saved before changing it)")
def test_leaves_x_as_it_was(solution):
    host = np.random.default_rng(1).standard_normal((4, 5))
    x = leaf(host)
    solution(value_of(lambda t: t.tanh() * t, x), x)
    expect(x, host, rtol=0, atol=0, what="x after numerical_gradient (it must be restored exactly)")


@pytest.mark.points(1)
@pytest.mark.hint("x may be a Tensor (change x.data) or a raw array (change it directly); walk it with np.ndindex")
def test_a_raw_array_and_a_scalar(solution):
    host = np.array([[0.3, -0.7], [1.1, 2.0]])
    array = minml.tensor(host).data  # a NumPy or CuPy array, as the engine holds it
    gradient = solution(lambda: backend.to_scalar((array * array * array).sum()), array)
    assert isinstance(gradient, np.ndarray), f"expected a NumPy array on the host, got {type(gradient).__name__}"
    expect(gradient, 3 * host**2, atol=1e-6, what="d/dx Σx³ of a raw array")
    scalar = leaf(0.7)
    expect(solution(value_of(lambda t: t.exp(), scalar), scalar), np.exp(0.7), atol=1e-6, what="d/dx eˣ of a 0-d x")


@pytest.mark.points(3)
@pytest.mark.hint("the estimate must agree with backward everywhere: check the position you write to in the result")
@given(float_arrays(min_dims=1, max_dims=3, max_side=3), st.sampled_from(["tanh", "exp", "product"]))
def test_agrees_with_backward(solution, host, kind):
    x = leaf(host)
    weights = minml.tensor(np.linspace(-1.0, 1.0, host.size).reshape(host.shape))
    fn = {
        "tanh": lambda t: t.tanh() * weights,
        "exp": lambda t: (t * 0.5).exp() * weights,
        "product": lambda t: t * t.mean() * weights,
    }[kind]
    fn(x).sum().backward()
    gradient = solution(value_of(fn, x), x)
    assert isinstance(gradient, np.ndarray), f"expected a NumPy array on the host, got {type(gradient).__name__}"
    expect(gradient, x.grad, rtol=1e-5, atol=1e-6, what=f"numerical gradient of a {kind} function", hint=CENTRAL_HINT)


class SquareMissingTwo(Function):
    """y = a², with the factor 2 missing in backward."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * a

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return grad * a


@pytest.mark.points(1)
@pytest.mark.hint("gradcheck calls your function once per input: it must accept a Tensor and return its gradient")
def test_gradcheck_uses_it(solution, monkeypatch):
    monkeypatch.setattr(sys.modules["minml.autograd.gradcheck"], "numerical_gradient", solution)
    x = minml.tensor(np.random.default_rng(2).standard_normal((2, 3)))
    assert minml.gradcheck(lambda a: (a @ a.T).tanh(), x), "gradcheck rejected a correct backward"
    with pytest.raises(minml.GradcheckError):
        minml.gradcheck(SquareMissingTwo.apply, x)
