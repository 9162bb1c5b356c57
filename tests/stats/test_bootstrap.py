"""bootstrap_ci and bootstrap_indices: against scipy.stats.bootstrap, properties, warnings and errors."""

import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from minml import backend
from minml.stats import BootstrapResult, DegenerateDataWarning, bootstrap_ci, bootstrap_indices
from minml.testing import assert_close, to_host

METHODS = ["percentile", "basic", "BCa"]


# Statistics in the vectorised form bootstrap_ci (and scipy) call: 2-D (rows, observations), reduce axis -1.
def mean(x, axis=-1):
    return x.mean(axis=axis)


def median(x, axis=-1):
    return backend.namespace(x).median(x, axis=axis)


def std(x, axis=-1):
    return x.std(axis=axis)


def mean_difference(x, y, axis=-1):
    return x.mean(axis=axis) - y.mean(axis=axis)


def distinct_values(x, axis=-1):
    """How many different values each row holds: a resample repeats some, so it always has fewer."""
    ordered = backend.namespace(x).sort(x, axis=axis)
    return (ordered[..., 1:] != ordered[..., :-1]).sum(axis=axis) + 1


ONE_SAMPLE = {"mean": mean, "median": median, "std": std}


def skewed(n, seed):
    """Exponential data: skewed, so the three methods give visibly different intervals."""
    return np.random.default_rng(seed).exponential(size=n)


def on(device, *arrays):
    return tuple(backend.to_device(a, device) for a in arrays)


# --------------------------------------------------------------------------- against scipy


def scipy_stats():
    return pytest.importorskip("scipy.stats", reason="SciPy not installed")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", ["mean", "median", "std", "paired difference"])
def test_same_draws_as_scipy_give_the_same_interval(device, method, name):
    # One sample (or paired samples) draws exactly as scipy does from one seed, so every
    # step after the draws (quantiles, ties in z0, the jackknife's acceleration) must agree to rounding.
    stats = scipy_stats()
    x, y = skewed(40, 1), skewed(40, 2)
    data, statistic = ((x, y), mean_difference) if name == "paired difference" else ((x,), ONE_SAMPLE[name])
    ours = bootstrap_ci(
        on(device, *data),
        statistic,
        method=method,
        n_resamples=999,
        batch=70,
        random_state=3,
        paired=name == "paired difference",
    )
    theirs = stats.bootstrap(data, statistic, method=method, n_resamples=999, rng=3, paired=name == "paired difference")
    assert_close(ours.bootstrap_distribution, theirs.bootstrap_distribution, rtol=1e-12, atol=1e-12)
    assert_close(np.array(ours.confidence_interval), np.array(theirs.confidence_interval), rtol=1e-10, atol=1e-12)
    assert ours.standard_error == pytest.approx(theirs.standard_error, rel=1e-10)


def endpoint_tolerance(distribution, value, n_resamples, widths=4.0):
    """How far two independent bootstrap estimates of the quantile at ``value`` may differ by chance.

    The empirical p-quantile of B draws moves by about δ = √(p(1 − p)/B) in probability, so
    its standard error is about (Q(p + δ) − Q(p − δ)) / 2 (this also covers discrete
    distributions such as the median's). δ is doubled because BCa also estimates its
    levels from the draws; two independent estimates differ by √2 standard errors; allow
    ``widths`` of those.
    """
    p = float(np.mean(distribution <= value))
    delta = 2 * np.sqrt(max(p * (1 - p), 1 / n_resamples) / n_resamples)
    upper, lower = np.quantile(distribution, [min(p + delta, 1.0), max(p - delta, 0.0)])
    return widths * np.sqrt(2) * (upper - lower) / 2


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", ["mean", "median", "std", "difference of means"])
def test_matches_scipy_within_monte_carlo_error(device, method, name):
    stats = scipy_stats()
    x, y = skewed(60, 4), skewed(45, 5) + 0.5
    data, statistic = ((x, y), mean_difference) if name == "difference of means" else ((x,), ONE_SAMPLE[name])
    B = 10_000
    ours = bootstrap_ci(on(device, *data), statistic, method=method, n_resamples=B, random_state=11)
    theirs = stats.bootstrap(data, statistic, method=method, n_resamples=B, rng=12)  # independent draws
    distribution = to_host(ours.bootstrap_distribution)
    observed = float(statistic(*(d[None, :] for d in data))[0])
    for mine, reference in zip(ours.confidence_interval, theirs.confidence_interval):
        quantile = 2 * observed - mine if method == "basic" else mine  # basic reflects the quantiles around θ̂
        assert abs(mine - reference) <= endpoint_tolerance(distribution, quantile, B), (mine, reference)
    # the standard deviation of B draws has a relative standard error of 1/√(2(B - 1))
    se_tolerance = 4 * np.sqrt(2) * ours.standard_error / np.sqrt(2 * (B - 1))
    assert abs(ours.standard_error - theirs.standard_error) <= se_tolerance


