"""Exercise 06.percentile_interval: The percentile bootstrap interval: quantiles of the bootstrap statistics.

Generated from minml/stats/bootstrap.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


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
    raise NotImplementedError("percentile_interval is not implemented yet")
