"""Conjugate models: closed-form posteriors against scipy.stats, sequential = batch updating, predictives by
Monte Carlo, credible intervals by their mass, the predictive families against scipy, on every device."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minml import backend
from minml.stats.conjugate import (
    BetaBinomial,
    BetaBinomialDistribution,
    CredibleInterval,
    DirichletCategorical,
    DirichletMultinomial,
    GammaPoisson,
    InverseGamma,
    NegativeBinomial,
    NormalInverseGamma,
    NormalInverseGammaDistribution,
    NormalKnownVariance,
    beta_binomial_posterior,
)
from minml.stats.continuous import Beta, Gamma, Normal, StudentT
from minml.stats.discrete import Categorical
from minml.stats.multivariate import Dirichlet
from minml.testing import assert_close, to_host

stats = pytest.importorskip("scipy.stats", reason="SciPy not installed")

positive = st.floats(0.2, 20.0)
location = st.floats(-10.0, 10.0)


def on(device, value):
    return backend.to_device(np.asarray(value, dtype=np.float64), device)


def values(model):
    """The model's hyperparameters as host floats/arrays, by name."""
    return {name: to_host(getattr(model, name)) for name in model._hyper_names}


def host_rng(seed):
    return np.random.default_rng(seed)


# --------------------------------------------------------------------------- closed forms against scipy


@settings(max_examples=10)
@given(alpha=positive, beta=positive, trials=st.integers(1, 12), seed=st.integers(0, 2**16))
def test_beta_binomial_posterior_is_the_closed_form_and_scipy_beta(device, alpha, beta, trials, seed):
    successes = host_rng(seed).binomial(trials, 0.3, size=7)
    model = BetaBinomial(alpha, beta).update(on(device, successes), trials=trials)
    a, b = alpha + successes.sum(), beta + (trials - successes).sum()
    assert values(model) == pytest.approx({"alpha": a, "beta": b}, rel=1e-12)
    assert isinstance(model.posterior, Beta)
    grid = np.linspace(0.01, 0.99, 9)
    assert backend.device_of(model.posterior.logpdf(on(device, grid))) == backend.device(device)
    assert_close(model.posterior.logpdf(on(device, grid)), stats.beta(a, b).logpdf(grid), rtol=1e-9)
    assert_close(model.posterior.mean(), stats.beta(a, b).mean(), rtol=1e-12)


@settings(max_examples=10)
@given(alpha=positive, beta=positive, seed=st.integers(0, 2**16))
def test_gamma_poisson_posterior_is_the_closed_form_and_scipy_gamma(device, alpha, beta, seed):
    counts = host_rng(seed).poisson(3.0, size=9)
    model = GammaPoisson(alpha, beta).update(on(device, counts))
    a, b = alpha + counts.sum(), beta + counts.size
    assert values(model) == pytest.approx({"alpha": a, "beta": b}, rel=1e-12)
    assert isinstance(model.posterior, Gamma)
    grid = np.linspace(0.1, 8.0, 9)
    assert_close(model.posterior.logpdf(on(device, grid)), stats.gamma(a, scale=1 / b).logpdf(grid), rtol=1e-9)
    assert_close(model.posterior.var(), stats.gamma(a, scale=1 / b).var(), rtol=1e-12)


@settings(max_examples=10)
@given(mu=location, tau=positive, sigma=positive, seed=st.integers(0, 2**16))
def test_normal_known_variance_posterior_is_the_closed_form(device, mu, tau, sigma, seed):
    x = host_rng(seed).normal(2.0, sigma, size=6)
    model = NormalKnownVariance(mu, tau, sigma).update(on(device, x))
    precision = 1 / tau**2 + x.size / sigma**2
    mean = (mu / tau**2 + x.sum() / sigma**2) / precision
    assert values(model) == pytest.approx({"mu": mean, "tau": precision**-0.5, "sigma": sigma}, rel=1e-10, abs=1e-12)
    assert isinstance(model.posterior, Normal)
    grid = np.linspace(-5, 5, 7)
    expected = stats.norm(mean, precision**-0.5)
    assert_close(model.posterior.logpdf(on(device, grid)), expected.logpdf(grid), rtol=1e-9)
    predictive = stats.norm(mean, np.sqrt(1 / precision + sigma**2))
    assert_close(model.posterior_predictive().logpdf(on(device, grid)), predictive.logpdf(grid), rtol=1e-9)


