"""Off by one: treats labels as 1-based, comparing them with 1, ..., n_classes."""

from minml import backend


def one_hot(labels, n_classes: int, dtype: str = "float64"):
    xp = backend.namespace(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers; got dtype {labels.dtype}")
    if backend.to_scalar(((labels < 0) | (labels >= n_classes)).any()):
        raise ValueError(f"labels must be in [0, {n_classes})")
    return (labels[..., None] == xp.arange(1, n_classes + 1)).astype(dtype)
