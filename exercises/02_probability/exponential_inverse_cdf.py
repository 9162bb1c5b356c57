"""Exercise 02.exponential_inverse_cdf: Inverse-CDF sampling for the exponential distribution: the x with F(x) = u.

Generated from minml/stats/continuous.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def exponential_inverse_cdf(u, rate):
    """Inverse-CDF sampling for the exponential distribution: the x with F(x) = u.

    The exponential distribution with rate λ has F(x) = 1 − e^(−λx) for x ≥ 0. Solving u = F(x):

        x = F⁻¹(u) = −log(1 − u) / λ

    If U is uniform on (0, 1), then F⁻¹(U) is exponential with rate λ, because
    P(F⁻¹(U) ≤ x) = P(U ≤ F(x)) = F(x). minml's ``Exponential`` draws its samples this way,
    and its quantile function ``ppf`` is this function.

    Compute log(1 − u) as ``xp.log1p(-u)``: for a tiny u, 1 − u rounds to 1 (1 − 1e-17 is
    exactly 1.0) and log(1 − u) loses every digit of the answer, while log1p(−u) keeps them.
    u = 1 gives +inf.

    Args:
        u: probabilities in [0, 1], an array on any device.
        rate: λ > 0, an array broadcastable with u, on the same device.

    Returns:
        F⁻¹(u), of the broadcast shape, on u's device.

    Use ``xp = minml.backend.namespace(u, rate)``.
    """
    raise NotImplementedError("exponential_inverse_cdf is not implemented yet")
