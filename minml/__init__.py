"""minml: a from-scratch machine-learning engine and the course built on it.

``minml.tensor`` and the ops come from :mod:`minml.autograd`; where arrays
live (CPU or GPU) is decided in :mod:`minml.backend`. The classical half
(``minml.linear``, ``minml.tree``, ``minml.metrics``, ``minml.stats`` ...) loads
on first use, so ``import minml`` stays quick.
"""

import importlib

from minml import autograd, backend, data, datasets, nn, optim
from minml.autograd import (
    Context,
    Function,
    GradcheckError,
    Tensor,
    abs,
    adaptive_avg_pool2d,
    adaptive_max_pool2d,
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

# Loaded on first attribute access (PEP 562): `minml.linear` imports minml/linear/ then.
_LAZY_SUBPACKAGES = (
    "base", "ensemble", "exceptions", "linear", "metrics", "model_selection", "naive_bayes", "plot",
    "preprocessing", "stats", "svm", "tree", "validation",
)


def __getattr__(name: str):
    if name in _LAZY_SUBPACKAGES:
        return importlib.import_module(f"minml.{name}")
    raise AttributeError(f"module 'minml' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_LAZY_SUBPACKAGES])

__all__ = [
    "autograd", "backend", "device", "Device", "__version__", "nn", "optim", "data", "datasets", "save", "load",
    *_LAZY_SUBPACKAGES,
    *autograd.__all__,
]
