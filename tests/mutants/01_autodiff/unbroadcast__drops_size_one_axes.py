"""Sums the stretched size-1 axes without keeping them: the result loses those axes (and later axes shift)."""


def unbroadcast(grad, shape):
    leading = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(leading)))
    for axis, size in enumerate(shape):
        if size == 1 and axis < grad.ndim and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis)
    return grad
