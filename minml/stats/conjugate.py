"""Bayesian updating with conjugate priors: the posterior in closed form.

Bayes' rule turns a prior belief p(θ) about a parameter and the likelihood p(x | θ) of
the data into the posterior

    p(θ | x) = p(x | θ) p(θ) / p(x)        posterior ∝ likelihood × prior.

In general the normalising constant p(x) = ∫ p(x | θ) p(θ) dθ is an integral with no
closed form (that is what MCMC, in :mod:`minml.stats.mcmc`, works around). But for some
pairs of likelihood and prior the posterior lands in the prior's own family: the prior is
*conjugate* to the likelihood, and updating just moves its hyperparameters by sufficient
statistics of the data. The five classic pairs:

* BetaBinomial          successes of trials, p ~ Beta(α, β):
                        α' = α + Σ successes,  β' = β + Σ failures.
* GammaPoisson          counts, λ ~ Gamma(α, rate β):
                        α' = α + Σ x,  β' = β + n.
* NormalKnownVariance   x ~ N(μ, σ²) with σ known, μ ~ N(μ₀, τ²): precisions add,
                        1/τ'² = 1/τ² + n/σ²,  μ' = τ'² (μ₀/τ² + Σ x/σ²).
* NormalInverseGamma    x ~ N(μ, σ²), both unknown, σ² ~ InvGamma(α, β), μ | σ² ~ N(μ₀, σ²/κ):
                        κ' = κ + n,  μ' = (κ μ₀ + n x̄)/κ',  α' = α + n/2,
                        β' = β + ½ Σ(x − x̄)² + κ n (x̄ − μ₀)² / (2κ').
* DirichletCategorical  labels 0 … K−1, p ~ Dirichlet(α):  αₖ' = αₖ + (count of label k).

The prior's hyperparameters read as *pseudo-observations*: Beta(α, β) is worth α − 1
successes and β − 1 failures seen before the data, κ is the number of observations the
prior mean is worth. Because the update only adds sufficient statistics, updating on one
batch at a time gives exactly the posterior of updating on all the data at once.

Each model here is immutable: ``model.update(data)`` returns a new model carrying the
posterior's hyperparameters (the posterior of one step is the prior of the next). It
offers

* ``posterior`` — the distribution of the parameter, a :mod:`minml.stats` object;
* ``posterior_predictive()`` — the distribution of a *new* observation, the likelihood
  averaged over the posterior, p(x̃ | x) = ∫ p(x̃ | θ) p(θ | x) dθ. It is wider than the
  likelihood at any single θ: it carries the remaining uncertainty about θ. Its families
  (beta-binomial, negative binomial, Student's t, Dirichlet-multinomial) are defined below
  where :mod:`minml.stats` lacks them;
* ``credible_interval(level)`` — the equal-tailed interval holding ``level`` of the
  posterior mass, from the posterior's quantile function. Unlike a confidence interval it
  means what people want it to: given the data (and the prior), θ lies in it with
  probability ``level``.

Hyperparameters may be arrays (a batch of independent models, broadcast against the
data's trailing axes; observations run along axis 0). Models follow their data's device.
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np

from minml import backend
from minml.stats.continuous import Beta, Gamma, Normal, StudentT
from minml.stats.discrete import Categorical, _entropy_by_summation
from minml.stats.distribution import (
    LOG_2PI,
    ContinuousDistribution,
    DiscreteDistribution,
    Distribution,
    exp,
    gammaln,
    integer_valued,
    log,
    raw,
    total,
    where,
    xlog1py,
    xlogy,
)
from minml.stats.multivariate import Dirichlet
from minml.validation import as_array

__all__ = [
    "BetaBinomial",
    "BetaBinomialDistribution",
    "CredibleInterval",
    "DirichletCategorical",
    "DirichletMultinomial",
    "GammaPoisson",
    "InverseGamma",
    "NegativeBinomial",
    "NormalInverseGamma",
    "NormalInverseGammaDistribution",
    "NormalKnownVariance",
    "beta_binomial_posterior",
]


def _quiet():
    """Silence NumPy's divide/invalid warnings where ±inf and NaN are the intended answers."""
    return np.errstate(divide="ignore", invalid="ignore")


def _check_count(distribution, name: str) -> None:
    """Raise unless the parameter ``name`` holds non-negative integers."""
    value = distribution._values()[distribution._param_names.index(name)]
    distribution._require(name, value, (value >= 0) & integer_valued(value), "be a non-negative integer")


