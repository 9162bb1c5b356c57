"""Handles only positive z: max(z − γ, 0), so every negative input is set to zero."""

from minml import backend


def soft_threshold(z, gamma):
    xp = backend.namespace(z, gamma)
    return xp.maximum(z - gamma, 0)
