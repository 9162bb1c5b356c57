"""Two-sided levels (1 - c, c) instead of ((1 - c)/2, 1 - (1 - c)/2): a 90% interval where 95% was asked for."""

import numpy as np

from minml import backend


def percentile_interval(theta_star, confidence_level, alternative="two-sided"):
    xp = backend.namespace(theta_star)
    alpha = 1 - confidence_level
    low, high = backend.asnumpy(xp.quantile(theta_star, xp.asarray([alpha, 1 - alpha]))).tolist()
    if alternative == "less":
        return -np.inf, high
    if alternative == "greater":
        return low, np.inf
    return low, high