def _draw_on_host(distribution, random_state):
    """(NumPy Generator, device): draw several stages on the host, move the result once."""
    return distribution._generator(random_state).generator, distribution.device


# --------------------------------------------------------------------------- predictive families


class BetaBinomialDistribution(DiscreteDistribution):
    """Successes in n trials whose success probability is itself Beta(a, b) (scipy's ``betabinom``).

    P(k) = C(n, k) B(k + a, n − k + b) / B(a, b), k = 0 … n. Mean n a/(a + b), variance
    n a b (a + b + n) / ((a + b)² (a + b + 1)): the binomial's, inflated by the uncertainty
    about p. The posterior predictive of :class:`BetaBinomial`.
    """

    _param_names = ("n", "a", "b")

    def __init__(self, n=1, a=1.0, b=1.0):
        self._set_params(n=n, a=a, b=b)
        _check_count(self, "n")
        self._positive("a", "b")

    def logpmf(self, k):
        k, n, a, b = self._values(k, keep_tensors=True)
        k_, n_ = raw(k), raw(n)
        with _quiet():
            log_choose = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)
            value = log_choose + gammaln(k + a) + gammaln(n - k + b) - gammaln(n + a + b) \
                - gammaln(a) - gammaln(b) + gammaln(a + b)
        return where((k_ >= 0) & (k_ <= n_) & integer_valued(k_), value, -np.inf)

    def cdf(self, k):
        """Σ_{j ≤ k} P(j), summed over the whole support 0 … max n (no closed form)."""
        k, n, _, _ = self._values(k)
        xp = backend.namespace(k)
        support = xp.arange(int(backend.to_scalar(n.max())) + 1, dtype=np.float64)
        j = support.reshape((-1,) + (1,) * max(k.ndim, len(self.batch_shape)))
        terms = xp.where(j <= xp.floor(k), self.pmf(j), 0.0)
        return xp.clip(terms.sum(axis=0), 0.0, 1.0)

    def ppf(self, q):
        q, n, _, _ = self._values(q)
        return self._ppf_search(q, n, unbounded=False)

    def mean(self):
        n, a, b = self._values()
        return self._broadcast(n * a / (a + b))

    def var(self):
        n, a, b = self._values()
        return self._broadcast(n * a * b * (a + b + n) / ((a + b) ** 2 * (a + b + 1)))

    def entropy(self):
        """−Σ P(k) log P(k) over k = 0 … n."""
        n, _, _ = self._values()
        return self._broadcast(_entropy_by_summation(self, int(backend.to_scalar(n.max()))))

    def sample(self, size=None, random_state=None):
        """Two stages, as the model reads: p ~ Beta(a, b), then k ~ Binomial(n, p)."""
        n, a, b = self._host_params()
        generator, device = _draw_on_host(self, random_state)
        p = generator.beta(a, b, size=self._shape(size))
        return backend.to_device(generator.binomial(n.astype(np.int64), p), device)


class NegativeBinomial(DiscreteDistribution):
    """The number of failures before the n-th success in trials of probability p (scipy's ``nbinom``).

    P(k) = Γ(k + n) / (Γ(n) k!) · pⁿ (1 − p)ᵏ, k = 0, 1, 2, ...; n > 0 need not be an integer.
    Mean n(1 − p)/p, variance n(1 − p)/p² > mean: over-dispersed counts. It is also a
    Poisson whose rate is Gamma(n, scale (1 − p)/p) — the posterior predictive of
    :class:`GammaPoisson`. F(k) = I_p(n, k + 1), the regularised incomplete beta function.
    """

    _param_names = ("n", "p")

    def __init__(self, n=1.0, p=0.5):
        self._set_params(n=n, p=p)
        self._positive("n")
        _, p = self._values()
        self._require("p", p, (p > 0) & (p <= 1), "be in (0, 1]")

    def logpmf(self, k):
        k, n, p = self._values(k, keep_tensors=True)
        k_ = raw(k)
        with _quiet():
            value = gammaln(k + n) - gammaln(n) - gammaln(k_ + 1) + xlogy(n, p) + xlog1py(k, -p)
        return where((k_ >= 0) & integer_valued(k_), value, -np.inf)

    def cdf(self, k):
        k, n, p = self._values(k)
        xp = backend.namespace(k)
        k = xp.floor(k)
        return xp.where(k < 0, 0.0, backend.special(k).betainc(n, xp.maximum(k, 0) + 1, p))

    def sf(self, k):
        """P(X > k) = I_{1−p}(k + 1, n), by the symmetry of the incomplete beta function."""
        k, n, p = self._values(k)
        xp = backend.namespace(k)
        k = xp.floor(k)
        return xp.where(k < 0, 1.0, backend.special(k).betainc(xp.maximum(k, 0) + 1, n, 1 - p))

    def ppf(self, q):
        q, n, p = self._values(q)
        xp = backend.namespace(q)
        mean, sd = n * (1 - p) / p, xp.sqrt(n * (1 - p)) / p
        return self._ppf_search(q, mean + 10 * sd + 10, unbounded=True)

    def mean(self):
        n, p = self._values()
        return self._broadcast(n * (1 - p) / p)

    def var(self):
        n, p = self._values()
        return self._broadcast(n * (1 - p) / p**2)

    def entropy(self):
        """−Σ P(k) log P(k), summed to mean + 40 sd + 50 (the mass beyond is negligible)."""
        mean, sd = self.mean(), self.std()
        top = backend.to_scalar((mean + 40 * sd).max())
        return self._broadcast(_entropy_by_summation(self, int(top) + 50))

    def sample(self, size=None, random_state=None):
        n, p = self._host_params()
        generator, device = _draw_on_host(self, random_state)
        return backend.to_device(generator.negative_binomial(n, p, size=self._shape(size)), device)


