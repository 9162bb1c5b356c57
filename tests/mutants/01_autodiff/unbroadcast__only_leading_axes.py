"""Sums only the leading axes the input lacks, forgetting the stretched size-1 axes."""


def unbroadcast(grad, shape):
    leading = grad.ndim - len(shape)
    if leading:
        grad = grad.sum(axis=tuple(range(leading)))
    return grad.reshape(shape)
