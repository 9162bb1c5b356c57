"""Does not clip at 0, so rounding leaves tiny negative squared distances."""


def pairwise_sq_distances(X, Y):
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1]:
        raise ValueError(f"X and Y must be 2-D with the same number of columns; got {X.shape} and {Y.shape}")
    D = (X * X).sum(axis=1)[:, None] + (Y * Y).sum(axis=1)[None, :] - 2 * (X @ Y.T)
    return D
