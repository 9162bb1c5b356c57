"""Takes the quartiles as the sorted values at index ⌊n·q⌋ (a nearest-rank rule) instead of interpolating linearly."""

import numpy as np

from minml import backend


def iqr_bounds(X, factor=1.5):
    if factor < 0:
        raise ValueError(f"factor must be ≥ 0; got {factor!r}")
    xp = backend.namespace(X)
    ordered = xp.sort(X, axis=0)  # NaN sorts last
    counts = (~xp.isnan(X)).sum(axis=0)

    def quartile(q):
        rows = xp.minimum(xp.floor(counts * q).astype(np.int64), counts - 1)
        return xp.take_along_axis(ordered, rows[None, :], axis=0)[0]

    q1, q3 = quartile(0.25), quartile(0.75)
    iqr = q3 - q1
    return q1 - factor * iqr, q3 + factor * iqr
