"""t-tests: against scipy.stats over generated data (ties and constant samples included), batches, errors."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.stats.t_tests import TtestResult, ttest_1samp, ttest_ind, ttest_rel, welch_t_statistic
from minml.testing import assert_close, to_host

ALTERNATIVES = ["two-sided", "less", "greater"]


def scipy_stats():
    return pytest.importorskip("scipy.stats", reason="SciPy not installed")


def samples(min_size=2, max_size=12):
    """1-D float samples with values on a coarse grid, so ties (and constant samples) happen."""
    values = st.floats(-5, 5, allow_nan=False).map(lambda v: round(v, 1))
    return hnp.arrays(np.float64, st.integers(min_size, max_size), elements=values)


def on(device, *arrays):
    return tuple(backend.to_device(a, device) for a in arrays)


def assert_same_test(ours: TtestResult, theirs, level: float):
    assert isinstance(ours.statistic, float) and isinstance(ours.pvalue, float) and isinstance(ours.df, float)
    assert_close(ours.statistic, theirs.statistic, rtol=1e-9, atol=1e-12, what="t")
    assert_close(ours.df, theirs.df, rtol=1e-10, what="df")
    assert_close(ours.pvalue, theirs.pvalue, rtol=1e-8, atol=1e-14, what="p-value")
    with np.errstate(invalid="ignore"):
        expected = theirs.confidence_interval(level)
    assert_close(np.array(ours.confidence_interval(level)), np.array(expected), rtol=1e-8, atol=1e-12, what="CI")


@settings(max_examples=15)
@given(a=samples(), popmean=st.floats(-2, 2), alternative=st.sampled_from(ALTERNATIVES), level=st.floats(0.5, 0.99))
def test_one_sample_matches_scipy(device, a, popmean, alternative, level):
    stats = scipy_stats()
    with np.errstate(all="ignore"):
        theirs = stats.ttest_1samp(a, popmean, alternative=alternative)
    assert_same_test(ttest_1samp(*on(device, a), popmean, alternative=alternative), theirs, level)


@settings(max_examples=15)
@given(
    a=samples(),
    b=samples(),
    equal_var=st.booleans(),
    alternative=st.sampled_from(ALTERNATIVES),
    level=st.floats(0.5, 0.99),
)
def test_two_sample_student_and_welch_match_scipy(device, a, b, equal_var, alternative, level):
    stats = scipy_stats()
    with np.errstate(all="ignore"):
        theirs = stats.ttest_ind(a, b, equal_var=equal_var, alternative=alternative)
    ours = ttest_ind(*on(device, a, b), equal_var=equal_var, alternative=alternative)
    assert_same_test(ours, theirs, level)


@settings(max_examples=15)
@given(data=st.data(), alternative=st.sampled_from(ALTERNATIVES), level=st.floats(0.5, 0.99))
def test_paired_matches_scipy(device, data, alternative, level):
    stats = scipy_stats()
    a = data.draw(samples())
    b = data.draw(hnp.arrays(np.float64, a.shape, elements=st.floats(-5, 5).map(lambda v: round(v, 1))))
    with np.errstate(all="ignore"):
        theirs = stats.ttest_rel(a, b, alternative=alternative)
    assert_same_test(ttest_rel(*on(device, a, b), alternative=alternative), theirs, level)


@pytest.mark.parametrize("equal_var", [True, False])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_a_batch_of_column_tests_matches_scipy_axis_0(device, equal_var, alternative):
    stats = scipy_stats()
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(30, 5)), rng.normal(0.3, 2.0, size=(20, 5))
    ours = ttest_ind(*on(device, a, b), axis=0, equal_var=equal_var, alternative=alternative)
    theirs = stats.ttest_ind(a, b, axis=0, equal_var=equal_var, alternative=alternative)
    assert backend.device_of(ours.statistic) == device and backend.device_of(ours.pvalue) == device
    assert_close(ours.statistic, theirs.statistic, rtol=1e-10)
    assert_close(ours.pvalue, theirs.pvalue, rtol=1e-8)
    assert_close(ours.df, np.broadcast_to(theirs.df, (5,)) if equal_var else theirs.df, rtol=1e-10)
    low, high = ours.confidence_interval(0.9)
    assert_close(np.stack([to_host(low), to_host(high)]), np.stack(theirs.confidence_interval(0.9)), rtol=1e-8)


def test_axis_1_and_axis_none(device):
    stats = scipy_stats()
    a = np.random.default_rng(1).normal(size=(4, 9))
    ours = ttest_1samp(*on(device, a), 0.1, axis=1)
    assert_close(ours.pvalue, stats.ttest_1samp(a, 0.1, axis=1).pvalue, rtol=1e-9)
    assert ttest_1samp(*on(device, a), axis=None).pvalue == pytest.approx(stats.ttest_1samp(a.ravel(), 0).pvalue)


def test_welch_exercise_is_the_textbook_formula(device):
    a, b = np.array([1.0, 2.0, 4.0, 7.0]), np.array([3.0, 3.5, 9.0])
    t, df = welch_t_statistic(*on(device, a, b))
    v1, v2 = a.var(ddof=1) / 4, b.var(ddof=1) / 3
    assert backend.to_scalar(t) == pytest.approx((a.mean() - b.mean()) / math.sqrt(v1 + v2), rel=1e-12)
    assert backend.to_scalar(df) == pytest.approx((v1 + v2) ** 2 / (v1**2 / 3 + v2**2 / 2), rel=1e-12)


def test_known_textbook_value():
    # one-sample test of [5.1, 4.9, 5.6, 5.8, 6.0] against 5: x̄ = 5.48, s = 0.4604, t = 2.3313, 4 df
    result = ttest_1samp([5.1, 4.9, 5.6, 5.8, 6.0], 5.0)
    assert result.statistic == pytest.approx(0.48 / (np.std([5.1, 4.9, 5.6, 5.8, 6.0], ddof=1) / math.sqrt(5)))
    assert result.df == 4.0
    assert result.estimate == pytest.approx(5.48)
    low, high = result.confidence_interval()
    assert low < 5.48 < high and 4.9 < low < 5.0  # p ≈ 0.08 > 0.05: the 95% interval holds μ₀ = 5


def test_one_sided_interval_has_an_infinite_end():
    x = [1.0, 2.0, 3.0, 4.5]
    assert ttest_1samp(x, alternative="greater").confidence_interval().high == math.inf
    assert ttest_1samp(x, alternative="less").confidence_interval().low == -math.inf


def test_constant_samples_give_nan_not_an_error(device):
    result = ttest_ind(*on(device, np.ones(4), np.ones(3)), equal_var=False)
    assert math.isnan(result.statistic) and math.isnan(result.pvalue)
    assert result.df == 1.0  # Welch's ν is 0/0 here; SciPy reports 1 (any ν gives p = NaN for t = NaN)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ttest_1samp([]), "a is empty"),
        (lambda: ttest_1samp([1.0]), "at least 2 observation"),
        (lambda: ttest_ind([1.0, 2.0], [3.0]), "b has 1 observation"),
        (lambda: ttest_rel([1.0, 2.0, 3.0], [1.0, 2.0]), "must have one shape"),
        (lambda: ttest_1samp([1.0, 2.0], alternative="bigger"), "alternative must be one of"),
        (lambda: ttest_1samp([1.0, 2.0, 4.0]).confidence_interval(1.5), "confidence_level must be"),
        (lambda: ttest_1samp(np.ones((2, 3)), axis=2), "axis 2 is out of bounds"),
    ],
)
def test_bad_input_fails_clearly(call, message):
    with pytest.raises(ValueError, match=message):
        call()
