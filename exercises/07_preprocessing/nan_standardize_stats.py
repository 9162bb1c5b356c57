"""Exercise 07.nan_standardize_stats: Each column's mean, variance and scale (standard deviation), skipping NaN.

Generated from minml/preprocessing/scaling.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def nan_standardize_stats(X, sample_weight=None):
    """Each column's mean, variance and scale (standard deviation), skipping NaN.

    These are what a StandardScaler learns in ``fit``. ``X`` has shape (n_samples,
    n_features) and may hold NaN; ``sample_weight`` is None (every weight 1) or an
    array of shape (n_samples,). For column j, with the sums taken over the rows i
    where X[i, j] is not NaN:

        n_j    = Σ w_i
        mean_j = Σ w_i · X[i, j] / n_j
        var_j  = Σ w_i · (X[i, j] − mean_j)² / n_j
        scale_j = √var_j,  or 1 where column j is constant

    Return ``(mean, var, scale)``, three arrays of shape (n_features,). Replace NaN
    by 0 with ``xp.where(xp.isnan(X), 0, X)`` and give those entries weight 0, so
    that plain sums skip them. A constant column has var 0 in exact arithmetic, but
    rounding leaves a tiny positive variance (the mean of three 0.1 is not 0.1):
    call the column constant when var_j ≤ n_j·ε·var_j + (n_j·mean_j·ε)², with ε the
    float64 machine epsilon (the rounding-error bound of this two-pass variance), and
    give it scale 1 so that dividing by it gives 0, not NaN. A column with no values
    at all gets NaN for all three. Compute with ``xp = minml.backend.namespace(X)``.
    """
    raise NotImplementedError("nan_standardize_stats is not implemented yet")
