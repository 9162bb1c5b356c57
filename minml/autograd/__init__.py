"""Reverse-mode automatic differentiation on NumPy / CuPy arrays.

Start with :class:`Tensor` (tensor.py), then :class:`Function` (function.py),
then the graph walk (backward.py); the ops are grouped by family in the other
modules, each op's forward and backward side by side.
"""

from minml.autograd.tensor import (  # noqa: I001 - tensor first: the ops import it
    Tensor, arange, eye, full, ones, ones_like, rand, randn, tensor, zeros, zeros_like,
)
from minml.autograd.activations import dropout, gelu, leaky_relu, log_softmax, relu, sigmoid, softmax, softplus, tanh
from minml.autograd.backward import backward
from minml.autograd.conv import adaptive_avg_pool2d, adaptive_max_pool2d, avg_pool2d, conv2d, max_pool2d
from minml.autograd.elementwise import abs, clip, exp, log, maximum, minimum, sqrt, where
from minml.autograd.function import Context, Function
from minml.autograd.grad_mode import enable_grad, is_grad_enabled, no_grad
from minml.autograd.gradcheck import GradcheckError, gradcheck
from minml.autograd.indexing import embedding
from minml.autograd.linalg import matmul
from minml.autograd.reductions import argmax, argmin, logsumexp, max, mean, min, sum, var
from minml.autograd.shape import (
    broadcast_to, concatenate, flatten, pad, permute, reshape, squeeze, stack, transpose, unsqueeze,
)

cat = concatenate  # PyTorch's name

__all__ = [
    "Tensor", "tensor", "zeros", "ones", "full", "zeros_like", "ones_like", "arange", "eye", "randn", "rand",
    "Function", "Context", "backward", "no_grad", "enable_grad", "is_grad_enabled", "gradcheck", "GradcheckError",
    "exp", "log", "sqrt", "abs", "clip", "minimum", "maximum", "where",
    "tanh", "sigmoid", "relu", "leaky_relu", "gelu", "softplus", "softmax", "log_softmax", "dropout",
    "sum", "mean", "var", "max", "min", "logsumexp", "argmax", "argmin",
    "matmul", "reshape", "flatten", "transpose", "permute", "squeeze", "unsqueeze", "broadcast_to",
    "concatenate", "cat", "stack", "pad", "embedding", "conv2d", "max_pool2d", "avg_pool2d",
    "adaptive_avg_pool2d", "adaptive_max_pool2d",
]
