"""Nesterov's lookahead with the buffer of the previous step instead of the updated one."""


def sgd_momentum_update(param, grad, buffer, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    if weight_decay:
        grad = grad + weight_decay * param
    if not momentum:
        param -= lr * grad
        return None
    previous = grad * 0 if buffer is None else buffer.copy()
    buffer = grad.copy() if buffer is None else momentum * buffer + (1 - dampening) * grad
    direction = grad + momentum * previous if nesterov else buffer
    param -= lr * direction
    return buffer
