"""Lesson 03 — Statistics.

From a sample to statements about the population, and how far to trust them: estimators and
their bias and variance, confidence intervals and their coverage, hypothesis tests and
p-values (and how they are misused: peeking, p-hacking, significance mistaken for importance),
multiple testing, the bootstrap, and Bayesian updating with conjugate priors — checked against a
Metropolis–Hastings sampler — with minml.stats and minml.plot. Every claim is checked by
simulation: draw many samples from a population we know, and count.

Run it on its own (``python lessons/03_statistics.py``); the course page
docs/lessons/03-statistics.md runs the same sections one by one. Samples are drawn on the
default device (``MINML_DEVICE``), so the lesson runs unchanged on a GPU; numbers are brought
to the host only to print and plot.
"""

# --8<-- [start:estimators]
import numpy as np

from minml import backend
from minml.stats import median

device = backend.default_device()  # MINML_DEVICE, or the CPU
rng = backend.rng(0, device)  # seeded draws that land on the device
mu, sigma, n = 5.0, 2.0, 10
samples = rng.normal(mu, sigma, (20_000, n))  # 20,000 samples of n = 10 observations, one per row
print(f"{samples.shape[0]:,} samples of n = {n} from Normal(mu = {mu}, sigma = {sigma}) on {device}")

estimators = {  # name: (one estimate per sample, the quantity it estimates)
    "mean": (samples.mean(axis=1), mu),
    "median": (median(samples, axis=1), mu),
    "var, ddof=1 (s²)": (samples.var(axis=1, ddof=1), sigma**2),
    "var, ddof=0 (MLE)": (samples.var(axis=1), sigma**2),
    "std, ddof=1 (s)": (samples.std(axis=1, ddof=1), sigma),
}
print(f"{'estimator':18s} {'target':>6s} {'bias':>8s} {'variance':>9s} {'MSE':>7s}")
for name, (estimates, target) in estimators.items():
    bias = backend.to_scalar(estimates.mean()) - target
    variance = backend.to_scalar(estimates.var())
    mse = backend.to_scalar(((estimates - target) ** 2).mean())  # = bias² + variance
    print(f"{name:18s} {target:6.2f} {bias:+8.3f} {variance:9.3f} {mse:7.3f}")
# --8<-- [end:estimators]


# --8<-- [start:estimators_figure]
import matplotlib

matplotlib.use("Agg")  # draw to strings, never to a window
import matplotlib.pyplot as plt

from minml.plot import svg

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4))
for name in ("mean", "median"):
    left.hist(backend.asnumpy(estimators[name][0]), bins=80, histtype="step", density=True, label=name)
left.axvline(mu, color="black", linestyle="--", linewidth=1, label="μ")
left.set_title("two estimators of μ: both unbiased, the median wider", fontsize=10)
for name in ("var, ddof=1 (s²)", "var, ddof=0 (MLE)"):
    values = backend.asnumpy(estimators[name][0])
    line = right.hist(values, bins=80, range=(0, 12), histtype="step", density=True, label=name)[2][0]
    right.axvline(values.mean(), color=line.get_edgecolor(), linewidth=1)
right.axvline(sigma**2, color="black", linestyle="--", linewidth=1, label="σ²")
right.set_title("two estimators of σ² (solid lines: their means)", fontsize=10)
for ax in (left, right):
    ax.legend(fontsize=8)
fig.tight_layout()
estimators_svg = svg(fig)
# --8<-- [end:estimators_figure]


# --8<-- [start:intervals]
from minml.stats import Normal, ttest_1samp

z = backend.to_scalar(Normal().ppf(0.975))  # 1.96: the normal quantile a "± 2 standard errors" interval uses
populations = {  # name: (draw samples of shape (repeats, n), the true mean)
    "Normal(5, 2)": (lambda shape: rng.normal(mu, sigma, shape), mu),
    "Exponential(1)": (lambda shape: rng.exponential(1.0, shape), 1.0),
}
print(f"coverage of nominal 95% intervals for the mean, 20,000 samples each  (z = {z:.3f})")
print(f"{'population':15s} {'n':>4s}   {'t-interval':>10s}   {'mean ± z·s/√n':>14s}")
for name, (draw, true_mean) in populations.items():
    for size in (5, 20, 80):
        x = draw((20_000, size))
        t_interval = ttest_1samp(x, axis=1).confidence_interval(0.95)  # one test (and interval) per row
        t_covers = (t_interval.low <= true_mean) & (true_mean <= t_interval.high)
        half_width = z * x.std(axis=1, ddof=1) / np.sqrt(size)
        z_covers = abs(x.mean(axis=1) - true_mean) <= half_width
        print(f"{name:15s} {size:4d}   {backend.to_scalar(t_covers.mean()):10.3f}   "
              f"{backend.to_scalar(z_covers.mean()):14.3f}")