class InverseGamma(ContinuousDistribution):
    """The distribution of 1/Y for Y ~ Gamma(shape a, rate b) (scipy's ``invgamma(a, scale=b)``).

    f(x) = bᵃ / Γ(a) · x^(−a−1) e^(−b/x), x > 0. Mean b/(a − 1) for a > 1, variance
    b² / ((a − 1)² (a − 2)) for a > 2. F(x) = Q(a, b/x), the regularised upper incomplete
    gamma function. The conjugate prior of a normal variance.
    """

    _param_names = ("a", "b")

    def __init__(self, a=1.0, b=1.0):
        self._set_params(a=a, b=b)
        self._positive("a", "b")

    def logpdf(self, x):
        x, a, b = self._values(x, keep_tensors=True)
        positive = raw(x) > 0
        safe = where(positive, x, 1.0)
        return where(positive, a * log(b) - gammaln(a) - (a + 1) * log(safe) - b / safe, -np.inf)

    def cdf(self, x):
        x, a, b = self._values(x)
        xp = backend.namespace(x)
        positive = x > 0
        return xp.where(positive, backend.special(x).gammaincc(a, b / xp.where(positive, x, 1.0)), 0.0)

    def sf(self, x):
        """P(X > x) = P(a, b/x), the regularised lower incomplete gamma function."""
        x, a, b = self._values(x)
        xp = backend.namespace(x)
        positive = x > 0
        return xp.where(positive, backend.special(x).gammainc(a, b / xp.where(positive, x, 1.0)), 1.0)

    def ppf(self, q):
        q, a, b = self._values(q)
        with _quiet():
            return b / backend.special(q).gammainccinv(a, q)

    def mean(self):
        """b/(a − 1) for a > 1, infinite otherwise."""
        a, b = self._values()
        xp = backend.namespace(a, b)
        with _quiet():
            return self._broadcast(xp.where(a > 1, b / (a - 1), np.inf))

    def var(self):
        """b²/((a − 1)²(a − 2)) for a > 2, infinite otherwise."""
        a, b = self._values()
        xp = backend.namespace(a, b)
        with _quiet():
            return self._broadcast(xp.where(a > 2, b**2 / ((a - 1) ** 2 * (a - 2)), np.inf))

    def entropy(self):
        """H = a + log(b Γ(a)) − (1 + a) ψ(a)."""
        a, b = self._values()
        special = backend.special(a, b)
        return self._broadcast(a + backend.namespace(a, b).log(b) + special.gammaln(a) - (1 + a) * special.digamma(a))

    def sample(self, size=None, random_state=None):
        a, b = self._host_params()
        generator, device = _draw_on_host(self, random_state)
        return backend.to_device(b / generator.gamma(a, 1.0, size=self._shape(size)), device)


