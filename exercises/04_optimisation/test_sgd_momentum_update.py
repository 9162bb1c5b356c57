"""Grader for exercise 04.sgd_momentum_update: one step of SGD with momentum, Nesterov and weight decay."""

import sys

import numpy as np
import pytest

import minml
from minml import backend
from minml.grading import expect

pytestmark = pytest.mark.exercise("04.sgd_momentum_update")

LR_HINT = ("the learning rate multiplies the whole direction after the momentum: b = μb + (1 - dampening)g, "
           "then param -= lr·b (putting lr inside the buffer only matches while lr never changes)")
NESTEROV_HINT = "Nesterov's direction is d = g + μ·b with the buffer b already updated on this step"
DECAY_HINT = "weight decay is an L2 penalty: add weight_decay·param to g first, and use that g everywhere (buffer too)"
FIRST_HINT = "on the first step (buffer None) the buffer is a copy of g itself, not (1 - dampening)·g and not zeros"


def on_device(host):
    """A raw float64 array on the default device, as the optimizer holds parameters."""
    return backend.to_device(np.array(host, dtype=np.float64))


def closed_form(param, grads, lrs, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    """SGD's trajectory by the equations, on the host: the parameter after each step."""
    param, buffer, path = np.array(param, dtype=np.float64), None, []
    for grad, lr in zip(grads, lrs):
        g = grad + weight_decay * param
        if momentum:
            buffer = g.copy() if buffer is None else momentum * buffer + (1 - dampening) * g
            g = g + momentum * buffer if nesterov else buffer
        param = param - lr * g
        path.append(param)
    return path


def run(solution, param, grads, lrs, **options):
    """The learner's trajectory: call ``solution`` once per step, keeping the buffer it returns."""
    param, buffer, path = on_device(param), None, []
    for grad, lr in zip(grads, lrs):
        buffer = solution(param, on_device(grad), buffer, lr, **options)
        path.append(backend.asnumpy(param).copy())
    return path


def problem(seed, steps=6, size=5):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(size), list(rng.standard_normal((steps, size))), list(np.linspace(0.1, 0.02, steps))


def check_path(solution, seed, hint, **options):
    start, grads, lrs = problem(seed)
    actual = run(solution, start, grads, lrs, **options)
    for step, (got, want) in enumerate(zip(actual, closed_form(start, grads, lrs, **options)), start=1):
        expect(got, want, rtol=1e-9, atol=1e-12, hint=hint, what=f"param after step {step} with {options}")


@pytest.mark.points(1)
@pytest.mark.hint("without momentum: param -= lr * grad, in place, and return None")
def test_plain_sgd(solution):
    param = on_device([1.0, -2.0, 0.5])
    returned = solution(param, on_device([0.5, 1.0, -4.0]), None, 0.1)
    expect(param, np.array([0.95, -2.1, 0.9]), what="param after one step of plain SGD (lr 0.1)")
    assert returned is None, f"with momentum 0 there is no buffer: return None, got {type(returned).__name__}"


@pytest.mark.points(2)
@pytest.mark.hint(FIRST_HINT)
def test_first_step_starts_the_buffer_at_the_gradient(solution):
    param, grad = on_device([1.0, -2.0]), on_device([0.5, 1.0])
    buffer = solution(param, grad, None, 0.1, momentum=0.9, dampening=0.5)
    expect(param, np.array([0.95, -2.1]), what="param after the first step (momentum 0.9, dampening 0.5)")
    expect(buffer, np.array([0.5, 1.0]), what="the buffer returned by the first step")
    expect(grad, np.array([0.5, 1.0]), rtol=0, atol=0, what="grad after the step (never change it)")
    assert buffer is not grad, "return a copy of g as the first buffer: grad is the parameter's .grad, reused later"


@pytest.mark.points(2)
@pytest.mark.hint(LR_HINT)
def test_momentum_with_a_changing_learning_rate(solution):
    check_path(solution, 1, LR_HINT, momentum=0.9)


@pytest.mark.points(1)
@pytest.mark.hint("later steps: b = momentum·b + (1 - dampening)·g")
def test_dampening(solution):
    check_path(solution, 2, FIRST_HINT, momentum=0.8, dampening=0.3)


@pytest.mark.points(2)
@pytest.mark.hint(NESTEROV_HINT)
def test_nesterov(solution):
    check_path(solution, 3, NESTEROV_HINT, momentum=0.9, nesterov=True)


@pytest.mark.points(2)
@pytest.mark.hint(DECAY_HINT)
def test_weight_decay(solution):
    check_path(solution, 4, DECAY_HINT, weight_decay=0.1)
    check_path(solution, 5, DECAY_HINT, momentum=0.9, weight_decay=0.05)
    check_path(solution, 6, DECAY_HINT, momentum=0.5, weight_decay=0.05, nesterov=True)


@pytest.mark.points(1)
@pytest.mark.hint("update param in place (param -= ...) and never write into grad, even through the buffer")
def test_in_place_and_grad_untouched(solution):
    param, grad = on_device([[1.0, 2.0], [3.0, 4.0]]), on_device([[1.0, -1.0], [0.5, 2.0]])
    buffer = None
    for _ in range(3):  # the same .grad array on every step, as when a gradient is reused
        buffer = solution(param, grad, buffer, 0.1, momentum=0.9)
    expect(grad, np.array([[1.0, -1.0], [0.5, 2.0]]), rtol=0, atol=0, what="grad after three steps")
    expected = closed_form([[1.0, 2.0], [3.0, 4.0]], [np.array([[1.0, -1.0], [0.5, 2.0]])] * 3, [0.1] * 3,
                           momentum=0.9)[-1]
    expect(param, expected, rtol=1e-12, what="the array passed as param, after three steps")


@pytest.mark.points(2)
@pytest.mark.hint("minml.optim.SGD calls your function for every parameter on every step")
def test_minml_sgd_uses_it(solution, monkeypatch):
    monkeypatch.setattr(sys.modules["minml.optim.sgd"], "sgd_momentum_update", solution)
    rng = np.random.default_rng(7)
    A = rng.standard_normal((6, 3))
    target = rng.standard_normal(6)
    w = minml.tensor(np.zeros(3), requires_grad=True)
    optimizer = minml.optim.SGD([w], lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)
    A_t, target_t = minml.tensor(A), minml.tensor(target)
    host, buffer = np.zeros(3), None
    for _ in range(20):
        optimizer.zero_grad()
        ((A_t @ w - target_t) ** 2).mean().backward()
        optimizer.step()
        g = 2 * A.T @ (A @ host - target) / 6 + 0.01 * host
        buffer = g.copy() if buffer is None else 0.9 * buffer + g
        host = host - 0.05 * (g + 0.9 * buffer)
    expect(w, host, rtol=1e-9, atol=1e-12, what="weights after 20 steps of minml.optim.SGD on least squares")


@pytest.mark.points(2)
@pytest.mark.hint("this is torch.optim.SGD's rule exactly: compare your equations with its documentation")
@pytest.mark.parametrize("options", [
    dict(momentum=0.9), dict(momentum=0.9, dampening=0.2, weight_decay=0.01),
    dict(momentum=0.85, nesterov=True, weight_decay=0.1),
])
def test_same_trajectory_as_torch_optim(solution, options):
    start, grads, lrs = problem(8)
    actual = run(solution, start, grads, lrs, **options)
    torch = pytest.importorskip("torch")
    param = torch.tensor(start, requires_grad=True)
    optimizer = torch.optim.SGD([param], lr=lrs[0], **options)
    for step, (grad, lr) in enumerate(zip(grads, lrs)):
        optimizer.param_groups[0]["lr"] = lr
        param.grad = torch.tensor(grad)
        optimizer.step()
        expect(actual[step], param.detach().numpy(), rtol=1e-9, atol=1e-12, what=f"param after step {step + 1}")
