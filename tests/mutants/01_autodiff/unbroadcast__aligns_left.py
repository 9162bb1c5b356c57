"""Aligns the input's axes with grad's from the left instead of the right."""


def unbroadcast(grad, shape):
    if grad.shape == shape:
        return grad
    leading = grad.ndim - len(shape)
    stretched = tuple(i for i, size in enumerate(shape) if size == 1 and grad.shape[i] != 1)
    axes = tuple(sorted(set(range(grad.ndim - leading, grad.ndim)) | set(stretched)))
    return grad.sum(axis=axes).reshape(shape)