class NormalInverseGammaDistribution(ContinuousDistribution):
    """The joint distribution of (μ, σ²): σ² ~ InvGamma(alpha, beta), μ | σ² ~ N(mu, σ²/kappa).

    scipy calls it ``normal_inverse_gamma(mu, lmbda=kappa, a=alpha, b=beta)``. Its
    marginals are :meth:`marginal_mean`, a Student t with 2α degrees of freedom, and
    :meth:`marginal_variance`, the inverse gamma. The posterior of :class:`NormalInverseGamma`.
    """

    _param_names = ("mu", "kappa", "alpha", "beta")

    def __init__(self, mu=0.0, kappa=1.0, alpha=1.0, beta=1.0):
        self._set_params(mu=mu, kappa=kappa, alpha=alpha, beta=beta)
        self._positive("kappa", "alpha", "beta")

    def logpdf(self, mu, sigma2):
        """log N(μ; mu, σ²/κ) + log InvGamma(σ²; α, β); −inf for σ² ≤ 0."""
        x, s2, mu0, kappa, alpha, beta = self._values(mu, sigma2, keep_tensors=True)
        positive = raw(s2) > 0
        safe = where(positive, s2, 1.0)
        log_normal = -0.5 * (x - mu0) * (x - mu0) * kappa / safe - 0.5 * log(safe / kappa) - 0.5 * LOG_2PI
        log_inverse_gamma = alpha * log(beta) - gammaln(alpha) - (alpha + 1) * log(safe) - beta / safe
        return where(positive, log_normal + log_inverse_gamma, -np.inf)

    def pdf(self, mu, sigma2):
        """The joint density f(μ, σ²)."""
        return exp(self.logpdf(mu, sigma2))

    def marginal_mean(self) -> StudentT:
        """μ alone: Student t with 2α degrees of freedom, location mu, scale √(β/(α κ))."""
        mu, kappa, alpha, beta = self._values()
        return StudentT(2 * alpha, mu, backend.namespace(beta).sqrt(beta / (alpha * kappa)))

    def marginal_variance(self) -> InverseGamma:
        """σ² alone: InvGamma(α, β)."""
        _, _, alpha, beta = self._values()
        return InverseGamma(alpha, beta)

    def mean(self):
        """(E μ, E σ²) = (mu, β/(α − 1)), as scipy: E σ² is infinite for α ≤ 1."""
        return self._broadcast(self._values()[0]), self.marginal_variance().mean()

    def var(self):
        """(Var μ, Var σ²) = (β/((α − 1) κ), β²/((α − 1)²(α − 2))): infinite where they do not exist."""
        _, kappa, alpha, beta = self._values()
        xp = backend.namespace(alpha)
        with _quiet():
            var_mu = xp.where(alpha > 1, beta / ((alpha - 1) * kappa), np.inf)
        return self._broadcast(var_mu), self.marginal_variance().var()

    def sample(self, size=None, random_state=None):
        """(μ, σ²) draws, each of shape ``size + batch_shape``: σ² first, then μ given σ²."""
        mu, kappa, alpha, beta = self._host_params()
        generator, device = _draw_on_host(self, random_state)
        sigma2 = beta / generator.gamma(alpha, 1.0, size=self._shape(size))
        mean = generator.normal(mu, np.sqrt(sigma2 / kappa))
        return backend.to_device(mean, device), backend.to_device(sigma2, device)


