"""Grader for exercise 02.poisson_mle: the maximum-likelihood Poisson rate."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minml import backend
from minml.grading import expect
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("02.poisson_mle")

MEAN_HINT = "ℓ'(λ) = Σk/λ - n = 0 gives λ̂ = Σk / n: divide by n, the number of observations (not n - 1)"
AXIS_HINT = "observations run along axis 0: one rate per column, counts.mean(axis=0), not one mean of everything"
CHECK_HINT = ("a Poisson count is 0, 1, 2, ...: raise ValueError('counts must be non-negative whole numbers; got ...') "
              "when a count is negative or has a fractional part (xp.floor(k) == k tests for whole numbers)")


def log_likelihood(rate, counts):
    """Σ (k log λ - λ - log k!) in plain Python floats."""
    from math import lgamma, log

    return sum((k * log(rate) if k else 0.0) - rate - lgamma(k + 1) for k in counts)


@pytest.mark.points(2)
@pytest.mark.hint(MEAN_HINT)
def test_mean_count_by_hand(solution):
    expect(solution(np.array([0.0, 1.0, 2.0, 3.0, 4.0])), 2.0, rtol=1e-12, what="λ̂ of 0, 1, 2, 3, 4", hint=MEAN_HINT)
    expect(solution(np.array([7.0])), 7.0, rtol=1e-12, what="λ̂ of a single count 7", hint=MEAN_HINT)
    expect(solution(np.zeros(4)), 0.0, what="λ̂ of four zeros", hint=MEAN_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(AXIS_HINT)
def test_one_rate_per_column(solution):
    counts = np.array([[0.0, 10.0], [2.0, 12.0], [1.0, 11.0]])
    result = solution(counts)
    assert backend.asnumpy(result).shape == (2,), f"3 observations of 2 columns: expected shape (2,), got " \
                                                  f"{backend.asnumpy(result).shape}\nhint: {AXIS_HINT}"
    expect(result, [1.0, 11.0], rtol=1e-12, what="λ̂ of each column", hint=AXIS_HINT)


@pytest.mark.points(3)
@pytest.mark.hint(MEAN_HINT)
@given(st.lists(st.integers(0, 60), min_size=1, max_size=80))
def test_maximises_the_likelihood(solution, counts):
    rate = backend.to_scalar(solution(np.array(counts, dtype=np.float64)))
    expect(rate, sum(counts) / len(counts), rtol=1e-12, atol=1e-12, what=f"λ̂ of {len(counts)} counts", hint=MEAN_HINT)
    if rate > 0:
        best = log_likelihood(rate, counts)
        for other in (rate * 0.99, rate * 1.01):
            assert log_likelihood(other, counts) <= best + 1e-9, (
                f"λ = {other:.6g} has a higher likelihood than your λ̂ = {rate:.6g}: not the maximum\nhint: {MEAN_HINT}")


@pytest.mark.points(2)
@pytest.mark.hint(CHECK_HINT)
def test_rejects_what_cannot_be_counts(solution):
    for bad in ([1.0, -1.0, 2.0], [0.0, 1.5, 3.0]):
        with pytest.raises(ValueError, match="counts must be non-negative whole numbers"):
            solution(np.array(bad))


@pytest.mark.points(1)
@pytest.mark.hint("compute with xp = minml.backend.namespace(counts) and turn the check into a Python bool with "
                  "minml.backend.to_scalar: the fake GPU refuses np.*, bool() and if on its arrays")
def test_on_the_fake_gpu(solution):
    counts = np.random.default_rng(2).poisson([1.0, 4.0, 20.0], size=(300, 3)).astype(np.float64)
    result = solution(backend.to_device(counts, FAKE_DEVICE))
    assert backend.device_of(result) == backend.device(FAKE_DEVICE), "the result must stay on the inputs' device"
    expect(result, counts.mean(axis=0), rtol=1e-12, what="λ̂ of three columns on the fake GPU")
    with pytest.raises(ValueError, match="counts must be non-negative whole numbers"):
        solution(backend.to_device(np.array([2.0, -3.0]), FAKE_DEVICE))


@pytest.mark.points(2)
@pytest.mark.hint("minml.stats.Poisson.fit calls your function")
def test_minml_poisson_fit_uses_it(solution, monkeypatch):
    from minml.stats import Poisson

    monkeypatch.setattr(sys.modules["minml.stats.discrete"], "poisson_mle", solution)
    counts = np.random.default_rng(3).poisson(3.5, size=(500, 2)).astype(np.float64)
    expect(Poisson.fit(counts).rate, counts.mean(axis=0), rtol=1e-12, what="Poisson.fit(counts).rate", hint=AXIS_HINT)
    with pytest.raises(ValueError, match="counts must be non-negative whole numbers"):
        Poisson.fit([3.0, 0.5])
