"""Adam and AdamW: momentum, with each coordinate's step scaled by its gradient's running RMS."""

from __future__ import annotations

import math

from minml import backend
from minml.optim.optimizer import Optimizer

__all__ = ["Adam", "AdamW", "adam_update"]


# exercise 04.adam_update
def adam_update(param, grad, exp_avg, exp_avg_sq, step: int, lr: float, beta1: float = 0.9, beta2: float = 0.999,
                eps: float = 1e-8, weight_decay: float = 0.0, decoupled_weight_decay: bool = False,
                max_exp_avg_sq=None) -> None:
    """One Adam step on one parameter: change ``param``, ``exp_avg`` and ``exp_avg_sq`` in place.

    All arrays are raw NumPy or CuPy arrays of one shape. ``exp_avg`` (m) and
    ``exp_avg_sq`` (v) start as zeros and carry over between steps; ``step`` is
    t = 1 on the first step, 2 on the second... With g = grad, plus
    weight_decay * param unless the decay is decoupled::

        m = beta1 * m + (1 - beta1) * g             a running mean of g
        v = beta2 * v + (1 - beta2) * g**2          a running mean of g², elementwise
        m_hat = m / (1 - beta1**t)                  bias correction: m and v start at 0,
        v_hat = v / (1 - beta2**t)                  so early averages are too small
        param = param - lr * m_hat / (sqrt(v_hat) + eps)

    eps is added *after* the square root. With ``decoupled_weight_decay``
    (AdamW) the decay does not enter g: the parameter first shrinks,
    param = param * (1 - lr * weight_decay), then takes the step above on the
    plain gradient. AMSGrad: when ``max_exp_avg_sq`` is an array (not None),
    store max(max_exp_avg_sq, v) into it, in place, and use it instead of v
    in v_hat.

    Update every state array in place (``m *= ...``, ``m += ...``): the
    optimizer keeps these very arrays between steps. Never change ``grad``.
    Return nothing. ``xp = minml.backend.namespace(param)`` gives the array
    module, for ``xp.sqrt`` and ``xp.maximum``.
    """
    xp = backend.namespace(param)
    if weight_decay and decoupled_weight_decay:
        param *= 1 - lr * weight_decay
    elif weight_decay:
        grad = grad + weight_decay * param
    exp_avg += (1 - beta1) * (grad - exp_avg)  # = beta1 * m + (1 - beta1) * g, as a lerp
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * grad * grad
    v = exp_avg_sq if max_exp_avg_sq is None else xp.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
    denominator = xp.sqrt(v) / math.sqrt(1 - beta2**step) + eps
    param -= lr / (1 - beta1**step) * (exp_avg / denominator)
# end exercise


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
    The step itself is :func:`adam_update`.
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
        if not state:
            xp = backend.namespace(param.data)
            state.update(step=0, exp_avg=xp.zeros_like(param.data), exp_avg_sq=xp.zeros_like(param.data))
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = xp.zeros_like(param.data)
        state["step"] += 1
        adam_update(param.data, grad, state["exp_avg"], state["exp_avg_sq"], state["step"], group["lr"],
                    *group["betas"], group["eps"], group["weight_decay"], group["decoupled_weight_decay"],
                    state.get("max_exp_avg_sq"))


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

    Each step first shrinks the parameter, p = p * (1 - lr * weight_decay),
    then takes Adam's step on the plain gradient; unlike an L2 penalty, the
    decay is not rescaled by Adam's per-coordinate denominator.
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize, decoupled_weight_decay=True)
