"""``minml.nn.functional`` (``F``): the layers and losses as plain functions, PyTorch's ``torch.nn.functional``.

Modules hold parameters; these functions take them as arguments:
``F.linear(x, weight, bias)`` is what ``nn.Linear`` computes. Most are the
engine's ops re-exported under PyTorch's names and argument orders; ``linear``
is a fused op (one graph node for x Wᵀ + b); the losses live in
:mod:`minml.nn.losses`, batch_norm and layer_norm in :mod:`minml.nn.normalization`.
"""

from __future__ import annotations

from minml.autograd import activations
from minml.autograd.activations import dropout, gelu, leaky_relu, relu, sigmoid, softplus, tanh
from minml.autograd.conv import adaptive_avg_pool2d, adaptive_max_pool2d, avg_pool2d, conv2d, max_pool2d
from minml.autograd.function import Function
from minml.autograd.indexing import embedding as _embedding
from minml.autograd.tensor import Tensor
from minml.nn.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)
from minml.nn.normalization import batch_norm, layer_norm

__all__ = [
    "linear",
    "embedding",
    "dropout",
    "relu",
    "leaky_relu",
    "gelu",
    "sigmoid",
    "tanh",
    "softplus",
    "softmax",
    "log_softmax",
    "conv2d",
    "max_pool2d",
    "avg_pool2d",
    "adaptive_avg_pool2d",
    "adaptive_max_pool2d",
    "batch_norm",
    "layer_norm",
    "mse_loss",
    "l1_loss",
    "huber_loss",
    "smooth_l1_loss",
    "cross_entropy",
    "nll_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
]


# exercise 10.linear_backward
def linear_backward(grad, x, weight, needs_input_grad: tuple[bool, bool, bool] = (True, True, True)):
    """The gradients of a linear layer y = x Wᵀ + b: return (dL/dx, dL/dW, dL/db).

    ``x`` has shape (..., in), ``weight`` W (out, in), and ``grad`` = dL/dy has
    y's shape (..., out): any number of leading (batch) axes. Each y[n, o] =
    Σ_i x[n, i] W[o, i] + b[o], so by the chain rule

        dL/dx = g W           (..., in)
        dL/dW = gᵀ x          (out, in), summed over every leading axis
        dL/db = Σ_n g[n, :]   (out,), summed over every leading axis

    (the bias was broadcast over the batch, so its gradient is a sum). Flatten
    the leading axes (``reshape(-1, ...)``) for the two sums. ``needs_input_grad``
    says which of the three are wanted: return None in place of the others
    (the first layer's input needs no gradient; skipping it saves a matrix
    product). Compute with the arrays' own operators (``@``, ``.T``, ``.sum``)
    so the same code runs on the CPU and a GPU.
    """
    need_x, need_weight, need_bias = needs_input_grad
    rows = grad.reshape(-1, grad.shape[-1])  # (all leading axes, out)
    grad_x = grad @ weight if need_x else None
    grad_weight = rows.T @ x.reshape(-1, x.shape[-1]) if need_weight else None
    grad_bias = rows.sum(axis=0) if need_bias else None
    return grad_x, grad_weight, grad_bias
# end exercise


class Affine(Function):
    """y = x Wᵀ + b, x (..., in), W (out, in), b (out,); backward is :func:`linear_backward`."""

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        out = x @ weight.T
        if bias is not None:
            out += bias  # out is a fresh array: adding in place saves one allocation
        return out

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved
        return linear_backward(grad, x, weight, ctx.needs_input_grad)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x Wᵀ + b for x (..., in_features), W (out_features, in_features), b (out_features,)."""
    if input.shape[-1:] != weight.shape[1:]:
        raise ValueError(
            f"linear: input's last axis has {input.shape[-1] if input.ndim else 0} features but the weight "
            f"{tuple(weight.shape)} expects {weight.shape[1]} (weight is (out_features, in_features))"
        )
    return Affine.apply(input, weight, bias)


def embedding(input, weight: Tensor, padding_idx: int | None = None) -> Tensor:
    """Rows of ``weight`` (num_embeddings, dim) picked by the integer ``input`` (PyTorch's argument order);
    row ``padding_idx`` gets no gradient."""
    return _embedding(weight, input, padding_idx)


def softmax(input: Tensor, dim: int = -1) -> Tensor:
    """exp(x) / Σ exp(x) along ``dim``, computed stably (the maximum is subtracted first)."""
    return activations.softmax(input, dim)


def log_softmax(input: Tensor, dim: int = -1) -> Tensor:
    """x - logsumexp(x) along ``dim``: log-probabilities, finite even for logits of ±1e4."""
    return activations.log_softmax(input, dim)
