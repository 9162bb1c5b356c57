"""Exercise 07.one_hot_with_unknown: One-hot encode one column of a table, given its known ``categories``.

Generated from minml/preprocessing/encoding.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def one_hot_with_unknown(column, categories, handle_unknown: str = "error"):
    """One-hot encode one column of a table, given its known ``categories``.

    ``column`` has shape (n_samples,) and ``categories`` shape (n_categories,), distinct
    values of the same kind (numbers, or strings in object arrays). Return the float64
    table Y of shape (n_samples, n_categories) with

        Y[i, c] = 1 if column[i] == categories[c] else 0

    built without Python loops: compare ``column[:, None]`` with ``categories[None, :]``.
    A missing value is a category too, but NaN == NaN is False: NaN is the one value not
    equal to itself, so also count column[i] and categories[c] as equal where both
    ``x != x``. A row that matches no category holds an *unknown* value. With
    ``handle_unknown="ignore"`` leave it all zeros; with ``"error"`` raise ValueError
    "Found unknown categories [...] during transform" listing the distinct unknown values
    (``minml.backend.asnumpy`` brings them to the host to print) and suggesting
    handle_unknown='ignore'; ``minml.backend.to_scalar(mask.all())`` turns the device's
    answer into a Python bool. Comparisons, ``.any`` and ``.astype`` work the same on
    every device, so no ``xp`` function is needed.
    """
    raise NotImplementedError("one_hot_with_unknown is not implemented yet")
