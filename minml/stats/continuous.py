"""Continuous distributions: Normal, Uniform, Exponential, Gamma, Beta, StudentT, ChiSquare.

A continuous random variable X has a density f: P(a < X ≤ b) = ∫ₐᵇ f(x) dx. The cumulative
distribution function F(x) = P(X ≤ x) climbs from 0 to 1, and its inverse, the quantile
function F⁻¹(q) (``ppf``), answers "below which value do 100·q % of draws fall?". The
families here, with their densities:

* Normal(μ, σ):       f(x) = exp(−(x − μ)² / 2σ²) / (σ √(2π))        sums of many small effects
* Uniform(a, b):      f(x) = 1 / (b − a) on [a, b]                    "no value preferred"
* Exponential(λ):     f(x) = λ e^(−λx), x ≥ 0                          waiting time, memoryless
* Gamma(k, θ):        f(x) = x^(k−1) e^(−x/θ) / (Γ(k) θᵏ), x ≥ 0        sum of k exponential waits
* Beta(a, b):         f(x) = x^(a−1) (1 − x)^(b−1) / B(a, b) on [0, 1]  a probability's uncertainty
* StudentT(ν, μ, σ):  f ∝ (1 + z²/ν)^(−(ν+1)/2), z = (x − μ)/σ          heavy tails; t-tests
* ChiSquare(ν):       Gamma(ν/2, 2)                                     sum of ν squared normals

The CDFs need special functions: Φ (``ndtr``) and its inverse, the regularised incomplete
gamma P(k, x) (``gammainc``) and beta Iₓ(a, b) (``betainc``) and their inverses. They come
from ``scipy.special`` on the CPU and ``cupyx.scipy.special`` on a GPU, through
:func:`minml.backend.special`: well-tested libraries beat a hand-rolled approximation.

Maximum likelihood (``fit``). Normal, Uniform and Exponential have closed forms (the sample
mean and the biased standard deviation; the min and max; 1 / mean). Gamma, Beta, StudentT
and ChiSquare do not: their likelihood equations involve the digamma function ψ = (log Γ)′,
so ``fit`` runs a fixed number of Newton steps (Gamma, Beta, ChiSquare) or of an EM
iteration (StudentT), vectorised over the columns of the data.
"""

from __future__ import annotations

import math

import numpy as np

from minml import backend
from minml.stats.distribution import (
    LOG_2PI,
    ContinuousDistribution,
    fit_data,
    gammaln,
    inverse_digamma,
    log,
    log1p,
    raw,
    trigamma,
    where,
    xlog1py,
    xlogy,
)

__all__ = ["Normal", "Uniform", "Exponential", "Gamma", "Beta", "StudentT", "ChiSquare", "normal_logpdf",
           "exponential_inverse_cdf"]


def _quiet():
    """Silence NumPy's divide/invalid warnings where ±inf and NaN are the intended answers."""
    return np.errstate(divide="ignore", invalid="ignore")


# exercise 02.normal_logpdf
def normal_logpdf(x, loc, scale):
    """The log-density of the normal distribution N(loc, scale²), computed without underflow.

    The density is f(x) = exp(−z²/2) / (σ √(2π)) with z = (x − μ)/σ. Its log, written out,

        log f(x) = −z²/2 − log σ − ½ log(2π),

    is an ordinary number for every x. Computing f(x) first and then its log is not: exp(−z²/2)
    underflows to 0 once |z| > 38.6, and log 0 = −inf — a data point 40 standard deviations
    out would make a whole log-likelihood −inf.

    Args:
        x: the data; loc: μ; scale: σ > 0. Arrays on any device, or minml Tensors (lesson 02
            fits μ and σ by gradient ascent through this function); they broadcast together.

    Returns:
        log f(x), of the broadcast shape, on the inputs' device (a Tensor if any input is one).

    Use arithmetic (+, −, *, /) and ``minml.stats.distribution.log``, the log of an array or of
    a Tensor; ``minml.stats.distribution.LOG_2PI`` is log(2π).
    """
    z = (x - loc) / scale
    return -0.5 * z * z - log(scale) - 0.5 * LOG_2PI
