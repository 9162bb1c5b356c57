"""Takes the sorted statistic at index int(level * B) instead of interpolating the quantile."""

import numpy as np

from minml import backend


def percentile_interval(theta_star, confidence_level, alternative="two-sided"):
    xp = backend.namespace(theta_star)
    ordered = xp.sort(theta_star)
    last = ordered.shape[0] - 1

    def quantile(level):
        return backend.to_scalar(ordered[min(int(level * ordered.shape[0]), last)])

    if alternative == "less":
        return -np.inf, quantile(confidence_level)
    if alternative == "greater":
        return quantile(1 - confidence_level), np.inf
    alpha = (1 - confidence_level) / 2
    return quantile(alpha), quantile(1 - alpha)
