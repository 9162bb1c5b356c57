"""Exercise 07.iqr_bounds: Tukey's fences for each column of ``X``, skipping NaN: ``(lower, upper)``.

Generated from minml/preprocessing/outliers.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def iqr_bounds(X, factor: float = 1.5):
    """Tukey's fences for each column of ``X``, skipping NaN: ``(lower, upper)``.

        IQR_j   = Q3_j − Q1_j
        lower_j = Q1_j − factor · IQR_j
        upper_j = Q3_j + factor · IQR_j

    where Q1_j and Q3_j are the 0.25- and 0.75-quantiles of the non-missing values of
    column j (linear interpolation, NumPy's default). ``X`` has shape (n_samples,
    n_features); return two arrays of shape (n_features,) on X's device. Use
    ``minml.preprocessing.nan_quantile(X, q)`` (it works on every device; on the CPU it
    equals ``np.nanquantile(X, q, axis=0)``). Raise ``ValueError`` if ``factor`` is
    negative: the fences would cross.
    """
    raise NotImplementedError("iqr_bounds is not implemented yet")