# --8<-- [end:intervals]


# --8<-- [start:proportions]
from minml.stats import Binomial, wilson_interval

trials = 30
k = backend.to_device(np.arange(trials + 1.0))  # every possible count of successes, 0 ... 30
wilson = wilson_interval(k, trials)
p_hat = k / trials
wald_half = z * (p_hat * (1 - p_hat) / trials) ** 0.5
wald = (p_hat - wald_half, p_hat + wald_half)  # the textbook interval p̂ ± z √(p̂(1 − p̂)/n)

# Exact coverage at each true p: the probability of drawing a count whose interval contains p.
p_grid = backend.to_device(np.linspace(0.005, 0.995, 199))
probability = Binomial(trials, p_grid[:, None]).pmf(k[None, :])  # P(K = k | p): one row per p
coverage = {}
for name, (low, high) in (("Wald", wald), ("Wilson", wilson)):
    contains = (low[None, :] <= p_grid[:, None]) & (p_grid[:, None] <= high[None, :])
    coverage[name] = (probability * contains).sum(axis=1)
    c = coverage[name]
    print(f"{name:6s} 95% intervals for n = {trials}: coverage from {backend.to_scalar(c.min()):.3f} to "
          f"{backend.to_scalar(c.max()):.3f}, mean over p {backend.to_scalar(c.mean()):.3f}")
for count in (0, 1, 15):
    print(f"k = {count:2d}: Wald [{backend.to_scalar(wald[0][count]):+.3f}, {backend.to_scalar(wald[1][count]):.3f}]"
          f"   Wilson [{backend.to_scalar(wilson.low[count]):.3f}, {backend.to_scalar(wilson.high[count]):.3f}]")
# --8<-- [end:proportions]


# --8<-- [start:intervals_figure]
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
x = backend.asnumpy(backend.rng(3, device).normal(mu, sigma, (50, 10)))  # 50 new samples of n = 10
low, high = (backend.asnumpy(end) for end in ttest_1samp(x, axis=1).confidence_interval(0.95))
missed = (high < mu) | (low > mu)
left.hlines(np.arange(50), low, high, colors=np.where(missed, "tab:red", "tab:blue"))
left.plot(x.mean(axis=1), np.arange(50), "k.", markersize=3)
left.axvline(mu, color="black", linestyle="--", linewidth=1)
left.set_title(f"50 95% t-intervals from samples of 10: {missed.sum()} miss μ", fontsize=10)
left.set_yticks([])
for name, values in coverage.items():
    right.plot(backend.asnumpy(p_grid), backend.asnumpy(values), label=name, linewidth=1)
right.axhline(0.95, color="black", linestyle="--", linewidth=1, label="nominal 95%")
right.set_ylim(0.5, 1.0)
right.set_xlabel("true success probability p")
right.set_ylabel("coverage")
right.set_title(f"coverage of 95% intervals for a proportion, n = {trials}", fontsize=10)
right.legend(fontsize=8, loc="lower center")
fig.tight_layout()
intervals_svg = svg(fig)
# --8<-- [end:intervals_figure]


# --8<-- [start:tests]
from minml.stats import permutation_test, ttest_ind

# An A/B test: seconds to complete a checkout, old page (a) against new page (b).
old = rng.gamma(4.0, 15.0, 40)  # mean 60 s
new = rng.gamma(4.0, 12.5, 35)  # mean 50 s
welch = ttest_ind(old, new, equal_var=False)
student = ttest_ind(old, new)
low, high = welch.confidence_interval(0.95)
print(f"mean {backend.to_scalar(old.mean()):.1f} s (old, n = 40) vs {backend.to_scalar(new.mean()):.1f} s "
      f"(new, n = 35): difference {welch.estimate:.1f} s, 95% interval [{low:.1f}, {high:.1f}]")
print(f"Welch's t = {welch.statistic:.3f}, df = {welch.df:.1f}, p = {welch.pvalue:.4f}   "
      f"(Student's: t = {student.statistic:.3f}, df = {student.df:.0f}, p = {student.pvalue:.4f})")


