"""Hard thresholding: keeps z unchanged where |z| > γ instead of shrinking it by γ."""

from minml import backend


def soft_threshold(z, gamma):
    xp = backend.namespace(z, gamma)
    return xp.where(xp.abs(z) > gamma, z, 0 * z)