@settings(max_examples=10)
@given(mu=location, kappa=positive, alpha=positive, beta=positive, seed=st.integers(0, 2**16))
def test_normal_inverse_gamma_posterior_is_the_closed_form_and_scipy(device, mu, kappa, alpha, beta, seed):
    x = host_rng(seed).normal(1.0, 2.0, size=8)
    model = NormalInverseGamma(mu, kappa, alpha, beta).update(on(device, x))
    n, mean = x.size, x.mean()
    expected = {
        "mu": (kappa * mu + n * mean) / (kappa + n),
        "kappa": kappa + n,
        "alpha": alpha + n / 2,
        "beta": beta + 0.5 * ((x - mean) ** 2).sum() + kappa * n * (mean - mu) ** 2 / (2 * (kappa + n)),
    }
    assert values(model) == pytest.approx(expected, rel=1e-10, abs=1e-12)
    posterior = model.posterior
    assert isinstance(posterior, NormalInverseGammaDistribution)
    reference = stats.normal_inverse_gamma(expected["mu"], expected["kappa"], expected["alpha"], expected["beta"])
    mus, variances = np.array([-1.0, 0.5, 2.0]), np.array([0.5, 2.0, 6.0])
    assert_close(posterior.logpdf(on(device, mus), on(device, variances)), reference.logpdf(mus, variances),
                 rtol=1e-9)
    for ours, theirs in zip(posterior.mean(), reference.mean()):
        assert_close(ours, theirs, rtol=1e-10)
    marginal = posterior.marginal_mean()
    assert isinstance(marginal, StudentT)
    scale = np.sqrt(expected["beta"] / (expected["alpha"] * expected["kappa"]))
    t = stats.t(2 * expected["alpha"], expected["mu"], scale)
    assert_close(marginal.logpdf(on(device, mus)), t.logpdf(mus), rtol=1e-9)
    assert_close(posterior.marginal_variance().logpdf(on(device, variances)),
                 stats.invgamma(expected["alpha"], scale=expected["beta"]).logpdf(variances), rtol=1e-9)


def test_normal_inverse_gamma_marginal_mean_is_the_integral_of_the_joint(device):
    """∫ f(μ, σ²) dσ² over a fine grid equals the Student t marginal of μ."""
    posterior = NormalInverseGamma(0.5, 2.0, 3.0, 2.0).update(on(device, [0.1, 1.3, -0.4, 0.8])).posterior
    s2 = np.linspace(1e-3, 60.0, 200_001)
    for mu in (-0.5, 0.4, 1.5):
        joint = to_host(posterior.pdf(on(device, np.full_like(s2, mu)), on(device, s2)))
        integral = np.sum((joint[1:] + joint[:-1]) / 2 * np.diff(s2))
        assert integral == pytest.approx(to_host(posterior.marginal_mean().pdf(on(device, mu))), rel=1e-5)


@settings(max_examples=10)
@given(alpha=st.lists(positive, min_size=2, max_size=5), seed=st.integers(0, 2**16))
def test_dirichlet_categorical_posterior_is_the_closed_form_and_scipy(device, alpha, seed):
    k = len(alpha)
    labels = host_rng(seed).integers(0, k, size=11)
    model = DirichletCategorical(on(device, alpha)).update(on(device, labels))
    expected = np.asarray(alpha) + np.bincount(labels, minlength=k)
    assert_close(model.alpha, expected, rtol=1e-12)
    assert isinstance(model.posterior, Dirichlet)
    point = np.full(k, 1 / k)
    assert_close(model.posterior.logpdf(on(device, point)), stats.dirichlet(expected).logpdf(point), rtol=1e-9)
    next_label = model.posterior_predictive()
    assert isinstance(next_label, Categorical)
    assert_close(next_label.p, expected / expected.sum(), rtol=1e-12)


# --------------------------------------------------------------------------- sequential = batch


