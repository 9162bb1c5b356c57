"""Discrete distributions: Bernoulli, Binomial, Poisson, Categorical, Multinomial.

A discrete random variable takes countably many values, each with a probability P(X = k),
the probability mass function (``pmf``). The families here:

* Bernoulli(p):       one yes/no trial. P(1) = p, P(0) = 1 − p.
* Binomial(n, p):     the number of successes in n independent trials.
                      P(k) = C(n, k) pᵏ (1 − p)ⁿ⁻ᵏ
* Poisson(λ):         counts of rare events in a fixed window, λ per window on average.
                      P(k) = λᵏ e^(−λ) / k!   (the limit of Binomial(n, λ/n) as n → ∞)
* Categorical(p):     one draw among K labels 0 … K−1 with probabilities p₀ … p_{K−1}.
* Multinomial(n, p):  the counts of each label in n categorical draws (a vector summing to n).

Log-probabilities are computed as sums of logs, with log n! = log Γ(n + 1) (``gammaln``) so
that large counts never overflow. The CDFs are incomplete beta and gamma functions:
P(Binomial ≤ k) = I_{1−p}(n − k, k + 1), P(Poisson ≤ k) = Q(k + 1, λ). A discrete ``ppf(q)`` is
the smallest k with cdf(k) ≥ q, found by bisection on the integers. Categorical labels have
no order, so Categorical and Multinomial have no cdf.

Maximum likelihood is closed form for all five: the observed frequencies.
"""

from __future__ import annotations

import math

import numpy as np

from minml import backend
from minml.stats.distribution import (
    DiscreteDistribution,
    fit_data,
    gammaln,
    integer_valued,
    log,
    parameter_shape,
    raw,
    total,
    where,
    xlog1py,
    xlogy,
)

__all__ = ["Bernoulli", "Binomial", "Poisson", "Categorical", "Multinomial", "poisson_mle"]


def _quiet():
    return np.errstate(divide="ignore", invalid="ignore")


def _check_probability(distribution, name: str = "p") -> None:
    p = distribution._values()[distribution._param_names.index(name)]
    distribution._require(name, p, (p >= 0) & (p <= 1), "be in [0, 1]")


def _entropy_by_summation(distribution, upper):
    """H = −Σₖ P(k) log P(k) over k = 0 … upper (upper: a Python int past which the mass is negligible)."""
    xp = backend.namespace(*distribution._values())
    k = xp.arange(upper + 1, dtype=np.float64).reshape((-1,) + (1,) * len(distribution.batch_shape))
    log_p = distribution.logpmf(k)
    with _quiet():
        terms = xp.where(xp.isfinite(log_p), -xp.exp(log_p) * log_p, 0.0)
    return terms.sum(axis=0)


class Bernoulli(DiscreteDistribution):
    """One trial that succeeds (1) with probability p: P(k) = pᵏ (1 − p)¹⁻ᵏ for k ∈ {0, 1}."""

    _param_names = ("p",)

    def __init__(self, p=0.5):
        self._set_params(p=p)
        _check_probability(self)

    def logpmf(self, k):
        """k log p + (1 − k) log(1 − p); −inf off {0, 1}."""
        k, p = self._values(k, keep_tensors=True)
        with _quiet():
            value = xlogy(k, p) + xlog1py(1 - k, -p)
        return where((raw(k) == 0) | (raw(k) == 1), value, -np.inf)

    def cdf(self, k):
        k, p = self._values(k)
        xp = backend.namespace(k)
        return xp.where(k < 0, 0.0, xp.where(k < 1, 1 - p, 1.0))

    def ppf(self, q):
        q, p = self._values(q)
        xp = backend.namespace(q)
        out = xp.where(q <= 0, -1.0, xp.where(q <= 1 - p, 0.0, 1.0))
        return xp.where((q < 0) | (q > 1) | xp.isnan(q), np.nan, out)

    def mean(self):
        (p,) = self._values()
        return self._broadcast(p)

    def var(self):
        (p,) = self._values()
        return self._broadcast(p * (1 - p))

    def entropy(self):
        """H = −p log p − (1 − p) log(1 − p)."""
        (p,) = self._values()
        special = backend.special(p)
        return self._broadcast(-special.xlogy(p, p) - special.xlog1py(1 - p, -p))

    def sample(self, size=None, random_state=None):
        (p,) = self._host_params()
        return self._generator(random_state).binomial(1, p, size=self._shape(size))

    @classmethod
    def fit(cls, data):
        """p̂ = the share of ones."""
        return cls(fit_data(data).mean(axis=0))


