"""Grader for exercise 02.exponential_inverse_cdf: inverse-CDF sampling for the exponential distribution."""

import math
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.grading import expect
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("02.exponential_inverse_cdf")

INVERSE_HINT = ("solve u = F(x) = 1 - exp(-λx) for x: x = -log(1 - u)/λ. It must grow with u (u = 0 gives 0, u -> 1 "
                "gives +inf); -log(u)/λ also samples an exponential, but it is not the inverse of F")
RATE_HINT = "λ is a rate: the mean is 1/λ, so divide by the rate (multiplying treats it as a scale)"
LOG1P_HINT = ("for tiny u, 1 - u rounds to 1 and log(1 - u) loses the answer: compute log(1 - u) with xp.log1p(-u), "
              "which is exact there")


def as_array(*values):
    return [np.asarray(v, dtype=np.float64) for v in values]


@pytest.mark.points(2)
@pytest.mark.hint(INVERSE_HINT)
def test_known_quantiles(solution):
    u, rate = as_array([0.0, 0.5, 1 - math.exp(-1), 1.0], 1.0)
    with np.errstate(divide="ignore"):  # u = 1: log 0, the intended +inf
        x = solution(u, rate)
    expect(x, [0.0, math.log(2), 1.0, math.inf], rtol=1e-12, atol=1e-15,
           what="quantiles of Exponential(1) at u = 0, 0.5, 1 - 1/e, 1", hint=INVERSE_HINT)


@pytest.mark.points(1)
@pytest.mark.hint(RATE_HINT)
def test_rate_not_scale(solution):
    u, rate = as_array([0.5, 0.75], [4.0, 0.5])
    expect(solution(u, rate), [math.log(2) / 4, math.log(4) / 0.5], rtol=1e-12,
           what="median of Exponential(4), upper quartile of Exponential(0.5)", hint=RATE_HINT)


@pytest.mark.points(3)
@pytest.mark.hint(INVERSE_HINT)
@given(hnp.arrays(np.float64, st.integers(1, 50), elements=st.floats(0.0, 1 - 1e-6)), st.floats(1e-3, 1e3))
def test_inverts_the_cdf(solution, u, rate):
    u, rate = as_array(u, rate)
    x = backend.asnumpy(solution(u, rate))
    expect(-np.expm1(-rate * x), u, rtol=1e-9, atol=1e-15, what=f"F(F⁻¹(u)) for rate {float(rate)}",
           hint=INVERSE_HINT)
    order = np.argsort(u, kind="stable")
    assert (np.diff(x[order]) >= 0).all(), f"F⁻¹ must grow with u; got u = {u[order]} -> x = {x[order]}\n" \
                                           f"hint: {INVERSE_HINT}"


@pytest.mark.points(2)
@pytest.mark.hint(LOG1P_HINT)
def test_tiny_probabilities_keep_their_digits(solution):
    u, rate = as_array([1e-17, 1e-12, 1e-8], 1.0)
    expect(solution(u, rate), -np.log1p(-u), rtol=1e-12, atol=0, what="F⁻¹(u) for u = 1e-17, 1e-12, 1e-8 (about u)",
           hint=LOG1P_HINT)


@pytest.mark.points(2)
@pytest.mark.hint("F⁻¹(U) with U uniform must be exponential: mean 1/λ and a Kolmogorov-Smirnov test passes")
def test_uniforms_become_exponential_draws(solution):
    rate = 2.5
    u, rate_array = as_array(np.random.default_rng(0).random(20_000), rate)
    draws = backend.asnumpy(solution(u, rate_array))
    expect(draws.mean(), 1 / rate, rtol=0.03, what="mean of 20,000 draws (1/λ = 0.4)", hint=RATE_HINT)
    stats = pytest.importorskip("scipy.stats")
    pvalue = stats.kstest(draws, stats.expon(scale=1 / rate).cdf).pvalue
    assert pvalue > 1e-3, f"the draws do not look exponential (KS test p-value {pvalue:.2g})"


@pytest.mark.points(1)
@pytest.mark.hint("compute with xp = minml.backend.namespace(u, rate) (xp.log1p), never np.*: the fake GPU refuses "
                  "NumPy")
def test_on_the_fake_gpu(solution):
    u, rate = as_array(np.random.default_rng(1).random(100), [3.0])
    result = solution(backend.to_device(u, FAKE_DEVICE), backend.to_device(rate, FAKE_DEVICE))
    assert backend.device_of(result) == backend.device(FAKE_DEVICE), "the result must stay on the inputs' device"
    expect(result, -np.log1p(-u) / 3.0, rtol=1e-12, what="F⁻¹(u) on the fake GPU")


@pytest.mark.points(2)
@pytest.mark.hint("minml.stats.Exponential's ppf is your function, and its sample() applies it to uniform draws")
def test_minml_exponential_uses_it(solution, monkeypatch):
    from minml.stats import Exponential

    monkeypatch.setattr(sys.modules["minml.stats.continuous"], "exponential_inverse_cdf", solution)
    q = np.array([0.1, 0.5, 0.9])
    expect(Exponential(2.0).ppf(q), -np.log1p(-q) / 2.0, rtol=1e-12, what="Exponential(2).ppf([0.1, 0.5, 0.9])",
           hint=INVERSE_HINT)
    uniforms = np.random.default_rng(5).random(6)
    expect(Exponential(2.0).sample(6, random_state=5), -np.log1p(-uniforms) / 2.0, rtol=1e-12,
           what="Exponential(2).sample(6, random_state=5): F⁻¹ of the generator's uniforms", hint=INVERSE_HINT)
