"""The Mann–Whitney U test (Wilcoxon rank-sum): does one sample tend to take larger values?

Rank all n₁ + n₂ observations together (ties share their average rank). If both samples
come from one distribution, the ranks of x are a random subset of 1 … n₁ + n₂. The
statistic counts the pairs in which x wins:

    U₁ = #{(i, j): xᵢ > yⱼ} + ½ #{(i, j): xᵢ = yⱼ} = R₁ − n₁(n₁ + 1)/2,

R₁ the sum of x's ranks; U₂ = n₁n₂ − U₁. U₁/(n₁n₂) estimates P(X > Y) (+ ½ P(X = Y)), so
the test needs no normality: only the order of the values matters, and an outlier
counts no more than any other win. Under H₀ E[U] = n₁n₂/2.

Null distribution, as SciPy's ``method="auto"``:

* exact, when one sample has at most 8 observations and there are no ties: P(U = u)
  from the recurrence on the largest of the n₁ + n₂ values — it is an x with probability
  n₁/(n₁ + n₂), and then beats all n₂ y's:
      P_{n₁,n₂}(u) = n₁/(n₁+n₂) · P_{n₁−1,n₂}(u − n₂) + n₂/(n₁+n₂) · P_{n₁,n₂−1}(u)
  (only additions of positive numbers: accurate far into the tails; O(n₁n₂) steps);
* asymptotic otherwise: z = (U − n₁n₂/2 − ½) / σ with the tie-corrected
      σ² = n₁n₂/12 · ((n + 1) − Σ(t³ − t) / (n(n − 1))),   t the sizes of the groups of ties,
  and the ½ a continuity correction (``use_continuity``).

``alternative="greater"`` means x tends to be larger (U₁ large); the reported statistic is
always U₁, as in SciPy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from minml import backend
from minml.stats.continuous import Normal
from minml.stats.correlation import rankdata
from minml.stats.significance import as_sample, check_alternative, finish, pvalue_from

__all__ = ["MannWhitneyUResult", "mannwhitneyu", "EXACT_MAX_SMALLER_SAMPLE"]

EXACT_MAX_SMALLER_SAMPLE = 8  # "auto" is exact when a sample is this small (and nothing is tied), as SciPy


@dataclass
class MannWhitneyUResult:
    """U₁ (``statistic``), the ``pvalue`` and the ``method`` that gave it ("exact" or "asymptotic")."""

    statistic: float
    pvalue: float
    method: str


def _u_cdf(k: int, n1: int, n2: int, xp) -> float:
    """P(U ≤ k) under H₀ for samples of n1 and n2 values without ties (module docstring's recurrence)."""
    if k < 0:
        return 0.0
    small, large = sorted((n1, n2))
    # row j holds P_{j, m}(u) for u = 0 … k (larger u are never needed), m the large-sample size reached so far
    table = xp.zeros((small + 1, k + 1))
    table[:, 0] = 1.0
    for m in range(1, large + 1):
        for j in range(1, small + 1):
            shifted = xp.zeros(k + 1)
            if m <= k:
                shifted[m:] = table[j - 1, : k + 1 - m]
            table[j] = (j * shifted + m * table[j]) / (j + m)
    return backend.to_scalar(table[small].sum())


def _exact_sf(u: int, n1: int, n2: int, xp) -> float:
    """P(U ≥ u), from the smaller tail (U is symmetric about n₁n₂/2): the DP then runs over ≤ n₁n₂/2 + 1 values."""
    complement = n1 * n2 - u
    if complement < u:
        return _u_cdf(complement, n1, n2, xp)  # P(U ≥ u) = P(U ≤ n₁n₂ − u)
    return 1.0 - _u_cdf(u - 1, n1, n2, xp)


def mannwhitneyu(
    x, y, use_continuity: bool = True, alternative: str = "two-sided", method: str = "auto"
) -> MannWhitneyUResult:
    """The Mann–Whitney U test of two independent 1-D samples, as ``scipy.stats.mannwhitneyu``.

    ``method``: "auto" (exact for a sample of ≤ 8 values without ties, else asymptotic),
    "exact" (ties are then ignored, as SciPy) or "asymptotic" (normal approximation with tie
    correction, and continuity correction if ``use_continuity``). Returns U₁ and the p-value.
    """
    alternative = check_alternative(alternative)
    if method not in ("auto", "exact", "asymptotic"):
        raise ValueError(f"method must be 'auto', 'exact' or 'asymptotic'; got {method!r}")
    x, y = as_sample(x, "x"), as_sample(y, "y")
    if x.ndim != 1 or y.ndim != 1:
        raise ValueError(f"x and y must be 1-D samples; got shapes {x.shape} and {y.shape}")
    xp = backend.namespace(x, y)
    if not backend.to_scalar(xp.isfinite(x).all() & xp.isfinite(y).all()):
        raise ValueError("x and y must be finite: the test ranks the values, and NaN has no rank")
    n1, n2 = x.shape[0], y.shape[0]
    both = xp.concatenate([x, y])
    u1 = rankdata(both)[:n1].sum() - n1 * (n1 + 1) / 2
    # Σ (t³ − t) over groups of ties = Σ over values of (t² − 1), t = the size of the value's group
    group = rankdata(both, method="max") - rankdata(both, method="min") + 1
    tie_term = (group**2 - 1).sum()
    u = {"greater": u1, "less": n1 * n2 - u1, "two-sided": xp.maximum(u1, n1 * n2 - u1)}[alternative]
    factor = 2.0 if alternative == "two-sided" else 1.0
    if method == "auto":
        ties = backend.to_scalar(tie_term) > 0
        method = "exact" if min(n1, n2) <= EXACT_MAX_SMALLER_SAMPLE and not ties else "asymptotic"
    if method == "exact":
        p = factor * _exact_sf(math.floor(backend.to_scalar(u)), n1, n2, xp)
    else:
        n = n1 + n2
        sigma = xp.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (u - n1 * n2 / 2 - (0.5 if use_continuity else 0.0)) / sigma
        p = factor * pvalue_from(Normal(), z, "greater")
    return MannWhitneyUResult(finish(u1), min(max(finish(p), 0.0), 1.0), method)
