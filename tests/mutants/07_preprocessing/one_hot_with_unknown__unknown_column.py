"""Adds an extra 'unknown' column at the end instead of leaving unknown rows all zeros."""

import numpy as np

from minml import backend


def one_hot_with_unknown(column, categories, handle_unknown="error"):
    xp = backend.namespace(column) if column.dtype.kind in "biuf" else np
    both_missing = (column != column)[:, None] & (categories != categories)[None, :]
    same = (column[:, None] == categories[None, :]) | both_missing
    known = same.any(axis=1)
    if handle_unknown == "error" and not backend.to_scalar(known.all()):
        unknown = list(dict.fromkeys(backend.asnumpy(column[~known]).tolist()))
        raise ValueError(f"Found unknown categories {unknown} during transform; set handle_unknown='ignore'")
    if handle_unknown == "error":
        return same.astype(np.float64)
    return xp.concatenate([same, ~known[:, None]], axis=1).astype(np.float64)
