"""Exercise 03.welch_t_statistic: Welch's t statistic and degrees of freedom for two independent samples.

Generated from minml/stats/t_tests.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


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
    raise NotImplementedError("welch_t_statistic is not implemented yet")
