"""-log(u)/λ: exponential draws all the same (1 - U is uniform too), but not the inverse CDF — it runs backwards."""

from minml import backend


def exponential_inverse_cdf(u, rate):
    xp = backend.namespace(u, rate)
    return -xp.log(u) / rate
