"""One-sided intervals keep the two-sided quantile: 'less' ends at q(1 - (1 - c)/2) instead of q(c)."""

import numpy as np

from minml import backend


def percentile_interval(theta_star, confidence_level, alternative="two-sided"):
    xp = backend.namespace(theta_star)
    alpha = (1 - confidence_level) / 2
    low, high = backend.asnumpy(xp.quantile(theta_star, xp.asarray([alpha, 1 - alpha]))).tolist()
    if alternative == "less":
        return -np.inf, high
    if alternative == "greater":
        return low, np.inf
    return low, high