def mean_difference(a, b, axis=-1):
    return a.mean(axis=axis) - b.mean(axis=axis)


permuted = permutation_test((old, new), mean_difference, n_resamples=9999, random_state=0)
print(f"permutation test of the same difference (no normality assumed): p = {permuted.pvalue:.4f}")

# What a p-value is: 10,000 A/A tests (no difference at all), and 10,000 with a real one.
n_group = 30
null = ttest_ind(rng.normal(0, 1, (10_000, n_group)), rng.normal(0, 1, (10_000, n_group)), axis=1,
                 equal_var=False).pvalue
real = ttest_ind(rng.normal(0.5, 1, (10_000, n_group)), rng.normal(0, 1, (10_000, n_group)), axis=1,
                 equal_var=False).pvalue
for name, p in (("no difference", null), ("difference 0.5 σ", real)):
    print(f"{name:17s}: share of p < 0.05 = {backend.to_scalar((p < 0.05).mean()):.3f}, "
          f"p < 0.01 = {backend.to_scalar((p < 0.01).mean()):.3f}")
# --8<-- [end:tests]


# --8<-- [start:pvalues_figure]
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.2), sharey=True)
for ax, p, title in ((left, null, "H₀ true (no difference): uniform"),
                     (right, real, f"H₁ true (0.5 σ, n = {n_group} per group): piled near 0")):
    ax.hist(backend.asnumpy(p), bins=40, range=(0, 1), color="tab:blue")
    ax.axvline(0.05, color="tab:red", linewidth=1, label="0.05")
    ax.set_title(f"p-values of 10,000 tests, {title}", fontsize=10)
    ax.set_xlabel("p-value")
    ax.legend(fontsize=8)
fig.tight_layout()
pvalues_svg = svg(fig)
# --8<-- [end:pvalues_figure]


# --8<-- [start:misuse]
experiments = 2_000  # A/A experiments: the null hypothesis is TRUE in every one of them

# 1. Peeking: test after every 20 users per group, stop at the first p < 0.05 (up to 400 per group).
a, b = rng.normal(0, 1, (experiments, 400)), rng.normal(0, 1, (experiments, 400))
looks = range(20, 401, 20)
significant_at = [ttest_ind(a[:, :m], b[:, :m], axis=1, equal_var=False).pvalue < 0.05 for m in looks]
print(f"peeking 20 times: {backend.to_scalar(significant_at[-1].mean()):.3f} of A/A tests significant at the "
      f"planned end, {backend.to_scalar(backend.namespace(a).stack(significant_at).any(axis=0).mean()):.3f} "
      f"at some look")

# 2. p-hacking: measure 20 outcomes (clicks, time, scroll depth...), report whichever is significant.
outcomes = ttest_ind(rng.normal(0, 1, (experiments, 20, 50)), rng.normal(0, 1, (experiments, 20, 50)), axis=-1,
                     equal_var=False).pvalue  # (experiments, 20): one test per outcome
print(f"20 outcomes, the best one reported: {backend.to_scalar((outcomes.min(axis=1) < 0.05).mean()):.3f} "
      f"of A/A tests 'find' an effect (1 - 0.95^20 = {1 - 0.95**20:.3f})")

# 3. Significance is not size: a negligible effect with huge n, a large one with small n.
for label, size, shift in (("huge n, tiny effect", 200_000, 0.02), ("small n, large effect", 12, 0.6)):
    treated, control = rng.normal(shift, 1, size), rng.normal(0, 1, size)
    result = ttest_ind(treated, control, equal_var=False)
    low, high = result.confidence_interval(0.95)
    pooled_sd = backend.to_scalar(((treated.var(ddof=1) + control.var(ddof=1)) / 2) ** 0.5)
    print(f"{label:22s} n = {size:7,d} per group: p = {result.pvalue:.2g}, difference {result.estimate:+.3f} "
          f"[{low:+.3f}, {high:+.3f}], Cohen's d = {result.estimate / pooled_sd:+.3f}")
# --8<-- [end:misuse]


# --8<-- [start:multiple]
from minml.stats import multipletests

# 1,000 hypotheses (say, genes): 900 with no effect, 100 with a real effect of 1.2 σ; 20 samples per group.
m, m_real, per_group = 1_000, 100, 20
is_real = np.arange(m) < m_real
effect = backend.to_device(np.where(is_real, 1.2, 0.0))
methods = ("none", "bonferroni", "holm", "fdr_bh")


