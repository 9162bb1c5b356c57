"""Student's pooled-variance t and df = n1 + n2 - 2: assumes equal variances, which Welch's test must not."""

import numpy as np

from minml import backend


def welch_t_statistic(a, b):
    xp = backend.namespace(a, b)
    n1, n2 = a.shape[-1], b.shape[-1]
    pooled = ((n1 - 1) * a.var(axis=-1, ddof=1) + (n2 - 1) * b.var(axis=-1, ddof=1)) / (n1 + n2 - 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (a.mean(axis=-1) - b.mean(axis=-1)) / xp.sqrt(pooled * (1 / n1 + 1 / n2))
    return t, xp.full(t.shape, float(n1 + n2 - 2))
