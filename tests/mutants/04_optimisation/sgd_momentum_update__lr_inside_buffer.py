"""Puts the learning rate inside the momentum buffer (b = μb + lr·g): wrong as soon as lr changes."""


def sgd_momentum_update(param, grad, buffer, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    if weight_decay:
        grad = grad + weight_decay * param
    if not momentum:
        param -= lr * grad
        return None
    if buffer is None:
        buffer = lr * grad
    else:
        buffer = momentum * buffer + (1 - dampening) * lr * grad
    param -= lr * grad + momentum * buffer if nesterov else buffer
    return buffer
