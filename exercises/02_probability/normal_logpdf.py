"""Exercise 02.normal_logpdf: The log-density of the normal distribution N(loc, scale²), computed without underflow.

Generated from minml/stats/continuous.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def normal_logpdf(x, loc, scale):
    """The log-density of the normal distribution N(loc, scale²), computed without underflow.

    The density is f(x) = exp(−z²/2) / (σ √(2π)) with z = (x − μ)/σ. Its log, written out,

        log f(x) = −z²/2 − log σ − ½ log(2π),

    is an ordinary number for every x. Computing f(x) first and then its log is not: exp(−z²/2)
    underflows to 0 once |z| > 38.6, and log 0 = −inf — a data point 40 standard deviations
    out would make a whole log-likelihood −inf.

    Args:
        x: the data; loc: μ; scale: σ > 0. Arrays on any device, or minml Tensors (lesson 02
            fits μ and σ by gradient ascent through this function); they broadcast together.

    Returns:
        log f(x), of the broadcast shape, on the inputs' device (a Tensor if any input is one).

    Use arithmetic (+, −, *, /) and ``minml.stats.distribution.log``, the log of an array or of
    a Tensor; ``minml.stats.distribution.LOG_2PI`` is log(2π).
    """
    raise NotImplementedError("normal_logpdf is not implemented yet")
