"""permutation_test: scipy's draws from one seed, exact enumeration, Monte-Carlo agreement, batching, errors."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.stats.permutation import PermutationTestResult, permutation_test
from minml.testing import assert_close, to_host

ALTERNATIVES = ["two-sided", "less", "greater"]


def scipy_stats():
    return pytest.importorskip("scipy.stats", reason="SciPy not installed")


# Vectorised statistics, as permutation_test (and scipy, vectorized=True) call them: reduce along axis -1.
def mean_difference(x, y, axis=-1):
    return x.mean(axis=axis) - y.mean(axis=axis)


def mean(x, axis=-1):
    return x.mean(axis=axis)


def covariance(x, y, axis=-1):
    return ((x - x.mean(axis=axis, keepdims=True)) * (y - y.mean(axis=axis, keepdims=True))).mean(axis=axis)


def spread_of_means(*samples, axis=-1):
    """Three or more samples: the largest minus the smallest sample mean."""
    xp = backend.namespace(*samples)
    means = xp.stack([s.mean(axis=axis) for s in samples])
    return means.max(axis=0) - means.min(axis=0)


def on(device, *arrays):
    return tuple(backend.to_device(a, device) for a in arrays)


def sample(n, seed, shift=0.0):
    return np.random.default_rng(seed).normal(shift, 1.0, size=n)


CASES = {  # permutation_type: (data, statistic), sized so that enumeration exceeds the 999 resamples
    "independent": ((sample(9, 1), sample(11, 2, 0.5)), mean_difference),
    "independent, 3 samples": ((sample(5, 1), sample(6, 2), sample(4, 3, 0.8)), spread_of_means),
    "pairings": ((sample(8, 3), sample(8, 4)), covariance),
    "samples": ((sample(12, 5), sample(12, 6, 0.4)), mean_difference),
    "samples, 1 sample": ((sample(12, 7, 0.3),), mean),
}


@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("case", list(CASES))
def test_one_seed_draws_what_scipy_draws(device, case, alternative):
    stats = scipy_stats()
    data, statistic = CASES[case]
    kind = case.split(",")[0]
    ours = permutation_test(
        on(device, *data),
        statistic,
        permutation_type=kind,
        n_resamples=999,
        batch=140,
        alternative=alternative,
        random_state=7,
    )
    theirs = stats.permutation_test(
        data, statistic, permutation_type=kind, n_resamples=999, alternative=alternative, rng=7, vectorized=True
    )
    assert isinstance(ours, PermutationTestResult)
    assert isinstance(ours.statistic, float) and isinstance(ours.pvalue, float)
    assert backend.device_of(ours.null_distribution) == device
    assert_close(ours.null_distribution, theirs.null_distribution, rtol=1e-12, atol=1e-14)
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-12)
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-12)


@pytest.mark.parametrize(
    "kind, data, statistic, count",
    [
        ("independent", (sample(5, 1), sample(4, 2, 1.0)), mean_difference, math.comb(9, 4)),
        ("pairings", (sample(4, 3), sample(4, 4)), covariance, math.factorial(4) ** 2),
        ("samples", (sample(7, 5), sample(7, 6, 0.5)), mean_difference, 2**7),
        ("samples", (sample(8, 7, 0.5),), mean, 2**8),
    ],
)
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_exact_enumeration_matches_scipy(device, kind, data, statistic, count, alternative):
    stats = scipy_stats()
    ours = permutation_test(on(device, *data), statistic, permutation_type=kind, alternative=alternative, batch=50)
    theirs = stats.permutation_test(data, statistic, permutation_type=kind, alternative=alternative, vectorized=True)
    assert to_host(ours.null_distribution).shape == (count,)
    assert_close(np.sort(to_host(ours.null_distribution)), np.sort(theirs.null_distribution), rtol=1e-12, atol=1e-14)
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-12)


@settings(max_examples=15)
@given(
    x=hnp.arrays(np.float64, st.integers(2, 10), elements=st.integers(-3, 3).map(float)),
    y=hnp.arrays(np.float64, st.integers(2, 10), elements=st.integers(-3, 3).map(float)),
    alternative=st.sampled_from(ALTERNATIVES),
    seed=st.integers(0, 2**32 - 1),
)
def test_tied_data_match_scipy_exactly_or_by_the_same_draws(device, x, y, alternative, seed):
    # ties everywhere: equal statistics must count as "as extreme" on both sides of the comparison
    stats = scipy_stats()
    ours = permutation_test(
        on(device, x, y), mean_difference, n_resamples=300, alternative=alternative, random_state=seed
    )
    theirs = stats.permutation_test(
        (x, y), mean_difference, n_resamples=300, alternative=alternative, rng=seed, vectorized=True
    )
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-12)


@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_monte_carlo_p_value_agrees_with_scipy_under_independent_draws(alternative):
    # different seeds, so the two null distributions are independent draws: the p-values must agree
    # within Monte-Carlo error, 4.5 standard errors of the difference of two estimates
    stats = scipy_stats()
    data, statistic = CASES["independent"]
    n = 4000
    ours = permutation_test(data, statistic, n_resamples=n, alternative=alternative, random_state=1).pvalue
    theirs = stats.permutation_test(
        data, statistic, n_resamples=n, alternative=alternative, rng=2, vectorized=True
    ).pvalue
    p = (ours + theirs) / 2
    factor = 2 if alternative == "two-sided" else 1  # a two-sided p doubles a one-sided estimate's error
    assert abs(ours - theirs) <= 4.5 * factor * math.sqrt(2 * p * (1 - p) / n) + 1e-12


def test_monte_carlo_p_value_agrees_with_the_exact_one():
    data = (sample(7, 11), sample(7, 12, 0.9))  # C(14, 7) = 3432 relabellings
    exact = permutation_test(data, mean_difference, n_resamples=10_000, alternative="greater").pvalue
    n = 3000
    estimate = permutation_test(data, mean_difference, n_resamples=n, alternative="greater", random_state=0).pvalue
    assert abs(estimate - exact) <= 4.5 * math.sqrt(exact * (1 - exact) / n) + 1 / n


def test_batch_size_does_not_change_the_result(device):
    data, statistic = CASES["pairings"]
    results = [
        permutation_test(
            on(device, *data), statistic, permutation_type="pairings", n_resamples=500, batch=batch, random_state=3
        )
        for batch in (1, 37, 500, None)
    ]
    for result in results[1:]:
        assert_close(result.null_distribution, results[0].null_distribution, rtol=1e-12, atol=1e-15)  # same draws


def test_a_monte_carlo_p_value_is_never_zero():
    x, y = np.arange(30.0), np.arange(30.0) + 100  # no relabelling is as extreme as the observed one
    result = permutation_test((x, y), mean_difference, n_resamples=99, alternative="less", random_state=0)
    assert result.pvalue == pytest.approx(1 / 100)


def test_a_statistic_that_is_not_vectorised_is_explained():
    with pytest.raises(ValueError, match="must be vectorised"):
        permutation_test(([1.0, 2.0], [3.0, 4.0]), lambda x, y, axis=-1: 0.0, n_resamples=9)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: permutation_test(np.ones(3), mean), TypeError, "sequence of samples"),
        (lambda: permutation_test((), mean), ValueError, "at least one sample"),
        (lambda: permutation_test(([1.0, 2.0],), mean), ValueError, "at least 2"),
        (lambda: permutation_test(([1.0], []), mean_difference), ValueError, "sample 1 is empty"),
        (
            lambda: permutation_test(([1.0, 2.0], [3.0]), covariance, permutation_type="pairings"),
            ValueError,
            "one length",
        ),
        (
            lambda: permutation_test(([1.0], [2.0]), mean_difference, permutation_type="bootstrap"),
            ValueError,
            "permutation_type must be one of",
        ),
        (lambda: permutation_test(([1.0], [2.0]), mean_difference, n_resamples=0), ValueError, "n_resamples must be"),
        (
            lambda: permutation_test(([1.0], [2.0]), mean_difference, alternative="up"),
            ValueError,
            "alternative must be",
        ),
        (lambda: permutation_test((np.ones((2, 2)), [2.0]), mean_difference), ValueError, "must be 1-D"),
    ],
)
def test_bad_input_fails_clearly(call, error, message):
    with pytest.raises(error, match=message):
        call()
