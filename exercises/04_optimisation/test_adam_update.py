"""Grader for exercise 04.adam_update: one step of Adam, AdamW and AMSGrad."""

import sys

import numpy as np
import pytest

import minml
from minml import backend
from minml.grading import expect

pytestmark = pytest.mark.exercise("04.adam_update")

BIAS_HINT = ("divide m by (1 - beta1**t) and v by (1 - beta2**t), with t = step starting at 1: "
             "without bias correction the first steps are far too small")
EPS_HINT = "eps goes outside the square root: sqrt(v_hat) + eps, not sqrt(v_hat + eps)"
DECAY_HINT = ("L2 (coupled) decay adds weight_decay·param to g before the moments; decoupled (AdamW) decay "
              "multiplies param by (1 - lr·weight_decay) first and leaves g alone")
STATE_HINT = "update exp_avg and exp_avg_sq in place (m *= ..., m += ...): rebinding the names loses the state"


def on_device(host):
    return backend.to_device(np.array(host, dtype=np.float64))


def closed_form(param, grads, lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
                decoupled_weight_decay=False, amsgrad=False):
    """Adam's trajectory by the equations, on the host: the parameter after each step."""
    param = np.array(param, dtype=np.float64)
    m, v, v_max, path = np.zeros_like(param), np.zeros_like(param), np.zeros_like(param), []
    for t, grad in enumerate(grads, start=1):
        g = grad
        if weight_decay and decoupled_weight_decay:
            param = param * (1 - lr * weight_decay)
        elif weight_decay:
            g = grad + weight_decay * param
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        v_max = np.maximum(v_max, v)
        v_hat = (v_max if amsgrad else v) / (1 - beta2**t)
        param = param - lr * (m / (1 - beta1**t)) / (np.sqrt(v_hat) + eps)
        path.append(param)
    return path


def run(solution, param, grads, amsgrad=False, **options):
    """The learner's trajectory: zero moments, then ``solution`` once per step with t = 1, 2, ..."""
    param = on_device(param)
    m, v = on_device(np.zeros(param.shape)), on_device(np.zeros(param.shape))
    v_max = on_device(np.zeros(param.shape)) if amsgrad else None
    path = []
    for t, grad in enumerate(grads, start=1):
        solution(param, on_device(grad), m, v, t, max_exp_avg_sq=v_max, **options)
        path.append(backend.asnumpy(param).copy())
    return path