# end exercise


# exercise 02.exponential_inverse_cdf
def exponential_inverse_cdf(u, rate):
    """Inverse-CDF sampling for the exponential distribution: the x with F(x) = u.

    The exponential distribution with rate λ has F(x) = 1 − e^(−λx) for x ≥ 0. Solving u = F(x):

        x = F⁻¹(u) = −log(1 − u) / λ

    If U is uniform on (0, 1), then F⁻¹(U) is exponential with rate λ, because
    P(F⁻¹(U) ≤ x) = P(U ≤ F(x)) = F(x). minml's ``Exponential`` draws its samples this way,
    and its quantile function ``ppf`` is this function.

    Compute log(1 − u) as ``xp.log1p(-u)``: for a tiny u, 1 − u rounds to 1 (1 − 1e-17 is
    exactly 1.0) and log(1 − u) loses every digit of the answer, while log1p(−u) keeps them.
    u = 1 gives +inf.

    Args:
        u: probabilities in [0, 1], an array on any device.
        rate: λ > 0, an array broadcastable with u, on the same device.

    Returns:
        F⁻¹(u), of the broadcast shape, on u's device.

    Use ``xp = minml.backend.namespace(u, rate)``.
    """
    xp = backend.namespace(u, rate)
    return -xp.log1p(-u) / rate
# end exercise


class Normal(ContinuousDistribution):
    """The normal (Gaussian) distribution N(loc, scale²).

    log f(x) = −½ z² − log σ − ½ log 2π,  z = (x − μ)/σ.  Mean μ, variance σ², entropy ½ log(2πe σ²).
    """

    _param_names = ("loc", "scale")

    def __init__(self, loc=0.0, scale=1.0):
        self._set_params(loc=loc, scale=scale)
        self._positive("scale")

    def logpdf(self, x):
        return normal_logpdf(*self._values(x, keep_tensors=True))

    def cdf(self, x):
        x, loc, scale = self._values(x)
        return backend.special(x).ndtr((x - loc) / scale)

    def sf(self, x):
        """P(X > x) = Φ(−z), by symmetry: exact far in the upper tail."""
        x, loc, scale = self._values(x)
        return backend.special(x).ndtr((loc - x) / scale)

    def ppf(self, q):
        q, loc, scale = self._values(q)
        return loc + scale * backend.special(q).ndtri(q)

    def mean(self):
        loc, _ = self._values()
        return self._broadcast(loc)

    def var(self):
        _, scale = self._values()
        return self._broadcast(scale**2)

    def entropy(self):
        _, scale = self._values()
        return self._broadcast(0.5 * (LOG_2PI + 1) + backend.namespace(scale).log(scale))

    def sample(self, size=None, random_state=None):
        loc, scale = self._host_params()
        return self._generator(random_state).normal(loc, scale, size=self._shape(size))

    @classmethod
    def fit(cls, data):
        """μ̂ = the sample mean, σ̂ = √(mean of squared deviations) (the biased, ML, standard deviation)."""
        data = fit_data(data)
        return cls(data.mean(axis=0), data.std(axis=0))


class Uniform(ContinuousDistribution):
    """The uniform distribution on [low, high]: f(x) = 1/(high − low) there, 0 elsewhere."""

    _param_names = ("low", "high")

    def __init__(self, low=0.0, high=1.0):
        self._set_params(low=low, high=high)
        low, high = self._values()
        self._require("high", high, high > low, "be > low")

    def logpdf(self, x):
        x, low, high = self._values(x, keep_tensors=True)
        inside = (raw(x) >= raw(low)) & (raw(x) <= raw(high))
        return where(inside, -log(high - low), -np.inf)

    def cdf(self, x):
        x, low, high = self._values(x)
        return backend.namespace(x).clip((x - low) / (high - low), 0.0, 1.0)

    def ppf(self, q):
        q, low, high = self._values(q)
        return low + q * (high - low)

    def mean(self):
        low, high = self._values()
        return self._broadcast((low + high) / 2)

    def var(self):
        low, high = self._values()
        return self._broadcast((high - low) ** 2 / 12)

    def entropy(self):
        low, high = self._values()
        return self._broadcast(backend.namespace(low).log(high - low))

    def sample(self, size=None, random_state=None):
        low, high = self._host_params()
        return self._generator(random_state).uniform(low, high, size=self._shape(size))

    @classmethod
    def fit(cls, data):
        """The smallest interval holding the data: [min, max]."""
        data = fit_data(data, minimum=2)
        return cls(data.min(axis=0), data.max(axis=0))


