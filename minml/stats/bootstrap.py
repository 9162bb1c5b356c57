"""The bootstrap: how uncertain is a statistic, using nothing but the data itself.

The question. We computed a statistic from a sample, say the mean of 10,000 values, or
the difference of two groups' medians. Had we drawn another sample from the same
population we would have got another number. How far might it have moved?

The plug-in principle. The population is unknown, but the sample is our best picture of
it: the empirical distribution, which puts mass 1/n on each observation. So *plug the
sample in for the population* and simulate what we cannot observe: draw a resample of n
observations from the sample *with replacement* (some observations twice, about 37% not
at all), compute the statistic on it, and repeat B times. The spread of these B
bootstrap statistics θ*₁ … θ*_B around the observed θ̂ stands in for the spread of θ̂
around the true θ. Their standard deviation is the bootstrap standard error.

Three ways to turn the bootstrap distribution into a confidence interval (level 1 − 2α):

* percentile: the α and 1 − α quantiles of θ*, as they are. Simple, and it respects
  the statistic's range (a correlation's interval stays inside [−1, 1]). It assumes
  θ* is centred where θ̂'s sampling distribution is: it fails for *biased* statistics,
  and its coverage falls short for small samples and skewed statistics.
* basic (reverse percentile): θ̂ − θ is estimated by θ* − θ̂, which gives
  (2θ̂ − q₁₋α, 2θ̂ − qα). It corrects the direction of a skew, but may leave the
  statistic's range, and has the same small-sample troubles.
* BCa (bias-corrected and accelerated, Efron 1987): the percentile interval taken at
  adjusted levels. The bias correction z₀ = Φ⁻¹(share of θ* below θ̂) measures how far
  the bootstrap distribution sits off θ̂ (ties count half); the acceleration a measures
  how fast the standard error changes with θ, from the jackknife: with θ₍ᵢ₎ the
  statistic without observation i and Uᵢ = (n − 1)(mean(θ₍·₎) − θ₍ᵢ₎),

      a = Σ Uᵢ³ / (6 (Σ Uᵢ²)^(3/2)),   levels  Φ(z₀ + (z₀ + z) / (1 − a (z₀ + z)))  for z = Φ⁻¹(α), Φ⁻¹(1 − α).

  Its coverage error shrinks like 1/n instead of 1/√n: the best default (SciPy's too).
  It breaks down where z₀ is infinite (θ̂ lies outside every θ*, as for "the number of
  distinct values") or the jackknife is flat (a = 0/0, e.g. constant data): a NaN
  interval, with a :class:`DegenerateDataWarning` saying which.

All three fail where the bootstrap itself fails: statistics that depend on the extremes
(the maximum, whose θ* can never exceed θ̂), heavy-tailed data, very small samples (the
resamples can only recombine the few values seen), and dependent observations (time
series: resample blocks instead). Several samples are resampled independently, each from
itself (two groups of patients), or jointly with ``paired=True`` (before/after on the
same patients: observation i of every sample moves together).

How it is computed. Resamples are integer index arrays, drawn by :func:`bootstrap_indices`
with ``minml.backend.rng`` (one seed, the same draws on every device), stacked into a
batch, and the statistic is evaluated on the whole batch at once, along ``axis=-1``::

    indices = bootstrap_indices(n, batch, rng, device)      # (batch, n) integers in [0, n)
    theta_star = statistic(x[indices], axis=-1)               # (batch,) statistics

Peak memory is bounded by the batch, not by B: about ``batch × (Σ nₛ × itemsize + Σ n_g × 8)``
bytes for the resampled samples and their int64 indices (nₛ: each sample's length; n_g: each
independently resampled group's, so paired samples share one index array), plus what the
statistic allocates on one batch, plus ``n_resamples × itemsize`` for the bootstrap
distribution. The default batch holds about ``BATCH_ELEMENTS`` = 2²⁰ resampled values: about
16 MiB for float64 data, whatever B is. The jackknife of BCa copies nothing (its leave-one-out
samples are sliding-window views of the data) and is evaluated in batches of as many rows.
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from minml import backend
from minml.exceptions import DegenerateDataWarning
from minml.validation import Interval

__all__ = [
    "BATCH_ELEMENTS",
    "BootstrapResult",
    "ConfidenceInterval",
    "DegenerateDataWarning",
    "bootstrap_ci",
    "bootstrap_indices",
    "percentile_interval",
]

BATCH_ELEMENTS = 2**20  # resampled values per batch by default: bounds memory, large enough to amortise Python
METHODS = {"percentile": "percentile", "basic": "basic", "bca": "BCa"}  # accepted in any case, as in SciPy
ALTERNATIVES = ("two-sided", "less", "greater")


class ConfidenceInterval(NamedTuple):
    """A confidence interval's ends (``-inf`` / ``inf`` for a one-sided interval)."""

    low: float
    high: float


