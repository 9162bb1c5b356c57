"""Swaps the one-sided alternatives: 'less' gets the lower bound (q(1 - c), inf) and 'greater' the upper one."""

import numpy as np

from minml import backend


def percentile_interval(theta_star, confidence_level, alternative="two-sided"):
    xp = backend.namespace(theta_star)
    if alternative == "two-sided":
        alpha = (1 - confidence_level) / 2
        low, high = backend.asnumpy(xp.quantile(theta_star, xp.asarray([alpha, 1 - alpha]))).tolist()
        return low, high
    if alternative == "greater":
        return -np.inf, backend.asnumpy(xp.quantile(theta_star, confidence_level)).tolist()
    return backend.asnumpy(xp.quantile(theta_star, 1 - confidence_level)).tolist(), np.inf
