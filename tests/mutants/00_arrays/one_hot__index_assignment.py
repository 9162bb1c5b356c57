"""Fills a (len(labels), n_classes) table by index assignment: right for 1-D labels only."""

from minml import backend


def one_hot(labels, n_classes: int, dtype: str = "float64"):
    xp = backend.namespace(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers; got dtype {labels.dtype}")
    if backend.to_scalar(((labels < 0) | (labels >= n_classes)).any()):
        raise ValueError(f"labels must be in [0, {n_classes})")
    table = xp.zeros((len(labels), n_classes), dtype=dtype)
    table[xp.arange(len(labels)), labels] = 1
    return table
