"""Lesson 02 — Probability.

Random variables and the common distributions, drawing samples (by the inverse CDF and by
rejection), the law of large numbers and the central limit theorem watched in simulation, and
maximum likelihood: in closed form, and by gradient ascent with autograd, compared with the
closed form — with minml.stats, minml's autograd and minml.plot.

Run it on its own (``python lessons/02_probability.py``); the course page
docs/lessons/02-probability.md runs the same sections one by one. Samples are drawn on the
default device (``MINML_DEVICE``), so the lesson runs unchanged on a GPU; numbers are brought
to the host only to print and plot.
"""

# --8<-- [start:dice]
import numpy as np

from minml import backend
from minml.stats import Categorical

die = Categorical([1 / 6] * 6)  # one roll: the labels 0 ... 5, each with probability 1/6
rolls = die.sample((100_000, 2), random_state=0) + 1  # 100,000 throws of two dice, faces 1 ... 6
total = rolls.sum(axis=1)  # the random variable S = first + second
print(f"{rolls.shape[0]:,} throws of two dice on {backend.device_of(rolls)}; the first five sums: "
      f"{backend.asnumpy(total[:5]).tolist()}")

frequency = backend.asnumpy(backend.bincount(total, minlength=13))[2:] / total.shape[0]
exact = np.array([6 - abs(s - 7) for s in range(2, 13)]) / 36  # ways to make s, out of 36
for s, f, p in zip(range(2, 13), frequency, exact):
    print(f"P(S = {s:2d}) = {p:.4f}   observed {f:.4f}   {'#' * round(200 * p)}")
mean, var = backend.to_scalar(total.mean()), backend.to_scalar(total.var())
print(f"E[S] = 7, observed mean {mean:.3f};   Var[S] = 35/6 = {35 / 6:.3f}, observed {var:.3f}")
# --8<-- [end:dice]


# --8<-- [start:families]
from minml.stats import Bernoulli, Beta, Binomial, Exponential, Gamma, Normal, Poisson, StudentT, Uniform

families = {
    "Normal(2, 0.5)": Normal(2.0, 0.5),
    "Uniform(0, 3)": Uniform(0.0, 3.0),
    "Exponential(1.5)": Exponential(1.5),
    "Gamma(3, 0.5)": Gamma(3.0, 0.5),
    "Beta(2, 5)": Beta(2.0, 5.0),
    "StudentT(5)": StudentT(5.0),
    "Bernoulli(0.3)": Bernoulli(0.3),
    "Binomial(20, 0.3)": Binomial(20, 0.3),
    "Poisson(4)": Poisson(4.0),
}
print(f"{'':18s} {'mean':>8s} {'sample':>8s}   {'variance':>8s} {'sample':>8s}   {'entropy':>8s}")
for name, dist in families.items():
    draws = dist.sample(200_000, random_state=1).astype(np.float64)
    print(f"{name:18s} {backend.to_scalar(dist.mean()):8.4f} {backend.to_scalar(draws.mean()):8.4f}   "
          f"{backend.to_scalar(dist.var()):8.4f} {backend.to_scalar(draws.var()):8.4f}   "
          f"{backend.to_scalar(dist.entropy()):8.4f}")
# --8<-- [end:families]


# --8<-- [start:families_figure]
import matplotlib

matplotlib.use("Agg")  # draw to strings, never to a window
import matplotlib.pyplot as plt

from minml.plot import svg


def host_grid(low, high, n=400):
    """A grid of x values on the default device, and its host copy for plotting."""
    grid = np.linspace(low, high, n)
    return backend.to_device(grid), grid


fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
x, x_host = host_grid(-1.0, 4.0)
for name in ("Normal(2, 0.5)", "Uniform(0, 3)", "Exponential(1.5)", "Gamma(3, 0.5)", "Beta(2, 5)", "StudentT(5)"):
    left.plot(x_host, backend.asnumpy(families[name].pdf(x)), label=name)
left.set(title="densities f(x)", xlabel="x", ylim=(0, 2.6))
left.legend(fontsize=8)
k, k_host = host_grid(0, 15, 16)
for shift, name in zip((-0.2, 0.2), ("Binomial(20, 0.3)", "Poisson(4)")):
    right.bar(k_host + shift, backend.asnumpy(families[name].pmf(k)), width=0.4, label=name)
right.set(title="probability mass functions P(X = k)", xlabel="k")
right.legend(fontsize=8)
fig.tight_layout()
families_svg = svg(fig)
# --8<-- [end:families_figure]


