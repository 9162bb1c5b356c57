"""Grader for exercise 06.percentile_interval: the percentile bootstrap confidence interval."""

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

pytestmark = pytest.mark.exercise("06.percentile_interval")

TWO_SIDED_HINT = ("a two-sided interval at level 0.95 leaves 2.5% of the bootstrap statistics out on EACH side: "
                  "levels alpha = (1 - confidence_level) / 2 and 1 - alpha")
ONE_SIDED_HINT = ("a one-sided interval leaves all of 1 - confidence_level on one side: 'less' is "
                  "(-inf, q(confidence_level)), 'greater' is (q(1 - confidence_level), inf)")
QUANTILE_HINT = ("use xp.quantile with levels as fractions in [0, 1] and its default linear interpolation, not the "
                 "nearest sorted value")


def expected_interval(theta_star, confidence_level, alternative):
    if alternative == "two-sided":
        alpha = (1 - confidence_level) / 2
        return float(np.quantile(theta_star, alpha)), float(np.quantile(theta_star, 1 - alpha))
    if alternative == "less":
        return -math.inf, float(np.quantile(theta_star, confidence_level))
    return float(np.quantile(theta_star, 1 - confidence_level)), math.inf


def check_interval(interval, expected, what, hint=None):
    """(low, high) against ``expected``; an infinite end must be exactly that infinity."""
    assert isinstance(interval, tuple) and len(interval) == 2, f"{what}: return a tuple (low, high); got {interval!r}"
    for name, mine, theirs in zip(("low", "high"), interval, expected):
        if math.isinf(theirs):
            message = f"{what}, {name}: expected {theirs}, got {mine}"
            assert mine == theirs, message + (f"\nhint: {hint}" if hint else "")
        else:
            expect(mine, theirs, rtol=1e-12, atol=1e-12, what=f"{what}, {name}", hint=hint)


@pytest.mark.points(2)
@pytest.mark.hint(TWO_SIDED_HINT)
def test_two_sided_on_0_to_100(solution):
    theta_star = np.arange(101.0)  # its p-quantile is 100 p
    check_interval(solution(theta_star, 0.9), (5.0, 95.0), "90% interval of 0, 1, ..., 100", TWO_SIDED_HINT)
    check_interval(solution(theta_star, 0.95, "two-sided"), (2.5, 97.5), "95% interval of 0, 1, ..., 100",
                   TWO_SIDED_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(ONE_SIDED_HINT)
def test_one_sided(solution):
    theta_star = np.arange(101.0)
    check_interval(solution(theta_star, 0.9, "less"), (-math.inf, 90.0), "90% 'less' interval of 0 ... 100",
                   ONE_SIDED_HINT)
    check_interval(solution(theta_star, 0.9, "greater"), (10.0, math.inf), "90% 'greater' interval of 0 ... 100",
                   ONE_SIDED_HINT)


@pytest.mark.points(1)
@pytest.mark.hint(QUANTILE_HINT)
def test_interpolates_between_order_statistics(solution):
    # levels 0.25 and 0.75 of four values fall between them: 1.75 and 3.25
    check_interval(solution(np.array([4.0, 1.0, 3.0, 2.0]), 0.5), (1.75, 3.25), "50% interval of 4, 1, 3, 2",
                   QUANTILE_HINT)


@pytest.mark.points(3)
@pytest.mark.hint("the interval is the quantiles of theta_star at the levels above, nothing more (numpy.quantile's)")
@given(hnp.arrays(np.float64, st.integers(1, 300), elements=st.floats(-1e3, 1e3)),
       st.floats(0.5, 0.999), st.sampled_from(["two-sided", "less", "greater"]))
def test_matches_numpy_quantiles(solution, theta_star, confidence_level, alternative):
    check_interval(solution(theta_star, confidence_level, alternative),
                   expected_interval(theta_star, confidence_level, alternative),
                   f"{confidence_level} {alternative} interval of {theta_star.size} statistics")


@pytest.mark.points(1)
@pytest.mark.hint("return Python floats: bring the quantiles to the host with backend.asnumpy(...).tolist(); compute "
                  "them with xp = minml.backend.namespace(theta_star), not np.quantile: the fake GPU refuses it")
def test_floats_from_the_fake_gpu(solution):
    theta_star = np.random.default_rng(0).normal(size=999)
    interval = solution(backend.to_device(theta_star, FAKE_DEVICE), 0.95)
    assert all(type(end) is float for end in interval), f"expected two Python floats, got {interval!r}"
    check_interval(interval, expected_interval(theta_star, 0.95, "two-sided"), "95% interval on the fake GPU")


@pytest.mark.points(2)
@pytest.mark.hint("minml.stats.bootstrap_ci(method='percentile') calls your function on its bootstrap distribution")
def test_minml_bootstrap_ci_uses_it(solution, monkeypatch):
    from minml.stats import bootstrap_ci

    monkeypatch.setattr(sys.modules["minml.stats.bootstrap"], "percentile_interval", solution)
    x = np.random.default_rng(1).exponential(size=60)
    mean = lambda sample, axis=-1: sample.mean(axis=axis)  # noqa: E731
    for alternative in ("two-sided", "less", "greater"):
        result = bootstrap_ci((x,), mean, method="percentile", n_resamples=2000, confidence_level=0.9,
                              alternative=alternative, random_state=0)
        expected = expected_interval(backend.asnumpy(result.bootstrap_distribution), 0.9, alternative)
        check_interval(tuple(result.confidence_interval), expected, f"bootstrap_ci's 90% {alternative} interval",
                       ONE_SIDED_HINT if alternative != "two-sided" else TWO_SIDED_HINT)


@pytest.mark.points(1)
@pytest.mark.hint(TWO_SIDED_HINT)
def test_close_to_scipy_bootstrap(solution, monkeypatch):
    from minml.stats import bootstrap_ci

    monkeypatch.setattr(sys.modules["minml.stats.bootstrap"], "percentile_interval", solution)
    x = np.random.default_rng(2).normal(10.0, 2.0, size=200)
    ours = bootstrap_ci((x,), lambda sample, axis=-1: sample.mean(axis=axis), method="percentile",
                        n_resamples=4000, random_state=3).confidence_interval
    stats = pytest.importorskip("scipy.stats")
    theirs = stats.bootstrap((x,), np.mean, method="percentile", n_resamples=4000, random_state=3).confidence_interval
    # the same population of resamples: the ends agree to Monte-Carlo error (a few hundredths here)
    expect(list(ours), [theirs.low, theirs.high], rtol=0, atol=0.04, what="95% interval of the mean vs SciPy's")
