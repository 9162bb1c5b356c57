"""Keeps grad itself as the first buffer, so later in-place buffer updates overwrite the parameter's .grad."""


def sgd_momentum_update(param, grad, buffer, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    if weight_decay:
        grad = grad + weight_decay * param
    if momentum:
        if buffer is None:
            buffer = grad
        else:
            buffer *= momentum
            buffer += (1 - dampening) * grad
        grad = grad + momentum * buffer if nesterov else buffer
    param -= lr * grad
    return buffer if momentum else None
