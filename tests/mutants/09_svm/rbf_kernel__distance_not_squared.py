"""Exponentiates γ times the distance ‖x − y‖ instead of the squared distance ‖x − y‖²."""

from minml import backend
from minml.metrics.pairwise import pairwise_sq_distances


def rbf_kernel(X, Y, gamma=1.0):
    xp = backend.namespace(X, Y)
    return xp.exp(-gamma * xp.sqrt(pairwise_sq_distances(X, Y)))
