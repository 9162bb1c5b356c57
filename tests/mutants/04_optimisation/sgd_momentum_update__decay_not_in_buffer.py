"""Applies weight decay straight to the parameter, outside the momentum buffer (not SGD's L2 penalty)."""


def sgd_momentum_update(param, grad, buffer, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    if momentum:
        buffer = grad.copy() if buffer is None else momentum * buffer + (1 - dampening) * grad
        direction = grad + momentum * buffer if nesterov else buffer
    else:
        direction = grad
    param -= lr * (direction + weight_decay * param)
    return buffer if momentum else None
