"""``Linear`` (a fully connected layer), ``Flatten`` and ``Identity``.

Linear computes y = x Wᵀ + b with W of shape (out_features, in_features), as
PyTorch stores it. Its default initialisation is PyTorch's: W and b uniform in
±1/√in_features (``kaiming_uniform_`` with a = √5), so every output starts with
about a third of the variance of one input, whatever the layer's width.
"""

from __future__ import annotations

import math

from minml import backend
from minml.autograd.tensor import Tensor, zeros
from minml.nn import init
from minml.nn.functional import linear
from minml.nn.module import Module, Parameter

__all__ = ["Linear", "Flatten", "Identity"]


class Linear(Module):
    """y = x Wᵀ + b for inputs (..., in_features); ``bias=False`` drops b.

    ``random_state`` seeds the initial weights (an int gives the same layer on every device).
    """

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, *, device=None, dtype=None, random_state=None
    ):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = Parameter(zeros(out_features, in_features, dtype=dtype, device=device))
        self.bias = Parameter(zeros(out_features, dtype=dtype, device=device)) if bias else None
        self.reset_parameters(random_state)

    def reset_parameters(self, random_state=None) -> None:
        """W and b ~ U(-1/√in_features, 1/√in_features), PyTorch's default, drawn from one generator."""
        generator = backend.rng(random_state, self.weight.device)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), random_state=generator)
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0.0
            init.uniform_(self.bias, -bound, bound, random_state=generator)

    def forward(self, x: Tensor) -> Tensor:
        return linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Flatten(Module):
    """Merge axes ``start_dim`` .. ``end_dim`` into one: (N, C, H, W) -> (N, C·H·W) by default."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Tensor) -> Tensor:
        return x.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Identity(Module):
    """Returns its input unchanged (a placeholder, e.g. to switch a layer off)."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, x):
        return x
