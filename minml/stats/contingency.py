"""Chi-square tests on counts: goodness of fit, and independence in a contingency table.

Pearson's idea. Compare observed counts Oᵢ with the counts Eᵢ a hypothesis expects:

    X² = Σ (Oᵢ − Eᵢ)² / Eᵢ

Each term is a squared, standardised deviation (a Poisson count has variance ≈ its mean),
so under H₀ and with enough data (every Eᵢ at least about 5) X² follows a chi-square
distribution with ν = (number of cells) − 1 − (parameters estimated from the data)
degrees of freedom. Large X² means the counts are far from what H₀ predicts: p = P(χ²_ν ≥ X²).

* Goodness of fit (:func:`chisquare`): do k category counts follow given proportions (by
  default: all equal)? ν = k − 1 − ddof.
* Independence (:func:`chi2_contingency`): in a table of counts by two (or more)
  classifications, is the row variable independent of the column variable? Independence
  means each cell expects Eᵢⱼ = (row total i)(column total j) / N, and
  ν = (rows − 1)(columns − 1) (for more dimensions: cells − Σ sizes + dimensions − 1).
  For a 2 × 2 table (ν = 1) Yates' continuity correction moves each Oᵢⱼ half a unit towards
  Eᵢⱼ (never past it) before computing X²: the discrete counts then match the continuous
  chi-square better, at the price of a conservative test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from minml import backend
from minml.stats.continuous import ChiSquare
from minml.stats.significance import as_counts, finish

__all__ = ["ChisquareResult", "Chi2ContingencyResult", "chisquare", "chi2_contingency", "expected_freq"]

SUM_RTOL = 1e-8  # how closely observed and expected totals must agree (SciPy: √ machine epsilon)


@dataclass
class ChisquareResult:
    """Pearson's X² (``statistic``), its ``pvalue`` and degrees of freedom ``df``."""

    statistic: float
    pvalue: float
    df: int


@dataclass
class Chi2ContingencyResult:
    """The independence test: X², p-value, degrees of freedom ``dof`` and the ``expected_freq`` table."""

    statistic: float
    pvalue: float
    dof: int
    expected_freq: object


def _pearson(observed, expected, df: int):
    """X² = Σ (O − E)² / E and p = P(χ²_df ≥ X²), as Python floats."""
    statistic = ((observed - expected) ** 2 / expected).sum()
    return finish(statistic), finish(ChiSquare(float(df)).sf(statistic))


def chisquare(f_obs, f_exp=None, ddof: int = 0) -> ChisquareResult:
    """Pearson's goodness-of-fit test of 1-D counts ``f_obs`` against expected counts ``f_exp``.

    ``f_exp`` defaults to equal counts (the mean); otherwise it must be positive and total
    the same as ``f_obs`` (to relative tolerance 1e-8: scale proportions by the total
    first). ``ddof``: parameters estimated from the data, so ν = k − 1 − ddof.
    """
    f_obs = as_counts(f_obs, "f_obs")
    if f_obs.ndim != 1:
        raise ValueError(f"f_obs must be 1-D, one count per category; got shape {f_obs.shape}")
    k = f_obs.shape[0]
    df = k - 1 - ddof
    if df < 1:
        raise ValueError(f"the test needs k − 1 − ddof ≥ 1 degrees of freedom; got k = {k}, ddof = {ddof}")
    xp = backend.namespace(f_obs)
    if f_exp is None:
        f_exp = xp.broadcast_to(f_obs.mean(), f_obs.shape)
    else:
        f_exp = as_counts(f_exp, "f_exp")
        if f_exp.shape != f_obs.shape:
            raise ValueError(f"f_exp must have f_obs's shape {f_obs.shape}; got {f_exp.shape}")
        if not backend.to_scalar((f_exp > 0).all()):
            raise ValueError("f_exp must be positive: a category expected never to occur cannot be tested")
        total_obs, total_exp = backend.asnumpy(xp.stack([f_obs.sum(), f_exp.sum()])).tolist()
        if abs(total_obs - total_exp) > SUM_RTOL * min(total_obs, total_exp):
            raise ValueError(
                f"the observed and expected frequencies must have the same total; got {total_obs:g} and "
                f"{total_exp:g}. Expected proportions must be multiplied by the total count."
            )
    statistic, pvalue = _pearson(f_obs, f_exp, df)
    return ChisquareResult(statistic, pvalue, df)


def expected_freq(observed):
    """The counts independence expects: E = (product of the cell's margins) / N^(d − 1), for a d-way table."""
    xp = backend.namespace(observed)
    total = observed.sum()
    expected = xp.ones_like(observed)
    for axis in range(observed.ndim):
        others = tuple(a for a in range(observed.ndim) if a != axis)
        expected = expected * observed.sum(axis=others, keepdims=True)
    return expected / total ** (observed.ndim - 1)


def chi2_contingency(observed, correction: bool = True) -> Chi2ContingencyResult:
    """Pearson's test of independence in a contingency table of counts, as ``scipy.stats.chi2_contingency``.

    ``observed``: a table with at least one dimension (rows × columns, or more). Every row
    and column must have a positive total (a zero margin makes an expected count 0).
    ``correction``: Yates' continuity correction when ν = 1 (a 2 × 2 table). A table with a
    single row or column (ν = 0) gives X² = 0 and p = 1.
    """
    observed = as_counts(observed, "observed")
    if observed.ndim == 0:
        raise ValueError("observed must be a table (at least 1-D); got a single number")
    xp = backend.namespace(observed)
    for axis in range(observed.ndim):
        others = tuple(a for a in range(observed.ndim) if a != axis)
        margin = observed.sum(axis=others)
        if not backend.to_scalar((margin > 0).all()):
            index = backend.to_scalar(xp.argmin(margin))
            raise ValueError(
                f"the table has a zero margin: index {index} along axis {axis} holds no counts, so its expected "
                "frequencies are 0. Drop empty categories before testing."
            )
    expected = expected_freq(observed)
    dof = math.prod(observed.shape) - sum(observed.shape) + observed.ndim - 1
    if dof == 0:
        return Chi2ContingencyResult(0.0, 1.0, 0, expected)
    if dof == 1 and correction:
        difference = expected - observed
        observed = observed + xp.sign(difference) * xp.minimum(0.5, xp.abs(difference))
    statistic, pvalue = _pearson(observed, expected, dof)
    return Chi2ContingencyResult(statistic, pvalue, dof, expected)