class DirichletMultinomial(DiscreteDistribution):
    """Counts of K labels in n draws with probabilities drawn from Dirichlet(α) (scipy's ``dirichlet_multinomial``).

    P(x) = n! Γ(α₀) / Γ(n + α₀) · Π Γ(xₖ + αₖ) / (xₖ! Γ(αₖ)), α₀ = Σ αₖ, Σ xₖ = n.
    Mean n αₖ/α₀; covariance n (n + α₀)/(1 + α₀) · (diag(p) − p pᵀ), p = α/α₀: the
    multinomial's, inflated. The posterior predictive of :class:`DirichletCategorical`.
    ``n`` is a Python int.
    """

    _param_names = ("n", "alpha")

    def __init__(self, n, alpha):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"n must be a non-negative integer; got {n!r}")
        self._set_params(n=n, alpha=alpha)
        alpha = self._values()[-1]
        if alpha.ndim < 1 or alpha.shape[-1] < 2:
            raise ValueError(f"alpha must hold at least 2 concentrations on its last axis; got shape {alpha.shape}")
        self._positive("alpha")
        self.n = int(n)
        self.n_categories = alpha.shape[-1]

    def _batch_shape(self):
        return raw(self.alpha).shape[:-1]  # the last axis holds the categories

    def logpmf(self, x):
        """log n! + log Γ(α₀) − log Γ(n + α₀) + Σ [log Γ(xₖ + αₖ) − log xₖ! − log Γ(αₖ)]; −inf off the support."""
        x, _, alpha = self._values(x, keep_tensors=True)
        x_ = raw(x)
        xp = backend.namespace(x_)
        valid = ((x_ >= 0) & integer_valued(x_)).all(axis=-1) & (x_.sum(axis=-1) == self.n)
        a0 = total(alpha, axis=-1)
        with _quiet():
            value = (math.lgamma(self.n + 1) + gammaln(a0) - gammaln(a0 + self.n)
                     + total(gammaln(x + alpha) - gammaln(x_ + 1) - gammaln(alpha), axis=-1))
        return where(valid, value, -xp.inf)

    def _shares(self):
        alpha = self._values()[-1]
        return alpha / alpha.sum(axis=-1, keepdims=True), alpha.sum(axis=-1, keepdims=True)

    def mean(self):
        p, _ = self._shares()
        return self.n * p

    def var(self):
        p, a0 = self._shares()
        return self.n * p * (1 - p) * (self.n + a0) / (1 + a0)

    def cov(self):
        """n (n + α₀)/(1 + α₀) · (diag(p) − p pᵀ)."""
        p, a0 = self._shares()
        xp = backend.namespace(p)
        outer = p[..., :, None] * xp.eye(self.n_categories) - p[..., :, None] * p[..., None, :]
        return (self.n * (self.n + a0) / (1 + a0))[..., None] * outer

    def sample(self, size=None, random_state=None):
        """Two stages: p ~ Dirichlet(α), then counts ~ Multinomial(n, p)."""
        alpha = backend.asnumpy(self._values()[-1])
        generator, device = _draw_on_host(self, random_state)
        shape = self._shape(size) + alpha.shape[-1:]
        gammas = generator.standard_gamma(np.broadcast_to(alpha, shape))
        p = gammas / gammas.sum(axis=-1, keepdims=True)
        return backend.to_device(generator.multinomial(self.n, p), device)


# --------------------------------------------------------------------------- the conjugate models


class CredibleInterval(NamedTuple):
    """An interval's ends: Python floats for one model, arrays for a batch of models."""

    low: object
    high: object


def _scalar_or_array(value):
    """A 0-d array as a Python float (one device sync), anything bigger as it is."""
    return float(backend.to_scalar(value)) if raw(value).ndim == 0 else value


def _equal_tailed(distribution, level) -> CredibleInterval:
    """The central ``level`` of ``distribution``'s mass: (F⁻¹((1 − level)/2), F⁻¹((1 + level)/2))."""
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise ValueError(f"level must be a number strictly between 0 and 1; got {level!r}")
    tail = (1 - level) / 2
    return CredibleInterval(_scalar_or_array(distribution.ppf(tail)), _scalar_or_array(distribution.ppf(1 - tail)))


