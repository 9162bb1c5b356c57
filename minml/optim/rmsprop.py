"""RMSprop: each coordinate's step divided by the running RMS of its gradient."""

from __future__ import annotations

from minml import backend
from minml.optim.optimizer import Optimizer

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""RMSprop (Hinton's lecture notes, 2012), optionally centred (Graves, 2013) and with momentum.

    With g = grad + weight_decay * p::

        s = alpha * s + (1 - alpha) * g**2          running mean of g²
        a = alpha * a + (1 - alpha) * g             centered only: running mean of g
        r = sqrt(s - a**2) + eps   if centered   else   r = sqrt(s) + eps
        b = momentum * b + g / r,  p = p - lr * b   with momentum
        p = p - lr * g / r                          without
    """

    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8, weight_decay: float = 0.0,
                 momentum: float = 0.0, centered: bool = False, *, maximize: bool = False):
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum, centered=centered,
                        maximize=maximize)
        super().__init__(params, defaults)

    def _update(self, param, grad, state, group):
        lr, alpha, momentum, weight_decay = group["lr"], group["alpha"], group["momentum"], group["weight_decay"]
        xp = backend.namespace(param.data)
        if not state:
            state.update(step=0, square_avg=xp.zeros_like(param.data))
            if momentum > 0:
                state["momentum_buffer"] = xp.zeros_like(param.data)
            if group["centered"]:
                state["grad_avg"] = xp.zeros_like(param.data)
        state["step"] += 1
        if weight_decay:
            grad = grad + weight_decay * param.data
        square_avg = state["square_avg"]
        square_avg *= alpha
        square_avg += (1 - alpha) * grad * grad
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg += (1 - alpha) * (grad - grad_avg)  # = alpha * a + (1 - alpha) * g, as a lerp
            rms = xp.sqrt(square_avg - grad_avg * grad_avg) + group["eps"]
        else:
            rms = xp.sqrt(square_avg) + group["eps"]
        if momentum > 0:
            buffer = state["momentum_buffer"]
            buffer *= momentum
            buffer += grad / rms
            param.data -= lr * buffer
        else:
            param.data -= lr * (grad / rms)
