"""A one-sided (forward) difference (f(x+ε) - f(x)) / ε: first-order accurate only."""

import numpy as np

from minml import backend
from minml.autograd.tensor import Tensor


def numerical_gradient(f, x, eps=1e-6):
    data = x.data if isinstance(x, Tensor) else x
    gradient = np.zeros(data.shape)
    base = f()
    for position in np.ndindex(*data.shape):
        original = backend.to_scalar(data[position])
        data[position] = original + eps
        upper = f()
        data[position] = original
        gradient[position] = (upper - base) / eps
    return gradient
