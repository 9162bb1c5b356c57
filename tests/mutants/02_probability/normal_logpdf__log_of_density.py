"""The log of the density computed first: exp(-z²/2) underflows to 0 beyond |z| ≈ 38.6, so log f = -inf there."""

import math

from minml.stats.distribution import exp, log


def normal_logpdf(x, loc, scale):
    z = (x - loc) / scale
    return log(exp(-0.5 * z * z) / (scale * math.sqrt(2 * math.pi)))