class Exponential(ContinuousDistribution):
    """The exponential distribution with rate λ: f(x) = λ e^(−λx) for x ≥ 0 (mean 1/λ).

    Memoryless: P(X > s + t | X > s) = P(X > t). F(x) = 1 − e^(−λx), so F⁻¹(q) = −log(1 − q)/λ.
    """

    _param_names = ("rate",)

    def __init__(self, rate=1.0):
        self._set_params(rate=rate)
        self._positive("rate")

    def logpdf(self, x):
        x, rate = self._values(x, keep_tensors=True)
        return where(raw(x) >= 0, log(rate) - rate * x, -np.inf)

    def cdf(self, x):
        x, rate = self._values(x)
        xp = backend.namespace(x)
        return xp.where(x > 0, -xp.expm1(-rate * xp.maximum(x, 0)), 0.0)

    def sf(self, x):
        """P(X > x) = e^(−λx)."""
        x, rate = self._values(x)
        xp = backend.namespace(x)
        return xp.where(x > 0, xp.exp(-rate * xp.maximum(x, 0)), 1.0)

    def ppf(self, q):
        return exponential_inverse_cdf(*self._values(q))

    def mean(self):
        (rate,) = self._values()
        return self._broadcast(1 / rate)

    def var(self):
        (rate,) = self._values()
        return self._broadcast(1 / rate**2)

    def entropy(self):
        (rate,) = self._values()
        return self._broadcast(1 - backend.namespace(rate).log(rate))

    def sample(self, size=None, random_state=None):
        """Inverse-CDF sampling: F⁻¹(U) with U uniform on [0, 1)."""
        (rate,) = self._values()
        return exponential_inverse_cdf(self._generator(random_state).random(self._shape(size)), rate)

    @classmethod
    def fit(cls, data):
        """λ̂ = 1 / mean (the location is fixed at 0)."""
        data = fit_data(data)
        return cls(1 / data.mean(axis=0))


class Gamma(ContinuousDistribution):
    """The gamma distribution with shape k and scale θ: f(x) = x^(k−1) e^(−x/θ) / (Γ(k) θᵏ), x ≥ 0.

    Mean kθ, variance kθ². F(x) = P(k, x/θ), the regularised lower incomplete gamma function.
    """

    _param_names = ("shape", "scale")

    def __init__(self, shape=1.0, scale=1.0):
        self._set_params(shape=shape, scale=scale)
        self._positive("shape", "scale")

    def _shape_scale(self, *data, keep_tensors=False):
        """(data..., k, θ): ChiSquare overrides this to give (ν/2, 2)."""
        return self._values(*data, keep_tensors=keep_tensors)

    def logpdf(self, x):
        x, k, theta = self._shape_scale(x, keep_tensors=True)
        with _quiet():
            density = xlogy(k - 1, x) - x / theta - gammaln(k) - k * log(theta)
        return where(raw(x) >= 0, density, -np.inf)

    def cdf(self, x):
        x, k, theta = self._shape_scale(x)
        xp = backend.namespace(x)
        return backend.special(x).gammainc(k, xp.maximum(x, 0) / theta)

    def sf(self, x):
        """P(X > x) = Q(k, x/θ), the regularised upper incomplete gamma function."""
        x, k, theta = self._shape_scale(x)
        xp = backend.namespace(x)
        return backend.special(x).gammaincc(k, xp.maximum(x, 0) / theta)

    def ppf(self, q):
        q, k, theta = self._shape_scale(q)
        return theta * backend.special(q).gammaincinv(k, q)

    def mean(self):
        k, theta = self._shape_scale()
        return self._broadcast(k * theta)

    def var(self):
        k, theta = self._shape_scale()
        return self._broadcast(k * theta**2)

    def entropy(self):
        """H = k + log θ + log Γ(k) + (1 − k) ψ(k)."""
        k, theta = self._shape_scale()
        special = backend.special(k)
        return self._broadcast(k + backend.namespace(k).log(theta) + special.gammaln(k) + (1 - k) * special.digamma(k))

    def sample(self, size=None, random_state=None):
        k, theta = (backend.asnumpy(v) for v in self._shape_scale())
        return self._generator(random_state).gamma(k, theta, size=self._shape(size))

    @classmethod
    def fit(cls, data, iterations: int = 10):
        """Maximum likelihood with the location fixed at 0, by Newton's method on the shape.

        Setting the derivatives of the log-likelihood to zero gives θ̂ = mean / k̂ and
        log k − ψ(k) = s, with s = log(mean) − mean(log x) > 0. Newton's method on
        g(k) = log k − ψ(k) − s, g′(k) = 1/k − ψ′(k), started at Minka's approximation
        k₀ = (3 − s + √((s − 3)² + 24 s)) / 12 s, reaches float64 accuracy in a few steps.
        """
        data = fit_data(data, minimum=2)
        xp = backend.namespace(data)
        special = backend.special(data)
        mean = data.mean(axis=0)
        s = xp.log(mean) - xp.log(data).mean(axis=0)
        k = (3 - s + xp.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s)
        for _ in range(iterations):
            k = k - (xp.log(k) - special.digamma(k) - s) / (1 / k - trigamma(k))
        return cls(k, mean / k)