@dataclass
class BootstrapResult:
    """What :func:`bootstrap_ci` returns, as :class:`scipy.stats.BootstrapResult`.

    ``confidence_interval``: (low, high) as Python floats; ``bootstrap_distribution``:
    the ``n_resamples`` bootstrap statistics θ*, an array on the data's device;
    ``standard_error``: their standard deviation (ddof=1), a Python float.
    """

    confidence_interval: ConfidenceInterval
    bootstrap_distribution: object
    standard_error: float


# --------------------------------------------------------------------------- resampling


def bootstrap_indices(n: int, n_resamples: int, random_state=None, device=None):
    """Indices of ``n_resamples`` bootstrap resamples of ``n`` observations: shape (n_resamples, n).

    Row b lists which observations resample b takes, drawn uniformly *with replacement*
    from 0 … n − 1, so ``x[bootstrap_indices(len(x), B, seed)]`` stacks B resamples of x.
    Drawn by ``minml.backend.rng(random_state, device)`` as int64 (the same draws as
    ``numpy.random.default_rng(seed).integers(0, n, (n_resamples, n))``, on every device).
    Passing one generator to successive calls continues its stream: drawing 2 batches
    of 50 gives the same indices as one batch of 100.
    """
    Interval(numbers.Integral, 1, None, closed="left").check("n", n)
    Interval(numbers.Integral, 1, None, closed="left").check("n_resamples", n_resamples)
    return backend.rng(random_state, device).integers(0, n, size=(n_resamples, n), dtype=np.int64)


def evaluate_statistic(statistic, samples: list, rows: int):
    """``statistic(*samples, axis=-1)`` on ``rows`` stacked (re)samples, checked to give shape (rows,)."""
    try:
        values = statistic(*samples, axis=-1)
    except TypeError as error:
        if "axis" not in str(error):
            raise
        raise TypeError(
            "statistic must be vectorised: it is called as statistic(*samples, axis=-1) on arrays of shape "
            "(resamples, observations) and must reduce along axis -1, e.g. "
            f"`lambda x, axis=-1: x.mean(axis=axis)`; calling it failed with: {error}"
        ) from error
    shape = getattr(values, "shape", None)
    if shape != (rows,):
        shapes = ", ".join(str(tuple(s.shape)) for s in samples)
        returned = f"shape {shape}" if shape is not None else repr(values)
        raise ValueError(
            f"statistic must be vectorised: called with arrays of shape {shapes} and axis=-1 it must return one "
            f"value per row, shape ({rows},); it returned {returned}. "
            "Reduce along the axis argument with xp functions (not a Python loop over the whole array)."
        )
    return values


def _bootstrap_distribution(samples, groups, statistic, n_resamples, batch, random_state, device):
    """θ*: the statistic on ``n_resamples`` resamples, ``batch`` at a time.

    Each group (one sample, or the samples resampled together when paired) draws its
    own index arrays. With one group the draws come from ``random_state`` itself (as
    SciPy's do); with several, each group has its own stream (``spawn``), so the draws
    never depend on the batch size.
    """
    generator = backend.rng(random_state, device)
    streams = [generator] if len(groups) == 1 else [backend.rng(g, device) for g in generator.spawn(len(groups))]
    values = []
    for start in range(0, n_resamples, batch):
        rows = min(batch, n_resamples - start)
        resamples = list(samples)
        for group, stream in zip(groups, streams):
            indices = bootstrap_indices(len(samples[group[0]]), rows, stream, device)
            for s in group:
                resamples[s] = samples[s].take(indices)  # = samples[s][indices]: one resample per row
        values.append(evaluate_statistic(statistic, resamples, rows))
    return backend.namespace(*values).concatenate(values)


