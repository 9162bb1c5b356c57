"""Markov chain Monte Carlo: the Metropolis–Hastings sampler and the effective sample size.

Most posteriors have no closed form (conjugate priors, in :mod:`minml.stats.conjugate`,
are the exception): we can evaluate the unnormalised density π(θ) ∝ likelihood × prior,
but not its normalising integral, so we cannot sample it directly. Markov chain Monte
Carlo builds a random walk whose long-run distribution is π, and uses the walk's
positions as (correlated) draws.

Metropolis–Hastings with a Gaussian random-walk proposal. From the current point θ:

1. propose θ' = θ + step_size · z, z ~ N(0, I)   (symmetric: q(θ' | θ) = q(θ | θ'));
2. accept with probability min(1, π(θ') / π(θ)), that is when log U < log π(θ') − log π(θ)
   for U ~ Uniform(0, 1); otherwise stay at θ (and count θ again).

Uphill moves are always taken, downhill ones sometimes, in just the proportion that makes
π the stationary distribution (detailed balance: π(θ) P(θ → θ') = π(θ') P(θ' → θ)). Only
the ratio of densities appears, so the normalising constant cancels: ``log_density`` may
be off by any constant.

The step size is the one knob. Tiny steps are nearly always accepted but crawl; huge
steps are nearly always rejected and the chain sits still. Both give draws that are
strongly correlated with their neighbours. In one dimension an acceptance rate near 0.44
(0.23 in many) is the classic target.

``burn_in`` iterations are discarded first (the chain forgets its starting point), and
``thin`` keeps one draw in every ``thin``.

Effective sample size. n correlated draws estimate a mean as precisely as ESS independent
ones would, with

    ESS = m·n / τ,    τ = 1 + 2 Σ_{t≥1} ρ_t        (the integrated autocorrelation time),

ρ_t the autocorrelation at lag t and m the number of chains. The empirical ρ_t are noisy
at long lags, so the sum is cut with Geyer's *initial positive sequence*: sums of pairs
Γ_k = ρ_2k + ρ_2k+1 are positive for a reversible chain, and we stop at the first Γ_k ≤ 0;
the *initial monotone sequence* also makes the Γ_k non-increasing. Autocovariances for
all lags at once come from the FFT (the Wiener–Khinchin theorem: the autocovariance is the
inverse transform of the power spectrum), O(n log n) instead of O(n²). With several
chains the within- and between-chain variances are combined as Stan and ArviZ do, so
chains stuck in different places lower the ESS. For AR(1) draws with coefficient φ,
τ = (1 + φ)/(1 − φ).

Several chains run at once, vectorised: ``initial`` of shape (n_chains, d) starts one
chain per row, and ``log_density`` is called on all of them together.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from minml import backend
from minml.validation import as_array

__all__ = ["MCMCResult", "effective_sample_size", "metropolis_hastings"]

_BLOCK = 1024  # iterations whose random numbers are drawn in one call


@dataclass
class MCMCResult:
    """What :func:`metropolis_hastings` returns.

    ``samples``: shape (n_samples, d) for one chain, (n_chains, n_samples, d) for several,
    on ``initial``'s device; ``acceptance_rate``: the share of accepted proposals over all
    iterations and chains (a Python float); ``effective_sample_size``: per coordinate,
    shape (d,), all chains together.
    """

    samples: object
    acceptance_rate: float
    effective_sample_size: object


def _count(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an int ≥ {minimum}; got {value!r}")
    return int(value)


def _evaluate(log_density, points, n_chains: int):
    """``log_density(points)`` as an array of shape (n_chains,), NaN read as −inf (a point never accepted)."""
    values = as_array(log_density(points))
    if values.size != n_chains:
        raise ValueError(
            f"log_density must return one value per chain: shape ({n_chains},) for points of shape "
            f"{points.shape}; got shape {values.shape}. Sum over the last axis, e.g. (-x**2 / 2).sum(axis=-1)."
        )
    xp = backend.namespace(points, values)
    values = values.reshape(n_chains).astype(points.dtype)
    return xp.where(xp.isnan(values), -xp.inf, values)


def metropolis_hastings(log_density, initial, n_samples: int, step_size=1.0, random_state=None,
                        burn_in: int = 0, thin: int = 1) -> MCMCResult:
    """Draw from the density ∝ exp(log_density) by random-walk Metropolis–Hastings.

    ``log_density`` maps points of shape (n_chains, d) to their log-densities, shape
    (n_chains,), known up to a constant. ``initial``: the starting point, shape (d,) (one
    chain; a number is d = 1) or (n_chains, d). ``step_size``: the proposal's standard
    deviation, a number or one per coordinate. Runs ``burn_in + n_samples · thin``
    iterations, keeping every ``thin``-th after the burn-in.
    """
    n_samples = _count("n_samples", n_samples, 1)
    burn_in = _count("burn_in", burn_in, 0)
    thin = _count("thin", thin, 1)
    start = as_array(initial)
    if start.dtype.kind != "f":
        start = start.astype(np.float64)
    if start.ndim > 2:
        raise ValueError(f"initial must have shape (d,) or (n_chains, d); got shape {start.shape}")
    one_chain = start.ndim < 2
    x = start.reshape(1, -1) if one_chain else start
    xp = backend.namespace(x)
    n_chains, dim = x.shape
    if isinstance(step_size, numbers.Real):
        step, positive = float(step_size), step_size > 0
    else:
        step = backend.to_device(as_array(step_size), backend.device_of(x)).astype(x.dtype)
        positive = backend.to_scalar((step > 0).all())
    if not positive:
        raise ValueError(f"step_size must be > 0; got {step_size!r}")
    generator = backend.rng(random_state, backend.device_of(x))

    log_p = _evaluate(log_density, x, n_chains)
    if not backend.to_scalar(xp.isfinite(log_p).all()):
        raise ValueError("log_density(initial) is not finite: start every chain where the density is positive.")
    n_iterations = burn_in + n_samples * thin
    kept = xp.empty((n_samples, n_chains, dim), dtype=x.dtype)
    accepted = xp.zeros(n_chains)
    for block in range(0, n_iterations, _BLOCK):
        size = min(_BLOCK, n_iterations - block)
        moves = generator.standard_normal((size, n_chains, dim)) * step
        log_u = xp.log1p(-generator.random((size, n_chains)))  # log U, U uniform on (0, 1]
        for i in range(size):
            proposal = x + moves[i]
            log_p_new = _evaluate(log_density, proposal, n_chains)
            accept = log_u[i] < log_p_new - log_p
            x = xp.where(accept[:, None], proposal, x)
            log_p = xp.where(accept, log_p_new, log_p)
            accepted += accept
            done = block + i + 1 - burn_in  # iterations completed after the burn-in
            if done > 0 and done % thin == 0:
                kept[done // thin - 1] = x
    chains = xp.moveaxis(kept, 0, 1)  # (n_chains, n_samples, d)
    return MCMCResult(
        samples=kept[:, 0] if one_chain else chains,
        acceptance_rate=float(backend.to_scalar(accepted.sum())) / (n_iterations * n_chains),
        effective_sample_size=effective_sample_size(chains) if n_samples >= 4 else xp.full(dim, xp.nan),
    )


def _autocovariance(chains):
    """Biased autocovariances (divided by n) at every lag, along axis 1, by FFT: shape of ``chains``.

    Zero-padding to at least 2n stops the FFT's circular convolution from wrapping the
    end of the chain onto its start.
    """
    xp = backend.namespace(chains)
    n = chains.shape[1]
    centred = chains - chains.mean(axis=1, keepdims=True)
    size = 2 ** math.ceil(math.log2(2 * n))
    spectrum = xp.fft.rfft(centred, n=size, axis=1)
    return xp.fft.irfft(spectrum * xp.conj(spectrum), n=size, axis=1)[:, :n] / n


def _running_minimum(values):
    """min(values[0..k]) along axis 0 for every k, by doubling: log₂(n) vectorised steps."""
    xp = backend.namespace(values)
    shift = 1
    while shift < values.shape[0]:
        values = xp.concatenate([values[:shift], xp.minimum(values[shift:], values[:-shift])], axis=0)
        shift *= 2
    return values


def effective_sample_size(samples):
    """ESS = m·n/τ by Geyer's initial positive and monotone sequences, with Stan's multi-chain ρ_t.

    ``samples``: one chain of one variable (n,) → a Python float; one chain of d variables
    (n, d), or m chains (m, n, d) → an array of shape (d,).

    ρ_t = 1 − (W − mean over chains of the lag-t autocovariance) / var⁺, with W the mean
    within-chain variance and var⁺ = W (n − 1)/n + (variance of the chain means);
    τ = −1 + 2 Σ_{k<K} Γ̃_k over the first K positive pair sums Γ_k = ρ_2k + ρ_2k+1 made
    non-increasing (Γ̃), plus ρ_2K when positive (ArviZ's ``ess(method="mean")``). ESS is
    capped at m·n·log₁₀(m·n).
    """
    chains = as_array(samples)
    if chains.dtype.kind != "f":
        chains = chains.astype(np.float64)
    scalar = chains.ndim == 1
    if chains.ndim == 1:
        chains = chains[None, :, None]
    elif chains.ndim == 2:
        chains = chains[None]
    elif chains.ndim != 3:
        raise ValueError(f"samples must have shape (n,), (n, d) or (n_chains, n, d); got {chains.shape}")
    n_chains, n, _ = chains.shape
    if n < 4:
        raise ValueError(f"effective_sample_size needs at least 4 draws per chain; got {n}")
    xp = backend.namespace(chains)
    acov = _autocovariance(chains)
    within = acov[:, 0].mean(axis=0) * n / (n - 1)
    var_plus = within * (n - 1) / n
    if n_chains > 1:
        var_plus = var_plus + chains.mean(axis=1).var(axis=0, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = 1 - (within - acov.mean(axis=0)) / var_plus  # (n, d)
        rho[0] = 1.0
        n_pairs = (n - 1) // 2  # the pairs (ρ_2k, ρ_2k+1) ArviZ considers
        pairs = rho[: 2 * n_pairs].reshape(n_pairs, 2, -1).sum(axis=1)
        positive = xp.cumprod(pairs > 0, axis=0)  # 1 up to the first non-positive pair, 0 after
        kept = xp.minimum(positive.sum(axis=0), n_pairs - 1)  # K (all positive: the last pair counts half)
        tau = -1 + 2 * (_running_minimum(pairs) * (xp.arange(n_pairs)[:, None] < kept)).sum(axis=0)
        tail = xp.take_along_axis(rho, 2 * kept[None], axis=0)[0]  # ρ_2K, where the sequence stopped
        tau = tau + xp.maximum(tail, 0.0)
        tau = xp.maximum(tau, 1 / math.log10(n_chains * n))
        ess = n_chains * n / tau
    return float(backend.to_scalar(ess[0])) if scalar else ess
