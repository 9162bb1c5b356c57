"""Metropolis–Hastings against known targets, and the effective sample size against theory and a reference."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minml import backend
from minml.stats.continuous import Beta
from minml.stats.mcmc import MCMCResult, effective_sample_size, metropolis_hastings
from minml.testing import assert_close, to_host

MEAN, SCALE = np.array([1.0, -2.0]), np.array([0.5, 2.0])


def normal_log_density(x):
    """log N(x; MEAN, diag(SCALE²)) up to a constant, for points of shape (n_chains, 2)."""
    mean, scale = (backend.to_device(v, backend.device_of(x)) for v in (MEAN, SCALE))
    return -0.5 * (((x - mean) / scale) ** 2).sum(axis=-1)


def ar1(phi, n, seed, n_chains=1):
    """AR(1) chains x_t = φ x_{t−1} + √(1 − φ²) ε_t started in the stationary N(0, 1): shape (n_chains, n)."""
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((n_chains, n))
    x = np.empty((n_chains, n))
    x[:, 0] = noise[:, 0]
    for t in range(1, n):
        x[:, t] = phi * x[:, t - 1] + np.sqrt(1 - phi**2) * noise[:, t]
    return x


def reference_ess(chains):
    """ArviZ's ``ess(method="mean")`` for one variable, chains (m, n), written as its loops (direct sums, no FFT)."""
    m, n = chains.shape
    centred = chains - chains.mean(axis=1, keepdims=True)
    acov = np.array([[c[: n - t] @ c[t:] / n for t in range(n)] for c in centred])
    mean_var = acov[:, 0].mean() * n / (n - 1)
    var_plus = mean_var * (n - 1) / n + (chains.mean(axis=1).var(ddof=1) if m > 1 else 0.0)
    rho = np.zeros(n)
    rho_even, rho_odd = 1.0, 1.0 - (mean_var - acov[:, 1].mean()) / var_plus
    rho[0], rho[1] = rho_even, rho_odd
    t = 1
    while t < n - 3 and rho_even + rho_odd > 0:
        rho_even = 1.0 - (mean_var - acov[:, t + 1].mean()) / var_plus
        rho_odd = 1.0 - (mean_var - acov[:, t + 2].mean()) / var_plus
        if rho_even + rho_odd >= 0:
            rho[t + 1], rho[t + 2] = rho_even, rho_odd
        t += 2
    max_t = t - 2
    if rho_even > 0:
        rho[max_t + 1] = rho_even
    t = 1
    while t <= max_t - 2:
        if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t]:
            rho[t + 1] = rho[t + 2] = (rho[t - 1] + rho[t]) / 2
        t += 2
    tau = -1 + 2 * rho[: max_t + 1].sum() + rho[max_t + 1 : max_t + 2].sum()
    return m * n / max(tau, 1 / np.log10(m * n))


def test_samples_a_normal_target(device):
    """Sample mean and variance agree with the target's within Monte-Carlo error (standard error √(σ²/ESS))."""
    result = metropolis_hastings(normal_log_density, backend.to_device(np.zeros(2), device), 4000,
                                 step_size=backend.to_device(2.4 * SCALE / np.sqrt(2), device), random_state=0,
                                 burn_in=200)
    assert isinstance(result, MCMCResult)
    assert result.samples.shape == (4000, 2) and backend.device_of(result.samples) == backend.device(device)
    samples, ess = to_host(result.samples), to_host(result.effective_sample_size)
    assert ess.shape == (2,) and np.all((ess > 200) & (ess < 4000))
    assert np.all(np.abs(samples.mean(axis=0) - MEAN) < 5 * SCALE / np.sqrt(ess))
    assert np.all(np.abs(samples.var(axis=0) / SCALE**2 - 1) < 5 * np.sqrt(2 / ess))
    assert 0.2 < result.acceptance_rate < 0.6 and type(result.acceptance_rate) is float


def test_samples_a_bounded_posterior(device):
    """A Beta(3, 5) posterior written as a log-density: proposals outside (0, 1) get −inf and are never taken."""
    posterior = Beta(3.0, 5.0)
    result = metropolis_hastings(lambda p: posterior.logpdf(p[:, 0]), backend.to_device(np.array([0.5]), device),
                                 3000, step_size=0.3, random_state=1, burn_in=100)
    samples = to_host(result.samples)[:, 0]
    assert np.all((samples > 0) & (samples < 1))
    ess = to_host(result.effective_sample_size)[0]
    assert abs(samples.mean() - 3 / 8) < 5 * np.sqrt(posterior.var() / ess)