def _jackknife(samples, group, statistic, batch):
    """θ₍ᵢ₎ for each i: the statistic with observation i of ``group`` left out (the other samples whole).

    No copies: with ``doubled`` the sample twice over, the n − 1 observations that follow
    i, wrapping around, are the window ``doubled[i + 1 : i + n]``, and a sliding-window
    view stacks all n windows as rows of one (read-only) array. The order differs from
    "delete observation i", which a bootstrap statistic cannot notice: it treats its
    sample as a bag (resamples come in random order anyway).
    """
    xp = backend.namespace(*samples)
    n = len(samples[group[0]])
    windows = {
        s: xp.lib.stride_tricks.sliding_window_view(xp.concatenate([samples[s], samples[s]]), n - 1) for s in group
    }
    values = []
    for start in range(0, n, batch):
        stop = min(start + batch, n)
        resamples = [
            windows[s][start + 1 : stop + 1] if s in windows else xp.broadcast_to(sample, (stop - start, len(sample)))
            for s, sample in enumerate(samples)
        ]
        values.append(evaluate_statistic(statistic, resamples, stop - start))
    return xp.concatenate(values)


# --------------------------------------------------------------------------- the interval


def _bca_levels(samples, groups, statistic, theta_hat, theta_star, alpha: float, batch: int):
    """The BCa interval's two quantile levels (Efron & Tibshirani 1993, 14.3), and z₀ and a to explain a NaN."""
    xp = backend.namespace(theta_star)
    special = backend.special(theta_star)
    below = ((theta_star < theta_hat).mean() + (theta_star <= theta_hat).mean()) / 2  # ties count half
    z0 = special.ndtri(below)
    numerator = denominator = 0.0
    for group in groups:  # each independently resampled group adds its jackknife's terms (as in SciPy)
        jack = _jackknife(samples, group, statistic, batch)
        n = jack.shape[0]
        u = (n - 1) * (jack.mean() - jack)
        numerator = numerator + (u**3).sum() / n**3
        denominator = denominator + (u**2).sum() / n**2
    z = special.ndtri(xp.asarray([alpha, 1 - alpha]))
    with warnings.catch_warnings():  # 0/0 and inf - inf are diagnosed below, in words
        warnings.simplefilter("ignore", RuntimeWarning)
        a = numerator / (6 * denominator**1.5)
        levels = special.ndtr(z0 + (z0 + z) / (1 - a * (z0 + z)))
        low, high, z0, a = backend.asnumpy(xp.stack([levels[0], levels[1], z0, a])).tolist()
    return low, high, z0, a


def _bca_failure(z0: float, a: float) -> str:
    if z0 == -np.inf or z0 == np.inf:
        side = "below" if z0 < 0 else "above"
        return (
            f"the observed statistic lies {side} every bootstrap statistic, so the BCa bias correction z0 is "
            f"{z0}; this happens for statistics the bootstrap cannot reproduce (a count of distinct values, an "
            "extreme); use method='percentile' or another statistic"
        )
    if a != a:
        return "the BCa acceleration is NaN: the jackknife statistics are all equal (0/0: constant data?) or NaN"
    return "the BCa quantile levels are NaN (does the statistic return NaN?)"


