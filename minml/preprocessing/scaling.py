"""Putting features on a common scale: standardization (z-scores).

A feature measured in metres and one measured in millimetres should weigh the same in
a distance or a gradient step. Standardizing subtracts each feature's mean and divides
by its standard deviation; scikit-learn's ``StandardScaler`` stores those two
statistics so the same shift and scale can be applied to new data.
"""

from __future__ import annotations

from minml import backend

__all__ = ["standardize"]


# exercise 00.standardize
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
    xp = backend.namespace(X)
    mean = X.mean(axis=axis, keepdims=True)
    if mean.size and X.size // mean.size <= ddof:
        raise ValueError(
            f"ddof={ddof} needs more than {ddof} value(s) along axis {axis}; X has shape {X.shape}"
        )
    std = X.std(axis=axis, ddof=ddof, keepdims=True)
    constant = X.max(axis=axis, keepdims=True) == X.min(axis=axis, keepdims=True)
    return (X - mean) / xp.where(constant, 1, std)
# end exercise