class ChiSquare(Gamma):
    """The chi-square distribution with ν degrees of freedom: the sum of ν squared standard normals.

    It is Gamma(ν/2, 2): mean ν, variance 2ν.
    """

    _param_names = ("df",)

    def __init__(self, df=1.0):
        self._set_params(df=df)
        self._positive("df")

    def _shape_scale(self, *data, keep_tensors=False):
        *data, df = self._values(*data, keep_tensors=keep_tensors)
        return (*data, df / 2, 2.0 + 0 * raw(df))

    @classmethod
    def fit(cls, data):
        """ν̂ solves ψ(ν/2) = mean(log x) − log 2, so ν̂ = 2 ψ⁻¹(mean(log x) − log 2)."""
        data = fit_data(data)
        xp = backend.namespace(data)
        return cls(2 * inverse_digamma(xp.log(data).mean(axis=0) - math.log(2)))


class Beta(ContinuousDistribution):
    """The beta distribution on [0, 1]: f(x) = x^(a−1) (1 − x)^(b−1) / B(a, b).

    Mean a/(a + b). The natural prior for a probability (lesson 03's Beta–Binomial model).
    F(x) = Iₓ(a, b), the regularised incomplete beta function.
    """

    _param_names = ("a", "b")

    def __init__(self, a=1.0, b=1.0):
        self._set_params(a=a, b=b)
        self._positive("a", "b")

    def logpdf(self, x):
        x, a, b = self._values(x, keep_tensors=True)
        log_beta = gammaln(a) + gammaln(b) - gammaln(a + b)
        with _quiet():
            density = xlogy(a - 1, x) + xlog1py(b - 1, -x) - log_beta
        return where((raw(x) >= 0) & (raw(x) <= 1), density, -np.inf)

    def cdf(self, x):
        x, a, b = self._values(x)
        return backend.special(x).betainc(a, b, backend.namespace(x).clip(x, 0.0, 1.0))

    def sf(self, x):
        """P(X > x) = I_{1−x}(b, a), by the symmetry of the incomplete beta function."""
        x, a, b = self._values(x)
        return backend.special(x).betainc(b, a, 1 - backend.namespace(x).clip(x, 0.0, 1.0))

    def ppf(self, q):
        q, a, b = self._values(q)
        return backend.special(q).betaincinv(a, b, q)

    def mean(self):
        a, b = self._values()
        return self._broadcast(a / (a + b))

    def var(self):
        a, b = self._values()
        return self._broadcast(a * b / ((a + b) ** 2 * (a + b + 1)))

    def entropy(self):
        """H = log B(a, b) − (a − 1) ψ(a) − (b − 1) ψ(b) + (a + b − 2) ψ(a + b)."""
        a, b = self._values()
        special = backend.special(a)
        psi = special.digamma
        return self._broadcast(special.betaln(a, b) - (a - 1) * psi(a) - (b - 1) * psi(b) + (a + b - 2) * psi(a + b))

    def sample(self, size=None, random_state=None):
        a, b = self._host_params()
        return self._generator(random_state).beta(a, b, size=self._shape(size))

    @classmethod
    def fit(cls, data, iterations: int = 30):
        """Maximum likelihood on [0, 1] by Newton's method on (a, b).

        The likelihood equations are ψ(a) − ψ(a + b) = mean(log x) and
        ψ(b) − ψ(a + b) = mean(log(1 − x)); Newton's method solves them from the
        method-of-moments estimate, with the 2×2 Jacobian of trigamma functions ψ′.
        Data must lie strictly inside (0, 1).
        """
        data = fit_data(data, minimum=2)
        xp = backend.namespace(data)
        if not backend.to_scalar(((data > 0) & (data < 1)).all()):
            raise ValueError("Beta.fit needs data strictly between 0 and 1")
        special = backend.special(data)
        psi = special.digamma
        log_x, log_1mx = xp.log(data).mean(axis=0), xp.log1p(-data).mean(axis=0)
        m, v = data.mean(axis=0), data.var(axis=0)
        common = xp.maximum(m * (1 - m) / v - 1, 1e-3)
        a, b = m * common, (1 - m) * common
        for _ in range(iterations):
            g1 = psi(a) - psi(a + b) - log_x
            g2 = psi(b) - psi(a + b) - log_1mx
            t_ab = trigamma(a + b)
            j11, j22, j12 = trigamma(a) - t_ab, trigamma(b) - t_ab, -t_ab
            det = j11 * j22 - j12 * j12
            new_a = a - (j22 * g1 - j12 * g2) / det
            new_b = b - (j11 * g2 - j12 * g1) / det
            a = xp.where(new_a > 0, new_a, a / 2)  # a step out of the domain is replaced by halving
            b = xp.where(new_b > 0, new_b, b / 2)
        return cls(a, b)


