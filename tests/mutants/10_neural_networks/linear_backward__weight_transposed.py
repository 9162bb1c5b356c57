"""Computes dL/dW as xᵀ g (shape (in, out)) instead of gᵀ x (shape (out, in))."""


def linear_backward(grad, x, weight, needs_input_grad=(True, True, True)):
    need_x, need_weight, need_bias = needs_input_grad
    rows = grad.reshape(-1, grad.shape[-1])
    grad_x = grad @ weight if need_x else None
    grad_weight = x.reshape(-1, x.shape[-1]).T @ rows if need_weight else None
    grad_bias = rows.sum(axis=0) if need_bias else None
    return grad_x, grad_weight, grad_bias
