"""Multiple testing: many tests, some small p-values by chance alone.

Test m true null hypotheses at level α and you expect α·m false rejections: with 100
tests at α = 0.05, about five "discoveries" are noise. Corrections adjust either the
threshold or, equivalently, the p-values (reject where the adjusted p ≤ α):

* Bonferroni controls the family-wise error rate (FWER: the chance of *any* false
  rejection) by testing each hypothesis at α/m:  p̃ᵢ = min(1, m pᵢ). Simple, but it loses
  power fast as m grows.
* Holm (step-down Bonferroni) also controls the FWER and is never less powerful: sort the
  p-values p₍₁₎ ≤ … ≤ p₍ₘ₎, compare p₍ᵢ₎ with α/(m − i + 1), and stop at the first
  failure:  p̃₍ᵢ₎ = min(1, maxⱼ≤ᵢ (m − j + 1) p₍ⱼ₎).
* Benjamini–Hochberg controls the false discovery rate (FDR: the expected *share* of false
  rejections among the rejections), a weaker promise that buys much more power when many
  hypotheses are false (screening genes, features, A/B variants). Step-up: reject the k
  smallest, k the largest i with p₍ᵢ₎ ≤ iα/m:  p̃₍ᵢ₎ = min(1, minⱼ≥ᵢ m p₍ⱼ₎ / j).
  (Valid for independent or positively dependent tests.)
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

from minml import backend
from minml.validation import Interval

__all__ = ["MultipleTestsResult", "multipletests", "MULTIPLE_TESTING_METHODS"]

MULTIPLE_TESTING_METHODS = ("bonferroni", "holm", "fdr_bh")


class MultipleTestsResult(NamedTuple):
    """Which hypotheses to reject (booleans) and the adjusted p-values, in the input's order."""

    reject: object
    pvalues_corrected: object


def _running(combine, values):
    """The running max (or min) of ``values``: element i combines values[0 … i].

    A parallel prefix scan (Hillis–Steele): after the step with shift s every element has
    combined the 2s values ending at it, so ⌈log₂ m⌉ whole-array steps suffice. (NumPy's
    ``maximum.accumulate`` does this serially; CuPy does not offer it for every ufunc.)
    """
    out = values.copy()
    shift = 1
    while shift < out.shape[0]:
        out[shift:] = combine(out[shift:], out[:-shift])  # the right side is evaluated before the assignment
        shift *= 2
    return out


def _adjusted(p, method: str):
    """The adjusted p-values p̃ of the 1-D array ``p`` (see the module docstring)."""
    xp = backend.namespace(p)
    m = p.shape[0]
    if method == "bonferroni":
        return xp.minimum(m * p, 1.0)
    order = backend.argsort(p)
    ordered = p[order]
    rank = xp.arange(1, m + 1, dtype=p.dtype)  # i = 1 … m
    if method == "holm":
        adjusted = _running(xp.maximum, (m - rank + 1) * ordered)
    else:  # fdr_bh: a running minimum from the largest p-value down
        adjusted = _running(xp.minimum, (m * ordered / rank)[::-1])[::-1]
    out = xp.empty_like(p)
    out[order] = xp.minimum(adjusted, 1.0)
    return out


def multipletests(pvals, alpha: float = 0.05, method: str = "holm") -> MultipleTestsResult:
    """Adjust the p-values of m tests for multiplicity, as ``statsmodels.stats.multitest.multipletests``.

    ``method``: "bonferroni", "holm" (the default here; statsmodels' is Holm–Šidák) or
    "fdr_bh" (Benjamini–Hochberg). Returns ``(reject, pvalues_corrected)``: reject where
    the adjusted p-value ≤ ``alpha``; arrays on the input's device (lists: the default device).
    """
    if method not in MULTIPLE_TESTING_METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, MULTIPLE_TESTING_METHODS))}; got {method!r}")
    Interval(numbers.Real, 0, 1, closed="neither").check("alpha", alpha)
    if isinstance(pvals, (list, tuple)):
        pvals = backend.to_device(np.asarray(pvals, dtype=np.float64), backend.default_device())
    p = pvals if pvals.dtype.kind == "f" else pvals.astype(np.float64)
    if p.ndim != 1 or p.shape[0] == 0:
        raise ValueError(f"pvals must be a non-empty 1-D array of p-values; got shape {p.shape}")
    if not backend.to_scalar(((p >= 0) & (p <= 1)).all()):
        raise ValueError("pvals must lie in [0, 1] (NaN is not a p-value)")
    adjusted = _adjusted(p, method)
    return MultipleTestsResult(adjusted <= alpha, adjusted)
