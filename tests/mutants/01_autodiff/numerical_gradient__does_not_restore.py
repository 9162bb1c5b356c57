"""Never puts an element back: x ends at x - ε and later elements are differentiated at a shifted point."""

import numpy as np

from minml import backend
from minml.autograd.tensor import Tensor


def numerical_gradient(f, x, eps=1e-6):
    data = x.data if isinstance(x, Tensor) else x
    gradient = np.zeros(data.shape)
    for position in np.ndindex(*data.shape):
        original = backend.to_scalar(data[position])
        data[position] = original + eps
        upper = f()
        data[position] = original - eps
        lower = f()
        gradient[position] = (upper - lower) / (2 * eps)
    return gradient
