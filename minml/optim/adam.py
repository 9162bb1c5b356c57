"""Adam and AdamW: momentum, with each coordinate's step scaled by its gradient's running RMS."""

from __future__ import annotations

import math

from minml import backend
from minml.optim.optimizer import Optimizer

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015), with optional AMSGrad (Reddi et al., 2018).

    On step t = 1, 2, ... with g = grad + weight_decay * p (the L2 penalty)::

        m = beta1 * m + (1 - beta1) * g            first moment: a running mean of g
        v = beta2 * v + (1 - beta2) * g**2         second moment: a running mean of g²
        v_hat = max(v_hat, v)                       amsgrad only, then used in place of v
        p = p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

    The ``1 - beta**t`` factors undo the bias of m and v towards their zero
    start. With ``decoupled_weight_decay=True`` (that is, :class:`AdamW`) the
    decay is not added to g but shrinks p directly: p = p * (1 - lr * weight_decay).
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False, *, maximize: bool = False,
                 decoupled_weight_decay: bool = False):
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad, maximize=maximize,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def _check_group(self, group):
        super()._check_group(group)
        betas = group["betas"]
        if len(betas) != 2 or not all(0.0 <= beta < 1.0 for beta in betas):
            raise ValueError(f"invalid betas: {betas!r}; expected two numbers in [0, 1), such as (0.9, 0.999)")

    def _update(self, param, grad, state, group):
        lr, (beta1, beta2), weight_decay = group["lr"], group["betas"], group["weight_decay"]
        xp = backend.namespace(param.data)
        if not state:
            state.update(step=0, exp_avg=xp.zeros_like(param.data), exp_avg_sq=xp.zeros_like(param.data))
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = xp.zeros_like(param.data)
        state["step"] += 1
        t = state["step"]
        if weight_decay and group["decoupled_weight_decay"]:
            param.data *= 1 - lr * weight_decay
        elif weight_decay:
            grad = grad + weight_decay * param.data
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m += (1 - beta1) * (grad - m)  # = beta1 * m + (1 - beta1) * g, as a lerp
        v *= beta2
        v += (1 - beta2) * grad * grad
        if group["amsgrad"]:
            v = xp.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        denominator = xp.sqrt(v) / math.sqrt(1 - beta2**t) + group["eps"]
        param.data -= lr / (1 - beta1**t) * (m / denominator)


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

    Each step first shrinks the parameter, p = p * (1 - lr * weight_decay),
    then takes Adam's step on the plain gradient; unlike an L2 penalty, the
    decay is not rescaled by Adam's per-coordinate denominator.
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize, decoupled_weight_decay=True)
