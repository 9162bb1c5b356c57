"""Numbers the classes by sorted label instead of by first appearance in y."""

import warnings

from minml import backend


def stratified_kfold_test_folds(y, n_splits):
    xp = backend.namespace(y)
    n_samples = y.shape[0]
    _, first_seen, inverse = xp.unique(y, return_index=True, return_inverse=True)
    _, class_of_first_seen = xp.unique(first_seen, return_inverse=True)
    codes = inverse.reshape(-1)  # class 0 = the smallest label
    n_classes = first_seen.shape[0]
    counts = backend.bincount(codes, minlength=n_classes)
    if backend.to_scalar((counts < n_splits).all()):
        raise ValueError(f"n_splits={n_splits} cannot be greater than the number of members in each class.")
    smallest = backend.to_scalar(counts.min())
    if smallest < n_splits:
        warnings.warn(
            f"The least populated class in y has only {smallest} members, which is less than n_splits={n_splits}.",
            UserWarning,
            stacklevel=2,
        )
    order = backend.argsort(codes)  # stable: within a class, samples keep their order in y
    sorted_codes = codes[order]
    dealt_to = xp.arange(n_samples) % n_splits  # sorted position p is dealt to fold p mod k
    allocation = backend.bincount(sorted_codes * n_splits + dealt_to, minlength=n_classes * n_splits)
    block_ends = xp.cumsum(allocation.reshape(n_classes, n_splits), axis=1)  # class k's fold f ends here
    class_starts = xp.cumsum(counts) - counts
    rank_in_class = xp.arange(n_samples) - class_starts[sorted_codes]
    fold_of_sorted = (block_ends[sorted_codes] <= rank_in_class[:, None]).sum(axis=1)
    test_folds = xp.empty(n_samples, dtype=xp.int64)
    test_folds[order] = fold_of_sorted
    return test_folds
