"""minml: a from-scratch machine-learning engine and the course built on it.

``minml.tensor`` and the ops come from :mod:`minml.autograd`; where arrays
live (CPU or GPU) is decided in :mod:`minml.backend`.
"""

from minml import autograd, backend, data, datasets, nn, optim
from minml.autograd import (
    Context,
    Function,
    GradcheckError,
    Tensor,
    abs,
    arange,
    argmax,
    argmin,
    avg_pool2d,
    backward,
    broadcast_to,
    cat,
    clip,
    concatenate,
    conv2d,
    dropout,
    embedding,
    enable_grad,
    exp,
    eye,
    flatten,
    full,
    gelu,
    gradcheck,
    is_grad_enabled,
    leaky_relu,
    log,
    log_softmax,
    logsumexp,
    matmul,
    max,
    max_pool2d,
    maximum,
    mean,
    min,
    minimum,
    no_grad,
    ones,
    ones_like,
    pad,
    permute,
    rand,
    randn,
    relu,
    reshape,
    sigmoid,
    softmax,
    softplus,
    sqrt,
    squeeze,
    stack,
    sum,
    tanh,
    tensor,
    transpose,
    unsqueeze,
    var,
    where,
    zeros,
    zeros_like,
)
from minml.backend import Device, device
from minml.serialization import load, save

__version__ = "0.1.0"

__all__ = [
    "autograd", "backend", "device", "Device", "__version__", "nn", "optim", "data", "datasets", "save", "load",
    *autograd.__all__,
]
