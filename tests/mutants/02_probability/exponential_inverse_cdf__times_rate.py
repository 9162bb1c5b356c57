"""Multiplies by λ instead of dividing: λ treated as the scale (the mean) rather than the rate."""

from minml import backend


def exponential_inverse_cdf(u, rate):
    xp = backend.namespace(u, rate)
    return -xp.log1p(-u) * rate
