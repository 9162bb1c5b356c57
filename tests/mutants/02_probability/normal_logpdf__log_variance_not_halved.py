"""Subtracts log σ² instead of log σ (the normalising constant 1/√(2πσ²) taken without its square root)."""

from minml.stats.distribution import LOG_2PI, log


def normal_logpdf(x, loc, scale):
    z = (x - loc) / scale
    return -0.5 * z * z - log(scale * scale) - 0.5 * LOG_2PI
