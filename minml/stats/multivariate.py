"""Distributions of vectors: MultivariateNormal and Dirichlet.

MultivariateNormal(μ, Σ) is the bell curve in d dimensions:

    log f(x) = −½ (d log 2π + log det Σ + (x − μ)ᵀ Σ⁻¹ (x − μ)).

Everything goes through the Cholesky factor Σ = L Lᵀ (L lower triangular): it exists exactly
when Σ is symmetric positive definite (so it doubles as the check), log det Σ = 2 Σ log Lᵢᵢ,
the Mahalanobis term is |L⁻¹(x − μ)|², and μ + L z with z ~ N(0, I) is a draw.

Dirichlet(α) is a distribution over probability vectors (x₁ … x_K ≥ 0, Σ xᵢ = 1):

    log f(x) = Σ (αᵢ − 1) log xᵢ − log B(α),  log B(α) = Σ log Γ(αᵢ) − log Γ(Σ αᵢ).

It is the conjugate prior of the Categorical and Multinomial (lesson 03); a draw is a vector
of independent Gamma(αᵢ, 1) draws divided by their sum.
"""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.stats.distribution import (
    LOG_2PI,
    ContinuousDistribution,
    fit_data,
    gammaln,
    inverse_digamma,
    parameter_shape,
    raw,
    total,
    trigamma,
    where,
    xlogy,
)

__all__ = ["MultivariateNormal", "Dirichlet"]


class MultivariateNormal(ContinuousDistribution):
    """The d-dimensional normal distribution N(mean, cov); ``mean`` may be a batch (..., d), ``cov`` is (d, d).

    No cdf (it has no closed form in d > 1 dimensions) and no ppf.
    """

    _param_names = ("loc", "covariance")

    def __init__(self, mean, cov):
        self._set_params(loc=mean, covariance=cov)
        mean, cov = self._values()
        if mean.ndim < 1 or cov.shape != (mean.shape[-1], mean.shape[-1]):
            raise ValueError(
                f"cov must be a (d, d) matrix for a mean of length d; got mean {mean.shape}, cov {cov.shape}"
            )
        xp = backend.namespace(cov)
        if not backend.to_scalar(xp.allclose(cov, cov.T)):
            raise ValueError("cov must be symmetric")
        try:
            self._cholesky = backend.cholesky(cov)
        except np.linalg.LinAlgError:
            raise ValueError("cov must be positive definite (its Cholesky factorisation failed)") from None
        self.dim = mean.shape[-1]

    def _batch_shape(self):
        return parameter_shape(self.loc)[:-1]  # the last axis holds the coordinates

    def _whiten(self, x):
        """L⁻¹(x − μ) for x of shape (..., d)."""
        x, mean, _ = self._values(x)
        diff = x - mean
        xp = backend.namespace(diff)
        flat = diff.reshape(-1, self.dim).T
        return xp.moveaxis(backend.solve(self._cholesky, flat), 0, -1).reshape(diff.shape)

    def _log_det(self):
        return 2 * backend.namespace(self._cholesky).log(self._cholesky.diagonal()).sum()

    def logpdf(self, x):
        z = self._whiten(x)
        return -0.5 * (self.dim * LOG_2PI + self._log_det() + (z * z).sum(axis=-1))

    def mean(self):
        mean, _ = self._values()
        return mean.copy()

    def cov(self):
        _, cov = self._values()
        return cov.copy()

    def var(self):
        """The marginal variances, diag Σ."""
        _, cov = self._values()
        return cov.diagonal().copy()

    def entropy(self):
        """H = ½ (d (1 + log 2π) + log det Σ)."""
        return 0.5 * (self.dim * (1 + LOG_2PI) + self._log_det())

    def sample(self, size=None, random_state=None):
        """μ + L z, z standard normal of shape ``size + batch_shape + (d,)``."""
        mean, _ = self._values()
        z = self._generator(random_state).standard_normal(self._shape(size) + (self.dim,))
        return mean + z @ self._cholesky.T

    @classmethod
    def fit(cls, data):
        """μ̂ = the mean row, Σ̂ = the average outer product of deviations (divide by n, not n − 1)."""
        data = fit_data(data, minimum=2)
        mean = data.mean(axis=0)
        centred = data - mean
        return cls(mean, centred.T @ centred / data.shape[0])