def discoveries(pvalues, method, alpha=0.05):
    """Which hypotheses a method rejects, on the host."""
    reject = pvalues <= alpha if method == "none" else multipletests(pvalues, alpha, method).reject
    return backend.asnumpy(reject)


def simulate_p_values(repeats):
    """Welch p-values of the m tests, for ``repeats`` independent studies: shape (repeats, m)."""
    treated = rng.normal(0, 1, (repeats, m, per_group)) + effect[:, None]
    return ttest_ind(treated, rng.normal(0, 1, (repeats, m, per_group)), axis=-1, equal_var=False).pvalue


study = simulate_p_values(1)[0]
print(f"one study, {m} tests, {m_real} real effects, alpha = 0.05:")
for method in methods:
    reject = discoveries(study, method)
    print(f"  {method:10s} {reject.sum():4d} discoveries, {(reject & ~is_real).sum():3d} false, "
          f"{(reject & is_real).sum():3d} of {m_real} real effects found")

studies = simulate_p_values(200)  # 200 repeats of the study: the error rates are long-run averages
print("over 200 studies:  P(any false discovery)   false share of discoveries   real effects found")
for method in methods:
    rejects = np.array([discoveries(p, method) for p in studies])
    false, found = (rejects & ~is_real).sum(axis=1), (rejects & is_real).sum(axis=1)
    fdp = false / np.maximum(rejects.sum(axis=1), 1)
    print(f"  {method:10s}       {np.mean(false > 0):.3f}                      {fdp.mean():.3f}"
          f"                      {found.mean() / m_real:.3f}")
# --8<-- [end:multiple]


# --8<-- [start:multiple_figure]
fig, ax = plt.subplots(figsize=(6.5, 3.8))
order = np.argsort(backend.asnumpy(study))
ranks = np.arange(1, m + 1)
ax.scatter(ranks, backend.asnumpy(study)[order], s=6, c=np.where(is_real[order], "tab:orange", "tab:blue"))
ax.plot(ranks, 0.05 * ranks / m, color="tab:green", label="Benjamini–Hochberg: 0.05 · i / m")
ax.axhline(0.05 / m, color="tab:red", label="Bonferroni: 0.05 / m")
ax.axhline(0.05, color="gray", linestyle="--", label="uncorrected: 0.05")
ax.set(xscale="log", yscale="log", xlabel="rank i of the p-value", ylabel="p-value", ylim=(1e-9, 1.5))
ax.set_title("the sorted p-values of one study (orange: real effects)", fontsize=10)
ax.legend(fontsize=8, loc="lower right")
fig.tight_layout()
multiple_svg = svg(fig)
# --8<-- [end:multiple_figure]


# --8<-- [start:bootstrap]
from minml.stats import bootstrap_ci


def sample_median(x, axis=-1):
    return median(x, axis=axis)


incomes = rng.lognormal(10.5, 0.8, 60)  # 60 household incomes: skewed, a long right tail
observed_median = backend.to_scalar(median(incomes))
for method in ("percentile", "BCa"):
    result = bootstrap_ci((incomes,), sample_median, method=method, n_resamples=9999, random_state=0)
    low, high = result.confidence_interval
    print(f"median income {observed_median:,.0f}, 95% {method:10s} interval [{low:,.0f}, {high:,.0f}], "
          f"standard error {result.standard_error:,.0f}")
median_bootstrap = result


def sample_mean(x, axis=-1):
    return x.mean(axis=axis)


# Coverage, by simulation: 500 skewed samples of 25 from Lognormal(0, 1), whose mean is e^0.5.
true_mean = float(np.exp(0.5))
covered = {"t-interval": 0, "percentile": 0, "BCa": 0}
for repeat in range(500):
    x = rng.lognormal(0.0, 1.0, 25)
    intervals = {"t-interval": ttest_1samp(x).confidence_interval(0.95)}
    for method in ("percentile", "BCa"):
        intervals[method] = bootstrap_ci((x,), sample_mean, method=method, n_resamples=1999,
                                         random_state=repeat).confidence_interval
    for name, (low, high) in intervals.items():
        covered[name] += low <= true_mean <= high
print("coverage of nominal 95% intervals for the mean of Lognormal(0, 1), n = 25: "
      + ", ".join(f"{name} {count / 500:.3f}" for name, count in covered.items()))
