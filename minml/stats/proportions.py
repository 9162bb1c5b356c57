"""Proportions: testing a success rate, and the Wilson interval around it.

k successes in n trials estimate the success probability by p̂ = k/n, whose standard
error under H₀: p = p₀ is √(p₀(1 − p₀)/n). For n large enough (np₀ and n(1 − p₀) of at
least about 5–10) the central limit theorem makes

    z = (p̂ − p₀) / √(p₀(1 − p₀)/n)                      (one sample; the score test)

approximately standard normal. Two groups compare p̂₁ and p̂₂ under H₀: p₁ = p₂, with the
pooled proportion p̄ = (k₁ + k₂)/(n₁ + n₂) in the standard error:

    z = (p̂₁ − p̂₂) / √(p̄(1 − p̄)(1/n₁ + 1/n₂))

z² is exactly Pearson's chi-square statistic of the 2 × 2 table (successes and failures
by group), without Yates' correction: the two tests are the same test.

The Wilson score interval is the set of p₀ this z-test does *not* reject: solving
|p̂ − p₀| ≤ z_{1−α/2} √(p₀(1 − p₀)/n) for p₀ gives

    centre = (p̂ + z²/2n) / (1 + z²/n),   half-width = z/(1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²).

Unlike the textbook "Wald" interval p̂ ± z √(p̂(1 − p̂)/n), it never leaves [0, 1], is not
zero-width at k = 0 or k = n, and its coverage stays close to the nominal level even for
small n or p near 0 or 1. ``correction=True`` adds the continuity correction (Newcombe 1998).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from minml import backend
from minml.stats.bootstrap import ConfidenceInterval
from minml.stats.continuous import Normal
from minml.stats.significance import as_counts, check_alternative, finish, pvalue_from
from minml.validation import Interval

__all__ = ["ZTestResult", "proportions_ztest", "wilson_interval"]


@dataclass
class ZTestResult:
    """A z-test's statistic z and p-value (Python floats for one test)."""

    statistic: object
    pvalue: object


def _counts_and_trials(count, nobs):
    """count and nobs as float arrays on one device, checked: 0 ≤ count ≤ nobs, nobs > 0."""
    count, nobs = as_counts(count, "count"), as_counts(nobs, "nobs")
    xp = backend.namespace(count, nobs)
    count, nobs = xp.broadcast_arrays(count, nobs)
    if not backend.to_scalar((nobs > 0).all()):
        raise ValueError("nobs must be positive: each proportion needs at least one trial")
    if not backend.to_scalar((count <= nobs).all()):
        raise ValueError("count must not exceed nobs: there cannot be more successes than trials")
    return count, nobs


