"""log(1 - u) instead of log1p(-u): 1 - u rounds to 1 for tiny u, and the quantile loses its digits (0 for 1e-17)."""

from minml import backend


def exponential_inverse_cdf(u, rate):
    xp = backend.namespace(u, rate)
    return -xp.log(1 - u) / rate
