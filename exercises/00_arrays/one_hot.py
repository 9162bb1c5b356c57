"""Exercise 00.one_hot: One-hot encode integer class labels: row i is all 0 but a 1 in column ``labels[i]``.

Generated from minml/preprocessing/encoding.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def one_hot(labels, n_classes: int, dtype: str = "float64"):
    """One-hot encode integer class labels: row i is all 0 but a 1 in column ``labels[i]``.

        Y[i, k] = 1 if labels[i] == k else 0,    for k = 0, 1, ..., n_classes - 1

    ``labels`` holds integers in [0, n_classes) and may have any shape; the result has shape
    ``labels.shape + (n_classes,)`` and the given ``dtype``. No Python loops: compare the
    labels, given a new last axis (``labels[..., None]``), with ``xp.arange(n_classes)`` and
    let broadcasting build the table. Compute with ``xp = minml.backend.namespace(labels)``.
    Raise ``TypeError`` if the labels are not integers, and ``ValueError`` saying so if any
    label lies outside [0, n_classes) (as an index, -1 would silently mean the last class);
    ``minml.backend.to_scalar(mask.any())`` turns the device's answer into a Python bool.
    """
    raise NotImplementedError("one_hot is not implemented yet")
