"""Divides by std even where it is 0: constant columns become NaN."""


def standardize(X, axis: int | tuple[int, ...] | None = 0, ddof: int = 0):
    mean = X.mean(axis=axis, keepdims=True)
    if mean.size and X.size // mean.size <= ddof:
        raise ValueError(f"ddof={ddof} needs more than {ddof} values along axis {axis}")
    std = X.std(axis=axis, ddof=ddof, keepdims=True)
    return (X - mean) / std
