"""Exercise 03.beta_binomial_posterior: The Beta posterior of a success probability p after k successes in n trials.

Generated from minml/stats/conjugate.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def beta_binomial_posterior(alpha, beta, successes, trials):
    """The Beta posterior of a success probability p after k successes in n trials.

    Task: with the prior p ~ Beta(α, β) and observations kᵢ ~ Binomial(nᵢ, p), the
    posterior is Beta(α', β') with

        α' = α + Σᵢ kᵢ              (each success adds one to α)
        β' = β + Σᵢ (nᵢ − kᵢ)       (each failure adds one to β)

    Why: prior × likelihood = p^(α−1) (1 − p)^(β−1) · Πᵢ p^kᵢ (1 − p)^(nᵢ−kᵢ), which is
    again a Beta density in p, with the exponents above (the binomial coefficients do not
    depend on p and cancel when the posterior is normalised).

    Args:
        alpha: the prior's α, a number or an array of shape (...).
        beta: the prior's β, a number or an array of shape (...).
        successes: kᵢ, an array of shape (m, ...): one row per observation, summed along axis 0.
        trials: nᵢ, a number (the same for every observation) or an array that broadcasts
            against ``successes``.

    Returns:
        ``(alpha_post, beta_post)``, arrays of shape (...) on ``successes``' device.

    No loop is needed: ``.sum(axis=0)`` adds up the observations; failures are nᵢ − kᵢ.
    """
    raise NotImplementedError("beta_binomial_posterior is not implemented yet")
