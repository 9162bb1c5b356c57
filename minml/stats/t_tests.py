"""Student's t-tests: is a mean (or a difference of means) different from a hypothesised value?

The idea. A sample mean x̄ wobbles around the population mean μ with standard error
SE = s / √n (s the sample standard deviation, ddof = 1). The t statistic measures the
distance in standard errors:

    t = (estimate − hypothesised value) / SE

If the data are normal (or n is large enough for the central limit theorem), t follows
Student's t distribution with ν degrees of freedom under H₀. It has heavier tails than the
normal because SE is itself estimated; as ν grows it becomes N(0, 1).

The four tests here differ only in the estimate, its SE and ν:

* one sample (``ttest_1samp``):    x̄ − μ₀,   SE = s/√n,                     ν = n − 1
* paired (``ttest_rel``):         the one-sample test on the differences dᵢ = aᵢ − bᵢ
  (before/after on the same subjects: pairing removes the subject-to-subject spread)
* two samples, Student (``ttest_ind(equal_var=True)``): ā − b̄, the variances pooled,
      s²ₚ = ((n₁ − 1)s₁² + (n₂ − 1)s₂²) / (n₁ + n₂ − 2),  SE = sₚ √(1/n₁ + 1/n₂),  ν = n₁ + n₂ − 2
* two samples, Welch (``equal_var=False``): no equal-variance assumption,
      SE = √(s₁²/n₁ + s₂²/n₂),  ν = SE⁴ / ((s₁²/n₁)²/(n₁ − 1) + (s₂²/n₂)²/(n₂ − 1))
  (the Welch–Satterthwaite ν). Welch is the safer default when the spreads may differ.

Confidence interval. Inverting the test gives the values of the mean (difference) it would
not reject: estimate ± t_{ν, 1 − α/2} · SE, the ``confidence_interval`` of the result.

Every test takes ``axis`` (the observations' axis) and runs a whole batch of tests at once,
e.g. one per column; a single test gives Python floats, a batch arrays on the data's device.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np

from minml import backend
from minml.stats.bootstrap import ConfidenceInterval
from minml.stats.continuous import StudentT
from minml.stats.significance import as_sample, check_alternative, finish, pvalue_from
from minml.validation import Interval

__all__ = ["TtestResult", "ttest_1samp", "ttest_ind", "ttest_rel", "welch_t_statistic"]


@dataclass
class TtestResult:
    """A t-test's result, as :class:`scipy.stats._result_classes.TtestResult`.

    ``statistic`` t, ``pvalue`` and ``df`` ν; ``estimate`` (the mean, or mean difference)
    and its ``standard_error``. Python floats for one test, arrays for a batch.
    ``confidence_interval(confidence_level)`` gives the interval of the population mean
    (difference) matching the test's ``alternative``.
    """

    statistic: object
    pvalue: object
    df: object
    estimate: object = field(repr=False)
    alternative: str = field(default="two-sided", repr=False)
    _df: object = field(default=None, repr=False, compare=False)
    _estimate: object = field(default=None, repr=False, compare=False)
    _standard_error: object = field(default=None, repr=False, compare=False)  # an array, or a function making it

    @property
    def standard_error(self):
        """SE, the denominator of t."""
        return finish(self._se())

    def _se(self):
        if callable(self._standard_error):  # Welch's test computes SE only when asked
            self._standard_error = self._standard_error()
        return self._standard_error

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """estimate ± t-quantile · SE: two-sided (q = (1 ± level)/2), or one-sided with an infinite end."""
        Interval(numbers.Real, 0, 1, closed="neither").check("confidence_level", confidence_level)
        estimate, se = self._estimate, self._se()
        xp = backend.namespace(estimate, se)
        t = StudentT(self._df)
        quantile = lambda q: t.ppf(xp.asarray(q, dtype=np.float64))  # noqa: E731 (q on the data's device)
        if self.alternative == "two-sided":
            tail = (1 - confidence_level) / 2
            low, high = quantile(tail), quantile(1 - tail)
        elif self.alternative == "less":
            low, high = -math.inf, quantile(confidence_level)
        else:
            low, high = quantile(1 - confidence_level), math.inf
        with np.errstate(invalid="ignore"):
            low, high = (xp.broadcast_to(estimate + q * se, estimate.shape) for q in (low, high))
        return ConfidenceInterval(finish(low), finish(high))


def _result(t, df, alternative: str, estimate, standard_error) -> TtestResult:
    """The result for statistic t with ν = ``df``: the p-value from Student's t distribution."""
    if type(df) is float and t.ndim > 0:  # a batch reports one ν per test, as SciPy
        df = backend.namespace(t).full(t.shape, df)
    p = pvalue_from(StudentT(df), t, alternative)
    return TtestResult(finish(t), finish(p), finish(df), finish(estimate), alternative, df, estimate, standard_error)