# exercise 06.percentile_interval
def percentile_interval(theta_star, confidence_level: float, alternative: str = "two-sided") -> tuple[float, float]:
    """The percentile bootstrap interval: quantiles of the bootstrap statistics.

    ``theta_star`` holds the B bootstrap statistics θ*₁ … θ*_B. A two-sided
    interval at confidence level 1 − 2α cuts off α of them on each side:

        (low, high) = (q(α), q(1 − α)),    α = (1 − confidence_level) / 2

    where q(p) is the p-quantile of θ*. For 95%: the 2.5% and 97.5% quantiles.
    A one-sided interval puts all of 1 − confidence_level on one side:

        alternative="less":     (−inf, q(confidence_level))
        alternative="greater":  (q(1 − confidence_level), +inf)

    Args:
        theta_star: the bootstrap statistics, shape (B,), on any device.
        confidence_level: in (0, 1), e.g. 0.95.
        alternative: "two-sided", "less" or "greater".

    Returns:
        ``(low, high)`` as Python floats (``-inf`` / ``inf`` for an open side).

    Compute the quantiles with ``xp.quantile(theta_star, levels)`` (levels are
    fractions in [0, 1], not percents; its default linear interpolation is the
    one scipy.stats.bootstrap uses), ``xp = backend.namespace(theta_star)``, and
    bring the numbers to the host with ``backend.asnumpy(...).tolist()``.
    """
    xp = backend.namespace(theta_star)
    if alternative == "two-sided":
        alpha = (1 - confidence_level) / 2
        low, high = backend.asnumpy(xp.quantile(theta_star, xp.asarray([alpha, 1 - alpha]))).tolist()
        return low, high
    if alternative == "less":
        return -np.inf, backend.asnumpy(xp.quantile(theta_star, confidence_level)).tolist()
    return backend.asnumpy(xp.quantile(theta_star, 1 - confidence_level)).tolist(), np.inf
# end exercise


