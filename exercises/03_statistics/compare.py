"""`minml compare 03`: your statistics functions beside minml's reference and the libraries that do the same job.

Every implementation gets the same seeded inputs, on the default device (MINML_DEVICE) for yours and
minml's; the peers get host copies (their time includes that copy when minml runs on a GPU).

* Welch's t-test: 1,000 A/B comparisons at once, 2,000 and 1,500 observations each, against
  ``scipy.stats.ttest_ind(equal_var=False, axis=-1)`` and the same formula in PyTorch;
* Wilson interval: the click-through rates of 1,000 ads (5 to 5,000 views each), against
  ``statsmodels``' ``proportion_confint(method="wilson")`` (vectorised), SciPy's
  ``binomtest(k, n).proportion_ci(method="wilson")`` (one ad at a time, in a Python loop) and the
  textbook formula in NumPy;
* Beta–Binomial posterior: 500 daily conversion counts for 2,000 variants, against the same
  update written with NumPy and with PyTorch.
"""

import contextlib
import importlib

import numpy as np

from minml import backend
from minml.grading.compare import Case

# Import the peers now, where installed, so that their import time is not counted as their run time.
for module in ("scipy.stats", "statsmodels.stats.proportion", "torch"):
    with contextlib.suppress(ImportError):
        importlib.import_module(module)


# --------------------------------------------------------------------------- Welch's t-test


def ab_tests():
    rng = np.random.default_rng(0)
    a = rng.normal(10.0, 2.0, (1000, 2000))
    b = rng.normal(10.1, 3.0, (1000, 1500))
    return backend.to_device(a), backend.to_device(b)


def scipy_welch(a, b):
    from scipy.stats import ttest_ind

    result = ttest_ind(backend.asnumpy(a), backend.asnumpy(b), axis=-1, equal_var=False)
    return result.statistic, result.df


def torch_welch(a, b):
    import torch

    a, b = torch.from_numpy(backend.asnumpy(a)), torch.from_numpy(backend.asnumpy(b))
    v1, v2 = a.var(dim=-1) / a.shape[-1], b.var(dim=-1) / b.shape[-1]  # torch's var is ddof=1 by default
    t = (a.mean(dim=-1) - b.mean(dim=-1)) / torch.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / (a.shape[-1] - 1) + v2**2 / (b.shape[-1] - 1))
    return t.numpy(), df.numpy()


# --------------------------------------------------------------------------- Wilson interval


def click_through():
    rng = np.random.default_rng(1)
    views = rng.integers(5, 5001, 1000)
    clicks = rng.binomial(views, rng.beta(1, 30, 1000))
    return backend.to_device(clicks), backend.to_device(views)


def statsmodels_wilson(count, nobs):
    from statsmodels.stats.proportion import proportion_confint

    return proportion_confint(backend.asnumpy(count), backend.asnumpy(nobs), alpha=0.05, method="wilson")


def scipy_wilson(count, nobs):
    from scipy.stats import binomtest

    intervals = [binomtest(int(k), int(n)).proportion_ci(0.95, method="wilson")
                 for k, n in zip(backend.asnumpy(count), backend.asnumpy(nobs))]
    return np.array([ci.low for ci in intervals]), np.array([ci.high for ci in intervals])


def numpy_wilson(count, nobs):
    k, n = backend.asnumpy(count).astype(float), backend.asnumpy(nobs).astype(float)
    z = 1.959963984540054  # the 97.5% quantile of N(0, 1)
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return np.where(k == 0, 0.0, centre - half), np.where(k == n, 1.0, centre + half)


# --------------------------------------------------------------------------- Beta–Binomial posterior


def daily_conversions():
    rng = np.random.default_rng(2)
    trials = rng.integers(50, 500, (500, 2000)).astype(float)
    successes = rng.binomial(trials.astype(np.int64), rng.beta(2, 40, 2000)).astype(float)
    return 1.0, 1.0, backend.to_device(successes), backend.to_device(trials)


def numpy_posterior(alpha, beta, successes, trials):
    successes, trials = backend.asnumpy(successes), backend.asnumpy(trials)
    return alpha + np.sum(successes, axis=0), beta + np.sum(trials - successes, axis=0)


def torch_posterior(alpha, beta, successes, trials):
    import torch

    successes, trials = torch.from_numpy(backend.asnumpy(successes)), torch.from_numpy(backend.asnumpy(trials))
    return (alpha + successes.sum(dim=0)).numpy(), (beta + (trials - successes).sum(dim=0)).numpy()


CASES = [
    Case(exercise="03.welch_t_statistic", make_inputs=ab_tests,
         peers={"scipy": scipy_welch, "torch": torch_welch}, agreement="max_abs_diff"),
    Case(exercise="03.wilson_interval", make_inputs=click_through,
         peers={"statsmodels": statsmodels_wilson, "scipy": scipy_wilson, "numpy": numpy_wilson},
         agreement="max_abs_diff"),
    Case(exercise="03.beta_binomial_posterior", make_inputs=daily_conversions,
         peers={"numpy": numpy_posterior, "torch": torch_posterior}, agreement="max_abs_diff"),
]