class Dirichlet(ContinuousDistribution):
    """The Dirichlet distribution over probability vectors, concentration ``alpha`` (..., K), all > 0.

    Mean αᵢ/α₀ with α₀ = Σ αᵢ; larger α₀ concentrates the draws around the mean.
    """

    _param_names = ("alpha",)

    def __init__(self, alpha):
        self._set_params(alpha=alpha)
        (alpha,) = self._values()
        if alpha.ndim < 1 or alpha.shape[-1] < 2:
            raise ValueError(f"alpha must hold at least 2 concentrations on its last axis; got shape {alpha.shape}")
        self._positive("alpha")

    def _batch_shape(self):
        return parameter_shape(self.alpha)[:-1]  # the last axis holds the categories

    def logpdf(self, x):
        """Σ (αᵢ − 1) log xᵢ − log B(α); −inf off the simplex (within 1e−9)."""
        x, alpha = self._values(x, keep_tensors=True)
        x_ = raw(x)
        xp = backend.namespace(x_)
        on_simplex = (x_ >= 0).all(axis=-1) & (xp.abs(x_.sum(axis=-1) - 1) <= 1e-9)
        log_beta = total(gammaln(alpha), axis=-1) - gammaln(total(alpha, axis=-1))
        with np.errstate(divide="ignore", invalid="ignore"):
            value = total(xlogy(alpha - 1, x), axis=-1) - log_beta
        return where(on_simplex, value, -np.inf)

    def mean(self):
        (alpha,) = self._values()
        return alpha / alpha.sum(axis=-1, keepdims=True)

    def var(self):
        """Var xᵢ = αᵢ (α₀ − αᵢ) / (α₀² (α₀ + 1))."""
        (alpha,) = self._values()
        a0 = alpha.sum(axis=-1, keepdims=True)
        return alpha * (a0 - alpha) / (a0**2 * (a0 + 1))

    def entropy(self):
        """H = log B(α) + (α₀ − K) ψ(α₀) − Σ (αᵢ − 1) ψ(αᵢ)."""
        (alpha,) = self._values()
        special = backend.special(alpha)
        a0 = alpha.sum(axis=-1)
        log_beta = special.gammaln(alpha).sum(axis=-1) - special.gammaln(a0)
        k = alpha.shape[-1]
        return log_beta + (a0 - k) * special.digamma(a0) - ((alpha - 1) * special.digamma(alpha)).sum(axis=-1)

    def sample(self, size=None, random_state=None):
        """Independent Gamma(αᵢ, 1) draws, divided by their sum."""
        (alpha,) = self._host_params()
        shape = self._shape(size) + alpha.shape[-1:]
        g = self._generator(random_state).standard_gamma(alpha, size=shape)
        return g / g.sum(axis=-1, keepdims=True)

    @classmethod
    def fit(cls, data, iterations: int = 20):
        """Maximum likelihood by Newton's method (Minka, "Estimating a Dirichlet distribution", 2000).

        The gradient of the mean log-likelihood is gᵢ = ψ(α₀) − ψ(αᵢ) + mean(log xᵢ); its
        Hessian is diag(−ψ′(αᵢ)) + ψ′(α₀) (a diagonal plus a constant), so the Newton step
        has a closed form (Sherman–Morrison): with qᵢ = −ψ′(αᵢ) and z = ψ′(α₀),
        b = Σ gᵢ/qᵢ / (1/z + Σ 1/qᵢ) and αᵢ ← αᵢ − (gᵢ − b)/qᵢ. It starts from a few of
        Minka's fixed-point steps αᵢ ← ψ⁻¹(ψ(α₀) + mean(log xᵢ)) from the method of moments.
        Rows must lie strictly inside the simplex.
        """
        data = fit_data(data, minimum=2)
        xp = backend.namespace(data)
        special = backend.special(data)
        if data.ndim != 2 or not backend.to_scalar((data > 0).all()):
            raise ValueError("Dirichlet.fit needs a 2-D array of probability vectors with every entry > 0")
        mean_log = xp.log(data).mean(axis=0)
        m = data.mean(axis=0)
        precision = (m[0] - (data[:, 0] ** 2).mean()) / ((data[:, 0] ** 2).mean() - m[0] ** 2)
        alpha = m * xp.maximum(precision, 1e-2)
        for _ in range(5):
            alpha = inverse_digamma(special.digamma(alpha.sum()) + mean_log)
        for _ in range(iterations):
            a0 = alpha.sum()
            g = special.digamma(a0) - special.digamma(alpha) + mean_log
            q = -trigamma(alpha)
            b = (g / q).sum() / (1 / trigamma(a0) + (1 / q).sum())
            step = (g - b) / q
            alpha = xp.where(alpha - step > 0, alpha - step, alpha / 2)  # a step out of the domain: halve instead
        return cls(alpha)
