"""The exponent -z² instead of -z²/2: the density of N(μ, σ²/2) with the wrong normalisation."""

from minml.stats.distribution import LOG_2PI, log


def normal_logpdf(x, loc, scale):
    z = (x - loc) / scale
    return -z * z - log(scale) - 0.5 * LOG_2PI