def proportions_ztest(count, nobs, value=None, alternative: str = "two-sided") -> ZTestResult:
    """The z-test for one proportion (H₀: p = ``value``) or two (H₀: p₁ = p₂), as a score test.

    One sample: ``count`` and ``nobs`` are numbers and ``value`` is p₀ in (0, 1);
    z = (k/n − p₀) / √(p₀(1 − p₀)/n). Two samples: ``count`` and ``nobs`` hold two entries
    each and ``value`` is None (or 0); z uses the pooled proportion (module docstring).
    ``alternative`` "greater" means p > p₀ (one sample) or p₁ > p₂ (two samples).

    Note: statsmodels' ``proportions_ztest`` puts p̂ in the one-sample standard error by
    default; the score test here puts p₀ there, which is the test the Wilson interval inverts.
    """
    alternative = check_alternative(alternative)
    count, nobs = _counts_and_trials(count, nobs)
    xp = backend.namespace(count, nobs)
    if count.ndim == 0 or count.shape == (1,):
        if value is None or not (isinstance(value, numbers.Real) and 0 < value < 1):
            raise ValueError(
                f"a one-sample proportions z-test needs value = p₀ strictly between 0 and 1; got {value!r}"
            )
        p_hat = count.reshape(-1)[0] / nobs.reshape(-1)[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (p_hat - value) / xp.sqrt(value * (1 - value) / nobs.reshape(-1)[0])
    elif count.shape == (2,):
        if value not in (None, 0):
            raise ValueError(f"the two-sample proportions z-test tests p₁ = p₂: value must be None or 0; got {value!r}")
        pooled = count.sum() / nobs.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (count[0] / nobs[0] - count[1] / nobs[1]) / xp.sqrt(pooled * (1 - pooled) * (1 / nobs[0] + 1 / nobs[1]))
    else:
        raise ValueError(
            f"count and nobs must hold one entry (one sample) or two (two samples); got shape {count.shape}"
        )
    return ZTestResult(finish(z), finish(pvalue_from(Normal(), z, alternative)))


# exercise 03.wilson_interval
def wilson_interval(
    count, nobs, confidence_level: float = 0.95, alternative: str = "two-sided", correction: bool = False
) -> ConfidenceInterval:
    """The Wilson score interval for a success probability, from k successes in n trials.

    With p̂ = k/n, q̂ = 1 − p̂ and z the normal quantile (z = Φ⁻¹((1 + level)/2) two-sided,
    Φ⁻¹(level) one-sided), in Newcombe's (1998) form:

        centre = (2np̂ + z²) / (2(n + z²))
        δ      = z √(4np̂q̂ + z²) / (2(n + z²))
        interval = (centre − δ, centre + δ)

    The low end is 0 when k = 0 or ``alternative="less"``; the high end is 1 when k = n or
    ``alternative="greater"``. ``correction=True`` uses the continuity-corrected ends
    centre ∓ (1 + z √(z² ∓ 2 − 1/n + 4p̂(nq̂ ± 1))) / (2(n + z²)).

    Args:
        count: k, a number or an array, 0 ≤ count ≤ nobs.
        nobs: n > 0, a number or an array broadcast with ``count``.
        confidence_level: in (0, 1), e.g. 0.95.
        alternative: "two-sided", "less" (an upper bound: low = 0) or "greater" (a lower bound: high = 1).
        correction: use the continuity-corrected ends.

    Returns:
        ``ConfidenceInterval(low, high)``: Python floats, or arrays on the inputs' device.

    Raises:
        ValueError: unless 0 < confidence_level < 1, nobs > 0 and 0 ≤ count ≤ nobs.

    Get z with ``minml.stats.Normal().ppf(q)``; compute with ``xp = backend.namespace(count, nobs)``
    (numbers: make them arrays first, e.g. ``backend.to_device(np.asarray(count, dtype=float))``),
    choose between the formula and 0 or 1 elementwise with ``xp.where``, and turn 0-d results
    into Python floats with ``backend.to_scalar``. Check the inputs yourself (``backend.to_scalar``
    of ``(count <= nobs).all()``, ...) and raise ValueError with a message that says what is wrong.
    """
    Interval(numbers.Real, 0, 1, closed="neither").check("confidence_level", confidence_level)
    alternative = check_alternative(alternative)
    k, n = _counts_and_trials(count, nobs)
    xp = backend.namespace(k, n)
    level = (1 + confidence_level) / 2 if alternative == "two-sided" else confidence_level
    z = Normal().ppf(xp.asarray(level, dtype=np.float64))
    p = k / n
    q = 1 - p
    denominator = 2 * (n + z**2)
    centre = (2 * n * p + z**2) / denominator
    with np.errstate(invalid="ignore"):
        if correction:
            low = centre - (1 + z * xp.sqrt(z**2 - 2 - 1 / n + 4 * p * (n * q + 1))) / denominator
            high = centre + (1 + z * xp.sqrt(z**2 + 2 - 1 / n + 4 * p * (n * q - 1))) / denominator
        else:
            delta = z / denominator * xp.sqrt(4 * n * p * q + z**2)
            low, high = centre - delta, centre + delta
    low = xp.where((k == 0) | (alternative == "less"), 0.0, low)
    high = xp.where((k == n) | (alternative == "greater"), 1.0, high)
    return ConfidenceInterval(finish(low), finish(high))
# end exercise
