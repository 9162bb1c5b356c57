"""One-sided intervals use the two-sided quantile z = Φ⁻¹((1 + level)/2): a one-sided bound at the wrong level."""

import numpy as np

from minml import backend
from minml.stats import ConfidenceInterval, Normal
from minml.stats.proportions import _counts_and_trials


def wilson_interval(count, nobs, confidence_level=0.95, alternative="two-sided", correction=False):
    if not 0 < confidence_level < 1:
        raise ValueError("confidence_level must lie strictly between 0 and 1")
    k, n = _counts_and_trials(count, nobs)
    xp = backend.namespace(k, n)
    z = Normal().ppf(xp.asarray((1 + confidence_level) / 2, dtype=np.float64))
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
    if low.ndim == 0:
        return ConfidenceInterval(float(backend.to_scalar(low)), float(backend.to_scalar(high)))
    return ConfidenceInterval(low, high)
