"""Moves z away from 0: sign(z)·max(|z| + γ, 0), the wrong sign of the threshold."""

from minml import backend


def soft_threshold(z, gamma):
    xp = backend.namespace(z, gamma)
    return xp.sign(z) * xp.maximum(xp.abs(z) + gamma, 0)