# --8<-- [start:inverse_cdf]
from minml.stats import ks_2samp

u = backend.rng(2).random(100_000)  # U uniform on [0, 1), drawn on the default device
xp = backend.namespace(u)
rate = 1.5
by_hand = -xp.log1p(-u) / rate  # F(x) = 1 - exp(-λx)  =>  F⁻¹(u) = -log(1 - u)/λ
print(f"inverse-CDF exponential draws: mean {backend.to_scalar(by_hand.mean()):.4f} (1/λ = {1 / rate:.4f}), "
      f"variance {backend.to_scalar(by_hand.var()):.4f} (1/λ² = {1 / rate**2:.4f})")

# Every family with a quantile function samples the same way, discrete ones included.
for dist in (Exponential(rate), Normal(2.0, 0.5), Gamma(3.0, 0.5), Poisson(4.0)):
    from_ppf = dist.ppf(u)
    reference = dist.sample(100_000, random_state=3)
    result = ks_2samp(from_ppf, reference)
    print(f"{dist!r:38s} ppf(U) vs the generator's draws: KS distance {result.statistic:.4f}, "
          f"p-value {result.pvalue:.2f}")
# --8<-- [end:inverse_cdf]


# --8<-- [start:inverse_cdf_figure]
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
x, x_host = host_grid(0.0, 4.0)
cdf = backend.asnumpy(Exponential(rate).cdf(x))
left.plot(x_host, cdf, color="C0", label="F(x) = 1 - exp(-1.5 x)")
for level in (0.2, 0.5, 0.8, 0.95):  # read the curve backwards: from u on the y axis to x = F⁻¹(u)
    x_level = -np.log1p(-level) / rate
    left.annotate("", xy=(x_level, 0), xytext=(0, level), arrowprops=dict(arrowstyle="->", color="C1",
                                                                           connectionstyle="angle,angleA=0,angleB=90"))
left.set(title="inverse CDF: u on the y axis -> x = F⁻¹(u)", xlabel="x", ylabel="u")
left.legend(loc="lower right", fontsize=8)
right.hist(backend.asnumpy(by_hand), bins=80, range=(0, 4), density=True, alpha=0.6, label="-log(1 - U)/1.5")
right.plot(x_host, backend.asnumpy(Exponential(rate).pdf(x)), color="C3", label="density 1.5 exp(-1.5 x)")
right.set(title="100,000 inverse-CDF draws", xlabel="x")
right.legend(fontsize=8)
fig.tight_layout()
inverse_cdf_svg = svg(fig)
# --8<-- [end:inverse_cdf_figure]


# --8<-- [start:rejection]
import math


def unnormalised(x):
    """f̃(x) = exp(-x²/2) (1 + sin 3x)²: a density known only up to its normalising constant."""
    xp = backend.namespace(x)
    return xp.exp(-x * x / 2) * (1 + xp.sin(3 * x)) ** 2


proposal = Normal(0.0, 1.5)  # easy to sample, and its tails are heavier than f̃'s
M = 4 * 1.5 * math.sqrt(2 * math.pi)  # f̃(x) ≤ M g(x) everywhere: (1 + sin)² ≤ 4 and exp(-x²/2) ≤ σ√(2π) g(x)
n = 200_000
candidates = proposal.sample(n, random_state=4)
heights = backend.rng(5).random(n) * M * proposal.pdf(candidates)  # uniform under the envelope M g(x)
accepted = candidates[heights <= unnormalised(candidates)]  # keep the points under f̃
Z = 1.5 * math.sqrt(2 * math.pi)  # ∫ f̃ = √(2π) E[(1 + sin 3X)²] = √(2π) (1 + (1 - e⁻¹⁸)/2), X ~ N(0, 1)
print(f"accepted {accepted.shape[0]:,} of {n:,} candidates: rate {accepted.shape[0] / n:.4f}, "
      f"theory Z/M = {Z / M:.4f}")

grid, grid_host = host_grid(-6.0, 6.0, 4001)
density = unnormalised(grid) / Z
mean_by_quadrature = backend.to_scalar((grid * density).sum()) * (12.0 / 4000)
print(f"mean of the accepted draws {backend.to_scalar(accepted.mean()):+.4f}, "
      f"by numerical integration {mean_by_quadrature:+.4f}")
# --8<-- [end:rejection]


