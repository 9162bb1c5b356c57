"""Mann–Whitney U: exact and asymptotic p-values against scipy.stats.mannwhitneyu, ties included."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.stats.mann_whitney import _u_cdf, mannwhitneyu
from minml.testing import assert_close

ALTERNATIVES = ["two-sided", "less", "greater"]


def scipy_stats():
    return pytest.importorskip("scipy.stats", reason="SciPy not installed")


def samples(min_size=1, max_size=14, grid=True):
    """Samples whose values sit on a coarse grid (ties likely) or are distinct-ish floats."""
    values = st.integers(-6, 6).map(float) if grid else st.floats(-100, 100, allow_nan=False)
    return hnp.arrays(np.float64, st.integers(min_size, max_size), elements=values, unique=not grid)


@settings(max_examples=25)
@given(
    x=st.one_of(samples(grid=True), samples(grid=False)),
    y=st.one_of(samples(grid=True), samples(grid=False)),
    use_continuity=st.booleans(),
    alternative=st.sampled_from(ALTERNATIVES),
    method=st.sampled_from(["auto", "asymptotic", "exact"]),
)
def test_matches_scipy(device, x, y, use_continuity, alternative, method):
    stats = scipy_stats()
    with np.errstate(all="ignore"):
        theirs = stats.mannwhitneyu(x, y, use_continuity=use_continuity, alternative=alternative, method=method)
    ours = mannwhitneyu(*(backend.to_device(v, device) for v in (x, y)), use_continuity, alternative, method)
    assert isinstance(ours.statistic, float) and isinstance(ours.pvalue, float)
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-12, abs=1e-12)
    assert_close(ours.pvalue, theirs.pvalue, rtol=1e-9, atol=1e-14)  # NaN where all values tie (σ = 0), in both


def test_auto_chooses_like_scipy():
    rng = np.random.default_rng(0)
    assert mannwhitneyu(rng.normal(size=8), rng.normal(size=50)).method == "exact"
    assert mannwhitneyu(rng.normal(size=9), rng.normal(size=9)).method == "asymptotic"
    assert mannwhitneyu([1.0, 2.0, 2.0], [3.0, 4.0]).method == "asymptotic"  # ties


@pytest.mark.parametrize("n1, n2", [(1, 1), (2, 3), (4, 4), (3, 5)])
def test_exact_distribution_counts_every_arrangement(n1, n2):
    # U₁ of every way to choose which n1 of the n1 + n2 ranks belong to x
    counts = np.zeros(n1 * n2 + 1)
    for ranks in itertools.combinations(range(1, n1 + n2 + 1), n1):
        counts[int(sum(ranks) - n1 * (n1 + 1) / 2)] += 1
    cdf = np.cumsum(counts) / math.comb(n1 + n2, n1)
    assert [_u_cdf(k, n1, n2, np) for k in range(n1 * n2 + 1)] == pytest.approx(cdf, rel=1e-13)


def test_exact_tail_stays_accurate_for_a_large_second_sample():
    stats = scipy_stats()
    x, y = np.arange(8.0) + 1000, np.arange(300.0)  # x beats everything: p = 2 / C(308, 8)
    ours = mannwhitneyu(x, y)
    assert ours.method == "exact"
    assert ours.pvalue == pytest.approx(2 / math.comb(308, 8), rel=1e-9)
    assert ours.pvalue == pytest.approx(stats.mannwhitneyu(x, y).pvalue, rel=1e-9)


def test_direction_of_the_alternative():
    small, large = np.arange(10.0), np.arange(10.0) + 5.5
    assert mannwhitneyu(large, small, alternative="greater").pvalue < 0.01
    assert mannwhitneyu(large, small, alternative="less").pvalue > 0.99


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: mannwhitneyu([], [1.0]), "x is empty"),
        (lambda: mannwhitneyu([1.0], []), "y is empty"),
        (lambda: mannwhitneyu([1.0, np.nan], [2.0]), "finite"),
        (lambda: mannwhitneyu([1.0], [2.0], method="permutation"), "method must be"),
        (lambda: mannwhitneyu([1.0], [2.0], alternative="two_sided"), "alternative must be"),
        (lambda: mannwhitneyu(np.ones((2, 2)), [2.0]), "1-D"),
    ],
)
def test_bad_input_fails_clearly(call, message):
    with pytest.raises(ValueError, match=message):
        call()
