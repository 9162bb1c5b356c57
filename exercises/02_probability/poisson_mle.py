"""Exercise 02.poisson_mle: The maximum-likelihood estimate of a Poisson rate λ from observed counts.

Generated from minml/stats/discrete.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def poisson_mle(counts):
    """The maximum-likelihood estimate of a Poisson rate λ from observed counts.

    For counts k₁ … kₙ the log-likelihood is

        ℓ(λ) = Σᵢ (kᵢ log λ − λ − log kᵢ!) = (Σᵢ kᵢ) log λ − nλ − (a constant).

    Setting its derivative ℓ′(λ) = (Σᵢ kᵢ)/λ − n to zero gives λ̂ = (Σᵢ kᵢ)/n, the mean count;
    ℓ″(λ) = −(Σᵢ kᵢ)/λ² < 0, so it is a maximum.

    Args:
        counts: a float array of shape (n,) or (n, m), on any device: n observations along
            axis 0 (with m columns, m independent samples, one rate each).

    Returns:
        λ̂, an array of shape () or (m,) on the device of ``counts``.

    Raises:
        ValueError: "counts must be non-negative whole numbers; got <the first bad value>" when
            a count is negative or has a fractional part: such data cannot come from a Poisson
            distribution. (Turn a device bool into a Python one with ``minml.backend.to_scalar``.)

    Use ``xp = minml.backend.namespace(counts)``.
    """
    raise NotImplementedError("poisson_mle is not implemented yet")