def problem(seed, steps=8, size=5, scale=1.0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(size), list(scale * rng.standard_normal((steps, size)))


def check_path(solution, seed, hint, scale=1.0, **options):
    start, grads = problem(seed, scale=scale)
    paths = zip(run(solution, start, grads, **options), closed_form(start, grads, **options))
    for step, (got, want) in enumerate(paths, start=1):
        expect(got, want, rtol=1e-9, atol=1e-12, hint=hint, what=f"param after step {step} with {options}")


@pytest.mark.points(2)
@pytest.mark.hint(BIAS_HINT)
def test_first_step_moves_each_coordinate_by_lr(solution):
    # At t = 1, m_hat = g and v_hat = g², so the step is lr·g/(|g| + eps): lr against the sign of g.
    param, grad = on_device([1.0, 1.0, 1.0]), on_device([3.0, -0.01, 200.0])
    m, v = on_device(np.zeros(3)), on_device(np.zeros(3))
    solution(param, grad, m, v, 1, 0.1)
    expect(param, np.array([0.9, 1.1, 0.9]), rtol=1e-6, what="param after the first step (lr 0.1)")


@pytest.mark.points(1)
@pytest.mark.hint(STATE_HINT)
def test_moments_are_updated_in_place(solution):
    param, grad = on_device([1.0, 2.0]), on_device([0.5, -2.0])
    m, v = on_device(np.zeros(2)), on_device(np.zeros(2))
    solution(param, grad, m, v, 1, 0.01)
    expect(m, np.array([0.05, -0.2]), what="exp_avg after one step (beta1 0.9)")
    expect(v, np.array([0.00025, 0.004]), what="exp_avg_sq after one step (beta2 0.999)")
    expect(grad, np.array([0.5, -2.0]), rtol=0, atol=0, what="grad after the step (never change it)")


@pytest.mark.points(3)
@pytest.mark.hint(BIAS_HINT)
def test_trajectory(solution):
    check_path(solution, 1, BIAS_HINT, lr=0.05)
    check_path(solution, 2, BIAS_HINT, lr=0.01, beta1=0.8, beta2=0.99)


@pytest.mark.points(1)
@pytest.mark.hint(EPS_HINT)
def test_eps_outside_the_square_root(solution):
    check_path(solution, 3, EPS_HINT, scale=1e-4, lr=0.1, eps=1e-3)


@pytest.mark.points(1)
@pytest.mark.hint(DECAY_HINT)
def test_l2_weight_decay(solution):
    check_path(solution, 4, DECAY_HINT, lr=0.05, weight_decay=0.1)


@pytest.mark.points(2)
@pytest.mark.hint(DECAY_HINT)
def test_decoupled_weight_decay(solution):
    check_path(solution, 5, DECAY_HINT, lr=0.05, weight_decay=0.5, decoupled_weight_decay=True)


@pytest.mark.points(1)
@pytest.mark.hint("AMSGrad: max_exp_avg_sq = max(max_exp_avg_sq, v), in place, and use it in place of v")
def test_amsgrad(solution):
    start = np.array([1.0, -1.0])
    grads = [np.array([5.0, 1.0]), np.array([0.1, 1.0]), np.array([0.1, -1.0]), np.array([0.1, 1.0])]  # v shrinks
    got = run(solution, start, grads, amsgrad=True, lr=0.1, beta2=0.5)
    for step, (actual, want) in enumerate(zip(got, closed_form(start, grads, lr=0.1, beta2=0.5, amsgrad=True)), 1):
        expect(actual, want, rtol=1e-9, what=f"param after AMSGrad step {step}")


@pytest.mark.points(2)
@pytest.mark.hint("minml.optim.Adam and AdamW call your function for every parameter on every step")
@pytest.mark.parametrize("cls", ["Adam", "AdamW"])
def test_minml_adam_uses_it(solution, monkeypatch, cls):
    monkeypatch.setattr(sys.modules["minml.optim.adam"], "adam_update", solution)
    rng = np.random.default_rng(7)
    A, target = rng.standard_normal((6, 3)), rng.standard_normal(6)
    w = minml.tensor(np.ones(3), requires_grad=True)
    optimizer = getattr(minml.optim, cls)([w], lr=0.05, weight_decay=0.1)
    A_t, target_t = minml.tensor(A), minml.tensor(target)
    host, m, v = np.ones(3), np.zeros(3), np.zeros(3)
    for t in range(1, 21):
        optimizer.zero_grad()
        ((A_t @ w - target_t) ** 2).mean().backward()
        optimizer.step()
        g = 2 * A.T @ (A @ host - target) / 6
        if cls == "AdamW":
            host = host * (1 - 0.05 * 0.1)
        else:
            g = g + 0.1 * host
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g**2
        host = host - 0.05 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    expect(w, host, rtol=1e-9, atol=1e-12, what=f"weights after 20 steps of minml.optim.{cls} on least squares")


@pytest.mark.points(2)
@pytest.mark.hint("this is torch.optim.Adam's rule exactly: compare your equations with its documentation")
@pytest.mark.parametrize("cls, options", [
    ("Adam", dict(lr=0.05)), ("Adam", dict(lr=0.05, weight_decay=0.1, amsgrad=True)),
    ("AdamW", dict(lr=0.05, betas=(0.8, 0.99), weight_decay=0.3)),
])
def test_same_trajectory_as_torch_optim(solution, cls, options):
    start, grads = problem(8)
    beta1, beta2 = options.get("betas", (0.9, 0.999))
    ours = {k: v for k, v in options.items() if k != "betas"}
    actual = run(solution, start, grads, beta1=beta1, beta2=beta2, decoupled_weight_decay=cls == "AdamW", **ours)
    torch = pytest.importorskip("torch")
    param = torch.tensor(start, requires_grad=True)
    optimizer = getattr(torch.optim, cls)([param], **options)
    for step, grad in enumerate(grads):
        param.grad = torch.tensor(grad)
        optimizer.step()
        expect(actual[step], param.detach().numpy(), rtol=1e-9, atol=1e-12, what=f"param after step {step + 1}")
