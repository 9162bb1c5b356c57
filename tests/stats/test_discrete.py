"""Discrete distributions against scipy.stats, samplers by chi-square tests, fits, autograd and errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minml
from minml import backend
from minml.stats.discrete import Bernoulli, Binomial, Categorical, Multinomial, Poisson
from minml.testing import assert_close, to_host

stats = pytest.importorskip("scipy.stats", reason="SciPy not installed")

# p exactly 0 or 1, or at least 1e-9 from both: for p = 1 - 1e-16, 1 - p keeps one digit and SciPy's
# variance (computed another way) disagrees with n·p·(1 - p) in the second digit
PROBABILITIES = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(1e-9, 1 - 1e-9))
FAMILIES = {
    "Bernoulli": (lambda p: Bernoulli(p["p"]), lambda p: stats.bernoulli(p["p"]), {"p": PROBABILITIES}),
    "Binomial": (lambda p: Binomial(p["n"], p["p"]), lambda p: stats.binom(p["n"], p["p"]),
                 {"n": st.integers(0, 40).map(float), "p": PROBABILITIES}),
    "Poisson": (lambda p: Poisson(p["rate"]), lambda p: stats.poisson(p["rate"]), {"rate": st.floats(0.01, 60)}),
}
TYPICAL = {"Bernoulli": {"p": 0.3}, "Binomial": {"n": 12.0, "p": 0.35}, "Poisson": {"rate": 4.5}}


def on(device, value):
    return backend.to_device(np.asarray(value, dtype=np.float64), device)


def build(name, params, device):
    return FAMILIES[name][0]({key: on(device, value) for key, value in params.items()})


@pytest.mark.parametrize("name", FAMILIES)
@settings(max_examples=10)
@given(data=st.data())
def test_pmfs_cdfs_quantiles_and_moments_match_scipy(device, name, data):
    _, frozen, strategies = FAMILIES[name]
    params = data.draw(st.fixed_dictionaries(strategies))
    reference = frozen(params)
    k = np.arange(-2.0, reference.ppf(0.9999) + 3)
    q = np.array(data.draw(st.lists(st.floats(0.001, 0.999), min_size=1, max_size=5)))
    dist = build(name, params, device)
    assert_close(dist.logpmf(on(device, k)), reference.logpmf(k), rtol=1e-8, atol=1e-10, what="logpmf")
    assert_close(dist.pmf(on(device, k)), reference.pmf(k), rtol=1e-8, atol=1e-14, what="pmf")
    assert_close(dist.cdf(on(device, k + 0.5)), reference.cdf(k + 0.5), rtol=1e-8, atol=1e-14, what="cdf")
    assert_close(dist.sf(on(device, k + 0.5)), reference.sf(k + 0.5), rtol=1e-8, atol=1e-14, what="sf")
    ours, theirs = to_host(dist.ppf(on(device, q))), reference.ppf(q)
    # where q is exactly a CDF value (Binomial(35, 0.5) at 0.5), rounding picks either neighbour: both are right
    tie = np.isclose(reference.cdf(np.minimum(ours, theirs)), q, rtol=1e-12, atol=0) & (np.abs(ours - theirs) == 1)
    assert_close(np.where(tie, theirs, ours), theirs, what="ppf")
    for moment in ("mean", "var", "std", "entropy"):
        assert_close(getattr(dist, moment)(), np.asarray(getattr(reference, moment)()), rtol=1e-8, atol=1e-10,
                     what=moment)


@pytest.mark.parametrize("name", FAMILIES)
def test_quantiles_at_the_ends_and_outside(device, name):
    dist = build(name, TYPICAL[name], device)
    reference = FAMILIES[name][1](TYPICAL[name])
    q = np.array([0.0, 1.0, -0.1, 1.1, 0.5])
    assert_close(dist.ppf(on(device, q)), reference.ppf(q))


def test_non_integer_counts_have_probability_zero(device):
    k = on(device, [1.5, -1.0])
    for dist in (Bernoulli(0.5), Binomial(5, 0.5), Poisson(2.0)):
        assert np.all(to_host(dist.pmf(k)) == 0)


def test_parameters_broadcast(device):
    n, p = np.array([[5.0], [10.0]]), np.array([0.1, 0.5, 0.9])
    dist = Binomial(on(device, n), on(device, p))
    assert dist.batch_shape == (2, 3)
    assert_close(dist.logpmf(on(device, 3.0)), stats.binom(n, p).logpmf(3.0), rtol=1e-10)
    assert_close(dist.entropy(), stats.binom(n, p).entropy(), rtol=1e-8)
    assert_close(dist.ppf(on(device, 0.3)), stats.binom(n, p).ppf(0.3))
    assert to_host(dist.sample((4,), random_state=0)).shape == (4, 2, 3)


# --------------------------------------------------------------------------- Categorical and Multinomial


P = np.array([0.1, 0.25, 0.4, 0.25])


def test_categorical_matches_a_one_draw_multinomial(device):
    dist = Categorical(on(device, P))
    labels = np.array([0, 1, 2, 3, 4, -1, 1.5])
    with np.errstate(divide="ignore"):
        expected = np.concatenate([np.log(P), [-np.inf] * 3])
    assert_close(dist.logpmf(on(device, labels)), expected, rtol=1e-12)
    assert_close(dist.entropy(), np.asarray(stats.multinomial(1, P).entropy()), rtol=1e-10)
    k = np.arange(4)
    assert_close(dist.mean(), np.asarray((k * P).sum()), rtol=1e-12)
    assert_close(dist.var(), np.asarray((k**2 * P).sum() - (k * P).sum() ** 2), rtol=1e-12)


def test_categorical_batches_over_leading_axes(device):
    p = np.array([[0.2, 0.8], [0.6, 0.4], [0.5, 0.5]])
    dist = Categorical(on(device, p))
    assert dist.batch_shape == (3,)
    assert_close(dist.logpmf(on(device, [1, 0, 1])), np.log([0.8, 0.6, 0.5]), rtol=1e-12)
    assert to_host(dist.sample(5, random_state=0)).shape == (5, 3)


@pytest.mark.parametrize("n", [1, 4, 9])
def test_multinomial_matches_scipy(device, n):
    dist = Multinomial(n, on(device, P))
    reference = stats.multinomial(n, P)
    draws = reference.rvs(6, random_state=np.random.default_rng(n))
    x = np.concatenate([draws, [[n, 1, 0, -1], [0.5, n - 0.5, 0, 0], [n + 1, 0, 0, 0]]])
    assert_close(dist.logpmf(on(device, x)), reference.logpmf(x), rtol=1e-10)
    assert_close(dist.entropy(), np.asarray(reference.entropy()), rtol=1e-10)
    assert_close(dist.mean(), reference.mean(), rtol=1e-12)
    assert_close(dist.cov(), reference.cov(), rtol=1e-12, atol=1e-15)
    assert_close(dist.var(), np.diag(reference.cov()), rtol=1e-12)


# --------------------------------------------------------------------------- sampling


def _chi_square_p_value(draws, pmf, support):
    observed = np.array([(draws == k).sum() for k in support])
    expected = pmf(support) * draws.size
    expected = expected * observed.sum() / expected.sum()  # the tail beyond the support is lumped away
    return stats.chisquare(observed, expected).pvalue


@pytest.mark.parametrize("name", FAMILIES)
def test_samples_pass_a_chi_square_test(device, name):
    dist = build(name, TYPICAL[name], device)
    draws = dist.sample(5000, random_state=3)
    assert backend.device_of(draws) == backend.device(device)
    host = to_host(draws)
    support = np.arange(0, FAMILIES[name][1](TYPICAL[name]).ppf(0.999) + 1)
    assert _chi_square_p_value(host, FAMILIES[name][1](TYPICAL[name]).pmf, support) > 1e-3


def test_categorical_samples_pass_a_chi_square_test(device):
    draws = to_host(Categorical(on(device, P)).sample(5000, random_state=4))
    assert draws.dtype.kind == "i"
    assert _chi_square_p_value(draws, lambda k: P[k.astype(int)], np.arange(4)) > 1e-3


def test_multinomial_samples_have_the_right_totals_and_means(device):
    draws = to_host(Multinomial(6, on(device, P)).sample(4000, random_state=5))
    assert draws.shape == (4000, 4) and np.all(draws.sum(axis=1) == 6)
    assert np.all(np.abs(draws.mean(axis=0) - 6 * P) < 5 * np.sqrt(6 * P * (1 - P) / 4000))


@pytest.mark.parametrize("name", FAMILIES)
def test_one_seed_gives_the_same_draws_on_every_device(device, name):
    assert_close(build(name, TYPICAL[name], device).sample(7, random_state=1),
                 build(name, TYPICAL[name], "cpu").sample(7, random_state=1))


# --------------------------------------------------------------------------- fitting


def test_fits_are_the_observed_frequencies(device):
    rng = np.random.default_rng(0)
    flips = rng.binomial(1, 0.3, size=200).astype(float)
    counts = rng.poisson(3.0, size=200).astype(float)
    successes = rng.binomial(8, 0.6, size=200).astype(float)
    labels = rng.integers(0, 4, size=300).astype(float)
    rows = rng.multinomial(5, P, size=100).astype(float)
    assert_close(Bernoulli.fit(on(device, flips)).p, np.asarray(flips.mean()), rtol=1e-12)
    assert_close(Poisson.fit(on(device, counts)).rate, np.asarray(counts.mean()), rtol=1e-12)
    assert_close(Binomial.fit(on(device, successes), n=8).p, np.asarray(successes.mean() / 8), rtol=1e-12)
    assert_close(Categorical.fit(on(device, labels)).p, np.bincount(labels.astype(int)) / 300, rtol=1e-12)
    assert Categorical.fit(on(device, [0.0, 1.0]), n_categories=3).n_categories == 3
    fitted = Multinomial.fit(on(device, rows))
    assert fitted.n == 5
    assert_close(fitted.p, rows.sum(axis=0) / 500, rtol=1e-12)
    with pytest.raises(ValueError, match="same number of draws"):
        Multinomial.fit(np.array([[1.0, 2.0], [1.0, 1.0]]))


# --------------------------------------------------------------------------- autograd


def test_log_probabilities_differentiate_in_the_parameters(device):
    k = on(device, [0.0, 2.0, 5.0])
    assert minml.gradcheck(lambda p: Bernoulli(p).logpmf(on(device, [0.0, 1.0, 1.0])), on(device, [0.3, 0.6, 0.5]))
    assert minml.gradcheck(lambda rate: Poisson(rate).logpmf(k), on(device, [0.7, 2.0, 3.0]))
    assert minml.gradcheck(lambda p: Categorical(p).logpmf(on(device, [0, 2, 1, 2])), on(device, [0.2, 0.3, 0.5]))
    assert minml.gradcheck(lambda p: Binomial(7, p).logpmf(k), on(device, 0.4))
    assert minml.gradcheck(lambda p: Multinomial(5, p).logpmf(on(device, [[1, 1, 3], [0, 5, 0]])),
                           on(device, [0.2, 0.3, 0.5]))


def test_poisson_rate_by_gradient_ascent_is_the_mean(device):
    counts = on(device, np.random.default_rng(1).poisson(3.0, size=100).astype(float))
    log_rate = minml.tensor(on(device, 0.0), requires_grad=True)
    for _ in range(100):
        log_rate.grad = None
        (-Poisson(log_rate.exp()).logpmf(counts).mean()).backward()
        with minml.no_grad():
            log_rate.data -= 0.3 * log_rate.grad
    assert_close(log_rate.exp(), Poisson.fit(counts).rate, rtol=1e-8)


def test_categorical_by_gradient_ascent_on_softmax_logits_is_the_frequencies(device):
    labels = on(device, [0, 1, 1, 2, 2, 2, 2, 0])
    logits = minml.tensor(on(device, np.zeros(3)), requires_grad=True)
    for _ in range(300):
        logits.grad = None
        (-Categorical(logits.softmax()).logpmf(labels).mean()).backward()
        with minml.no_grad():
            logits.data -= 2.0 * logits.grad
    assert_close(logits.softmax(), np.array([0.25, 0.25, 0.5]), rtol=1e-5)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("make,message", [
    (lambda: Bernoulli(1.5), r"p must be in \[0, 1\]; got 1.5"),
    (lambda: Binomial(2.5, 0.5), "n must be a non-negative integer; got 2.5"),
    (lambda: Binomial(-1, 0.5), "n must be a non-negative integer; got -1"),
    (lambda: Poisson(-0.5), "rate must be >= 0; got -0.5"),
    (lambda: Categorical([0.5, 0.4]), "probabilities must sum to 1; got 0.9"),
    (lambda: Categorical([1.2, -0.2]), "p must be >= 0; got -0.2"),
    (lambda: Categorical(0.5), "p must be a vector"),
    (lambda: Multinomial(3.5, [0.5, 0.5]), "n must be a non-negative integer"),
])
def test_invalid_parameters_raise_clear_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()
