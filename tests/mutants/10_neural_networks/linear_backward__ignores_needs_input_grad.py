"""Always computes all three gradients, ignoring needs_input_grad."""


def linear_backward(grad, x, weight, needs_input_grad=(True, True, True)):
    rows = grad.reshape(-1, grad.shape[-1])
    return grad @ weight, rows.T @ x.reshape(-1, x.shape[-1]), rows.sum(axis=0)
