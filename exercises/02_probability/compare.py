"""`minml compare 02`: your probability functions beside minml's reference and the libraries that do the same job.

Every implementation gets the same seeded inputs, on the default device (MINML_DEVICE) for yours and
minml's; the peers get host copies (their time includes that copy when minml runs on a GPU).

* normal log-density: 1,000,000 points, a tenth of them beyond 40 standard deviations, against
  ``scipy.stats.norm.logpdf`` and ``torch.distributions.Normal.log_prob``;
* exponential inverse CDF: 1,000,000 probabilities (some as small as 1e-15), rate 2, against
  ``scipy.stats.expon.ppf`` and ``torch.distributions.Exponential.icdf``;
* Poisson MLE: 100,000 counts in each of 10 columns, against the log-likelihood maximised numerically
  by ``scipy.optimize.minimize_scalar`` (it lands on the closed form, to its tolerance) and ``numpy.mean``.
"""

import contextlib
import importlib

import numpy as np

from minml import backend
from minml.grading.compare import Case

# Import the peers now, where installed, so that their import time is not counted as their run time.
for module in ("scipy.stats", "torch"):
    with contextlib.suppress(ImportError):
        importlib.import_module(module)

SIZE = 1_000_000


# --------------------------------------------------------------------------- normal log-density


def normal_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=SIZE)
    x[::10] *= 60  # a tenth far out in the tails, where log(pdf) would be -inf
    return backend.to_device(x), backend.to_device(np.array(0.5)), backend.to_device(np.array(1.5))


def scipy_normal_logpdf(x, loc, scale):
    from scipy.stats import norm

    return norm.logpdf(backend.asnumpy(x), backend.asnumpy(loc), backend.asnumpy(scale))


def torch_normal_logpdf(x, loc, scale):
    import torch

    loc, scale = (torch.tensor(float(backend.asnumpy(v)), dtype=torch.float64) for v in (loc, scale))
    return torch.distributions.Normal(loc, scale).log_prob(torch.from_numpy(backend.asnumpy(x))).numpy()


# --------------------------------------------------------------------------- exponential inverse CDF


def probabilities():
    u = np.random.default_rng(1).random(SIZE)
    u[:1000] = np.logspace(-15, -3, 1000)  # tiny probabilities: where log(1 - u) loses its digits
    return backend.to_device(u), backend.to_device(np.array(2.0))


def scipy_exponential_ppf(u, rate):
    from scipy.stats import expon

    return expon.ppf(backend.asnumpy(u), scale=1 / backend.asnumpy(rate))


def torch_exponential_icdf(u, rate):
    import torch

    rate = torch.tensor(float(backend.asnumpy(rate)), dtype=torch.float64)
    return torch.distributions.Exponential(rate).icdf(torch.from_numpy(backend.asnumpy(u))).numpy()


# --------------------------------------------------------------------------- Poisson MLE


def counts():
    rates = np.linspace(0.5, 50.0, 10)
    return (backend.to_device(np.random.default_rng(2).poisson(rates, size=(100_000, 10)).astype(np.float64)),)


def scipy_maximise(counts):
    """The log-likelihood (Σk) log λ − nλ maximised numerically, column by column, by Brent's method."""
    from scipy.optimize import minimize_scalar

    counts = backend.asnumpy(counts)
    n = counts.shape[0]
    rates = []
    for total in counts.sum(axis=0):
        result = minimize_scalar(lambda rate, total=total: n * rate - total * np.log(rate),
                                 bounds=(1e-9, counts.max() + 1), method="bounded", options={"xatol": 1e-10})
        rates.append(result.x)
    return np.array(rates)


def numpy_mean(counts):
    return backend.asnumpy(counts).mean(axis=0)


CASES = [
    Case(exercise="02.normal_logpdf", make_inputs=normal_data,
         peers={"scipy": scipy_normal_logpdf, "torch": torch_normal_logpdf}, agreement="max_abs_diff"),
    Case(exercise="02.exponential_inverse_cdf", make_inputs=probabilities,
         peers={"scipy": scipy_exponential_ppf, "torch": torch_exponential_icdf}, agreement="max_abs_diff"),
    Case(exercise="02.poisson_mle", make_inputs=counts,
         peers={"scipy": scipy_maximise, "numpy": numpy_mean}, agreement="max_abs_diff"),
]
