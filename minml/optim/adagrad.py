"""Adagrad: each coordinate's step divided by the root of its summed squared gradients."""

from __future__ import annotations

from minml import backend
from minml.optim.optimizer import Optimizer

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    r"""Adagrad (Duchi, Hazan & Singer, 2011).

    On step t = 1, 2, ... with g = grad + weight_decay * p and the sum s
    starting at ``initial_accumulator_value``::

        s = s + g**2
        p = p - lr / (1 + (t - 1) * lr_decay) * g / (sqrt(s) + eps)

    Coordinates with large past gradients take small steps; the steps only shrink.
    """

    def __init__(self, params, lr: float = 1e-2, lr_decay: float = 0.0, weight_decay: float = 0.0,
                 initial_accumulator_value: float = 0.0, eps: float = 1e-10, *, maximize: bool = False):
        defaults = dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, eps=eps, maximize=maximize)
        super().__init__(params, defaults)

    def _update(self, param, grad, state, group):
        xp = backend.namespace(param.data)
        if not state:
            state.update(step=0, sum=xp.full_like(param.data, group["initial_accumulator_value"]))
        state["step"] += 1
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param.data
        step_size = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        state["sum"] += grad * grad
        param.data -= step_size * (grad / (xp.sqrt(state["sum"]) + group["eps"]))