MODELS = {
    "BetaBinomial": (lambda device: BetaBinomial(2.0, 3.0), lambda rng, n: rng.binomial(1, 0.3, n)),
    "GammaPoisson": (lambda device: GammaPoisson(1.5, 0.5), lambda rng, n: rng.poisson(4.0, n)),
    "NormalKnownVariance": (lambda device: NormalKnownVariance(1.0, 2.0, 0.5), lambda rng, n: rng.normal(0.3, 0.5, n)),
    "NormalInverseGamma": (lambda device: NormalInverseGamma(0.0, 0.5, 2.0, 1.0),
                           lambda rng, n: rng.normal(-1.0, 3.0, n)),
    "DirichletCategorical": (lambda device: DirichletCategorical(on(device, [1.0, 2.0, 0.5])),
                             lambda rng, n: rng.integers(0, 3, n)),
}


@pytest.mark.parametrize("name", MODELS)
@settings(max_examples=10)
@given(cuts=st.lists(st.integers(0, 20), max_size=4), seed=st.integers(0, 2**16))
def test_sequential_updating_equals_batch_updating(device, name, cuts, seed):
    """Yesterday's posterior is today's prior: updating batch by batch (even one empty) gives the batch posterior."""
    make, draw = MODELS[name]
    data = draw(host_rng(seed), 20)
    prior = make(device)
    batch = prior.update(on(device, data))
    sequential = prior
    for chunk in np.split(data, sorted(cuts)):
        sequential = sequential.update(on(device, chunk))
    for key, value in values(batch).items():
        assert_close(getattr(sequential, key), value, rtol=1e-10, atol=1e-12, what=key)
    for key, value in values(make(device)).items():
        assert np.array_equal(to_host(getattr(prior, key)), value), "update must not change the model it is called on"


def test_one_observation_at_a_time(device):
    """A number is one observation: Beta(1, 1) after success, failure, success is Beta(3, 2)."""
    model = BetaBinomial()
    for outcome in (1, 0, 1):
        model = model.update(outcome)
    assert values(model) == {"alpha": 3.0, "beta": 2.0}


def test_batches_of_models_broadcast_against_the_data(device):
    """Array hyperparameters hold independent models; observations run along axis 0."""
    successes = np.array([[1, 0], [3, 2], [2, 2]])
    model = BetaBinomial(on(device, [1.0, 2.0]), 1.0).update(on(device, successes), trials=on(device, [3, 4]))
    assert_close(model.alpha, [1 + 6, 2 + 4])
    assert_close(model.beta, [1 + 3, 1 + 8])
    low, high = model.credible_interval(0.9)
    assert_close(low, stats.beta([7, 6], [4, 9]).ppf(0.05), rtol=1e-9)
    assert_close(high, stats.beta([7, 6], [4, 9]).ppf(0.95), rtol=1e-9)


def test_beta_binomial_posterior_pure_function(device):
    alpha, beta = beta_binomial_posterior(2.0, 3.0, on(device, [[1, 4], [0, 2]]), on(device, [2, 5]))
    assert_close(alpha, [3.0, 8.0])
    assert_close(beta, [3 + 1 + 2, 3 + 1 + 3])


# --------------------------------------------------------------------------- predictives by Monte Carlo


def frequencies_match(draws, pmf, support, n_draws):
    """Empirical frequencies within 5 standard errors (+1e-3) of the predictive pmf at every support point."""
    observed = np.array([(draws == k).mean() for k in support])
    tolerance = 5 * np.sqrt(pmf * (1 - pmf) / n_draws) + 1e-3
    assert np.all(np.abs(observed - pmf) <= tolerance), (observed, pmf)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-6), "the support checked must hold (nearly) all the mass"


N_DRAWS = 100_000


def test_beta_binomial_predictive_by_monte_carlo(device):
    """Draw p from the posterior, then k ~ Binomial(n, p): the draws follow BetaBinomial(n, α', β')."""
    model = BetaBinomial(2.0, 2.0).update(on(device, [3, 1, 4]), trials=5)
    p = to_host(model.posterior.sample(N_DRAWS, random_state=0))
    k = host_rng(1).binomial(6, p)
    predictive = model.posterior_predictive(6)
    support = np.arange(7.0)
    frequencies_match(k, to_host(predictive.pmf(on(device, support))), support, N_DRAWS)
    assert_close(predictive.pmf(on(device, support)), stats.betabinom(6, 10.0, 9.0).pmf(support), rtol=1e-10)


