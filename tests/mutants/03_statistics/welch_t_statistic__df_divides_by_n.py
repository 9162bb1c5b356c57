"""The Welch–Satterthwaite denominator divides by n instead of n - 1: df comes out too large."""

import numpy as np

from minml import backend


def welch_t_statistic(a, b):
    xp = backend.namespace(a, b)
    n1, n2 = a.shape[-1], b.shape[-1]
    v1 = a.var(axis=-1, ddof=1) / n1
    v2 = b.var(axis=-1, ddof=1) / n2
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (a.mean(axis=-1) - b.mean(axis=-1)) / xp.sqrt(v1 + v2)
        df = (v1 + v2) ** 2 / (v1**2 / n1 + v2**2 / n2)
    return t, df
