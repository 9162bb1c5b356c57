"""Exercise 04.sgd_momentum_update: One step of SGD with momentum: update ``param`` in place, return the buffer.

Generated from minml/optim/sgd.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


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
    raise NotImplementedError("sgd_momentum_update is not implemented yet")
