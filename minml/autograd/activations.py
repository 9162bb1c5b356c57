"""Activation functions and (log-)softmax, written to be numerically stable.

* sigmoid never evaluates exp of a large positive number;
* softmax and log_softmax subtract the row maximum first (log-sum-exp), so
  logits of ±1e4 give exact probabilities instead of inf / nan.
"""

from __future__ import annotations

import math

from minml import backend
from minml.autograd.elementwise import mul
from minml.autograd.function import Function
from minml.autograd.tensor import Tensor

__all__ = ["tanh", "sigmoid", "relu", "leaky_relu", "gelu", "softplus", "softmax", "log_softmax", "dropout"]


class Tanh(Function):
    """y = tanh a:  dy/da = 1 - y²."""

    @staticmethod
    def forward(ctx, a):
        out = ctx.xp.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        return grad * (1 - out * out)


class Sigmoid(Function):
    """y = 1 / (1 + e⁻ᵃ):  dy/da = y (1 - y).

    Stable form: with e = exp(-|a|) <= 1, y = 1/(1+e) for a >= 0 and e/(1+e) otherwise.
    """

    @staticmethod
    def forward(ctx, a):
        xp = ctx.xp
        e = xp.exp(-xp.abs(a))
        out = xp.where(a >= 0, 1, e) / (1 + e)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        return grad * out * (1 - out)


class ReLU(Function):
    """y = max(a, 0):  dy/da = 1 where a > 0, else 0."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return ctx.xp.maximum(a, 0)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return grad * (a > 0)


class LeakyReLU(Function):
    """y = a where a > 0, else slope·a."""

    @staticmethod
    def forward(ctx, a, slope):
        ctx.save_for_backward(a)
        ctx.slope = slope
        return ctx.xp.where(a > 0, a, a * slope)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return ctx.xp.where(a > 0, grad, grad * ctx.slope)


class GELU(Function):
    """y = a Φ(a), Φ the standard normal CDF:  dy/da = Φ(a) + a φ(a).

    ``approximate="tanh"`` uses Φ(a) ≈ ½(1 + tanh(√(2/π)(a + 0.044715 a³))).
    """

    @staticmethod
    def forward(ctx, a, approximate):
        xp = ctx.xp
        ctx.save_for_backward(a)
        ctx.approximate = approximate
        if approximate == "tanh":
            inner = math.sqrt(2 / math.pi) * (a + 0.044715 * a**3)
            return 0.5 * a * (1 + xp.tanh(inner))
        return 0.5 * a * (1 + backend.special(a).erf(a * (1 / math.sqrt(2))))

    @staticmethod
    def backward(ctx, grad):
        xp = ctx.xp
        (a,) = ctx.saved
        if ctx.approximate == "tanh":
            k = math.sqrt(2 / math.pi)
            t = xp.tanh(k * (a + 0.044715 * a**3))
            local = 0.5 * (1 + t) + 0.5 * a * (1 - t * t) * k * (1 + 3 * 0.044715 * a * a)
        else:
            cdf = 0.5 * (1 + backend.special(a).erf(a * (1 / math.sqrt(2))))
            pdf = xp.exp(-0.5 * a * a) * (1 / math.sqrt(2 * math.pi))
            local = cdf + a * pdf
        return grad * local


class Softplus(Function):
    """y = log(1 + e^(βa)) / β, a smooth ReLU:  dy/da = sigmoid(βa)."""

    @staticmethod
    def forward(ctx, a, beta):
        ctx.save_for_backward(a)
        ctx.beta = beta
        return ctx.xp.logaddexp(0, a * beta) / beta

    @staticmethod
    def backward(ctx, grad):
        xp = ctx.xp
        (a,) = ctx.saved
        z = a * ctx.beta
        e = xp.exp(-xp.abs(z))
        return grad * (xp.where(z >= 0, 1, e) / (1 + e))


class Softmax(Function):
    """yᵢ = exp(aᵢ - m) / Σⱼ exp(aⱼ - m), m = max(a):  dL/da = y (g - Σ g y)."""

    @staticmethod
    def forward(ctx, a, axis):
        xp = ctx.xp
        shifted = xp.exp(a - a.max(axis=axis, keepdims=True))
        out = shifted / shifted.sum(axis=axis, keepdims=True)
        ctx.save_for_backward(out)
        ctx.axis = axis
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        return out * (grad - (grad * out).sum(axis=ctx.axis, keepdims=True))


def log_softmax_array(xp, a, axis: int):
    """log softmax of a raw array along ``axis``: a - m - log Σ exp(a - m), m the maximum."""
    shifted = a - a.max(axis=axis, keepdims=True)
    return shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))


class LogSoftmax(Function):
    """y = a - logsumexp(a):  dL/da = g - softmax(a) Σ g."""

    @staticmethod
    def forward(ctx, a, axis):
        out = log_softmax_array(ctx.xp, a, axis)
        ctx.save_for_backward(out)
        ctx.axis = axis
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        return grad - ctx.xp.exp(out) * grad.sum(axis=ctx.axis, keepdims=True)


def tanh(a) -> Tensor:
    return Tanh.apply(a)


def sigmoid(a) -> Tensor:
    return Sigmoid.apply(a)


def relu(a) -> Tensor:
    return ReLU.apply(a)


def leaky_relu(a, negative_slope: float = 0.01) -> Tensor:
    return LeakyReLU.apply(a, slope=negative_slope)


def gelu(a, approximate: str = "none") -> Tensor:
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate must be 'none' or 'tanh'; got {approximate!r}")
    return GELU.apply(a, approximate=approximate)


def softplus(a, beta: float = 1.0) -> Tensor:
    return Softplus.apply(a, beta=beta)


def softmax(a, axis: int = -1) -> Tensor:
    return Softmax.apply(a, axis=axis)


def log_softmax(a, axis: int = -1) -> Tensor:
    return LogSoftmax.apply(a, axis=axis)


def dropout(a: Tensor, p: float = 0.5, training: bool = True, random_state=None) -> Tensor:
    """Zero each element with probability ``p`` and scale survivors by 1/(1-p) (inverted dropout).

    The expected value is unchanged, so evaluation (``training=False``) is the identity.
    The gradient flows through the same mask, so this is just ``a * mask``.
    """
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability must be in [0, 1]; got {p}")
    if not training or p == 0:
        return a
    if p == 1:
        return a * 0
    keep = backend.rng(random_state, a.device).random(a.shape) >= p
    return mul(a, (keep * (1 / (1 - p))).astype(a.dtype))
