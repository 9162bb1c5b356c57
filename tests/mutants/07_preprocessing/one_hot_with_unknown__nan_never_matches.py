"""Compares with == only: NaN is not equal to itself, so a missing value never finds its own category."""

import numpy as np

from minml import backend


def one_hot_with_unknown(column, categories, handle_unknown="error"):
    same = column[:, None] == categories[None, :]
    if handle_unknown == "error":
        known = same.any(axis=1)
        if not backend.to_scalar(known.all()):
            unknown = list(dict.fromkeys(backend.asnumpy(column[~known]).tolist()))
            raise ValueError(f"Found unknown categories {unknown} during transform; set handle_unknown='ignore'")
    return same.astype(np.float64)
