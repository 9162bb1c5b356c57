"""Forgets the sign: max(|z| − γ, 0), so negative inputs come out positive."""

from minml import backend


def soft_threshold(z, gamma):
    xp = backend.namespace(z, gamma)
    return xp.maximum(xp.abs(z) - gamma, 0)
