"""``Dropout``: randomly zero activations while training, a cheap regulariser.

In training mode each element is zeroed with probability ``p`` and the rest
are scaled by 1/(1-p) ("inverted dropout"), so the expected output equals the
input and evaluation mode (``model.eval()``) is simply the identity.
"""

from __future__ import annotations

from minml import backend
from minml.autograd.activations import dropout
from minml.autograd.tensor import Tensor
from minml.nn.module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    """Zero each element with probability ``p`` in training mode; identity in eval mode.

    The layer owns its random generator, seeded by ``random_state``: the same
    seed gives the same sequence of masks on every device.
    """

    def __init__(self, p: float = 0.5, *, random_state=None):
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError(f"dropout probability must be in [0, 1]; got {p}")
        self.p = p
        self.generator = backend.rng(random_state)

    def forward(self, x: Tensor) -> Tensor:
        return dropout(x, self.p, self.training, random_state=self.generator)

    def extra_repr(self) -> str:
        return f"p={self.p}"