# --------------------------------------------------------------------------- properties


@settings(max_examples=10)
@given(
    half=st.lists(st.floats(-5, 5, allow_nan=False), min_size=1, max_size=15),
    centre=st.floats(-3, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_percentile_interval_of_the_mean_of_symmetric_data_contains_it(device, half, centre, seed):
    # data mirrored around `centre`: the bootstrap distribution of the mean is symmetric around the mean
    offsets = np.array(half)
    assume(np.ptp(offsets) > 1e-3 or abs(offsets[0]) > 1e-3)  # not all one value
    x = np.concatenate([centre + offsets, centre - offsets])
    result = bootstrap_ci(on(device, x), mean, method="percentile", n_resamples=199, random_state=seed)
    low, high = result.confidence_interval
    assert low <= x.mean() <= high


@st.composite
def one_or_two_samples(draw):
    """(data, statistic, paired): one sample with a one-sample statistic, or two samples, paired or not."""
    values = st.floats(-10, 10, allow_nan=False)
    n = draw(st.integers(2, 12))
    x = np.array(draw(st.lists(values, min_size=n, max_size=n)))
    if draw(st.booleans()):
        return (x,), ONE_SAMPLE[draw(st.sampled_from(sorted(ONE_SAMPLE)))], False
    paired = draw(st.booleans())
    m = n if paired else draw(st.integers(2, 12))
    y = np.array(draw(st.lists(values, min_size=m, max_size=m)))
    return (x, y), mean_difference, paired


def quietly(data, statistic, **options):
    """bootstrap_ci, with the degenerate-data warning of a rare constant sample silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        return bootstrap_ci(data, statistic, **options)


@settings(max_examples=10)
@given(sample=one_or_two_samples(), method=st.sampled_from(METHODS), seed=st.integers(0, 2**32 - 1))
def test_a_seed_gives_one_result_on_every_device(device, sample, method, seed):
    data, statistic, paired = sample
    options = dict(method=method, n_resamples=50, paired=paired, random_state=seed)
    first = quietly(on(device, *data), statistic, **options)
    again = quietly(on(device, *data), statistic, **options)
    on_cpu = quietly(data, statistic, **options)
    for other in (again, on_cpu):
        assert_close(first.bootstrap_distribution, other.bootstrap_distribution, rtol=1e-12, atol=1e-12)
        assert_close(np.array(first.confidence_interval), np.array(other.confidence_interval), rtol=1e-12, atol=1e-12)
    assert backend.device_of(first.bootstrap_distribution) == backend.device(device)


@settings(max_examples=10)
@given(
    sample=one_or_two_samples(),
    method=st.sampled_from(METHODS),
    batch=st.integers(1, 60),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_batch_size_does_not_change_the_result(device, sample, method, batch, seed):
    data, statistic, paired = sample
    options = dict(method=method, n_resamples=50, paired=paired, random_state=seed)
    whole = quietly(on(device, *data), statistic, batch=50, **options)
    batched = quietly(on(device, *data), statistic, batch=batch, **options)
    assert_close(batched.bootstrap_distribution, whole.bootstrap_distribution, rtol=1e-12, atol=1e-12)
    assert_close(np.array(batched.confidence_interval), np.array(whole.confidence_interval), rtol=1e-12, atol=1e-12)


def test_the_distribution_is_the_statistic_on_bootstrap_indices(device):
    # one resampling implementation: bootstrap_ci's draws are bootstrap_indices' draws
    x = backend.to_device(skewed(30, 6), device)
    result = bootstrap_ci((x,), mean, n_resamples=120, batch=25, random_state=7)
    generator = backend.rng(7, device)
    by_hand = [x[bootstrap_indices(30, 40, generator, device)].mean(axis=-1) for _ in range(3)]
    assert_close(result.bootstrap_distribution, np.concatenate([to_host(b) for b in by_hand]), rtol=1e-12)
    assert isinstance(result, BootstrapResult)
    assert result.standard_error == pytest.approx(float(np.std(to_host(result.bootstrap_distribution), ddof=1)))


def test_bootstrap_indices_draw_with_replacement_on_the_device(device):
    indices = bootstrap_indices(20, 500, random_state=0, device=device)
    assert backend.device_of(indices) == backend.device(device)
    host = to_host(indices)
    assert host.shape == (500, 20) and host.dtype == np.int64
    assert host.min() == 0 and host.max() == 19
    assert all(len(np.unique(row)) < 20 for row in host[:50])  # with replacement: repeats (fails w.p. ~2e-8 per row)
    np.testing.assert_array_equal(host, np.random.default_rng(0).integers(0, 20, (500, 20)))


@pytest.mark.parametrize("method", ["percentile", "BCa"])
def test_one_sided_intervals_take_one_end_of_a_wider_two_sided_one(device, method):
    x = on(device, skewed(50, 8))
    two_sided = bootstrap_ci(x, mean, method=method, confidence_level=0.9, random_state=1, n_resamples=999)
    less = bootstrap_ci(
        x, mean, method=method, confidence_level=0.95, alternative="less", random_state=1, n_resamples=999
    )
    greater = bootstrap_ci(
        x, mean, method=method, confidence_level=0.95, alternative="greater", random_state=1, n_resamples=999
    )
    assert less.confidence_interval == (-np.inf, pytest.approx(two_sided.confidence_interval.high))
    assert greater.confidence_interval == (pytest.approx(two_sided.confidence_interval.low), np.inf)


# --------------------------------------------------------------------------- degenerate data


@pytest.mark.parametrize("method", ["percentile", "basic"])
def test_constant_data_warn_of_a_zero_width_interval(device, method):
    x = on(device, np.full(10, 2.5))
    with pytest.warns(DegenerateDataWarning, match="all 99 bootstrap statistics equal 2.5.*zero width"):
        result = bootstrap_ci(x, mean, method=method, n_resamples=99, random_state=0)
    assert result.confidence_interval == (2.5, 2.5)


def test_constant_data_make_bca_nan_and_say_why(device):
    x = on(device, np.full(10, 2.5))
    with pytest.warns(DegenerateDataWarning, match="zero width.*acceleration is NaN: the jackknife statistics"):
        result = bootstrap_ci(x, mean, method="BCa", n_resamples=99, random_state=0)
    assert np.isnan(result.confidence_interval.low) and np.isnan(result.confidence_interval.high)


def test_bca_says_when_the_observed_statistic_lies_outside_every_bootstrap_one(device):
    x = on(device, np.arange(30.0))  # 30 distinct values; a resample of them always has fewer
    with pytest.warns(DegenerateDataWarning, match="lies above every bootstrap statistic.*z0 is inf"):
        result = bootstrap_ci(x, distinct_values, method="BCa", n_resamples=99, random_state=0)
    assert np.isnan(result.confidence_interval.low)


def test_nan_statistics_are_reported(device):
    x = on(device, np.array([1.0, 2.0, np.nan, 4.0]))
    with pytest.warns(DegenerateDataWarning, match="some bootstrap statistics are NaN"):
        bootstrap_ci(x, mean, method="percentile", n_resamples=99, random_state=0)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(confidence_level=1.0), r"confidence_level must be a float in the range \(0, 1\); got 1.0"),
        (dict(confidence_level=0), r"confidence_level must be a float in the range \(0, 1\); got 0"),
        (dict(confidence_level=-0.5), r"confidence_level must be .*got -0.5"),
        (dict(n_resamples=0), r"n_resamples must be an int ≥ 1; got 0"),
        (dict(n_resamples=10.5), r"n_resamples must be an int ≥ 1; got 10.5"),
        (dict(batch=0), r"batch must be an int ≥ 1; got 0"),
        (dict(method="bootstrap-t"), r"method must be one of 'percentile', 'basic', 'BCa'; got 'bootstrap-t'"),
        (dict(alternative="both"), r"alternative must be one of 'two-sided', 'less', 'greater'; got 'both'"),
    ],
)
def test_invalid_parameters_are_named_with_their_valid_values(device, options, message):
    with pytest.raises(ValueError, match=message):
        bootstrap_ci(on(device, np.arange(5.0)), mean, **options)


def test_invalid_data_say_what_to_do(device):
    x = backend.to_device(np.arange(5.0), device)
    with pytest.raises(TypeError, match=r"data must be a sequence of samples.*bootstrap_ci\(\(x,\), statistic\)"):
        bootstrap_ci(x, mean)
    with pytest.raises(ValueError, match="sample 1 is empty"):
        bootstrap_ci((x, x[:0]), mean_difference)
    with pytest.raises(ValueError, match=r"sample 0 must be 1-D .*got shape \(5, 1\)"):
        bootstrap_ci((x[:, None],), mean)
    with pytest.raises(ValueError, match=r"paired=True .*lengths must agree; got \[5, 3\]"):
        bootstrap_ci((x, x[:3]), mean_difference, paired=True)
    with pytest.raises(ValueError, match="method='BCa' needs at least 2 observations"):
        bootstrap_ci((x[:1],), mean, method="BCa")
    elsewhere = backend.to_device(np.arange(5.0), "fake" if device == "cpu" else "cpu")
    with pytest.raises(backend.DeviceMismatchError, match="arrays on different devices"):
        bootstrap_ci((x, elsewhere), mean_difference)


def test_a_statistic_that_is_not_vectorised_is_explained(device):
    x = on(device, np.arange(5.0))
    with pytest.raises(TypeError, match=r"statistic must be vectorised: .*axis=-1.*lambda x, axis=-1"):
        bootstrap_ci(x, lambda sample: sample.mean())
    with pytest.raises(ValueError, match=r"must return one value per row, shape \(1,\); it returned shape \(\)"):
        bootstrap_ci(x, lambda sample, axis=-1: sample.mean())
