"""Calls np.exp on the device arrays, which fails on a GPU (and on the fake one)."""

import numpy as np

from minml.metrics.pairwise import pairwise_sq_distances


def rbf_kernel(X, Y, gamma=1.0):
    return np.exp(-gamma * pairwise_sq_distances(X, Y))
