"""Exercise 06.stratified_kfold_test_folds: Each sample's test fold in stratified k-fold (without shuffling).

Generated from minml/model_selection/split.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def stratified_kfold_test_folds(y, n_splits):
    """Each sample's test fold in stratified k-fold (without shuffling).

    Stratified k-fold keeps each class's share of the samples the same in every
    fold. It deals the samples out like cards, class by class:

    1. Encode the classes by order of first appearance in ``y`` (the first label
       seen is class 0, the next new one class 1, ...).
    2. Sort the codes, and deal the sorted list round-robin to the folds:
       sorted position p goes to fold p mod n_splits. Count what each fold got
       of each class: ``allocation[k, f]`` samples of class k in fold f.
    3. Give class k's samples, in their order in ``y``, to the folds in blocks:
       the first ``allocation[k, 0]`` to fold 0, the next ``allocation[k, 1]``
       to fold 1, and so on. (Blocks keep neighbouring samples together.)

    Args:
        y: class labels, shape (n_samples,), on any device.
        n_splits: the number of folds k, at least 2.

    Returns:
        An int array of shape (n_samples,) on y's device: sample i is in the test
        set of fold ``result[i]``. These are exactly scikit-learn's
        ``StratifiedKFold(n_splits, shuffle=False)`` folds.

    Raises:
        ValueError: "n_splits=5 cannot be greater than the number of members in
            each class." when every class has fewer than n_splits samples. (When
            only some classes are that small, a UserWarning says so: those
            classes will be missing from some test folds.)

    Use ``xp = backend.namespace(y)``, ``xp.unique(..., return_index=True,
    return_inverse=True)``, ``backend.argsort`` (stable), ``backend.bincount``
    and ``xp.cumsum``; turn device values into Python numbers only with
    ``backend.to_scalar``.
    """
    raise NotImplementedError("stratified_kfold_test_folds is not implemented yet")