# --8<-- [start:rejection_figure]
fig, ax = plt.subplots(figsize=(7, 3.4))
ax.hist(backend.asnumpy(accepted), bins=120, range=(-4, 4), density=True, alpha=0.6, label="accepted draws")
ax.plot(grid_host, backend.asnumpy(density), color="C3", label="f̃(x) / Z")
ax.plot(grid_host, backend.asnumpy(M * proposal.pdf(grid)) / Z, color="C2", ls="--", label="envelope M g(x) / Z")
ax.set(xlim=(-4, 4), ylim=(0, 1.1), xlabel="x", title="rejection sampling: a quarter of the candidates survive")
ax.legend(fontsize=8)
fig.tight_layout()
rejection_svg = svg(fig)
# --8<-- [end:rejection_figure]


# --8<-- [start:large_numbers]
paths = die.sample((5, 10_000), random_state=6).astype(np.float64) + 1  # 5 sequences of 10,000 rolls
xp = backend.namespace(paths)
throws = xp.arange(1, 10_001, dtype=np.float64)
running_mean = xp.cumsum(paths, axis=1) / throws  # the mean of the first n rolls, for every n
sigma = math.sqrt(35 / 12)  # the standard deviation of one roll
for n in (10, 100, 1000, 10_000):
    spread = backend.asnumpy(running_mean[:, n - 1])
    print(f"after {n:6,d} rolls the five means are {np.round(spread, 3).tolist()}   (3.5 ± {sigma / math.sqrt(n):.3f})")
# --8<-- [end:large_numbers]


# --8<-- [start:central_limit]
from minml.stats import skew

standard = Normal()
clt = {}
for n in (1, 2, 5, 30):
    waits = Exponential(1.0).sample((50_000, n), random_state=7)  # each row: n exponential waits
    z = (waits.mean(axis=1) - 1.0) * math.sqrt(n)  # standardised: mean 1 and sd 1/√n for one row's mean
    clt[n] = backend.asnumpy(z)
    xp = backend.namespace(z)
    ordered = xp.sort(z)
    ecdf = xp.arange(1, z.shape[0] + 1) / z.shape[0]
    distance = backend.to_scalar(xp.abs(ecdf - standard.cdf(ordered)).max())  # sup |F_n - Φ|
    print(f"mean of n = {n:2d} waits: skewness {skew(z):.3f} (theory 2/√n = {2 / math.sqrt(n):.3f}), "
          f"largest gap to the normal CDF {distance:.4f}")
# --8<-- [end:central_limit]


# --8<-- [start:limits_figure]
fig, axes = plt.subplots(1, 5, figsize=(13, 3.0), gridspec_kw={"width_ratios": [2.2, 1, 1, 1, 1]})
for path in backend.asnumpy(running_mean):
    axes[0].plot(np.arange(1, 10_001), path, lw=0.8)
band = 3.5 + np.array([[-2], [2]]) * sigma / np.sqrt(np.arange(1, 10_001))
axes[0].fill_between(np.arange(1, 10_001), band[0], band[1], color="grey", alpha=0.2, label="3.5 ± 2σ/√n")
axes[0].set(xscale="log", ylim=(1.5, 5.5), xlabel="number of rolls n", title="law of large numbers")
axes[0].legend(fontsize=8)
z_grid = np.linspace(-4, 4, 200)
phi = np.exp(-z_grid**2 / 2) / np.sqrt(2 * np.pi)
for ax, (n, z) in zip(axes[1:], clt.items()):
    ax.hist(z, bins=80, range=(-4, 4), density=True, alpha=0.6)
    ax.plot(z_grid, phi, color="C3")
    ax.set(title=f"CLT: mean of {n}", yticks=[])
fig.tight_layout()
limits_svg = svg(fig)
# --8<-- [end:limits_figure]


# --8<-- [start:closed_form]
heights_cm = Normal(170.0, 8.0).sample(500, random_state=8)  # 500 measurements, in centimetres
calls = Poisson(3.2).sample(1_000, random_state=9).astype(np.float64)  # calls per minute, 1,000 minutes
gaps = Exponential(0.25).sample(300, random_state=10)  # minutes between buses

normal_fit, poisson_fit, exponential_fit = Normal.fit(heights_cm), Poisson.fit(calls), Exponential.fit(gaps)
print(f"Normal:      μ̂ = {backend.to_scalar(normal_fit.loc):.3f}, σ̂ = {backend.to_scalar(normal_fit.scale):.3f}"
      f"   (true 170, 8)")
