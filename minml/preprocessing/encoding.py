"""Turning categories into numbers a model can multiply: one-hot encoding.

Class ``k`` of ``K`` becomes the k-th standard basis vector of length K, so no class
is "bigger" than another. Softmax regression, cross-entropy targets and
scikit-learn's ``OneHotEncoder`` all use this table.
"""

from __future__ import annotations

from minml import backend

__all__ = ["one_hot"]


# exercise 00.one_hot
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
    xp = backend.namespace(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers; got dtype {labels.dtype}")
    if backend.to_scalar(((labels < 0) | (labels >= n_classes)).any()):
        low, high = backend.to_scalar(labels.min()), backend.to_scalar(labels.max())
        raise ValueError(
            f"labels must be in the range [0, n_classes) = [0, {n_classes}); got labels from {low} to {high}"
        )
    return (labels[..., None] == xp.arange(n_classes)).astype(dtype)
# end exercise