def test_acceptance_rate_falls_as_the_step_grows():
    rates = [metropolis_hastings(normal_log_density, np.zeros(2), 1500, step_size=step, random_state=0).acceptance_rate
             for step in (0.01, 0.3, 1.0, 3.0, 30.0)]
    assert rates == sorted(rates, reverse=True)
    assert rates[0] > 0.97 and rates[-1] < 0.05


def test_several_chains_run_together_and_agree_with_the_cpu(device):
    start = np.array([[0.0, 0.0], [3.0, -5.0], [-1.0, 1.0]])
    run = lambda x: metropolis_hastings(normal_log_density, x, 300, step_size=1.0, random_state=7)  # noqa: E731
    on_device, on_cpu = run(backend.to_device(start, device)), run(start)
    assert on_device.samples.shape == (3, 300, 2)
    assert_close(on_device.samples, on_cpu.samples, rtol=1e-12)
    assert on_device.acceptance_rate == on_cpu.acceptance_rate
    assert_close(on_device.effective_sample_size, on_cpu.effective_sample_size, rtol=1e-9)


def test_burn_in_and_thinning_pick_the_right_iterations():
    """One seed, one number of iterations, so one chain: burn-in drops its head, thin keeps every thin-th."""
    def run(**kwargs):
        return metropolis_hastings(normal_log_density, np.zeros(2), random_state=3, **kwargs).samples

    full = run(n_samples=30)
    assert np.array_equal(run(n_samples=25, burn_in=5), full[5:])
    assert np.array_equal(run(n_samples=10, thin=3), full[2::3])
    assert np.array_equal(run(n_samples=8, burn_in=6, thin=3), full[8::3])


def test_ess_of_independent_draws_is_about_n(device):
    draws = np.random.default_rng(0).standard_normal((4000, 3))
    ess = to_host(effective_sample_size(backend.to_device(draws, device)))
    assert ess.shape == (3,)
    assert_close(ess, np.full(3, 4000.0), rtol=0.1)


@pytest.mark.parametrize("phi", [0.5, 0.9])
def test_ess_of_an_ar1_chain_is_n_times_1_minus_phi_over_1_plus_phi(phi):
    n = 20_000
    ess = effective_sample_size(ar1(phi, n, seed=1)[0])
    assert type(ess) is float
    assert ess == pytest.approx(n * (1 - phi) / (1 + phi), rel=0.15)


def test_ess_of_a_sticky_mh_chain_is_far_below_n():
    result = metropolis_hastings(normal_log_density, np.zeros(2), 2000, step_size=0.05, random_state=0)
    assert np.all(to_host(result.effective_sample_size) < 2000 / 20)


@settings(max_examples=10)
@given(phi=st.floats(-0.5, 0.95), n=st.integers(4, 300), n_chains=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_ess_matches_the_reference_algorithm(device, phi, n, n_chains, seed):
    chains = ar1(phi, n, seed, n_chains) + np.arange(n_chains)[:, None] * 0.3  # shifted chains lower the ESS
    ours = effective_sample_size(backend.to_device(chains[:, :, None], device))
    assert_close(ours, [reference_ess(chains)], rtol=1e-9)


def test_chains_stuck_apart_have_a_small_ess():
    chains = np.random.default_rng(0).standard_normal((2, 1000, 1)) + np.array([0.0, 10.0])[:, None, None]
    assert to_host(effective_sample_size(chains))[0] < 20


def test_errors(device):
    start = backend.to_device(np.zeros(2), device)
    with pytest.raises(ValueError, match=r"one value per chain: shape \(1,\)"):
        metropolis_hastings(lambda x: x, start, 10)
    with pytest.raises(ValueError, match="log_density\\(initial\\) is not finite"):
        metropolis_hastings(lambda x: x.sum(axis=-1) - np.inf, start, 10)
    with pytest.raises(ValueError, match="n_samples must be an int ≥ 1"):
        metropolis_hastings(normal_log_density, start, 0)
    with pytest.raises(ValueError, match="step_size must be > 0"):
        metropolis_hastings(normal_log_density, start, 10, step_size=0.0)
    with pytest.raises(ValueError, match="at least 4 draws"):
        effective_sample_size(np.zeros(3))
