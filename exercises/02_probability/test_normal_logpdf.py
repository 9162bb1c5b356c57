"""Grader for exercise 02.normal_logpdf: the normal log-density, without underflow in the tails."""

import math
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minml
from minml import backend
from minml.grading import expect
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("02.normal_logpdf")

LOG_2PI = math.log(2 * math.pi)
FORMULA_HINT = "log f(x) = -z²/2 - log σ - ½ log(2π) with z = (x - μ)/σ: half of z², and log σ (not log σ²)"
TAILS_HINT = ("do not compute the density and then its log: exp(-z²/2) underflows to 0 for |z| > 38.6 and log 0 "
              "= -inf; write the log out as -z²/2 - log σ - ½ log(2π)")
RANDOM_HINT = ("log f(x) = -z²/2 - log σ - ½ log(2π) with z = (x - μ)/σ; a -inf far from μ means the log was taken "
               "of a density that had underflowed to 0: write the log out instead")
TENSOR_HINT = ("build the result from arithmetic and minml.stats.distribution.log (arrays AND Tensors), not xp.log or "
               "np.log, so that autograd can follow it back to μ and σ")


def expected_logpdf(x, loc, scale):
    """The log-density in float64 on the host (what scipy.stats.norm.logpdf computes)."""
    return -0.5 * ((x - loc) / scale) ** 2 - np.log(scale) - 0.5 * LOG_2PI


def as_array(*values):
    return [np.asarray(v, dtype=np.float64) for v in values]


@pytest.mark.points(2)
@pytest.mark.hint(FORMULA_HINT)
def test_values_by_hand(solution):
    x, loc, scale = as_array([0.0, 1.0, -2.0], 0.0, 1.0)
    expect(solution(x, loc, scale), [-0.5 * LOG_2PI, -0.5 - 0.5 * LOG_2PI, -2.0 - 0.5 * LOG_2PI], rtol=1e-12,
           what="log-density of N(0, 1) at 0, 1, -2", hint=FORMULA_HINT)
    x, loc, scale = as_array([3.0, 7.0], 3.0, 2.0)
    expect(solution(x, loc, scale), [-math.log(2.0) - 0.5 * LOG_2PI, -2.0 - math.log(2.0) - 0.5 * LOG_2PI],
           rtol=1e-12, what="log-density of N(3, 2²) at 3 and 7", hint=FORMULA_HINT)


@pytest.mark.points(3)
@pytest.mark.hint(RANDOM_HINT)
@given(hnp.arrays(np.float64, st.integers(1, 50), elements=st.floats(-1e3, 1e3)),
       st.floats(-100, 100), st.floats(1e-3, 1e3))
def test_matches_the_formula_on_random_inputs(solution, x, loc, scale):
    x, loc, scale = as_array(x, loc, scale)
    expect(solution(x, loc, scale), expected_logpdf(x, loc, scale), rtol=1e-9, atol=1e-9,
           what=f"log-density of N({float(loc)}, {float(scale)}²)", hint=RANDOM_HINT)


@pytest.mark.points(3)
@pytest.mark.hint(TAILS_HINT)
def test_far_tails_stay_finite(solution):
    x, loc, scale = as_array([40.0, -60.0, 1e3, 1e6], 0.0, 1.0)
    result = backend.asnumpy(solution(x, loc, scale))
    assert np.isfinite(result).all(), f"log-density of N(0, 1) at 40, -60, 1e3, 1e6: got {result}\nhint: {TAILS_HINT}"
    expect(result, expected_logpdf(x, loc, scale), rtol=1e-12, what="log-density far in the tails", hint=TAILS_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("use only elementwise operations: x, loc and scale broadcast together as NumPy arrays do")
def test_broadcasts(solution):
    x = np.linspace(-3, 3, 5).reshape(5, 1)
    loc, scale = np.array([-1.0, 0.0, 2.0]), np.array([0.5, 1.0, 3.0])
    result = solution(x, loc, scale)
    assert result.shape == (5, 3), f"x of shape (5, 1) with loc and scale of shape (3,): expected shape (5, 3), " \
                                   f"got {result.shape}"
    expect(result, expected_logpdf(x, loc, scale), rtol=1e-12, what="log-densities of a (5, 3) grid")


@pytest.mark.points(2)
@pytest.mark.hint(TENSOR_HINT)
def test_gradients_flow_to_the_parameters(solution):
    x = np.array([-1.0, 0.5, 2.0, 4.0])
    loc = minml.tensor(np.array(1.0), requires_grad=True)
    scale = minml.tensor(np.array(2.0), requires_grad=True)
    total = solution(x, loc, scale).sum()
    total.backward()
    z = (x - 1.0) / 2.0
    expect(total, expected_logpdf(x, 1.0, 2.0).sum(), rtol=1e-12, what="log-likelihood (a Tensor)")
    expect(loc.grad, (z / 2.0).sum(), rtol=1e-10, what="d(log-likelihood)/dμ = Σ z/σ", hint=TENSOR_HINT)
    expect(scale.grad, ((z * z - 1) / 2.0).sum(), rtol=1e-10, what="d(log-likelihood)/dσ = Σ (z² - 1)/σ",
           hint=TENSOR_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("compute with arithmetic and xp = minml.backend.namespace(...) functions, never np.* on the data: "
                  "the fake GPU refuses NumPy")
def test_on_the_fake_gpu(solution):
    x, loc, scale = as_array(np.random.default_rng(0).normal(size=100), 0.5, 1.5)
    on = lambda value: backend.to_device(value, FAKE_DEVICE)  # noqa: E731
    result = solution(on(x), on(loc), on(scale))
    assert backend.device_of(result) == backend.device(FAKE_DEVICE), "the result must stay on the inputs' device"
    expect(result, expected_logpdf(x, loc, scale), rtol=1e-12, what="log-density on the fake GPU")


@pytest.mark.points(2)
@pytest.mark.hint("minml.stats.Normal.logpdf, pdf and every log-likelihood of a normal model call your function")
def test_minml_normal_uses_it(solution, monkeypatch):
    from minml.stats import Normal

    monkeypatch.setattr(sys.modules["minml.stats.continuous"], "normal_logpdf", solution)
    data = np.random.default_rng(1).normal(5.0, 2.0, size=200)
    expect(Normal(5.0, 2.0).logpdf(data), expected_logpdf(data, 5.0, 2.0), rtol=1e-12, what="Normal(5, 2).logpdf")
    expect(Normal(0.0, 1.0).pdf(np.array([0.0])), [1 / math.sqrt(2 * math.pi)], rtol=1e-12, what="Normal().pdf(0)")
    # maximum likelihood by gradient ascent through Normal.logpdf lands on the closed form
    loc = minml.tensor(np.array(0.0), requires_grad=True)
    log_scale = minml.tensor(np.array(0.0), requires_grad=True)
    optimizer = minml.optim.Adam([loc, log_scale], lr=0.1)
    for _ in range(300):
        optimizer.zero_grad()
        (-Normal(loc, log_scale.exp()).logpdf(data).mean()).backward()
        optimizer.step()
    fitted = Normal.fit(data)
    expect([loc.item(), math.exp(log_scale.item())], [backend.to_scalar(fitted.loc), backend.to_scalar(fitted.scale)],
           rtol=1e-3, what="(μ, σ) by gradient ascent vs the closed form", hint=TENSOR_HINT)