def bootstrap_ci(
    data,
    statistic,
    *,
    method: str = "BCa",
    n_resamples: int = 9999,
    confidence_level: float = 0.95,
    alternative: str = "two-sided",
    batch: int | None = None,
    paired: bool = False,
    random_state=None,
) -> BootstrapResult:
    """A bootstrap confidence interval of ``statistic(*data)``, as :func:`scipy.stats.bootstrap`.

    ``data``: a sequence of samples, each a 1-D array of observations (one sample: ``(x,)``),
    on any one device; the computation happens there. Samples are resampled independently,
    or jointly when ``paired=True`` (they must then have one length).

    ``statistic(*samples, axis=-1)`` must be vectorised: it always receives 2-D arrays of
    shape (rows, observations), one (re)sample per row, and returns shape (rows,), e.g.
    ``lambda x, y, axis=-1: x.mean(axis=axis) - y.mean(axis=axis)``. It is called on the
    data (rows = 1), on batches of ``batch`` resamples (default: about ``BATCH_ELEMENTS``
    values per batch; see the module docstring for the peak-memory formula) and, for BCa,
    on jackknife batches. It must not depend on the order of the observations, nor modify
    its inputs (some are read-only views).

    ``method``: "percentile", "basic" or "BCa" (the default, as in SciPy; see the module
    docstring). ``alternative``: "two-sided", or "less" / "greater" for a one-sided
    interval (−∞, high] / [low, ∞). ``random_state``: a seed, a NumPy Generator or a
    ``minml.backend.RandomGenerator``: one seed gives one result on every device and for
    every batch size.

    Warns :class:`DegenerateDataWarning` when all bootstrap statistics are equal (a
    zero-width interval) or the interval is NaN, saying why.
    """
    samples, groups = _check_data(data, paired)
    method = _check_options("method", method, METHODS)
    alternative = _check_options("alternative", alternative, {a: a for a in ALTERNATIVES})
    Interval(numbers.Integral, 1, None, closed="left").check("n_resamples", n_resamples)
    Interval(numbers.Real, 0, 1, closed="neither").check("confidence_level", confidence_level)
    if batch is not None:
        Interval(numbers.Integral, 1, None, closed="left").check("batch", batch)
    if method == "BCa" and any(len(sample) < 2 for sample in samples):
        raise ValueError("method='BCa' needs at least 2 observations in every sample (its jackknife leaves one out)")
    device = backend.device_of(samples[0])
    xp = backend.namespace(*samples)
    batch = batch or max(1, BATCH_ELEMENTS // sum(len(sample) for sample in samples))
    alpha = (1 - confidence_level) / 2 if alternative == "two-sided" else 1 - confidence_level

    with device:  # a GPU computes on the data's card, and arrays made here land there
        theta_hat = evaluate_statistic(statistic, [sample[None, :] for sample in samples], 1)[0]
        theta_star = _bootstrap_distribution(samples, groups, statistic, n_resamples, batch, random_state, device)
        reasons = []
        smallest, largest = backend.asnumpy(xp.stack([theta_star.min(), theta_star.max()])).tolist()
        if smallest == largest:
            reasons.append(
                f"all {n_resamples} bootstrap statistics equal {smallest} (constant data, or a statistic that "
                "ignores them): the interval has zero width and says nothing about uncertainty"
            )
        levels = (alpha, 1 - alpha)
        if method == "BCa":
            *levels, z0, a = _bca_levels(samples, groups, statistic, theta_hat, theta_star, alpha, batch)
            if levels[0] != levels[0] or levels[1] != levels[1]:
                reasons.append(_bca_failure(z0, a))
                levels = None
        if levels is None:
            low = high = np.nan
        else:
            if method == "percentile":
                low, high = percentile_interval(theta_star, confidence_level, alternative)
            else:
                low, high = backend.asnumpy(xp.quantile(theta_star, xp.asarray(levels))).tolist()
            if method == "basic":  # θ̂ − θ is estimated by θ* − θ̂: reflect the quantiles around θ̂
                observed = backend.to_scalar(theta_hat)
                low, high = 2 * observed - high, 2 * observed - low
            if (low != low or high != high) and smallest == smallest:
                reasons.append("the interval is NaN (does the statistic return NaN on some resamples?)")
        if smallest != smallest or largest != largest:
            reasons.append("some bootstrap statistics are NaN: the statistic is undefined on some resamples")
        standard_error = backend.to_scalar(theta_star.std(ddof=1)) if n_resamples > 1 else np.nan
    if reasons:
        warnings.warn(DegenerateDataWarning("; ".join(reasons)), stacklevel=2)
    if alternative == "less":
        low = -np.inf
    elif alternative == "greater":
        high = np.inf
    return BootstrapResult(ConfidenceInterval(float(low), float(high)), theta_star, float(standard_error))


# --------------------------------------------------------------------------- validation


def _check_options(name: str, value, options: dict) -> str:
    """The canonical spelling of ``value`` among ``options`` (matched in any case), else a ValueError listing them."""
    if isinstance(value, str) and value.lower() in options:
        return options[value.lower()]
    raise ValueError(f"{name} must be one of {', '.join(repr(o) for o in options.values())}; got {value!r}")


def _check_data(data, paired: bool):
    """The samples as 1-D arrays on one device, and the groups resampled together (lists of sample positions)."""
    if hasattr(data, "shape") or not isinstance(data, (list, tuple)):
        raise TypeError(
            "data must be a sequence of samples, e.g. (x,) for one sample or (x, y) for two; "
            f"got {type(data).__name__}. Wrap a single sample in a tuple: bootstrap_ci((x,), statistic)."
        )
    if not data:
        raise ValueError("data must hold at least one sample; got an empty sequence")
    samples = [sample if hasattr(sample, "shape") else np.asarray(sample) for sample in data]
    for i, sample in enumerate(samples):
        if sample.ndim != 1:
            raise ValueError(f"sample {i} must be 1-D (one value per observation); got shape {tuple(sample.shape)}")
        if len(sample) == 0:
            raise ValueError(f"sample {i} is empty: the bootstrap needs at least one observation")
    backend.namespace(*samples)  # one device for all, or a DeviceMismatchError naming both
    if not paired:
        return samples, [[i] for i in range(len(samples))]
    lengths = [len(sample) for sample in samples]
    if len(set(lengths)) > 1:
        raise ValueError(
            f"paired=True resamples observation i of every sample together: lengths must agree; got {lengths}"
        )
    return samples, [list(range(len(samples)))]