# --8<-- [end:bootstrap]


# --8<-- [start:bootstrap_figure]
from minml.plot import plot_bootstrap_distribution

fig, ax = plt.subplots(figsize=(6.5, 3.4))
plot_bootstrap_distribution(median_bootstrap, observed=observed_median, bins=60, label="median income", ax=ax)
ax.set_title("the medians of 9,999 resamples of 60 incomes, with the BCa interval", fontsize=10)
fig.tight_layout()
bootstrap_svg = svg(fig)
# --8<-- [end:bootstrap_figure]


# --8<-- [start:bayes]
from minml.stats import BetaBinomial

# A conversion rate: 4 purchases in the first 50 visits of a new landing page.
purchases = backend.to_device(np.array([1.0, 0.0, 2.0, 0.0, 1.0]))  # five days of 10 visits each
flat = BetaBinomial(1.0, 1.0)  # Beta(1, 1): every rate from 0 to 1 equally plausible
informed = BetaBinomial(2.0, 38.0)  # earlier pages converted about 5%: worth about 40 visits of experience
for name, prior in (("flat prior Beta(1, 1)", flat), ("informed prior Beta(2, 38)", informed)):
    posterior = prior.update(purchases, trials=10)
    low, high = posterior.credible_interval(0.95)
    chance = 1 - backend.to_scalar(posterior.posterior.cdf(0.05))  # P(p > 5% | data): no p-value answers this
    print(f"{name:27s} -> {posterior}: mean {backend.to_scalar(posterior.posterior.mean()):.3f}, 95% credible interval "
          f"[{low:.3f}, {high:.3f}], P(p > 0.05 | data) = {chance:.2f}")
day_by_day = flat
for day in purchases:
    day_by_day = day_by_day.update(day, trials=10)  # yesterday's posterior is today's prior
print(f"updated day by day: {day_by_day} (the same as all at once)")
wilson_low, wilson_high = wilson_interval(4, 50)
print(f"frequentist: p̂ = 0.080, 95% Wilson interval [{wilson_low:.3f}, {wilson_high:.3f}]")
predictive = flat.update(purchases, trials=10).posterior_predictive(100)
low, high = (backend.to_scalar(predictive.ppf(q)) for q in (0.05, 0.95))
print(f"purchases in the next 100 visits (flat prior): expected {backend.to_scalar(predictive.mean()):.1f}, "
      f"90% between {low:.0f} and {high:.0f}")

# With more data the prior washes out: the same 8% rate seen in 50, 500 and 5,000 visits.
for visits in (50, 500, 5000):
    means = [backend.to_scalar(prior.update(0.08 * visits, trials=visits).posterior.mean())
             for prior in (flat, informed)]
    print(f"{visits:5d} visits, 8% converted: posterior mean {means[0]:.4f} (flat) vs {means[1]:.4f} (informed)")

# A credible interval is not built to cover, but with a flat prior it nearly does: 20,000 studies, p = 0.1.
counts = rng.binomial(trials, 0.1, (1, 20_000)).astype(np.float64)  # one observation per model, 20,000 models
credible = flat.update(counts, trials=trials).credible_interval(0.95)
wilson_sim = wilson_interval(counts[0], trials)
for name, (low, high) in (("credible (flat prior)", credible), ("Wilson", wilson_sim)):
    print(f"{name:21s} 95% intervals, n = {trials}, p = 0.1: coverage "
          f"{backend.to_scalar(((low <= 0.1) & (0.1 <= high)).mean()):.3f}")
# --8<-- [end:bayes]


# --8<-- [start:bayes_figure]
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4))
grid = np.linspace(0.0005, 0.4, 800)
grid_device = backend.to_device(grid)
for (name, prior), color in zip((("flat", flat), ("informed", informed)), ("tab:blue", "tab:orange")):
    left.plot(grid, backend.asnumpy(prior.posterior.pdf(grid_device)), color=color, linestyle=":",
              label=f"{name} prior")
    left.plot(grid, backend.asnumpy(prior.update(purchases, trials=10).posterior.pdf(grid_device)), color=color,
              label=f"{name} posterior")
left.set_ylim(0, 25)
left.set_title("4 purchases in 50 visits", fontsize=10)
for visits, style in ((50, ":"), (500, "--"), (5000, "-")):
    for prior, color in ((flat, "tab:blue"), (informed, "tab:orange")):
        posterior = prior.update(0.08 * visits, trials=visits).posterior
        right.plot(grid, backend.asnumpy(posterior.pdf(grid_device)), color=color, linestyle=style,
                   label=f"{visits} visits" if prior is flat else None)
