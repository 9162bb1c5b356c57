"""Two-sample Kolmogorov–Smirnov: statistic and exact p-values against scipy.stats.ks_2samp, the asymptotic path."""

import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.stats.kolmogorov_smirnov import kolmogorov_sf, ks_2samp

ALTERNATIVES = ["two-sided", "less", "greater"]


def scipy_stats():
    return pytest.importorskip("scipy.stats", reason="SciPy not installed")


def samples(max_size=25):
    values = st.one_of(st.integers(-5, 5).map(float), st.floats(-50, 50, allow_nan=False))
    return hnp.arrays(np.float64, st.integers(1, max_size), elements=values)


@settings(max_examples=25)
@given(x=samples(), y=samples(), alternative=st.sampled_from(ALTERNATIVES))
def test_exact_matches_scipy(device, x, y, alternative):
    stats = scipy_stats()
    theirs = stats.ks_2samp(x, y, alternative=alternative)
    ours = ks_2samp(*(backend.to_device(v, device) for v in (x, y)), alternative=alternative)
    assert ours.method == "exact"
    assert isinstance(ours.statistic, float) and isinstance(ours.pvalue, float)
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-12, abs=1e-15)
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-14)
    assert ours.statistic_sign == theirs.statistic_sign
    assert ours.statistic_location == theirs.statistic_location


@pytest.mark.parametrize("n1, n2", [(40, 40), (60, 45), (200, 37)])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_exact_matches_scipy_for_larger_samples(n1, n2, alternative):
    stats = scipy_stats()
    rng = np.random.default_rng(n1 + n2)
    x, y = rng.normal(size=n1), rng.normal(0.4, 1.2, size=n2)
    ours, theirs = ks_2samp(x, y, alternative=alternative), stats.ks_2samp(x, y, alternative=alternative)
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-12)
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("n1, n2", [(3, 4), (4, 4), (2, 5)])
def test_exact_pvalue_is_the_share_of_arrangements_at_least_as_extreme(n1, n2):
    # the two-sided statistic of every assignment of the ranks 0 … n1 + n2 − 1 to x
    pooled = np.arange(n1 + n2, dtype=float)
    observed = ks_2samp(pooled[:n1], pooled[n1:]).statistic
    statistics = []
    for chosen in itertools.combinations(range(n1 + n2), n1):
        rest = [i for i in range(n1 + n2) if i not in chosen]
        statistics.append(ks_2samp(pooled[list(chosen)], pooled[rest], method="asymp").statistic)
    share = np.mean(np.array(statistics) >= observed - 1e-12)
    assert ks_2samp(pooled[:n1], pooled[n1:]).pvalue == pytest.approx(share, rel=1e-12)


@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_auto_switches_to_asymptotic_past_ten_thousand_values(device, alternative):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=10_001), rng.normal(0.03, size=500)
    ours = ks_2samp(*(backend.to_device(v, device) for v in (x, y)), alternative=alternative)
    assert ours.method == "asymp"
    forced = ks_2samp(x, y, alternative=alternative, method="asymp")
    assert ours.pvalue == forced.pvalue
    if alternative != "two-sided":  # one-sided: Hodges' formula, exactly as SciPy
        theirs = scipy_stats().ks_2samp(x, y, alternative=alternative)
        assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-10)


def test_two_sided_asymptotic_is_kolmogorovs_limit():
    stats = scipy_stats()
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=300), rng.normal(0.2, size=200)
    result = ks_2samp(x, y, method="asymp")
    en = 300 * 200 / 500
    assert result.pvalue == pytest.approx(stats.kstwobign.sf(math.sqrt(en) * result.statistic), rel=1e-12)
    # SciPy's finite-n distribution kstwo(round(n_e)) lies a little below Kolmogorov's limit
    scipy_p = stats.ks_2samp(x, y, method="asymp").pvalue
    assert scipy_p < result.pvalue < 1.2 * scipy_p


@pytest.mark.parametrize("x", [0.0, 0.05, 0.3, 0.8, 0.99, 1.0, 1.01, 1.7, 3.0, 6.0])
def test_kolmogorov_survival_function_matches_scipy_special(x):
    special = pytest.importorskip("scipy.special", reason="SciPy not installed")
    assert kolmogorov_sf(x) == pytest.approx(special.kolmogorov(x), rel=1e-13, abs=1e-300)


def test_identical_samples_give_p_one_and_separated_samples_a_small_p():
    assert ks_2samp([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]).pvalue == 1.0
    separated = ks_2samp(np.arange(10.0), np.arange(10.0) + 100)
    assert separated.statistic == 1.0 and separated.pvalue == pytest.approx(2 / math.comb(20, 10))


def test_forced_exact_on_huge_unequal_samples_falls_back_with_a_warning():
    x, y = np.arange(50_000.0), np.arange(49_999.0) + 0.5
    with pytest.warns(RuntimeWarning, match="not possible"):
        result = ks_2samp(x, y, method="exact")
    assert result.method == "asymp"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ks_2samp(x, y).method == "asymp"


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ks_2samp([], [1.0]), "data1 is empty"),
        (lambda: ks_2samp([1.0], []), "data2 is empty"),
        (lambda: ks_2samp([1.0, np.inf], [2.0]), "finite"),
        (lambda: ks_2samp([1.0], [2.0], method="approx"), "method must be"),
        (lambda: ks_2samp([1.0], [2.0], alternative="both"), "alternative must be"),
        (lambda: ks_2samp(np.ones((2, 2)), [2.0]), "1-D"),
    ],
)
def test_bad_input_fails_clearly(call, message):
    with pytest.raises(ValueError, match=message):
        call()
