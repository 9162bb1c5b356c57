"""Grader for exercise 10.linear_backward: the gradients of y = x Wᵀ + b."""

import sys

import numpy as np
import pytest

import minml
from minml import backend
from minml.grading import expect

pytestmark = pytest.mark.exercise("10.linear_backward")

TRANSPOSE_HINT = ("check the shapes: dL/dx = g @ W is (N, in) and dL/dW = gᵀ @ x is (out, in), "
                  "like W itself; swapping the transposes gives the wrong shape or the wrong numbers")
BIAS_HINT = "the bias is added to every row, so dL/db sums g over the batch (axis 0), giving shape (out,)"
LEADING_HINT = "flatten every leading axis first: g.reshape(-1, out) and x.reshape(-1, in), then sum over rows"


def on_device(host):
    return backend.to_device(np.asarray(host, dtype=np.float64))


def explicit(grad, x, weight):
    """The chain rule element by element, on the host: y[n, o] = Σ_i x[n, i] W[o, i] + b[o]."""
    grad, x = grad.reshape(-1, grad.shape[-1]), x.reshape(-1, x.shape[-1])
    grad_x, grad_weight, grad_bias = np.zeros_like(x), np.zeros_like(weight), np.zeros(weight.shape[0])
    for n in range(x.shape[0]):
        for o in range(weight.shape[0]):
            grad_bias[o] += grad[n, o]
            for i in range(weight.shape[1]):
                grad_x[n, i] += grad[n, o] * weight[o, i]
                grad_weight[o, i] += grad[n, o] * x[n, i]
    return grad_x, grad_weight, grad_bias


def case(batch_shape=(5,), features=3, outputs=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((*batch_shape, features))
    weight = rng.standard_normal((outputs, features))
    grad = rng.standard_normal((*batch_shape, outputs))
    return grad, x, weight


def check(solution, grad, x, weight, hint):
    grad_x, grad_weight, grad_bias = solution(on_device(grad), on_device(x), on_device(weight))
    want_x, want_weight, want_bias = explicit(grad, x, weight)
    expect(grad_weight, want_weight, what="dL/dW", hint=TRANSPOSE_HINT)
    expect(grad_bias, want_bias, what="dL/db", hint=BIAS_HINT)
    expect(grad_x, want_x.reshape(x.shape), what="dL/dx", hint=hint)


@pytest.mark.points(1)
@pytest.mark.hint(TRANSPOSE_HINT)
def test_shapes(solution):
    grad, x, weight = case()
    grad_x, grad_weight, grad_bias = solution(on_device(grad), on_device(x), on_device(weight))
    expect(tuple(grad_x.shape), x.shape, what="shape of dL/dx", hint=TRANSPOSE_HINT)
    expect(tuple(grad_weight.shape), weight.shape, what="shape of dL/dW", hint=TRANSPOSE_HINT)
    expect(tuple(grad_bias.shape), (weight.shape[0],), what="shape of dL/db", hint=BIAS_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("dL/dW[o, i] sums g[n, o]·x[n, i] over the batch: with one example it is the outer product g ⊗ x")
def test_one_example(solution):
    check(solution, *case(batch_shape=(1,)), hint=TRANSPOSE_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(BIAS_HINT)
def test_a_batch(solution):
    check(solution, *case(batch_shape=(7,), features=5, outputs=3, seed=1), hint=TRANSPOSE_HINT)


@pytest.mark.points(2)
@pytest.mark.hint("a square W (in == out) hides a swapped transpose from shape checks: g @ W, not g @ W.T")
def test_square_weight(solution):
    check(solution, *case(batch_shape=(6,), features=4, outputs=4, seed=2), hint=TRANSPOSE_HINT)


@pytest.mark.points(1)
@pytest.mark.hint(LEADING_HINT)
def test_leading_axes(solution):
    check(solution, *case(batch_shape=(2, 3), seed=3), hint=LEADING_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("return None in place of each gradient whose needs_input_grad entry is False, and only there")
def test_needs_input_grad(solution):
    grad, x, weight = case(seed=4)
    want = explicit(grad, x, weight)
    for needs in [(False, True, True), (True, False, True), (True, True, False), (False, True, False)]:
        got = solution(on_device(grad), on_device(x), on_device(weight), needs)
        assert len(got) == 3, f"expected three results (dL/dx, dL/dW, dL/db), got {len(got)}"
        for name, need, result, expected in zip(("dL/dx", "dL/dW", "dL/db"), needs, got, want):
            if need:
                expect(result, expected, what=f"{name} with needs_input_grad={needs}")
            else:
                assert result is None, f"{name} with needs_input_grad={needs}: expected None, got {type(result)}"


@pytest.mark.points(1)
@pytest.mark.hint("keep the dtype: compute with the arrays' own operators, no float64 constants or NumPy calls")
def test_keeps_dtype_and_device(solution):
    grad, x, weight = (backend.to_device(a.astype(np.float32)) for a in case(seed=5))
    for result in solution(grad, x, weight):
        assert result.dtype == np.float32, f"expected float32 gradients, got {result.dtype}"
        assert backend.device_of(result) == backend.device_of(grad), "a gradient moved to another device"


@pytest.mark.points(2)
@pytest.mark.hint("nn.Linear's backward calls your function: an MLP's gradients must pass minml.gradcheck")
def test_linear_layer_uses_it(solution, monkeypatch):
    functional = sys.modules["minml.nn.functional"]
    monkeypatch.setattr(functional, "linear_backward", solution)
    rng = np.random.default_rng(6)
    x = minml.tensor(rng.standard_normal((4, 3)))
    w1, b1 = minml.tensor(rng.standard_normal((5, 3))), minml.tensor(rng.standard_normal(5))
    w2, b2 = minml.tensor(rng.standard_normal((2, 5))), minml.tensor(rng.standard_normal(2))
    mlp = lambda x, w1, b1, w2, b2: functional.linear(functional.linear(x, w1, b1).tanh(), w2, b2)
    assert minml.gradcheck(mlp, x, w1, b1, w2, b2)


@pytest.mark.points(1)
@pytest.mark.hint("torch.nn.functional.linear computes the same y = x Wᵀ + b: compare your gradients with its")
def test_same_as_torch(solution):
    grad, x, weight = case(batch_shape=(8,), features=6, outputs=3, seed=7)
    got = solution(on_device(grad), on_device(x), on_device(weight))
    torch = pytest.importorskip("torch")
    tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(weight, requires_grad=True)
    tb = torch.zeros(weight.shape[0], dtype=torch.float64, requires_grad=True)
    torch.nn.functional.linear(tx, tw, tb).backward(torch.tensor(grad))
    for name, result, expected in zip(("dL/dx", "dL/dW", "dL/db"), got, (tx.grad, tw.grad, tb.grad)):
        expect(result, expected.numpy(), what=name)
