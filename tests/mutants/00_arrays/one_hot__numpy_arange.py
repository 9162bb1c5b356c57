"""Builds the class numbers with np.arange: a host array mixed with device labels on a GPU."""

import numpy as np

from minml import backend


def one_hot(labels, n_classes: int, dtype: str = "float64"):
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers; got dtype {labels.dtype}")
    if backend.to_scalar(((labels < 0) | (labels >= n_classes)).any()):
        raise ValueError(f"labels must be in [0, {n_classes})")
    return (labels[..., None] == np.arange(n_classes)).astype(dtype)