right.set_xlim(0, 0.2)
right.set_title("8% converted: flat (blue) and informed (orange) posteriors merge", fontsize=10)
for ax in (left, right):
    ax.set_xlabel("conversion rate p")
    ax.legend(fontsize=8)
fig.tight_layout()
bayes_svg = svg(fig)
# --8<-- [end:bayes_figure]


# --8<-- [start:mcmc]
from minml.stats import metropolis_hastings, quantile

exact = informed.update(purchases, trials=10)  # the conjugate posterior, Beta(6, 84)


def log_posterior(theta):
    """log(likelihood × prior) up to a constant, for each chain's p = theta[:, 0]; -inf outside (0, 1)."""
    xp = backend.namespace(theta)
    p = xp.clip(theta[:, 0], 1e-300, 1 - 1e-16)  # keep the logs finite; the mask below rejects the outside
    log_density = (4 + 2 - 1) * xp.log(p) + (46 + 38 - 1) * xp.log1p(-p)  # p^(k+α−1) (1−p)^(n−k+β−1)
    return xp.where((theta[:, 0] > 0) & (theta[:, 0] < 1), log_density, -xp.inf)


start = backend.to_device(np.array([0.5]))
for step in (0.002, 0.05, 0.5):
    run = metropolis_hastings(log_posterior, start, 5_000, step_size=step, random_state=0, burn_in=500)
    print(f"step size {step:5.3f}: acceptance rate {run.acceptance_rate:.2f}, "
          f"effective sample size {backend.to_scalar(run.effective_sample_size[0]):6.0f} of 5,000")

chain = metropolis_hastings(log_posterior, start, 20_000, step_size=0.05, random_state=1, burn_in=1_000)
draws = chain.samples[:, 0]
low, high = backend.asnumpy(quantile(draws, [0.025, 0.975])).tolist()
exact_low, exact_high = exact.credible_interval(0.95)
print(f"Metropolis-Hastings: mean {backend.to_scalar(draws.mean()):.4f}, sd {backend.to_scalar(draws.std()):.4f}, "
      f"95% interval [{low:.4f}, {high:.4f}]  (effective sample size "
      f"{backend.to_scalar(chain.effective_sample_size[0]):.0f})")
print(f"conjugate {exact}:  mean {backend.to_scalar(exact.posterior.mean()):.4f}, "
      f"sd {backend.to_scalar(exact.posterior.var()) ** 0.5:.4f}, "
      f"95% interval [{exact_low:.4f}, {exact_high:.4f}]")
# --8<-- [end:mcmc]


# --8<-- [start:mcmc_figure]
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.2), gridspec_kw={"width_ratios": [1.4, 1]})
left.plot(backend.asnumpy(draws[:2000]), linewidth=0.6)
left.set(xlabel="iteration (after the burn-in)", ylabel="p")
left.set_title("the first 2,000 steps of the chain", fontsize=10)
right.hist(backend.asnumpy(draws), bins=60, density=True, color="tab:blue", alpha=0.6, label="MCMC draws")
right.plot(grid, backend.asnumpy(exact.posterior.pdf(grid_device)), color="black", label="Beta(6, 84), exact")
right.set_xlim(0, 0.2)
right.set_xlabel("conversion rate p")
right.set_title("Metropolis–Hastings against the conjugate posterior", fontsize=10)
right.legend(fontsize=8)
fig.tight_layout()
mcmc_svg = svg(fig)
# --8<-- [end:mcmc_figure]


# --8<-- [start:exercises]
from minml.stats.conjugate import beta_binomial_posterior
from minml.stats.t_tests import welch_t_statistic

t, df = welch_t_statistic(old, new)
print(f"welch_t_statistic(old, new): t = {backend.to_scalar(t):.3f}, df = {backend.to_scalar(df):.1f}")
low, high = wilson_interval(4, 50)
print(f"wilson_interval(4, 50): ({low:.4f}, {high:.4f})")
alpha_post, beta_post = beta_binomial_posterior(2.0, 38.0, purchases, 10)
print(f"beta_binomial_posterior(2, 38, purchases, 10): alpha' = {backend.to_scalar(alpha_post):g}, "
      f"beta' = {backend.to_scalar(beta_post):g}")
# --8<-- [end:exercises]