def _hyperparameter(name: str, value):
    """A Python number as a float; a list as a float64 array on the default device; an array as a float array."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, (list, tuple)):
        return backend.to_device(np.asarray(value, dtype=np.float64), backend.default_device())
    try:
        backend.device_of(value)
    except TypeError:
        raise TypeError(f"{name} must be a number, a list or an array; got {type(value).__name__}") from None
    return value if value.dtype.kind == "f" else value.astype(np.float64)


class _ConjugateModel:
    """What the five models share: hyperparameters, validation, ``update`` plumbing, intervals and repr.

    A subclass lists its hyperparameters in ``_hyper_names`` (the constructor's arguments)
    and the positive ones in ``_positive_names``.
    """

    _hyper_names: tuple[str, ...] = ()
    _positive_names: tuple[str, ...] = ()

    def _set(self, **hyper) -> None:
        for name, value in hyper.items():
            setattr(self, name, _hyperparameter(name, value))
        arrays = [value for value in self._hyper() if not isinstance(value, float)]
        backend.backend_of(*arrays)  # all on one device, or a clear DeviceMismatchError
        self._device = backend.device_of(arrays[0]) if arrays else backend.default_device()
        for name in self._positive_names:
            value = getattr(self, name)
            if isinstance(value, float):
                if not value > 0:
                    raise ValueError(f"{name} must be > 0; got {value!r}")
            else:
                Distribution._require(name, value, value > 0, "be > 0")

    def _hyper(self) -> tuple:
        return tuple(getattr(self, name) for name in self._hyper_names)

    def _replace(self, **changes):
        """A new model of the same kind: these hyperparameters changed, the others kept."""
        return type(self)(**{**dict(zip(self._hyper_names, self._hyper())), **changes})

    def _observations(self, data, name: str = "data"):
        """``data`` as a float array on the model's device, observations along axis 0 (a number is one)."""
        if isinstance(data, (numbers.Number, list, tuple)):
            data = backend.to_device(np.asarray(data, dtype=np.float64), self._device)
        array = as_array(data)
        if array.ndim == 0:
            array = array.reshape(1)
        if array.dtype.kind in "biu":
            array = array.astype(np.float64)
        if array.dtype.kind != "f":
            raise ValueError(f"{name} must hold numbers; got dtype {array.dtype}")
        xp = backend.namespace(array, *(v for v in self._hyper() if not isinstance(v, float)))
        if not backend.to_scalar(xp.isfinite(array).all()):
            raise ValueError(f"{name} must be finite; it holds NaN or infinity")
        return array

    @staticmethod
    def _require_counts(values, name: str, upper=None) -> None:
        """Raise unless ``values`` are whole numbers ≥ 0 (and ≤ ``upper`` where given)."""
        ok = (values >= 0) & integer_valued(values)
        if upper is not None:
            ok = ok & (values <= upper)
        if not backend.to_scalar(ok.all()):
            bound = " and at most the number of trials" if upper is not None else ""
            raise ValueError(f"{name} must be whole numbers ≥ 0{bound}")

    @property
    def posterior(self):
        raise NotImplementedError

    def credible_interval(self, level: float = 0.95) -> CredibleInterval:
        """The equal-tailed interval holding ``level`` of the posterior mass, from its quantile function."""
        return _equal_tailed(self.posterior, level)

    def __repr__(self) -> str:
        def show(value):
            if isinstance(value, float):
                return repr(value)
            return repr(backend.to_scalar(value)) if value.ndim == 0 else f"array(shape={value.shape})"

        return f"{type(self).__name__}({', '.join(f'{n}={show(v)}' for n, v in zip(self._hyper_names, self._hyper()))})"


# exercise 03.beta_binomial_posterior
def beta_binomial_posterior(alpha, beta, successes, trials):
    """The Beta posterior of a success probability p after k successes in n trials.

    Task: with the prior p ~ Beta(α, β) and observations kᵢ ~ Binomial(nᵢ, p), the
    posterior is Beta(α', β') with

        α' = α + Σᵢ kᵢ              (each success adds one to α)
        β' = β + Σᵢ (nᵢ − kᵢ)       (each failure adds one to β)

    Why: prior × likelihood = p^(α−1) (1 − p)^(β−1) · Πᵢ p^kᵢ (1 − p)^(nᵢ−kᵢ), which is
    again a Beta density in p, with the exponents above (the binomial coefficients do not
    depend on p and cancel when the posterior is normalised).

    Args:
        alpha: the prior's α, a number or an array of shape (...).
        beta: the prior's β, a number or an array of shape (...).
        successes: kᵢ, an array of shape (m, ...): one row per observation, summed along axis 0.
        trials: nᵢ, a number (the same for every observation) or an array that broadcasts
            against ``successes``.

    Returns:
        ``(alpha_post, beta_post)``, arrays of shape (...) on ``successes``' device.

    No loop is needed: ``.sum(axis=0)`` adds up the observations; failures are nᵢ − kᵢ.
    """
    failures = trials - successes
    return alpha + successes.sum(axis=0), beta + failures.sum(axis=0)
# end exercise


class BetaBinomial(_ConjugateModel):
    """A success probability p with a Beta(alpha, beta) prior, observed through binomial counts.

    ``update(successes, trials=1)``: α' = α + Σ k, β' = β + Σ (n − k) (0/1 outcomes by default).
    Posterior Beta(α', β'); the predictive count of successes in n new trials is
    BetaBinomial(n, α', β'). Beta(1, 1) is the uniform prior; the posterior mean
    (α + Σk)/(α + β + Σn) shrinks the observed share towards the prior mean α/(α + β).
    """

    _hyper_names = ("alpha", "beta")
    _positive_names = ("alpha", "beta")

    def __init__(self, alpha=1.0, beta=1.0):
        self._set(alpha=alpha, beta=beta)

    def update(self, successes, trials=1) -> BetaBinomial:
        """The model after seeing ``successes`` out of ``trials`` per observation (axis 0)."""
        successes = self._observations(successes, "successes")
        if isinstance(trials, numbers.Real):
            if isinstance(trials, bool) or trials < 0 or trials != int(trials):
                raise ValueError(f"trials must be whole numbers ≥ 0; got {trials!r}")
        else:
            trials = self._observations(trials, "trials")
            self._require_counts(trials, "trials")
        self._require_counts(successes, "successes", upper=trials)
        alpha, beta = beta_binomial_posterior(self.alpha, self.beta, successes, trials)
        return self._replace(alpha=alpha, beta=beta)

    @property
    def posterior(self) -> Beta:
        """p | data ~ Beta(α', β')."""
        return Beta(self.alpha, self.beta)

    def posterior_predictive(self, n: int = 1) -> BetaBinomialDistribution:
        """Successes among ``n`` new trials: BetaBinomial(n, α', β') (n = 1: a Bernoulli with P(1) = E p)."""
        return BetaBinomialDistribution(n, self.alpha, self.beta)


class GammaPoisson(_ConjugateModel):
    """A Poisson rate λ with a Gamma prior of shape ``alpha`` and rate ``beta`` (mean α/β).

    ``update(counts)``: α' = α + Σ x, β' = β + n (β counts prior "windows observed").
    Posterior Gamma(α', scale 1/β'); the predictive count in a new window is
    NegativeBinomial(α', β'/(β' + 1)), over-dispersed compared with any one Poisson.
    """

    _hyper_names = ("alpha", "beta")
    _positive_names = ("alpha", "beta")

    def __init__(self, alpha=1.0, beta=1.0):
        self._set(alpha=alpha, beta=beta)

    def update(self, counts) -> GammaPoisson:
        """The model after seeing ``counts`` (whole numbers ≥ 0, one per window, along axis 0)."""
        counts = self._observations(counts, "counts")
        self._require_counts(counts, "counts")
        return self._replace(alpha=self.alpha + counts.sum(axis=0), beta=self.beta + counts.shape[0])

    @property
    def posterior(self) -> Gamma:
        """λ | data ~ Gamma(shape α', scale 1/β')."""
        return Gamma(self.alpha, 1 / self.beta)

    def posterior_predictive(self) -> NegativeBinomial:
        """A new count: ∫ Poisson(x̃ | λ) Gamma(λ | α', β') dλ = NegativeBinomial(α', β'/(β' + 1))."""
        return NegativeBinomial(self.alpha, self.beta / (self.beta + 1))


class NormalKnownVariance(_ConjugateModel):
    """The mean μ of normal data with known standard deviation ``sigma``, prior μ ~ N(mu, tau²).

    ``update(x)``: precisions (inverse variances) add, and the posterior mean is the
    precision-weighted average of the prior mean and the data::

        1/τ'² = 1/τ² + n/σ²        μ' = τ'² (μ₀/τ² + Σx/σ²)

    Posterior N(μ', τ'²); a new observation is N(μ', τ'² + σ²) (posterior plus noise).
    """

    _hyper_names = ("mu", "tau", "sigma")
    _positive_names = ("tau", "sigma")

    def __init__(self, mu=0.0, tau=1.0, sigma=1.0):
        self._set(mu=mu, tau=tau, sigma=sigma)

    def update(self, x) -> NormalKnownVariance:
        """The model after seeing the observations ``x`` (along axis 0)."""
        x = self._observations(x, "x")
        precision = 1 / self.tau**2 + x.shape[0] / self.sigma**2
        mu = (self.mu / self.tau**2 + x.sum(axis=0) / self.sigma**2) / precision
        return self._replace(mu=mu, tau=(1 / precision) ** 0.5 + 0 * mu)  # + 0·μ: an array of μ's shape and device

    @property
    def posterior(self) -> Normal:
        """μ | data ~ N(μ', τ'²)."""
        return Normal(self.mu, self.tau)

    def posterior_predictive(self) -> Normal:
        """A new observation: N(μ', τ'² + σ²)."""
        return Normal(self.mu, (self.tau**2 + self.sigma**2) ** 0.5)


class NormalInverseGamma(_ConjugateModel):
    """Normal data with unknown mean μ and variance σ²: σ² ~ InvGamma(alpha, beta), μ | σ² ~ N(mu, σ²/kappa).

    ``update(x)``, with n observations of mean x̄::

        κ' = κ + n      μ' = (κ μ₀ + n x̄)/κ'      α' = α + n/2
        β' = β + ½ Σ(x − x̄)² + κ n (x̄ − μ₀)² / (2κ')

    ``posterior`` is the joint NormalInverseGammaDistribution; μ alone is Student t with
    2α' degrees of freedom (``posterior.marginal_mean()``, used by ``credible_interval``),
    and so is a new observation, wider by the factor √(1 + 1/κ').
    """

    _hyper_names = ("mu", "kappa", "alpha", "beta")
    _positive_names = ("kappa", "alpha", "beta")

    def __init__(self, mu=0.0, kappa=1.0, alpha=1.0, beta=1.0):
        self._set(mu=mu, kappa=kappa, alpha=alpha, beta=beta)

    def update(self, x) -> NormalInverseGamma:
        """The model after seeing the observations ``x`` (along axis 0)."""
        x = self._observations(x, "x")
        n = x.shape[0]
        if n == 0:
            return self
        mean = x.mean(axis=0)
        kappa = self.kappa + n
        return self._replace(  # + 0·x̄ keeps every hyperparameter an array of the batch's shape, on x's device
            mu=(self.kappa * self.mu + n * mean) / kappa,
            kappa=kappa + 0 * mean,
            alpha=self.alpha + n / 2 + 0 * mean,
            beta=self.beta + 0.5 * ((x - mean) ** 2).sum(axis=0) + self.kappa * n * (mean - self.mu) ** 2 / (2 * kappa),
        )

    @property
    def posterior(self) -> NormalInverseGammaDistribution:
        """(μ, σ²) | data, jointly."""
        return NormalInverseGammaDistribution(self.mu, self.kappa, self.alpha, self.beta)

    def posterior_predictive(self) -> StudentT:
        """A new observation: Student t, 2α' degrees of freedom, location μ', scale √(β'(κ' + 1)/(α' κ'))."""
        return StudentT(2 * self.alpha, self.mu, (self.beta * (self.kappa + 1) / (self.alpha * self.kappa)) ** 0.5)

    def credible_interval(self, level: float = 0.95, parameter: str = "mean") -> CredibleInterval:
        """Equal-tailed interval for μ (``parameter="mean"``, Student t) or σ² (``"variance"``, InvGamma)."""
        marginals = {"mean": self.posterior.marginal_mean, "variance": self.posterior.marginal_variance}
        if parameter not in marginals:
            raise ValueError(f"parameter must be 'mean' or 'variance'; got {parameter!r}")
        return _equal_tailed(marginals[parameter](), level)


class DirichletCategorical(_ConjugateModel):
    """Probabilities p of K labels with a Dirichlet(alpha) prior, observed through labels 0 … K−1.

    ``update(labels)``: αₖ' = αₖ + (number of labels equal to k). Posterior Dirichlet(α');
    the next label is Categorical(α'/Σα') and the counts among n new labels are
    DirichletMultinomial(n, α'). Each pₖ alone is Beta(αₖ', Σα' − αₖ'), which gives the
    per-label credible intervals.
    """

    _hyper_names = ("alpha",)
    _positive_names = ("alpha",)

    def __init__(self, alpha):
        self._set(alpha=alpha)
        if isinstance(self.alpha, float) or self.alpha.ndim != 1 or self.alpha.shape[0] < 2:
            raise ValueError(f"alpha must be a 1-D array of at least 2 concentrations; got {alpha!r}")

    def update(self, labels) -> DirichletCategorical:
        """The model after seeing ``labels`` (a 1-D array of whole numbers in 0 … K−1)."""
        labels = self._observations(labels, "labels")
        n_categories = self.alpha.shape[0]
        if labels.ndim != 1:
            raise ValueError(f"labels must be a 1-D array; got shape {labels.shape}")
        self._require_counts(labels, "labels")
        if labels.shape[0] and backend.to_scalar(labels.max()) >= n_categories:
            raise ValueError(f"labels must lie in 0 … {n_categories - 1} (one per concentration in alpha)")
        counts = backend.bincount(labels.astype(np.int64), minlength=n_categories)
        return self._replace(alpha=self.alpha + counts)

    @property
    def posterior(self) -> Dirichlet:
        """p | data ~ Dirichlet(α')."""
        return Dirichlet(self.alpha)

    def posterior_predictive(self, n: int | None = None):
        """The next label, Categorical(α'/Σα') (n=None), or the counts among ``n`` new labels, DirichletMultinomial."""
        if n is None:
            return Categorical(self.alpha / self.alpha.sum())
        return DirichletMultinomial(n, self.alpha)

    def credible_interval(self, level: float = 0.95) -> CredibleInterval:
        """Per-label equal-tailed intervals (arrays of length K), from the Beta(αₖ', Σα' − αₖ') marginals."""
        return _equal_tailed(Beta(self.alpha, self.alpha.sum() - self.alpha), level)