print(f"Poisson:     λ̂ = {backend.to_scalar(poisson_fit.rate):.4f}   (true 3.2)")
print(f"Exponential: λ̂ = {backend.to_scalar(exponential_fit.rate):.4f}   (true 0.25)")

best = backend.to_scalar(poisson_fit.logpmf(calls).sum())  # ℓ(λ̂) = Σ log P(kᵢ; λ̂)
for factor in (0.9, 0.99, 1.01, 1.1):
    nearby = backend.to_scalar(Poisson(poisson_fit.rate * factor).logpmf(calls).sum())
    print(f"  ℓ(λ̂ × {factor:4}) - ℓ(λ̂) = {nearby - best:+.3f}")
# --8<-- [end:closed_form]


# --8<-- [start:gradient_ascent]
import minml


def fit_by_gradient_ascent(make_distribution, data, start, steps=500, lr=0.05):
    """Maximise Σ log f(xᵢ; θ) over θ with Adam; θ are unconstrained Tensors (logs of positive parameters)."""
    theta = [minml.tensor(backend.to_device(np.array(value)), requires_grad=True) for value in start]
    optimizer = minml.optim.Adam(theta, lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = -make_distribution(*theta).logpdf(data).mean()  # minimise the mean negative log-likelihood
        loss.backward()
        optimizer.step()
    return make_distribution(*theta), -loss.item()


fitted, mean_ll = fit_by_gradient_ascent(lambda mu, log_sigma: Normal(mu, log_sigma.exp()), heights_cm,
                                         start=[150.0, math.log(10.0)], steps=800, lr=0.5)
print(f"Normal by gradient ascent:  μ = {fitted.loc.item():.4f}, σ = {fitted.scale.item():.4f};  "
      f"closed form μ̂ = {backend.to_scalar(normal_fit.loc):.4f}, σ̂ = {backend.to_scalar(normal_fit.scale):.4f}")

# Gamma has no closed form: its likelihood equation involves the digamma function.
rainfall = Gamma(2.5, 4.0).sample(2_000, random_state=11)
fitted, mean_ll = fit_by_gradient_ascent(lambda log_k, log_theta: Gamma(log_k.exp(), log_theta.exp()), rainfall,
                                         start=[0.0, 0.0], steps=800, lr=0.05)
newton = Gamma.fit(rainfall)
print(f"Gamma by gradient ascent:   k = {fitted.shape.item():.4f}, θ = {fitted.scale.item():.4f}, "
      f"mean log-likelihood {mean_ll:.6f}")
print(f"Gamma.fit (Newton's method): k = {backend.to_scalar(newton.shape):.4f}, "
      f"θ = {backend.to_scalar(newton.scale):.4f}, "
      f"mean log-likelihood {backend.to_scalar(newton.logpdf(rainfall).mean()):.6f}   (true 2.5, 4)")
# --8<-- [end:gradient_ascent]


# --8<-- [start:stability]
z = backend.to_device(np.array([1.0, 10.0, 30.0, 38.0, 39.0, 50.0]))
xp = backend.namespace(z)
with np.errstate(divide="ignore"):
    naive = xp.log(xp.exp(-z * z / 2) / math.sqrt(2 * math.pi))  # the density first, then its log
stable = Normal().logpdf(z)  # -z²/2 - ½ log 2π, never leaving log space
for value, a, b in zip(backend.asnumpy(z), backend.asnumpy(naive), backend.asnumpy(stable)):
    print(f"x = {value:4.0f}:  log(pdf) = {a:12.4f}   logpdf = {b:12.4f}")
# --8<-- [end:stability]


# --8<-- [start:exercises]
from minml.stats.continuous import exponential_inverse_cdf, normal_logpdf
from minml.stats.discrete import poisson_mle

on_device = backend.to_device
print("F⁻¹(u) of Exponential(2) at u = 0.5, 1e-17:",
      backend.asnumpy(exponential_inverse_cdf(on_device(np.array([0.5, 1e-17])), on_device(np.array(2.0)))).tolist())
print("log-density of N(0, 1) at 0 and 40:",
      backend.asnumpy(normal_logpdf(on_device(np.array([0.0, 40.0])), on_device(np.array(0.0)),
                                    on_device(np.array(1.0)))).tolist())
counts = on_device(np.array([0.0, 3.0, 1.0, 4.0, 2.0]))
print("Poisson MLE of the counts 0, 3, 1, 4, 2:", backend.to_scalar(poisson_mle(counts)))
# --8<-- [end:exercises]
