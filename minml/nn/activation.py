"""Activation functions as Modules, so they can sit in a :class:`Sequential`.

Each wraps the engine's op (minml/autograd/activations.py, where the maths
and the stable formulas are) and has no parameters.
"""

from __future__ import annotations

from minml.autograd import activations
from minml.autograd.tensor import Tensor
from minml.nn.module import Module

__all__ = ["ReLU", "LeakyReLU", "Tanh", "Sigmoid", "GELU", "Softplus", "Softmax", "LogSoftmax"]


class ReLU(Module):
    """max(x, 0)."""

    def forward(self, x: Tensor) -> Tensor:
        return activations.relu(x)


class LeakyReLU(Module):
    """x where x > 0, else negative_slope · x."""

    def __init__(self, negative_slope: float = 0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x: Tensor) -> Tensor:
        return activations.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Tanh(Module):
    """tanh x, in (-1, 1)."""

    def forward(self, x: Tensor) -> Tensor:
        return activations.tanh(x)


class Sigmoid(Module):
    """1 / (1 + e⁻ˣ), in (0, 1)."""

    def forward(self, x: Tensor) -> Tensor:
        return activations.sigmoid(x)


class GELU(Module):
    """x Φ(x) with Φ the standard normal CDF; ``approximate="tanh"`` for the tanh approximation."""

    def __init__(self, approximate: str = "none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, x: Tensor) -> Tensor:
        return activations.gelu(x, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    """log(1 + e^(βx)) / β, a smooth ReLU."""

    def __init__(self, beta: float = 1.0):
        super().__init__()
        self.beta = beta

    def forward(self, x: Tensor) -> Tensor:
        return activations.softplus(x, self.beta)

    def extra_repr(self) -> str:
        return f"beta={self.beta}"


class Softmax(Module):
    """exp(x) / Σ exp(x) along ``dim``: probabilities that sum to 1."""

    def __init__(self, dim: int = -1):
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        return activations.softmax(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """x - logsumexp(x) along ``dim``: log-probabilities (pair with NLLLoss)."""

    def forward(self, x: Tensor) -> Tensor:
        return activations.log_softmax(x, self.dim)
