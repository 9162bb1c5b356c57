"""Stochastic gradient descent, with momentum and Nesterov momentum."""

from __future__ import annotations

from minml.optim.optimizer import Optimizer

__all__ = ["SGD", "sgd_momentum_update"]


# exercise 04.sgd_momentum_update
def sgd_momentum_update(param, grad, buffer, lr: float, momentum: float = 0.0, dampening: float = 0.0,
                        weight_decay: float = 0.0, nesterov: bool = False):
    """One step of SGD with momentum: update ``param`` in place, return the buffer.

    ``param`` and ``grad`` are raw arrays of one shape (NumPy or CuPy: compute
    with array operators, no library calls needed); ``buffer`` is the momentum
    buffer b that the previous step returned, or None on the first step. With
    g = grad + weight_decay * param (the gradient of an L2 penalty added to
    the loss)::

        b = g                                      on the first step (buffer None)
        b = momentum * b + (1 - dampening) * g     on later steps
        d = g + momentum * b     if nesterov       else      d = b
        param = param - lr * d

    The learning rate multiplies the whole direction d, after the momentum
    (this is PyTorch's form; the buffer holds gradients, not steps). Nesterov
    looks ahead: it steps along the current gradient plus the *updated*
    buffer. With ``momentum == 0`` there is no buffer: param = param - lr * g,
    and return None.

    Update ``param`` in place (``param -= ...``) — the optimizer's Tensor keeps
    this very array. You may update ``buffer`` in place or return a new array,
    but never change ``grad`` (it is the parameter's ``.grad``) and never
    return ``grad`` itself as the buffer.
    """
    if weight_decay:
        grad = grad + weight_decay * param
    if momentum:
        if buffer is None:
            buffer = grad.copy()
        else:
            buffer *= momentum
            buffer += (1 - dampening) * grad
        grad = grad + momentum * buffer if nesterov else buffer
    param -= lr * grad
    return buffer if momentum else None
# end exercise


class SGD(Optimizer):
    r"""Stochastic gradient descent (PyTorch's formulation of momentum).

    Per parameter, with the momentum buffer b (b = g on the first step)::

        g = grad + weight_decay * p,   b = momentum * b + (1 - dampening) * g
        p = p - lr * (g + momentum * b  if nesterov  else  b)

    Without momentum, simply p = p - lr * g. The step itself is :func:`sgd_momentum_update`.
    """

    def __init__(self, params, lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False, *, maximize: bool = False):
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay, nesterov=nesterov,
                        maximize=maximize)
        super().__init__(params, defaults)

    def _check_group(self, group):
        super()._check_group(group)
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("Nesterov momentum requires a momentum > 0 and zero dampening")

    def _update(self, param, grad, state, group):
        buffer = sgd_momentum_update(param.data, grad, state.get("momentum_buffer"), group["lr"], group["momentum"],
                                     group["dampening"], group["weight_decay"], group["nesterov"])
        if buffer is not None:
            state["momentum_buffer"] = buffer
