"""Starts the buffer at zeros, so the first step is dampened too: b = (1 - dampening)·g."""


def sgd_momentum_update(param, grad, buffer, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    if weight_decay:
        grad = grad + weight_decay * param
    if momentum:
        buffer = (1 - dampening) * grad if buffer is None else momentum * buffer + (1 - dampening) * grad
        grad = grad + momentum * buffer if nesterov else buffer
    param -= lr * grad
    return buffer if momentum else None
