"""Exercise 00.standardize: Shift and scale ``X`` to mean 0 and standard deviation 1 along ``axis``.

Generated from minml/preprocessing/scaling.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def standardize(X, axis: int | tuple[int, ...] | None = 0, ddof: int = 0):
    """Shift and scale ``X`` to mean 0 and standard deviation 1 along ``axis``.

    With n the number of values along ``axis`` (an int, a tuple of ints, or None for all):

        z = (x - mean) / std,   mean = sum(x) / n,   std = sqrt(sum((x - mean)**2) / (n - ddof))

    ``axis=0`` standardizes each column (feature) of a data matrix. ``ddof=0`` divides by n
    (NumPy's default), ``ddof=1`` by n - 1 (the sample standard deviation). The mean and
    std must broadcast back against X whatever the axis: reduce with ``keepdims=True``.
    Where all values along ``axis`` are equal, std is 0 (or, after rounding, barely above 0:
    the mean of three 0.1s is not exactly 0.1), so detect that with max == min and divide
    by 1 there: those entries become 0, not NaN. Compute with
    ``xp = minml.backend.namespace(X)``. Raise ``ValueError`` if n <= ddof.
    """
    raise NotImplementedError("standardize is not implemented yet")
