"""MultivariateNormal and Dirichlet against scipy.stats; samplers, fits, autograd and errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minml
from minml import backend
from minml.stats.multivariate import Dirichlet, MultivariateNormal
from minml.testing import assert_close, to_host

stats = pytest.importorskip("scipy.stats", reason="SciPy not installed")


def on(device, value):
    return backend.to_device(np.asarray(value, dtype=np.float64), device)


def random_covariance(seed, d):
    a = np.random.default_rng(seed).normal(size=(d, d))
    return a @ a.T + 0.5 * np.eye(d)


@settings(max_examples=10)
@given(seed=st.integers(0, 1000), d=st.integers(1, 4))
def test_multivariate_normal_matches_scipy(device, seed, d):
    rng = np.random.default_rng(seed)
    mean, cov = rng.normal(size=d), random_covariance(seed, d)
    x = rng.normal(size=(5, d)) * 2
    dist = MultivariateNormal(on(device, mean), on(device, cov))
    reference = stats.multivariate_normal(mean, cov)
    assert_close(dist.logpdf(on(device, x)), reference.logpdf(x).reshape(5), rtol=1e-9)
    assert_close(dist.pdf(on(device, x)), reference.pdf(x).reshape(5), rtol=1e-9, atol=1e-300)
    assert_close(dist.entropy(), np.asarray(reference.entropy()), rtol=1e-10)
    assert_close(dist.mean(), mean)
    assert_close(dist.cov(), cov)
    assert_close(dist.var(), np.diag(cov))


def test_multivariate_normal_samples_and_fit(device):
    mean, cov = np.array([1.0, -2.0, 0.5]), random_covariance(0, 3)
    dist = MultivariateNormal(on(device, mean), on(device, cov))
    draws = dist.sample(20000, random_state=1)
    assert backend.device_of(draws) == backend.device(device)
    host = to_host(draws)
    assert host.shape == (20000, 3)
    assert np.all(np.abs(host.mean(axis=0) - mean) < 5 * np.sqrt(np.diag(cov) / 20000))
    assert np.allclose(np.cov(host.T), cov, rtol=0.1, atol=0.1)
    # each standardised direction is standard normal
    direction = host @ np.array([1.0, 1.0, -1.0])
    sd = np.sqrt(np.array([1.0, 1.0, -1.0]) @ cov @ np.array([1.0, 1.0, -1.0]))
    assert stats.kstest(direction, stats.norm(mean @ np.array([1.0, 1.0, -1.0]), sd).cdf).pvalue > 1e-3
    fitted = MultivariateNormal.fit(draws)
    assert_close(fitted.mean(), host.mean(axis=0), rtol=1e-10)
    assert_close(fitted.cov(), np.cov(host.T, bias=True), rtol=1e-9)
    assert_close(dist.sample(4, random_state=2), MultivariateNormal(mean, cov).sample(4, random_state=2))


def test_multivariate_normal_batches_over_means(device):
    means = np.array([[0.0, 0.0], [1.0, 2.0], [-1.0, 0.5]])
    cov = random_covariance(3, 2)
    dist = MultivariateNormal(on(device, means), on(device, cov))
    assert dist.batch_shape == (3,)
    x = np.array([0.5, 0.5])
    expected = [stats.multivariate_normal(m, cov).logpdf(x) for m in means]
    assert_close(dist.logpdf(on(device, x)), np.array(expected), rtol=1e-10)
    assert to_host(dist.sample(4, random_state=0)).shape == (4, 3, 2)


@pytest.mark.parametrize("cov,message", [
    (np.array([[1.0, 2.0], [2.0, 1.0]]), "positive definite"),
    (np.array([[1.0, 0.5], [0.0, 1.0]]), "symmetric"),
    (np.eye(3), r"\(d, d\) matrix"),
])
def test_multivariate_normal_rejects_bad_covariances(device, cov, message):
    with pytest.raises(ValueError, match=message):
        MultivariateNormal(on(device, [0.0, 0.0]), on(device, cov))


@settings(max_examples=10)
@given(alpha=st.lists(st.floats(0.3, 20), min_size=2, max_size=5), seed=st.integers(0, 100))
def test_dirichlet_matches_scipy(device, alpha, seed):
    alpha = np.array(alpha)
    reference = stats.dirichlet(alpha)
    x = np.clip(reference.rvs(4, random_state=seed), 1e-12, None)
    x = x / x.sum(axis=1, keepdims=True)
    dist = Dirichlet(on(device, alpha))
    assert_close(dist.logpdf(on(device, x)), reference.logpdf(x.T), rtol=1e-8, atol=1e-10)
    assert_close(dist.entropy(), np.asarray(reference.entropy()), rtol=1e-8, atol=1e-10)
    assert_close(dist.mean(), reference.mean(), rtol=1e-12)
    assert_close(dist.var(), reference.var(), rtol=1e-12)


def test_dirichlet_off_the_simplex_has_density_zero(device):
    dist = Dirichlet(on(device, [2.0, 3.0, 4.0]))
    x = on(device, [[0.5, 0.6, 0.1], [-0.1, 0.6, 0.5]])
    assert np.all(to_host(dist.logpdf(x)) == -np.inf)


def test_dirichlet_samples_and_fit(device):
    alpha = np.array([2.0, 5.0, 1.5])
    dist = Dirichlet(on(device, alpha))
    draws = dist.sample(3000, random_state=4)
    host = to_host(draws)
    assert host.shape == (3000, 3) and np.allclose(host.sum(axis=1), 1)
    # each coordinate is Beta(αᵢ, α₀ − αᵢ)
    assert stats.kstest(host[:, 1], stats.beta(5.0, 3.5).cdf).pvalue > 1e-3
    fitted = Dirichlet.fit(draws)
    a = to_host(fitted.alpha)
    from scipy.special import digamma

    # the likelihood equations hold: ψ(αᵢ) − ψ(α₀) = mean(log xᵢ)
    assert_close(digamma(a) - digamma(a.sum()), np.log(host).mean(axis=0), rtol=1e-8)
    assert np.all(np.abs(a - alpha) / alpha < 0.15)


def test_dirichlet_log_density_differentiates_in_alpha(device):
    x = on(device, [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
    assert minml.gradcheck(lambda a: Dirichlet(a).logpdf(x), on(device, [1.5, 2.0, 3.0]))


def test_dirichlet_rejects_bad_concentrations():
    with pytest.raises(ValueError, match="alpha must be > 0; got -1"):
        Dirichlet([1.0, -1.0])
    with pytest.raises(ValueError, match="at least 2"):
        Dirichlet([1.0])