class Binomial(DiscreteDistribution):
    """The number of successes in n independent trials of probability p.

    P(k) = C(n, k) pᵏ (1 − p)ⁿ⁻ᵏ, log C(n, k) = log Γ(n+1) − log Γ(k+1) − log Γ(n−k+1).
    Mean np, variance np(1 − p).
    """

    _param_names = ("n", "p")

    def __init__(self, n=1, p=0.5):
        self._set_params(n=n, p=p)
        n, _ = self._values()
        self._require("n", n, (n >= 0) & integer_valued(n), "be a non-negative integer")
        _check_probability(self)

    def logpmf(self, k):
        k, n, p = self._values(k, keep_tensors=True)
        k_, n_ = raw(k), raw(n)
        with _quiet():
            value = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1) + xlogy(k, p) + xlog1py(n - k, -p)
        return where((k_ >= 0) & (k_ <= n_) & integer_valued(k_), value, -np.inf)

    def cdf(self, k):
        k, n, p = self._values(k)
        xp = backend.namespace(k)
        k = xp.floor(k)
        inside = (k >= 0) & (k < n)
        safe = xp.where(inside, k, 0.0)
        below = backend.special(k).betainc(xp.where(inside, n - safe, 1.0), safe + 1, 1 - p)
        return xp.where(k < 0, 0.0, xp.where(k >= n, 1.0, below))

    def sf(self, k):
        """P(X > k) = I_p(k + 1, n − k), the complementary incomplete beta function."""
        k, n, p = self._values(k)
        xp = backend.namespace(k)
        k = xp.floor(k)
        inside = (k >= 0) & (k < n)
        safe = xp.where(inside, k, 0.0)
        above = backend.special(k).betainc(safe + 1, xp.where(inside, n - safe, 1.0), p)
        return xp.where(k < 0, 1.0, xp.where(k >= n, 0.0, above))

    def ppf(self, q):
        q, n, _ = self._values(q)
        return self._ppf_search(q, n, unbounded=False)

    def mean(self):
        n, p = self._values()
        return self._broadcast(n * p)

    def var(self):
        n, p = self._values()
        return self._broadcast(n * p * (1 - p))

    def entropy(self):
        """−Σ P(k) log P(k) over k = 0 … n (no closed form)."""
        n, _ = self._values()
        return self._broadcast(_entropy_by_summation(self, int(backend.to_scalar(n.max()))))

    def sample(self, size=None, random_state=None):
        n, p = self._host_params()
        return self._generator(random_state).binomial(n.astype(np.int64), p, size=self._shape(size))

    @classmethod
    def fit(cls, data, n):
        """p̂ = mean / n, with the number of trials ``n`` known."""
        return cls(n, fit_data(data).mean(axis=0) / n)


# exercise 02.poisson_mle
def poisson_mle(counts):
    """The maximum-likelihood estimate of a Poisson rate λ from observed counts.

    For counts k₁ … kₙ the log-likelihood is

        ℓ(λ) = Σᵢ (kᵢ log λ − λ − log kᵢ!) = (Σᵢ kᵢ) log λ − nλ − (a constant).

    Setting its derivative ℓ′(λ) = (Σᵢ kᵢ)/λ − n to zero gives λ̂ = (Σᵢ kᵢ)/n, the mean count;
    ℓ″(λ) = −(Σᵢ kᵢ)/λ² < 0, so it is a maximum.

    Args:
        counts: a float array of shape (n,) or (n, m), on any device: n observations along
            axis 0 (with m columns, m independent samples, one rate each).

    Returns:
        λ̂, an array of shape () or (m,) on the device of ``counts``.

    Raises:
        ValueError: "counts must be non-negative whole numbers; got <the first bad value>" when
            a count is negative or has a fractional part: such data cannot come from a Poisson
            distribution. (Turn a device bool into a Python one with ``minml.backend.to_scalar``.)

    Use ``xp = minml.backend.namespace(counts)``.
    """
    xp = backend.namespace(counts)
    valid = (counts >= 0) & (xp.floor(counts) == counts)
    if not backend.to_scalar(valid.all()):
        bad = counts[~valid].reshape(-1)[0]
        raise ValueError(f"counts must be non-negative whole numbers; got {backend.to_scalar(bad):g}")
    return counts.mean(axis=0)
# end exercise