class StudentT(ContinuousDistribution):
    """Student's t distribution with ν degrees of freedom, location μ and scale σ.

    log f(x) = log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − log σ − (ν+1)/2 · log(1 + z²/ν).
    F(t) for t < 0 is ½ I_{ν/(ν+t²)}(ν/2, ½), and 1 minus that for t > 0 (symmetry).
    """

    _param_names = ("df", "loc", "scale")

    def __init__(self, df=1.0, loc=0.0, scale=1.0):
        self._set_params(df=df, loc=loc, scale=scale)
        self._positive("df", "scale")

    def logpdf(self, x):
        x, df, loc, scale = self._values(x, keep_tensors=True)
        z = (x - loc) / scale
        return (
            gammaln((df + 1) / 2)
            - gammaln(df / 2)
            - 0.5 * log(df * math.pi)
            - log(scale)
            - (df + 1) / 2 * log1p(z * z / df)
        )

    def cdf(self, x):
        x, df, loc, scale = self._values(x)
        xp = backend.namespace(x)
        t = (x - loc) / scale
        tail = 0.5 * backend.special(x).betainc(df / 2, 0.5, df / (df + t * t))  # P(T < −|t|)
        return xp.where(t < 0, tail, 1 - tail)

    def sf(self, x):
        """P(X > x) = F(2μ − x), by symmetry: exact far in the upper tail (one-sided p-values)."""
        x, _, loc, _ = self._values(x)
        return self.cdf(2 * loc - x)

    def ppf(self, q):
        """Invert the incomplete beta function on whichever side keeps full precision."""
        q, df, loc, scale = self._values(q)
        xp = backend.namespace(q)
        special = backend.special(q)
        two_tail = 2 * xp.minimum(q, 1 - q)  # P(|T| > |t|)
        with _quiet():
            x = special.betaincinv(df / 2, 0.5, two_tail)  # = ν/(ν + t²): accurate in the tails
            far = xp.sqrt(df * (1 - x) / x)
            y = special.betaincinv(0.5, df / 2, xp.abs(1 - 2 * q))  # = t²/(ν + t²): accurate near the centre
            near = xp.sqrt(df * y / (1 - y))
        t = xp.where(two_tail < 0.5, far, near)
        return loc + scale * xp.where(q < 0.5, -t, t)

    def mean(self):
        """μ for ν > 1; undefined (NaN) otherwise."""
        df, loc, _ = self._values()
        return self._broadcast(backend.namespace(df).where(df > 1, loc, np.nan))

    def var(self):
        """σ² ν/(ν − 2) for ν > 2, infinite for 1 < ν ≤ 2, undefined (NaN) otherwise."""
        df, _, scale = self._values()
        xp = backend.namespace(df)
        with _quiet():
            var = xp.where(df > 2, scale**2 * df / (df - 2), xp.where(df > 1, np.inf, np.nan))
        return self._broadcast(var)

    def entropy(self):
        """H = (ν+1)/2 · (ψ((ν+1)/2) − ψ(ν/2)) + log(√ν B(ν/2, ½)) + log σ."""
        df, _, scale = self._values()
        xp = backend.namespace(df)
        special = backend.special(df)
        half = (df + 1) / 2
        return self._broadcast(
            half * (special.digamma(half) - special.digamma(df / 2))
            + 0.5 * xp.log(df)
            + special.betaln(df / 2, 0.5)
            + xp.log(scale)
        )

    def sample(self, size=None, random_state=None):
        df = backend.asnumpy(self._values()[0])
        _, loc, scale = self._values()
        return loc + scale * self._generator(random_state).standard_t(df, size=self._shape(size))

    @classmethod
    def fit(cls, data, iterations: int = 200):
        """Maximum likelihood for (ν, μ, σ) by ECME, a variant of expectation–maximisation.

        A t variable is a normal one whose precision is scaled by a hidden Gamma weight.
        E-step: each point's expected weight wᵢ = (ν + 1)/(ν + zᵢ²) (outliers get small
        weights). M-step: μ = Σ wᵢxᵢ / Σ wᵢ, σ² = Σ wᵢ(xᵢ − μ)² / n — a weighted normal fit.
        Then ν maximises the actual log-likelihood given μ and σ: a few Newton steps on
        log ν with a numerical second derivative. Each iteration cannot lower the likelihood.
        """
        data = fit_data(data, minimum=3)
        xp = backend.namespace(data)
        special = backend.special(data)
        n = data.shape[0]
        loc = xp.median(data, axis=0)
        scale = xp.sqrt(((data - loc) ** 2).mean(axis=0))
        log_df = xp.log(xp.full_like(loc, 5.0))

        def slope(log_df, z2):
            """d(log-likelihood)/d(log ν), given the standardised squares z²."""
            df = xp.exp(log_df)
            ratio = z2 / df
            d_df = (
                n * 0.5 * (special.digamma((df + 1) / 2) - special.digamma(df / 2) - 1 / df)
                - 0.5 * xp.log1p(ratio).sum(axis=0)
                + (df + 1) / 2 * (ratio / (df * (1 + ratio))).sum(axis=0)
            )
            return d_df * df

        for _ in range(iterations):
            df = xp.exp(log_df)
            z2 = ((data - loc) / scale) ** 2
            weight = (df + 1) / (df + z2)
            loc = (weight * data).sum(axis=0) / weight.sum(axis=0)
            scale = xp.sqrt((weight * (data - loc) ** 2).mean(axis=0))
            z2 = ((data - loc) / scale) ** 2
            for _ in range(2):
                g = slope(log_df, z2)
                curvature = (slope(log_df + 1e-4, z2) - slope(log_df - 1e-4, z2)) / 2e-4
                step = xp.where(curvature < 0, -g / xp.where(curvature < 0, curvature, -1.0), xp.sign(g))
                log_df = xp.clip(log_df + xp.clip(step, -1.0, 1.0), math.log(1e-2), math.log(1e6))
        return cls(xp.exp(log_df), loc, scale)
