"""Exercise 04.adam_update: One Adam step on one parameter: change ``param``, ``exp_avg`` and ``exp_avg_sq`` in place.

Generated from minml/optim/adam.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


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
    raise NotImplementedError("adam_update is not implemented yet")