class Poisson(DiscreteDistribution):
    """Counts of events that occur independently at rate λ: P(k) = λᵏ e^(−λ) / k!, k = 0, 1, 2, ...

    log P(k) = k log λ − λ − log Γ(k + 1). Mean and variance both λ.
    """

    _param_names = ("rate",)

    def __init__(self, rate=1.0):
        self._set_params(rate=rate)
        (rate,) = self._values()
        self._require("rate", rate, rate >= 0, "be >= 0")

    def logpmf(self, k):
        k, rate = self._values(k, keep_tensors=True)
        k_ = raw(k)
        with _quiet():
            value = xlogy(k, rate) - rate - gammaln(k_ + 1)
        return where((k_ >= 0) & integer_valued(k_), value, -np.inf)

    def cdf(self, k):
        k, rate = self._values(k)
        xp = backend.namespace(k)
        k = xp.floor(k)
        return xp.where(k < 0, 0.0, backend.special(k).gammaincc(xp.maximum(k, 0) + 1, rate))

    def sf(self, k):
        """P(X > k) = P(k + 1, λ), the regularised lower incomplete gamma function."""
        k, rate = self._values(k)
        xp = backend.namespace(k)
        k = xp.floor(k)
        return xp.where(k < 0, 1.0, backend.special(k).gammainc(xp.maximum(k, 0) + 1, rate))

    def ppf(self, q):
        q, rate = self._values(q)
        xp = backend.namespace(q)
        return self._ppf_search(q, rate + 10 * xp.sqrt(rate) + 10, unbounded=True)

    def mean(self):
        (rate,) = self._values()
        return self._broadcast(rate)

    def var(self):
        (rate,) = self._values()
        return self._broadcast(rate)

    def entropy(self):
        """−Σ P(k) log P(k), summed up to λ + 20√λ + 40, beyond which the mass is below 1e−40."""
        (rate,) = self._values()
        top = backend.to_scalar(rate.max())
        return self._broadcast(_entropy_by_summation(self, int(top + 20 * math.sqrt(top) + 40)))

    def sample(self, size=None, random_state=None):
        (rate,) = self._host_params()
        return self._generator(random_state).poisson(rate, size=self._shape(size))

    @classmethod
    def fit(cls, data):
        """λ̂ = the mean count (see :func:`poisson_mle`)."""
        return cls(poisson_mle(fit_data(data)))


def _check_simplex(distribution) -> None:
    """p ≥ 0 with each row summing to 1 (within 1e−5)."""
    p = distribution._values()[-1]
    xp = backend.namespace(p)
    if p.ndim == 0:
        raise ValueError("p must be a vector of probabilities (last axis: the categories); got a scalar")
    distribution._require("p", p, p >= 0, "be >= 0")
    sums = p.sum(axis=-1)
    distribution._require("probabilities", sums, xp.abs(sums - 1) <= 1e-5, "sum to 1")


class Categorical(DiscreteDistribution):
    """One draw among the labels 0 … K−1 with probabilities p (the last axis of ``p``).

    P(k) = p_k; entropy −Σ p_k log p_k. Labels have no order: no cdf or ppf.
    """

    _param_names = ("p",)

    def __init__(self, p):
        self._set_params(p=p)
        _check_simplex(self)
        self.n_categories = raw(self.p).shape[-1]

    def _batch_shape(self):
        return parameter_shape(self.p)[:-1]  # the last axis holds the categories

    def logpmf(self, k):
        """log p_k; −inf for labels outside 0 … K−1. Differentiable in p (k picks by a one-hot mask)."""
        k, p = self._values(k, keep_tensors=True)
        k_ = raw(k)
        xp = backend.namespace(k_)
        valid = (k_ >= 0) & (k_ < self.n_categories) & integer_valued(k_)
        labels = xp.arange(self.n_categories, dtype=np.float64)
        one_hot = xp.where(valid, k_, -1.0)[..., None] == labels
        with _quiet():
            picked = total(where(one_hot, log(p), 0.0), axis=-1)
        return where(valid, picked, -np.inf)

    def mean(self):
        """E[k] = Σ k p_k (the labels read as numbers)."""
        (p,) = self._values()
        labels = backend.namespace(p).arange(self.n_categories, dtype=p.dtype)
        return self._broadcast((p * labels).sum(axis=-1))

    def var(self):
        (p,) = self._values()
        labels = backend.namespace(p).arange(self.n_categories, dtype=p.dtype)
        mean = (p * labels).sum(axis=-1, keepdims=True)
        return self._broadcast((p * (labels - mean) ** 2).sum(axis=-1))

    def entropy(self):
        (p,) = self._values()
        return self._broadcast(-backend.special(p).xlogy(p, p).sum(axis=-1))

    def sample(self, size=None, random_state=None):
        """Inverse-CDF sampling: the label k is the number of cumulative probabilities below a uniform U."""
        (p,) = self._values()
        xp = backend.namespace(p)
        u = self._generator(random_state).random(self._shape(size))
        cumulative = xp.cumsum(p, axis=-1)
        labels = (u[..., None] >= cumulative[..., :-1]).sum(axis=-1)
        return labels.astype(np.int64)

    @classmethod
    def fit(cls, data, n_categories: int | None = None):
        """p̂_k = the share of label k (labels 0 … n_categories − 1; default: max label + 1)."""
        data = fit_data(data)
        if data.ndim != 1:
            raise ValueError(f"Categorical.fit takes a 1-D array of labels; got shape {data.shape}")
        labels = data.astype(np.int64)
        if n_categories is None:
            n_categories = int(backend.to_scalar(labels.max())) + 1
        counts = backend.bincount(labels, minlength=n_categories)
        return cls(counts / data.shape[0])


