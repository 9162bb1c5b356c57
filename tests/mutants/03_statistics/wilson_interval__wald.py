"""The Wald interval p ± z √(pq/n) instead of Wilson's: centred at p, zero width at k = 0 or k = n."""

import numpy as np

from minml import backend
from minml.stats import ConfidenceInterval, Normal
from minml.stats.proportions import _counts_and_trials


def wilson_interval(count, nobs, confidence_level=0.95, alternative="two-sided", correction=False):
    if not 0 < confidence_level < 1:
        raise ValueError("confidence_level must lie strictly between 0 and 1")
    k, n = _counts_and_trials(count, nobs)
    xp = backend.namespace(k, n)
    level = (1 + confidence_level) / 2 if alternative == "two-sided" else confidence_level
    z = Normal().ppf(xp.asarray(level, dtype=np.float64))
    p = k / n
    delta = z * xp.sqrt(p * (1 - p) / n)
    low = xp.where((k == 0) | (alternative == "less"), 0.0, xp.maximum(p - delta, 0.0))
    high = xp.where((k == n) | (alternative == "greater"), 1.0, xp.minimum(p + delta, 1.0))
    if low.ndim == 0:
        return ConfidenceInterval(float(backend.to_scalar(low)), float(backend.to_scalar(high)))
    return ConfidenceInterval(low, high)
