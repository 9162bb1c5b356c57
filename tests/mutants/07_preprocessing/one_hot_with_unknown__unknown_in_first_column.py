"""Encodes each value by the argmax of its matches: an unknown value (no match, argmax 0) lands in the first column."""

import numpy as np

from minml import backend


def one_hot_with_unknown(column, categories, handle_unknown="error"):
    both_missing = (column != column)[:, None] & (categories != categories)[None, :]
    same = (column[:, None] == categories[None, :]) | both_missing
    if handle_unknown == "error" and not backend.to_scalar(same.any(axis=1).all()):
        raise ValueError("Found unknown categories during transform; set handle_unknown='ignore'")
    index = same.argmax(axis=1)
    xp = backend.namespace(index)
    return (index[:, None] == xp.arange(len(categories))[None, :]).astype(np.float64)