class Multinomial(DiscreteDistribution):
    """The counts (x₀ … x_{K−1}) of each label in n categorical draws, Σ xᵢ = n.

    P(x) = n! / (x₀! ⋯ x_{K−1}!) · Π pᵢ^{xᵢ}. Mean n p, variance n pᵢ(1 − pᵢ), cov −n pᵢpⱼ.
    ``n`` is a Python int (the number of draws).
    """

    _param_names = ("n", "p")

    def __init__(self, n, p):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"n must be a non-negative integer; got {n!r}")
        self._set_params(n=n, p=p)
        _check_simplex(self)
        self.n = int(n)
        self.n_categories = raw(self.p).shape[-1]

    def _batch_shape(self):
        return parameter_shape(self.p)[:-1]  # the last axis holds the categories

    def logpmf(self, x):
        """log n! − Σ log xᵢ! + Σ xᵢ log pᵢ; −inf unless x is counts summing to n."""
        x, _, p = self._values(x, keep_tensors=True)
        x_ = raw(x)
        xp = backend.namespace(x_)
        valid = ((x_ >= 0) & integer_valued(x_)).all(axis=-1) & (x_.sum(axis=-1) == self.n)
        with _quiet():
            value = math.lgamma(self.n + 1) - total(gammaln(x_ + 1), axis=-1) + total(xlogy(x, p), axis=-1)
        return where(valid, value, -xp.inf)

    def mean(self):
        p = self._values()[-1]
        return self.n * p + 0.0 * p

    def var(self):
        p = self._values()[-1]
        return self.n * p * (1 - p)

    def cov(self):
        """n (diag(p) − p pᵀ)."""
        p = self._values()[-1]
        xp = backend.namespace(p)
        return self.n * (p[..., :, None] * xp.eye(self.n_categories) - p[..., :, None] * p[..., None, :])

    def entropy(self):
        """H = −log n! − n Σ pᵢ log pᵢ + Σᵢ Σₖ₌₀ⁿ C(n, k) pᵢᵏ (1 − pᵢ)ⁿ⁻ᵏ log k!  (no closed form)."""
        p = self._values()[-1]
        xp = backend.namespace(p)
        special = backend.special(p)
        k = xp.arange(self.n + 1, dtype=np.float64)
        marginal = Binomial(self.n, p[..., None]).pmf(k)  # P(xᵢ = k): each count is Binomial(n, pᵢ)
        expected_log_factorials = (marginal * special.gammaln(k + 1)).sum(axis=(-2, -1))
        return -math.lgamma(self.n + 1) - self.n * special.xlogy(p, p).sum(axis=-1) + expected_log_factorials

    def sample(self, size=None, random_state=None):
        p = backend.asnumpy(self._values()[-1])
        return self._generator(random_state).multinomial(self.n, p, size=self._shape(size))

    @classmethod
    def fit(cls, data):
        """p̂ = the total count of each label over all draws; n = the (common) row total."""
        data = fit_data(data)
        totals = data.sum(axis=-1)
        n = backend.to_scalar(totals[0])
        if not backend.to_scalar((totals == n).all()):
            raise ValueError("Multinomial.fit needs every row to sum to the same number of draws n")
        return cls(int(n), data.sum(axis=0) / totals.sum())
