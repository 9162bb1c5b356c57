"""Takes the number of columns from labels.max() + 1 instead of n_classes."""

from minml import backend


def one_hot(labels, n_classes: int, dtype: str = "float64"):
    xp = backend.namespace(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers; got dtype {labels.dtype}")
    if backend.to_scalar(((labels < 0) | (labels >= n_classes)).any()):
        raise ValueError(f"labels must be in [0, {n_classes})")
    width = backend.to_scalar(labels.max()) + 1 if labels.size else n_classes
    return (labels[..., None] == xp.arange(width)).astype(dtype)