def _divide(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return a / b


def ttest_1samp(a, popmean=0.0, axis: int | None = 0, alternative: str = "two-sided") -> TtestResult:
    """One-sample t-test of H₀: mean = ``popmean``: t = (x̄ − μ₀) / (s/√n), ν = n − 1.

    The result's ``estimate`` and ``confidence_interval`` are those of the population mean (as SciPy).
    """
    alternative = check_alternative(alternative)
    a = as_sample(a, "a", axis, minimum=2)
    n = a.shape[-1]
    mean = a.mean(axis=-1)
    se = a.std(axis=-1, ddof=1) / math.sqrt(n)
    return _result(_divide(mean - popmean, se), float(n - 1), alternative, mean, se)


def ttest_rel(a, b, axis: int | None = 0, alternative: str = "two-sided") -> TtestResult:
    """Paired t-test of H₀: mean(a − b) = 0: the one-sample test on the differences aᵢ − bᵢ."""
    a, b = as_sample(a, "a", axis, minimum=2), as_sample(b, "b", axis, minimum=2)
    if a.shape != b.shape:
        raise ValueError(
            f"ttest_rel pairs a[i] with b[i]: the samples must have one shape; got {a.shape} and {b.shape}"
        )
    return ttest_1samp(a - b, 0.0, axis=-1, alternative=alternative)


# exercise 03.welch_t_statistic
def welch_t_statistic(a, b):
    """Welch's t statistic and degrees of freedom for two independent samples.

    The difference of means in units of its standard error, without assuming equal variances:

        vᵢ = sᵢ² / nᵢ     (sᵢ² the sample variance, ddof = 1)
        t  = (ā − b̄) / √(v₁ + v₂)
        ν  = (v₁ + v₂)² / (v₁² / (n₁ − 1) + v₂² / (n₂ − 1))     (Welch–Satterthwaite)

    Args:
        a: shape (..., n₁), observations along the last axis.
        b: shape (..., n₂), leading shape broadcastable with a's.

    Returns:
        ``(t, df)``: arrays of the broadcast leading shape, on the inputs' device.

    Use ``x.mean(axis=-1)`` and ``x.var(axis=-1, ddof=1)`` and ``xp = backend.namespace(a, b)``.
    Constant samples give 0/0 = NaN: compute inside ``np.errstate(divide="ignore", invalid="ignore")``.
    """
    xp = backend.namespace(a, b)
    n1, n2 = a.shape[-1], b.shape[-1]
    v1 = a.var(axis=-1, ddof=1) / n1
    v2 = b.var(axis=-1, ddof=1) / n2
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (a.mean(axis=-1) - b.mean(axis=-1)) / xp.sqrt(v1 + v2)
        df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    return t, df
# end exercise


def ttest_ind(a, b, axis: int | None = 0, equal_var: bool = True, alternative: str = "two-sided") -> TtestResult:
    """Two-sample t-test of H₀: mean(a) = mean(b): Student's (pooled variance) or Welch's (``equal_var=False``).

    See the module docstring for SE and ν. The result's ``estimate`` and ``confidence_interval``
    are those of mean(a) − mean(b). Leading dimensions broadcast: one test per slice.
    """
    alternative = check_alternative(alternative)
    a, b = as_sample(a, "a", axis, minimum=2), as_sample(b, "b", axis, minimum=2)
    xp = backend.namespace(a, b)
    n1, n2 = a.shape[-1], b.shape[-1]
    difference = a.mean(axis=-1) - b.mean(axis=-1)
    if not equal_var:
        t, df = welch_t_statistic(a, b)
        df = xp.where(xp.isnan(df), 1.0, df)  # constant samples: 0/0; t is NaN anyway (SciPy's choice, too)
        standard_error = lambda: xp.sqrt(a.var(axis=-1, ddof=1) / n1 + b.var(axis=-1, ddof=1) / n2)  # noqa: E731
        return _result(t, df, alternative, difference, standard_error)
    df = float(n1 + n2 - 2)
    pooled = ((n1 - 1) * a.var(axis=-1, ddof=1) + (n2 - 1) * b.var(axis=-1, ddof=1)) / df
    se = xp.sqrt(pooled * (1 / n1 + 1 / n2))
    difference, se = xp.broadcast_arrays(difference, se)
    return _result(_divide(difference, se), df, alternative, difference, se)
