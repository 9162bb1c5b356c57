"""Perturbs a host copy of x, which f never sees: every estimate is 0."""

import numpy as np

from minml.autograd.tensor import Tensor


def numerical_gradient(f, x, eps=1e-6):
    values = x.numpy() if isinstance(x, Tensor) else np.array(x)
    gradient = np.zeros(values.shape)
    for position in np.ndindex(*values.shape):
        original = float(values[position])
        values[position] = original + eps
        upper = f()
        values[position] = original - eps
        lower = f()
        values[position] = original
        gradient[position] = (upper - lower) / (2 * eps)
    return gradient