def test_gamma_poisson_predictive_by_monte_carlo(device):
    model = GammaPoisson(3.0, 1.0).update(on(device, [2, 5, 3, 4]))
    rate = to_host(model.posterior.sample(N_DRAWS, random_state=0))
    counts = host_rng(1).poisson(rate)
    predictive = model.posterior_predictive()
    support = np.arange(31.0)
    frequencies_match(counts, to_host(predictive.pmf(on(device, support))), support, N_DRAWS)
    assert_close(predictive.pmf(on(device, support)), stats.nbinom(17.0, 5 / 6).pmf(support), rtol=1e-10)


def ks_against(draws, distribution, device):
    cdf = lambda t: to_host(distribution.cdf(on(device, t)))  # noqa: E731
    return stats.kstest(draws, cdf).pvalue


def test_normal_predictives_by_monte_carlo(device):
    """x̃ = μ + σ z with μ (and σ²) drawn from the posterior follows the Normal / Student t predictive."""
    known = NormalKnownVariance(0.0, 3.0, 2.0).update(on(device, [1.0, 2.5, 0.5]))
    mu = to_host(known.posterior.sample(20_000, random_state=0))
    draws = mu + 2.0 * host_rng(1).standard_normal(mu.shape)
    assert ks_against(draws, known.posterior_predictive(), device) > 1e-3

    unknown = NormalInverseGamma(0.0, 1.0, 2.0, 2.0).update(on(device, [1.0, 2.5, 0.5, -0.3]))
    mu, sigma2 = (to_host(v) for v in unknown.posterior.sample(20_000, random_state=0))
    draws = mu + np.sqrt(sigma2) * host_rng(1).standard_normal(mu.shape)
    predictive = unknown.posterior_predictive()
    assert isinstance(predictive, StudentT)
    assert ks_against(draws, predictive, device) > 1e-3
    assert ks_against(mu, unknown.posterior.marginal_mean(), device) > 1e-3
    assert ks_against(sigma2, unknown.posterior.marginal_variance(), device) > 1e-3


def test_dirichlet_multinomial_predictive_by_monte_carlo(device):
    model = DirichletCategorical(on(device, [1.0, 1.0, 2.0])).update(on(device, [0, 2, 2, 1, 2]))
    p = to_host(model.posterior.sample(N_DRAWS, random_state=0))
    counts = host_rng(1).multinomial(4, p)
    predictive = model.posterior_predictive(4)
    assert isinstance(predictive, DirichletMultinomial)
    outcomes = np.array([[4, 0, 0], [1, 1, 2], [0, 0, 4], [2, 1, 1]])
    pmf = to_host(predictive.pmf(on(device, outcomes)))
    observed = np.array([(counts == row).all(axis=1).mean() for row in outcomes])
    assert np.all(np.abs(observed - pmf) <= 5 * np.sqrt(pmf * (1 - pmf) / N_DRAWS) + 1e-3)
    assert_close(predictive.mean(), counts.mean(axis=0), rtol=0.02)
    assert_close(predictive.cov(), np.cov(counts.T), rtol=0.05, atol=0.01)


# --------------------------------------------------------------------------- credible intervals


@pytest.mark.parametrize("level", [0.5, 0.9, 0.99])
def test_credible_intervals_hold_their_mass_in_equal_tails(device, level):
    models = [
        BetaBinomial(1.0, 1.0).update(on(device, [1, 0, 1, 1])),
        GammaPoisson(2.0, 1.0).update(on(device, [3, 1, 2])),
        NormalKnownVariance(0.0, 1.0, 1.0).update(on(device, [0.3, 1.2])),
        NormalInverseGamma(0.0, 1.0, 2.0, 2.0).update(on(device, [0.3, 1.2, -0.5])),
    ]
    for model in models:
        interval = model.credible_interval(level)
        assert isinstance(interval, CredibleInterval)
        assert type(interval.low) is float and type(interval.high) is float
        marginal = model.posterior.marginal_mean() if isinstance(model, NormalInverseGamma) else model.posterior
        below, above = (to_host(marginal.cdf(on(device, end))) for end in interval)
        assert below == pytest.approx((1 - level) / 2, abs=1e-9)
        assert above == pytest.approx((1 + level) / 2, abs=1e-9)


