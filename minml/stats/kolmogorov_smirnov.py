"""The two-sample Kolmogorov–Smirnov test: do two samples come from one distribution?

Compare the empirical CDFs F₁(t) = #{xᵢ ≤ t}/n₁ and F₂(t) = #{yⱼ ≤ t}/n₂ everywhere:

    D = max_t |F₁(t) − F₂(t)|       (two-sided)
    D⁺ = max_t (F₁(t) − F₂(t))      (alternative="greater": x's CDF lies above, x tends smaller)
    D⁻ = max_t (F₂(t) − F₁(t))      (alternative="less")

The maximum is reached at one of the observed values, so it is found by sorting and
counting (``searchsorted``). Unlike a t-test, D reacts to *any* difference: location,
spread or shape. It is distribution-free: under H₀ (and without ties) its distribution
depends only on n₁ and n₂.

p-values, with SciPy's ``method="auto"``: exact when both samples hold ≤ 10,000 values,
else asymptotic.

* exact: D·lcm(n₁, n₂) = h is an integer, and the orderings of the pooled sample
  are lattice paths from (0, 0) to (n₁, n₂); P(D ≥ d) is the share of paths that stray at
  least h/lcm from the diagonal, counted by Hodges' (1958) recursions (Viehmann's (2021)
  numerically stable "inside" form for the two-sided case). Equal sizes have closed forms.
  The counting runs on the host in Python (it depends only on n₁, n₂ and h): the two-sided
  unequal-size case costs O(n₁ × band) steps, seconds for thousands of values.
* asymptotic: with m ≥ n the sizes and n_e = mn/(m + n), √n_e·D follows Kolmogorov's
  limiting distribution Q(λ) = 2 Σₖ (−1)ᵏ⁻¹ e^(−2k²λ²) (two-sided), and one side
  Hodges' approximation exp(−2z² − 2z(m + 2n)/(3√(mn(m + n)))), z = √n_e·D.
  (Two-sided, SciPy uses the finite-n distribution ``kstwo(round(n_e))`` instead, which
  converges to Q from below: Q is larger by about 1–2 % at n_e ≈ 5,000 and 5–20 % at
  n_e ≈ 100, a conservative difference. It matters only past 10,000 values, where "auto"
  switches, and most when the other sample is small.)

Both assume continuous data: with ties the true p-value is smaller, so the test is
conservative (as SciPy's). When the exact computation overflows (huge samples forced to ``method="exact"``) the test
warns and falls back to the asymptotic p-value, as SciPy does.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from minml import backend
from minml.stats.significance import as_sample, check_alternative

__all__ = ["KstestResult", "ks_2samp", "kolmogorov_sf", "EXACT_MAX_N"]

EXACT_MAX_N = 10_000  # "auto" is exact when both samples are at most this large, as SciPy


@dataclass
class KstestResult:
    """D (``statistic``), the ``pvalue``, where D is reached (``statistic_location``) and its
    ``statistic_sign`` (+1: F₁ − F₂ is largest there; −1: F₂ − F₁), and the ``method`` used."""

    statistic: float
    pvalue: float
    statistic_location: float
    statistic_sign: int
    method: str


# --------------------------------------------------------------------------- exact counting (host, Python numbers)


def _prob_outside_square(n: int, h: int) -> float:
    """P(D ≥ h/n) for two samples of n: 2 Σₖ (−1)ᵏ⁻¹ C(2n, n − kh)/C(2n, n), by a Horner scheme (no cancellation)."""
    p = 0.0
    k = n // h
    while k >= 0:
        term = 1.0
        for j in range(h):
            term = (n - k * h - j) * term / (n + k * h + j + 1)
        p = term * (1.0 - p)
        k -= 1
    return 2 * p


def _prob_outside_band(m: int, n: int, g: int, h: int) -> float:
    """P(D ≥ h/lcm) two-sided: 1 − (paths staying strictly inside the band |x/m − y/n| < h/lcm)/C(m + n, n).

    Column by column over x = 0 … m, each entry holds 1 − (share of paths inside), rescaled as
    in Viehmann (2021) so no binomial coefficient is ever formed; only the band is kept.
    """
    if m < n:
        m, n = n, m
    mg, ng = m // g, n // g
    low, high = 0, min(math.ceil(h / mg), n + 1)
    length = high - low
    column = [1.0] * min(2 * high + 2, n + 1)
    column[low:high] = [0.0] * (high - low)
    for i in range(1, m + 1):
        last_low, last_length = low, length
        low = min(max(math.floor((ng * i - h) / mg) + 1, 0), n)
        high = min(math.ceil((ng * i + h) / mg), n + 1)
        if high <= low:
            return 1.0
        value = 0.0 if low == 0 else 1.0
        for jj in range(high - low):
            j = jj + low
            value = (column[jj + low - last_low] * i + value * j) / (i + j)
            column[jj] = value
        length = high - low
        if last_length > length:
            column[length : length + last_length - length] = [1.0] * (last_length - length)
    return column[high - low - 1]


def _paths_outside(m: int, n: int, g: int, h: int) -> float:
    """The number of lattice paths from (0, 0) to (m, n) reaching m·y ≤ n·x − h·g (one side; Hodges 1958)."""
    if m < n:
        m, n = n, m
    mg, ng = m // g, n // g
    count = n + (mg - h) // mg
    xj = [(h + mg * j + ng - 1) // ng for j in range(count)]
    if count == 0:
        return float(math.comb(m + n, n))
    first_passage = [0.0] * count  # paths reaching the boundary first at (xj[j], j)
    first_passage[0] = 1.0
    for j in range(1, count):
        value = float(math.comb(xj[j] + j, j))
        for i in range(j):
            value -= float(math.comb(xj[j] - xj[i] + j - i, j - i)) * first_passage[i]
        first_passage[j] = value
    return sum(first_passage[j] * float(math.comb(m - xj[j] + n - j, n - j)) for j in range(count))


def _exact_pvalue(n1: int, n2: int, g: int, h: int, alternative: str) -> float | None:
    """The exact P(D ≥ h/lcm), or None where floating point overflows."""
    try:
        if alternative == "two-sided":
            return _prob_outside_square(n1, h) if n1 == n2 else _prob_outside_band(n1, n2, g, h)
        if n1 == n2:  # C(2n, n − h)/C(2n, n) as a product
            return math.prod((n1 - j) / (n1 + j + 1) for j in range(h))
        total = float(math.comb(n1 + n2, n1))
        p = _paths_outside(n1, n2, g, h) / total
    except OverflowError:
        return None
    return p if 0 <= p <= 1 else None


# --------------------------------------------------------------------------- asymptotic


def kolmogorov_sf(x: float) -> float:
    """Q(x) = P(K > x) for Kolmogorov's limiting distribution: 2 Σₖ (−1)ᵏ⁻¹ e^(−2k²x²).

    For small x that series converges slowly; there the Jacobi-theta form
    1 − (√(2π)/x) Σₖ e^(−(2k − 1)²π²/(8x²)) converges fast.
    """
    if x <= 0:
        return 1.0
    if x < 1.0:
        s = sum(math.exp(-((2 * k - 1) ** 2) * math.pi**2 / (8 * x * x)) for k in range(1, 8))
        return 1.0 - math.sqrt(2 * math.pi) / x * s
    return 2 * sum((-1) ** (k - 1) * math.exp(-2 * k * k * x * x) for k in range(1, 30))


def _asymptotic_pvalue(n1: int, n2: int, d: float, alternative: str) -> float:
    m, n = sorted((float(n1), float(n2)), reverse=True)
    en = m * n / (m + n)
    if alternative == "two-sided":
        return kolmogorov_sf(math.sqrt(en) * d)
    z = math.sqrt(en) * d
    return math.exp(-2 * z * z - 2 * z * (m + 2 * n) / math.sqrt(m * n * (m + n)) / 3.0)


# --------------------------------------------------------------------------- the test


def ks_2samp(data1, data2, alternative: str = "two-sided", method: str = "auto") -> KstestResult:
    """The two-sample Kolmogorov–Smirnov test of 1-D samples, as ``scipy.stats.ks_2samp``.

    ``method``: "auto" (exact if both samples have ≤ 10,000 values), "exact" or "asymp"
    (see the module docstring). The statistic is computed on the data's device; the
    p-value from D and the sizes, on the host.
    """
    alternative = check_alternative(alternative)
    if method not in ("auto", "exact", "asymp"):
        raise ValueError(f"method must be 'auto', 'exact' or 'asymp'; got {method!r}")
    x, y = as_sample(data1, "data1"), as_sample(data2, "data2")
    if x.ndim != 1 or y.ndim != 1:
        raise ValueError(f"data1 and data2 must be 1-D samples; got shapes {x.shape} and {y.shape}")
    xp = backend.namespace(x, y)
    if not backend.to_scalar(xp.isfinite(x).all() & xp.isfinite(y).all()):
        raise ValueError("data1 and data2 must be finite (no NaN or infinity)")
    n1, n2 = x.shape[0], y.shape[0]
    x, y = xp.sort(x), xp.sort(y)
    pooled = xp.concatenate([x, y])
    below1 = xp.searchsorted(x, pooled, side="right")  # n₁·F₁ at every observed value
    below2 = xp.searchsorted(y, pooled, side="right")
    differences = below1 / n1 - below2 / n2  # F₁ − F₂ (floats, so the location matches SciPy's argmax)
    top, bottom = xp.argmax(differences), xp.argmin(differences)
    scaled = below1 * n2 - below2 * n1  # n₁n₂(F₁ − F₂), exact integers
    summary = [scaled[top], -scaled[bottom], differences[top], -differences[bottom], pooled[top], pooled[bottom]]
    up, down, up_float, down_float, where_up, where_down = backend.asnumpy(
        xp.stack([v.astype(np.float64) for v in summary])
    ).tolist()
    down = max(down, 0.0)
    # choose the side by the rounded differences, as SciPy does: when D⁺ = D⁻ exactly, rounding picks the same side
    if alternative == "less" or (alternative == "two-sided" and max(down_float, 0.0) > up_float):
        extent, location, sign = down, where_down, -1
    else:
        extent, location, sign = up, where_up, 1
    g = math.gcd(n1, n2)
    lcm = (n1 // g) * n2
    h = round(extent) // g  # D · lcm(n₁, n₂), an integer
    d = h / lcm
    if method == "auto":
        method = "exact" if max(n1, n2) <= EXACT_MAX_N else "asymp"
    elif method == "exact" and n1 // g >= (2**31 - 1) / (n2 // g):
        warnings.warn(
            f"exact ks_2samp is not possible with sample sizes {n1} and {n2}; using 'asymp'",
            RuntimeWarning,
            stacklevel=2,
        )
        method = "asymp"
    p = None
    if method == "exact":
        p = 1.0 if h == 0 else _exact_pvalue(n1, n2, g, h, alternative)
        if p is None:
            warnings.warn(
                "ks_2samp: the exact calculation overflowed; using method='asymp'", RuntimeWarning, stacklevel=2
            )
            method = "asymp"
    if method == "asymp":
        p = _asymptotic_pvalue(n1, n2, d, alternative)
    return KstestResult(d, min(max(p, 0.0), 1.0), location, sign, method)
