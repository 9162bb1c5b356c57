"""Proportions: the z-test against scipy's chi-square (z² = X²) and the Wilson interval against scipy's binomtest."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minml import backend
from minml.stats.proportions import ZTestResult, proportions_ztest, wilson_interval
from minml.testing import assert_close, to_host

ALTERNATIVES = ["two-sided", "less", "greater"]


def scipy_stats():
    return pytest.importorskip("scipy.stats", reason="SciPy not installed")


@st.composite
def count_and_trials(draw, max_n=60):
    n = draw(st.integers(1, max_n))
    return draw(st.integers(0, n)), n


def on(device, *values):
    return tuple(backend.to_device(np.asarray(v, dtype=np.float64), device) for v in values)


@settings(max_examples=20)
@given(
    kn=count_and_trials(),
    correction=st.booleans(),
    alternative=st.sampled_from(ALTERNATIVES),
    level=st.floats(0.5, 0.999),
)
def test_wilson_interval_matches_scipy_binomtest(device, kn, correction, alternative, level):
    stats = scipy_stats()
    k, n = kn
    ours = wilson_interval(*on(device, k, n), confidence_level=level, alternative=alternative, correction=correction)
    method = "wilsoncc" if correction else "wilson"
    theirs = stats.binomtest(k, n, alternative=alternative).proportion_ci(level, method=method)
    assert isinstance(ours.low, float) and isinstance(ours.high, float)
    assert_close(np.array(ours), np.array(theirs), rtol=1e-10, atol=1e-12)


def test_wilson_interval_is_vectorised_and_stays_on_the_device(device):
    stats = scipy_stats()
    k, n = np.array([0, 3, 17, 20]), np.array([20, 20, 40, 20])
    low, high = wilson_interval(*on(device, k, n), confidence_level=0.9)
    assert backend.device_of(low) == device
    expected = np.array([stats.binomtest(ki, ni).proportion_ci(0.9, method="wilson") for ki, ni in zip(k, n)])
    assert_close(np.stack([to_host(low), to_host(high)], axis=1), expected, rtol=1e-10, atol=1e-12)
    assert to_host(low)[0] == 0.0 and to_host(high)[3] == 1.0  # k = 0 and k = n end at the boundary


def test_wilson_interval_is_the_set_the_score_test_does_not_reject():
    k, n = 7, 25
    low, high = wilson_interval(k, n, confidence_level=0.95)
    for p0, inside in [(low + 1e-6, True), (high - 1e-6, True), (low - 1e-4, False), (high + 1e-4, False)]:
        assert (proportions_ztest(k, n, value=p0).pvalue > 0.05) is inside


@settings(max_examples=20)
@given(kn=count_and_trials(), p0=st.floats(0.05, 0.95), alternative=st.sampled_from(ALTERNATIVES))
def test_one_sample_z_squared_is_the_goodness_of_fit_chi_square(device, kn, p0, alternative):
    stats = scipy_stats()
    k, n = kn
    result = proportions_ztest(*on(device, k, n), value=p0, alternative=alternative)
    assert isinstance(result, ZTestResult) and isinstance(result.pvalue, float)
    chi2 = stats.chisquare([k, n - k], [n * p0, n * (1 - p0)])
    assert result.statistic**2 == pytest.approx(chi2.statistic, rel=1e-9, abs=1e-12)
    z = (k / n - p0) / math.sqrt(p0 * (1 - p0) / n)
    expected = {
        "two-sided": chi2.pvalue,
        "less": stats.norm.cdf(z),
        "greater": stats.norm.sf(z),
    }[alternative]
    assert result.pvalue == pytest.approx(expected, rel=1e-9, abs=1e-14)


@settings(max_examples=20)
@given(a=count_and_trials(), b=count_and_trials(), alternative=st.sampled_from(ALTERNATIVES))
def test_two_sample_z_squared_is_the_uncorrected_contingency_chi_square(device, a, b, alternative):
    stats = scipy_stats()
    (k1, n1), (k2, n2) = a, b
    result = proportions_ztest(*on(device, [k1, k2], [n1, n2]), alternative=alternative)
    table = np.array([[k1, n1 - k1], [k2, n2 - k2]])
    if k1 + k2 == 0 or k1 + k2 == n1 + n2:  # no variation at all: z = 0/0
        assert math.isnan(result.statistic)
        return
    chi2 = stats.chi2_contingency(table, correction=False)
    assert result.statistic**2 == pytest.approx(chi2.statistic, rel=1e-9, abs=1e-12)
    if alternative == "two-sided":
        assert result.pvalue == pytest.approx(chi2.pvalue, rel=1e-9, abs=1e-14)
    else:
        tail = stats.norm.sf(result.statistic) if alternative == "greater" else stats.norm.cdf(result.statistic)
        assert result.pvalue == pytest.approx(tail, rel=1e-9, abs=1e-14)


def test_direction_of_the_two_sample_alternative():
    assert proportions_ztest([30, 10], [50, 50], alternative="greater").pvalue < 0.001  # p₁ > p₂
    assert proportions_ztest([30, 10], [50, 50], alternative="less").pvalue > 0.999


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: proportions_ztest(5, 10), "needs value"),
        (lambda: proportions_ztest(5, 10, value=1.0), "strictly between 0 and 1"),
        (lambda: proportions_ztest([5, 3], [10, 10], value=0.1), "value must be None or 0"),
        (lambda: proportions_ztest([1, 2, 3], [5, 5, 5]), "one entry .* or two"),
        (lambda: proportions_ztest(11, 10, value=0.5), "must not exceed nobs"),
        (lambda: proportions_ztest(-1, 10, value=0.5), "non-negative"),
        (lambda: wilson_interval(3, 0), "nobs must be positive"),
        (lambda: wilson_interval(3, 10, confidence_level=1.0), "confidence_level must be"),
        (lambda: wilson_interval([], []), "count is empty"),
    ],
)
def test_bad_input_fails_clearly(call, message):
    with pytest.raises(ValueError, match=message):
        call()