def test_credible_intervals_cover_posterior_draws(device):
    """About ``level`` of the posterior's own draws fall inside, for each component of a Dirichlet too."""
    level = 0.8
    beta = BetaBinomial(2.0, 5.0).update(on(device, [2, 3]), trials=6)
    draws = to_host(beta.posterior.sample(N_DRAWS, random_state=0))
    low, high = beta.credible_interval(level)
    assert np.mean((draws > low) & (draws < high)) == pytest.approx(level, abs=0.005)

    dirichlet = DirichletCategorical(on(device, [1.0, 2.0, 3.0])).update(on(device, [0, 1, 1, 2]))
    draws = to_host(dirichlet.posterior.sample(N_DRAWS, random_state=0))
    low, high = (to_host(end) for end in dirichlet.credible_interval(level))
    assert low.shape == (3,)
    coverage = ((draws > low) & (draws < high)).mean(axis=0)
    assert_close(coverage, np.full(3, level), atol=0.005)

    nig = NormalInverseGamma(0.0, 1.0, 3.0, 2.0).update(on(device, [0.4, 1.1, -0.2]))
    variances = to_host(nig.posterior.sample(N_DRAWS, random_state=0)[1])
    low, high = nig.credible_interval(level, parameter="variance")
    assert np.mean((variances > low) & (variances < high)) == pytest.approx(level, abs=0.005)


# --------------------------------------------------------------------------- the new families against scipy


@settings(max_examples=10)
@given(n=st.integers(0, 15), a=positive, b=positive)
def test_beta_binomial_distribution_matches_scipy(device, n, a, b):
    ours, theirs = BetaBinomialDistribution(n, a, b), stats.betabinom(n, a, b)
    k = np.arange(-1.0, n + 2)
    assert_close(ours.pmf(on(device, k)), theirs.pmf(k), rtol=1e-9, atol=1e-300)
    assert_close(ours.cdf(on(device, k)), theirs.cdf(k), rtol=1e-9, atol=1e-12)
    q = np.array([0.0, 0.05, 0.37, 0.95, 1.0])  # not 0.5: symmetric cases put a cdf value exactly on it
    assert_close(ours.ppf(on(device, q)), theirs.ppf(q))
    for moment in ("mean", "var", "entropy"):
        assert_close(getattr(ours, moment)(), getattr(theirs, moment)(), rtol=1e-9, atol=1e-12, what=moment)


@settings(max_examples=10)
@given(n=st.floats(0.3, 30), p=st.floats(0.05, 1.0))
def test_negative_binomial_matches_scipy(device, n, p):
    ours, theirs = NegativeBinomial(n, p), stats.nbinom(n, p)
    k = np.array([-1.0, 0.0, 1.0, 2.0, 5.0, 10.0, 40.0])
    assert_close(ours.logpmf(on(device, k)), theirs.logpmf(k), rtol=1e-9)
    assert_close(ours.cdf(on(device, k)), theirs.cdf(k), rtol=1e-9, atol=1e-300)
    assert_close(ours.sf(on(device, k)), theirs.sf(k), rtol=1e-8, atol=1e-300)
    q = np.array([0.01, 0.3, 0.5, 0.99])
    assert_close(ours.ppf(on(device, q)), theirs.ppf(q))
    for moment in ("mean", "var"):
        assert_close(getattr(ours, moment)(), getattr(theirs, moment)(), rtol=1e-8, atol=1e-12, what=moment)
    # scipy's nbinom.entropy() sums by expect() and stops early for small p: sum its log-pmf over the support instead
    log_p = theirs.logpmf(np.arange(theirs.ppf(1 - 1e-16) + 1))
    assert_close(ours.entropy(), -(np.exp(log_p) * log_p).sum(), rtol=1e-10, what="entropy")


@settings(max_examples=10)
@given(a=st.floats(0.5, 20), b=st.floats(0.1, 10))
def test_inverse_gamma_matches_scipy(device, a, b):
    ours, theirs = InverseGamma(a, b), stats.invgamma(a, scale=b)
    x = np.array([-1.0, 0.0, 0.05, 0.5, 1.0, 3.0, 20.0])
    assert_close(ours.logpdf(on(device, x)), theirs.logpdf(x), rtol=1e-9)
    assert_close(ours.cdf(on(device, x)), theirs.cdf(x), rtol=1e-9, atol=1e-300)
    assert_close(ours.sf(on(device, x)), theirs.sf(x), rtol=1e-9, atol=1e-300)
    q = np.array([0.01, 0.5, 0.99])
    assert_close(ours.ppf(on(device, q)), theirs.ppf(q), rtol=1e-9)
    for moment in ("mean", "var", "entropy"):
        assert_close(getattr(ours, moment)(), getattr(theirs, moment)(), rtol=1e-9, what=moment)


