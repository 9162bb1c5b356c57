"""Divides the squared distance by γ (the σ² convention) instead of multiplying it by γ."""

from minml import backend
from minml.metrics.pairwise import pairwise_sq_distances


def rbf_kernel(X, Y, gamma=1.0):
    xp = backend.namespace(X, Y)
    return xp.exp(-pairwise_sq_distances(X, Y) / gamma)
