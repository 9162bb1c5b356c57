"""Exercise 03.wilson_interval: The Wilson score interval for a success probability, from k successes in n trials.

Generated from minml/stats/proportions.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations

from minml.stats.bootstrap import ConfidenceInterval


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
    raise NotImplementedError("wilson_interval is not implemented yet")