def test_dirichlet_multinomial_matches_scipy(device):
    alpha = np.array([0.5, 2.0, 3.5])
    ours, theirs = DirichletMultinomial(5, on(device, alpha)), stats.dirichlet_multinomial(alpha, 5)
    outcomes = np.array([[5, 0, 0], [1, 2, 2], [0, 1, 4]])
    assert_close(ours.logpmf(on(device, outcomes)), theirs.logpmf(outcomes), rtol=1e-10)
    assert to_host(ours.logpmf(on(device, [1, 1, 1]))) == -np.inf, "counts must sum to n"
    for moment in ("mean", "var", "cov"):
        assert_close(getattr(ours, moment)(), getattr(theirs, moment)(), rtol=1e-10, what=moment)


def test_samplers_follow_their_distributions(device):
    """Chi-square tests of the discrete samplers and a KS test of InverseGamma, at fixed seeds."""
    for distribution, support in ((BetaBinomialDistribution(8, on(device, 2.0), 3.0), np.arange(9.0)),
                                  (NegativeBinomial(on(device, 3.0), 0.4), np.arange(40.0))):
        draws = distribution.sample(20_000, random_state=0)
        assert backend.device_of(draws) == backend.device(device)
        draws = to_host(draws)
        expected = to_host(distribution.pmf(on(device, support))) * draws.size
        observed = np.array([(draws == k).sum() for k in support])
        keep = expected > 5
        observed = np.append(observed[keep], draws.size - observed[keep].sum())
        expected = np.append(expected[keep], draws.size - expected[keep].sum())
        assert stats.chisquare(observed, expected).pvalue > 1e-3
    inverse_gamma = InverseGamma(on(device, 3.0), 2.0)
    assert ks_against(to_host(inverse_gamma.sample(5_000, random_state=0)), inverse_gamma, device) > 1e-3


# --------------------------------------------------------------------------- errors and printing


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: BetaBinomial(0.0, 1.0), "alpha must be > 0"),
        (lambda: GammaPoisson(1.0, -2.0), "beta must be > 0"),
        (lambda: NormalKnownVariance(0.0, 1.0, 0.0), "sigma must be > 0"),
        (lambda: NormalInverseGamma(kappa=-1.0), "kappa must be > 0"),
        (lambda: DirichletCategorical([1.0, -1.0]), "alpha must be > 0"),
        (lambda: DirichletCategorical(2.0), "1-D array of at least 2"),
        (lambda: NegativeBinomial(2.0, 0.0), r"p must be in \(0, 1\]"),
        (lambda: BetaBinomialDistribution(2.5, 1.0, 1.0), "n must be a non-negative integer"),
        (lambda: DirichletMultinomial(-1, [1.0, 1.0]), "n must be a non-negative integer"),
    ],
)
def test_invalid_hyperparameters_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_invalid_data_is_refused(device):
    with pytest.raises(ValueError, match="at most the number of trials"):
        BetaBinomial().update(on(device, [1, 4]), trials=3)
    with pytest.raises(ValueError, match="trials must be whole numbers"):
        BetaBinomial().update(on(device, [1]), trials=-1)
    with pytest.raises(ValueError, match="counts must be whole numbers"):
        GammaPoisson().update(on(device, [1.5, 2.0]))
    with pytest.raises(ValueError, match="x must be finite"):
        NormalKnownVariance().update(on(device, [1.0, np.nan]))
    with pytest.raises(ValueError, match=r"labels must lie in 0 … 2"):
        DirichletCategorical(on(device, [1.0, 1.0, 1.0])).update(on(device, [0, 3]))
    with pytest.raises(ValueError, match="level must be a number strictly between 0 and 1"):
        BetaBinomial().credible_interval(1.0)
    with pytest.raises(ValueError, match="parameter must be 'mean' or 'variance'"):
        NormalInverseGamma().credible_interval(0.9, parameter="sigma")


def test_repr_shows_the_hyperparameters(device):
    assert repr(BetaBinomial(2, 3).update(on(device, [1, 1]))) == "BetaBinomial(alpha=4.0, beta=3.0)"
    assert repr(DirichletCategorical([1, 1])) == "DirichletCategorical(alpha=array(shape=(2,)))"
