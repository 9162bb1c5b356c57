"""Splitting data into training and test sets: holdout, k-fold and their stratified, grouped and ordered kinds.

A model's error on the data it was fitted on is optimistic: it has seen the
answers. An honest estimate needs samples the model never saw. The
splitters here decide which samples those are:

- :func:`train_test_split` — one holdout split (a test fraction, 25% by default);
- :class:`KFold` — cut the n samples into k folds of n//k or n//k + 1 samples;
  each fold is the test set once while the other k - 1 folds train the model,
  so every sample is tested exactly once;
- :class:`StratifiedKFold` — k-fold where each fold keeps the class proportions
  of y (a rare class would otherwise be missing from some folds);
- :class:`GroupKFold` — all samples of a group (a patient, a user) fall in the
  same fold, so the model is never tested on a group it trained on;
- :class:`ShuffleSplit`, :class:`StratifiedShuffleSplit` — repeated random holdouts;
- :class:`LeaveOneOut` — k-fold with k = n;
- :class:`TimeSeriesSplit` — train on the past, test on the future, never the
  other way round.

Every splitter has ``split(X, y, groups)``, which yields ``(train, test)``
pairs of row indices as host NumPy int arrays (as scikit-learn's do; they are
small, and :func:`train_test_split` moves them to the data's device before
indexing), and ``get_n_splits``. Randomness comes from ``random_state`` through
NumPy's Generator, never the global seed: one seed, one split.
"""

from __future__ import annotations

import numbers
import warnings
from math import ceil, floor

import numpy as np

from minml import backend

__all__ = [
    "GroupKFold",
    "KFold",
    "LeaveOneOut",
    "ShuffleSplit",
    "StratifiedKFold",
    "StratifiedShuffleSplit",
    "TimeSeriesSplit",
    "check_cv",
    "stratified_kfold_test_folds",
    "train_test_split",
]


# --------------------------------------------------------------------------- helpers shared by the splitters


def num_samples(data) -> int:
    """The number of rows of an array, a DataFrame or a list."""
    shape = getattr(data, "shape", None)
    if shape is not None and len(shape) > 0:
        return int(shape[0])
    if shape is not None:
        raise TypeError(f"Singleton array {data!r} cannot be considered a valid collection.")
    return len(data)


def take_rows(data, indices):
    """``data[indices]`` for the rows given by host ``indices``, on the data's own device.

    NumPy and CuPy arrays are indexed where they live (the indices move to the
    device first); DataFrames and Series by position; SciPy sparse matrices by
    row; lists item by item; None stays None (an absent y or groups).
    """
    if data is None:
        return None
    if hasattr(data, "iloc"):
        return data.iloc[backend.asnumpy(indices)]
    if hasattr(data, "tocsr"):
        return data.tocsr()[backend.asnumpy(indices)]
    if hasattr(data, "shape") and hasattr(data, "dtype"):
        return data[backend.to_device(indices, backend.device_of(data))]
    return [data[i] for i in backend.asnumpy(indices).tolist()]


def host_labels(y) -> np.ndarray:
    """Labels (or groups) as a host NumPy array: splitters decide on the host, as scikit-learn's do."""
    if hasattr(y, "shape") and hasattr(y, "dtype") and not hasattr(y, "iloc"):
        return backend.asnumpy(y)
    return np.asarray(y)


def is_class_target(y) -> bool:
    """True when ``y`` holds class labels (binary or multiclass), not continuous values."""
    labels = host_labels(y)
    if labels.ndim != 1 or labels.size == 0:
        return False
    if labels.dtype.kind == "f":
        return bool(np.all(labels == np.round(labels)))
    return labels.dtype.kind in "biuUSO"


def host_generator(random_state) -> np.random.Generator:
    """NumPy's Generator for ``random_state`` (None, an int or a Generator), on the host."""
    return backend.rng(random_state, "cpu").generator


def _check_n_splits(n_splits) -> int:
    if not isinstance(n_splits, numbers.Integral) or isinstance(n_splits, bool):
        raise ValueError(f"The number of folds must be of Integral type. {n_splits!r} of type {type(n_splits)} "
                         "was passed.")
    if n_splits <= 1:
        raise ValueError(
            "k-fold cross-validation requires at least one train/test split by setting n_splits=2 or more, "
            f"got n_splits={n_splits}."
        )
    return int(n_splits)


class BaseCrossValidator:
    """What every splitter shares: ``split`` from the test sets, ``get_n_splits``, a readable repr.

    A subclass yields the test indices of each split from ``_test_indices``; the
    training indices are the rest, in increasing order.
    """

    def split(self, X, y=None, groups=None):
        """Yield ``(train, test)`` index arrays (host NumPy ints), one pair per split."""
        n_samples = num_samples(X)
        for test in self._test_indices(X, y, groups):
            train_mask = np.ones(n_samples, dtype=bool)
            train_mask[test] = False
            yield np.flatnonzero(train_mask), np.asarray(test, dtype=np.intp)

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        """The number of ``(train, test)`` pairs ``split`` yields."""
        return self.n_splits

    def __repr__(self) -> str:
        params = ", ".join(f"{name}={value!r}" for name, value in sorted(vars(self).items()))
        return f"{type(self).__name__}({params})"


class _KFoldLike(BaseCrossValidator):
    """The k-fold splitters' shared constructor: n_splits, shuffle, random_state."""

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        self.n_splits = _check_n_splits(n_splits)
        if not isinstance(shuffle, (bool, np.bool_)):
            raise TypeError(f"shuffle must be True or False; got {shuffle!r}")
        if not shuffle and random_state is not None:
            raise ValueError(
                "Setting a random_state has no effect since shuffle is False. You should leave random_state to its "
                "default (None), or set shuffle=True."
            )
        self.shuffle = bool(shuffle)
        self.random_state = random_state

    def _check_enough_samples(self, n_samples: int) -> None:
        if self.n_splits > n_samples:
            raise ValueError(
                f"Cannot have number of splits n_splits={self.n_splits} greater than the number of samples: "
                f"n_samples={n_samples}."
            )


# --------------------------------------------------------------------------- k-fold


class KFold(_KFoldLike):
    """K folds of consecutive samples (shuffled first if ``shuffle``): each is the test set once.

    With n samples the first n mod k folds hold n//k + 1 samples, the others
    n//k, so fold sizes differ by at most one.
    """

    def _test_indices(self, X, y, groups):
        n_samples = num_samples(X)
        self._check_enough_samples(n_samples)
        order = np.arange(n_samples)
        if self.shuffle:
            order = host_generator(self.random_state).permutation(n_samples)
        sizes = np.full(self.n_splits, n_samples // self.n_splits)
        sizes[: n_samples % self.n_splits] += 1
        stops = np.cumsum(sizes)
        for start, stop in zip(stops - sizes, stops):
            yield order[start:stop]


# exercise 06.stratified_kfold_test_folds
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
    xp = backend.namespace(y)
    n_samples = y.shape[0]
    _, first_seen, inverse = xp.unique(y, return_index=True, return_inverse=True)
    _, class_of_first_seen = xp.unique(first_seen, return_inverse=True)
    codes = class_of_first_seen.reshape(-1)[inverse.reshape(-1)]  # class 0 = the first label seen in y
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
# end exercise


def _check_class_target(y, splitter: str) -> np.ndarray:
    """Host labels of a binary or multiclass ``y``: stratifying by a continuous target makes no sense."""
    if y is None:
        raise ValueError(f"{splitter} needs the class labels y to stratify by; got y=None.")
    labels = host_labels(y)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels.ravel()
    if not is_class_target(labels):
        kind = "continuous" if labels.ndim == 1 else "multilabel or multi-output"
        raise ValueError(f"Supported target types are: ('binary', 'multiclass'). Got {kind!r} instead.")
    return labels


class StratifiedKFold(_KFoldLike):
    """K-fold whose folds keep the class proportions of ``y`` (see :func:`stratified_kfold_test_folds`).

    Without shuffling the folds are exactly scikit-learn's. With ``shuffle``
    each class's fold labels are shuffled among its samples, so the folds stay
    stratified (the same seed gives the same folds; not scikit-learn's).
    """

    def _test_indices(self, X, y, groups):
        labels = _check_class_target(y, "StratifiedKFold")
        self._check_enough_samples(num_samples(X))
        if labels.dtype.kind == "O":
            labels = labels.astype(str)
        test_folds = stratified_kfold_test_folds(labels, self.n_splits)
        if self.shuffle:
            generator = host_generator(self.random_state)
            for label in np.unique(labels):
                members = np.flatnonzero(labels == label)
                test_folds[members] = generator.permutation(test_folds[members])
        for fold in range(self.n_splits):
            yield np.flatnonzero(test_folds == fold)


class GroupKFold(_KFoldLike):
    """K folds that never split a group: every sample of a group is in the same test fold.

    Without shuffling (scikit-learn's algorithm) the groups are dealt largest
    first, each to the fold holding the fewest samples so far, so the folds come
    out about the same size. With ``shuffle`` the groups are shuffled and cut
    into k nearly equal runs of groups.
    """

    def _test_indices(self, X, y, groups):
        if groups is None:
            raise ValueError("The 'groups' parameter should not be None.")
        self._check_enough_samples(num_samples(X))
        group_labels = host_labels(groups).ravel()
        unique_groups, group_index = np.unique(group_labels, return_inverse=True)
        if self.n_splits > len(unique_groups):
            raise ValueError(
                f"Cannot have number of splits n_splits={self.n_splits} greater than the number of groups: "
                f"{len(unique_groups)}."
            )
        if self.shuffle:
            shuffled = host_generator(self.random_state).permutation(len(unique_groups))
            for fold_groups in np.array_split(shuffled, self.n_splits):
                yield np.flatnonzero(np.isin(group_index, fold_groups))
            return
        group_sizes = np.bincount(group_index)
        fold_sizes = np.zeros(self.n_splits, dtype=np.int64)
        fold_of_group = np.zeros(len(unique_groups), dtype=np.int64)
        for group in np.argsort(group_sizes, kind="stable")[::-1]:  # largest group first
            lightest = int(np.argmin(fold_sizes))
            fold_sizes[lightest] += group_sizes[group]
            fold_of_group[group] = lightest
        fold_of_sample = fold_of_group[group_index]
        for fold in range(self.n_splits):
            yield np.flatnonzero(fold_of_sample == fold)


class LeaveOneOut(BaseCrossValidator):
    """n splits for n samples: each sample alone is the test set once (k-fold with k = n)."""

    def _test_indices(self, X, y, groups):
        n_samples = num_samples(X)
        if n_samples <= 1:
            raise ValueError(f"Cannot perform LeaveOneOut with n_samples={n_samples}.")
        for index in range(n_samples):
            yield np.array([index])

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        """n_samples: one split per sample."""
        if X is None:
            raise ValueError("The 'X' parameter should not be None.")
        return num_samples(X)


class TimeSeriesSplit(BaseCrossValidator):
    """Train on the past, test on what follows: growing training windows over ordered samples.

    The last ``n_splits * test_size`` samples are cut into ``n_splits`` test
    blocks (``test_size`` defaults to n_samples // (n_splits + 1)); each block's
    training set is every sample before it, minus ``gap`` samples next to the
    test block, and at most the last ``max_train_size`` of them.
    """

    def __init__(self, n_splits=5, *, max_train_size=None, test_size=None, gap=0):
        self.n_splits = _check_n_splits(n_splits)
        self.max_train_size = max_train_size
        self.test_size = test_size
        self.gap = gap

    def split(self, X, y=None, groups=None):
        """Yield ``(train, test)`` index arrays, test blocks in time order."""
        n_samples = num_samples(X)
        n_folds = self.n_splits + 1
        test_size = self.test_size if self.test_size is not None else n_samples // n_folds
        if n_folds > n_samples:
            raise ValueError(
                f"Cannot have number of folds={n_folds} greater than the number of samples={n_samples}."
            )
        if n_samples - self.gap - test_size * self.n_splits <= 0:
            raise ValueError(
                f"Too many splits={self.n_splits} for number of samples={n_samples} with test_size={test_size} "
                f"and gap={self.gap}."
            )
        indices = np.arange(n_samples)
        for test_start in range(n_samples - self.n_splits * test_size, n_samples, test_size):
            train_end = test_start - self.gap
            train_start = 0
            if self.max_train_size and self.max_train_size < train_end:
                train_start = train_end - self.max_train_size
            yield indices[train_start:train_end], indices[test_start : test_start + test_size]


# --------------------------------------------------------------------------- random holdouts


def _holdout_sizes(n_samples: int, test_size, train_size, default_test_size: float) -> tuple[int, int]:
    """``(n_train, n_test)`` from sizes given as fractions (floats in (0, 1)) or counts (ints)."""
    if test_size is None and train_size is None:
        test_size = default_test_size
    for name, size in (("test_size", test_size), ("train_size", train_size)):
        if size is None:
            continue
        if isinstance(size, bool) or not isinstance(size, (numbers.Integral, numbers.Real)):
            raise ValueError(f"Invalid value for {name}: {size!r}")
        is_count = isinstance(size, numbers.Integral)
        if (is_count and not 0 < size < n_samples) or (not is_count and not 0 < size < 1):
            raise ValueError(
                f"{name}={size} should be either positive and smaller than the number of samples {n_samples} or "
                "a float in the (0, 1) range"
            )
    fractions = [size for size in (test_size, train_size) if isinstance(size, float)]
    if len(fractions) == 2 and sum(fractions) > 1:
        raise ValueError(
            f"The sum of test_size and train_size = {sum(fractions)}, should be in the (0, 1) range. Reduce "
            "test_size and/or train_size."
        )
    n_test = None if test_size is None else (ceil(test_size * n_samples) if isinstance(test_size, float)
                                              else int(test_size))
    n_train = None if train_size is None else (floor(train_size * n_samples) if isinstance(train_size, float)
                                               else int(train_size))
    n_train = n_samples - n_test if n_train is None else n_train
    n_test = n_samples - n_train if n_test is None else n_test
    if n_train + n_test > n_samples:
        raise ValueError(
            f"The sum of train_size and test_size = {n_train + n_test}, should be smaller than the number of "
            f"samples {n_samples}. Reduce test_size and/or train_size."
        )
    if n_train == 0:
        raise ValueError(
            f"With n_samples={n_samples}, test_size={test_size} and train_size={train_size}, the resulting train "
            "set will be empty. Adjust any of the aforementioned parameters."
        )
    return n_train, n_test


class ShuffleSplit(BaseCrossValidator):
    """``n_splits`` independent random holdouts: shuffle, take ``test_size`` to test, ``train_size`` to train.

    Unlike k-fold, test sets of different splits may overlap. ``test_size``
    defaults to 0.1 of the samples; ``train_size`` to the rest.
    """

    _default_test_size = 0.1

    def __init__(self, n_splits=10, *, test_size=None, train_size=None, random_state=None):
        self.n_splits = n_splits
        self.test_size = test_size
        self.train_size = train_size
        self.random_state = random_state

    def split(self, X, y=None, groups=None):
        """Yield ``n_splits`` random ``(train, test)`` pairs."""
        n_samples = num_samples(X)
        n_train, n_test = _holdout_sizes(n_samples, self.test_size, self.train_size, self._default_test_size)
        generator = host_generator(self.random_state)
        for _ in range(self.n_splits):
            permutation = generator.permutation(n_samples)
            yield permutation[n_test : n_test + n_train], permutation[:n_test]


def _apportion(class_counts: np.ndarray, n_draws: int, generator: np.random.Generator) -> np.ndarray:
    """How many of ``n_draws`` to take from each class: proportional, rounded by largest remainder.

    Each class gets floor(n_draws · share); the draws left over go to the
    classes with the largest fractional parts (ties broken at random).
    """
    exact = class_counts / class_counts.sum() * n_draws
    taken = np.floor(exact).astype(np.int64)
    left = n_draws - int(taken.sum())
    tie_breaker = generator.random(len(class_counts))
    by_remainder = np.lexsort((tie_breaker, -(exact - taken)))
    taken[by_remainder[:left]] += 1
    return taken


class StratifiedShuffleSplit(ShuffleSplit):
    """Random holdouts that keep the class proportions of ``y`` in both the training and the test set."""

    def split(self, X, y, groups=None):
        """Yield ``n_splits`` random stratified ``(train, test)`` pairs."""
        labels = _check_class_target(y, "StratifiedShuffleSplit")
        n_train, n_test = _holdout_sizes(num_samples(X), self.test_size, self.train_size, self._default_test_size)
        classes, codes, class_counts = np.unique(labels.astype(str) if labels.dtype.kind == "O" else labels,
                                                 return_inverse=True, return_counts=True)
        if class_counts.min() < 2:
            raise ValueError(
                "The least populated classes in y have only 1 member, which is too few. The minimum number of "
                f"groups for any class cannot be less than 2. Classes with too few members are: "
                f"{classes[class_counts < 2].tolist()}"
            )
        for name, size in (("train_size", n_train), ("test_size", n_test)):
            if size < len(classes):
                raise ValueError(
                    f"The {name} = {size} should be greater or equal to the number of classes = {len(classes)}"
                )
        members = [np.flatnonzero(codes == k) for k in range(len(classes))]
        generator = host_generator(self.random_state)
        for _ in range(self.n_splits):
            train_counts = _apportion(class_counts, n_train, generator)
            test_counts = _apportion(class_counts - train_counts, n_test, generator)
            train, test = [], []
            for class_members, n_class_train, n_class_test in zip(members, train_counts, test_counts):
                shuffled = generator.permutation(class_members)
                train.append(shuffled[:n_class_train])
                test.append(shuffled[n_class_train : n_class_train + n_class_test])
            yield generator.permutation(np.concatenate(train)), generator.permutation(np.concatenate(test))


def train_test_split(*arrays, test_size=None, train_size=None, random_state=None, shuffle=True, stratify=None):
    """Split each array into a training part and a test part: ``[a_train, a_test, b_train, b_test, ...]``.

    ``test_size`` (default 0.25 when neither size is given) and ``train_size``
    are fractions in (0, 1) or sample counts. With ``shuffle`` the rows are
    drawn at random (seeded by ``random_state``); with ``stratify=y`` the class
    proportions of y are kept in both parts. Arrays are indexed on their own
    device (NumPy stays NumPy, CuPy stays CuPy).
    """
    if not arrays:
        raise ValueError("At least one array required as input")
    lengths = [num_samples(array) for array in arrays if array is not None]
    if len(set(lengths)) > 1:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: {lengths}")
    n_train, n_test = _holdout_sizes(lengths[0], test_size, train_size, default_test_size=0.25)
    if not shuffle:
        if stratify is not None:
            raise ValueError("Stratified train/test split is not implemented for shuffle=False")
        train, test = np.arange(n_train), np.arange(n_train, n_train + n_test)
    else:
        splitter = (StratifiedShuffleSplit if stratify is not None else ShuffleSplit)(
            n_splits=1, test_size=n_test, train_size=n_train, random_state=random_state
        )
        train, test = next(splitter.split(arrays[0], stratify))
    return [part for array in arrays for part in (take_rows(array, train), take_rows(array, test))]


# --------------------------------------------------------------------------- choosing a splitter


class _PrecomputedSplits(BaseCrossValidator):
    """A list of ``(train, test)`` index pairs given by the user, wearing the splitter interface."""

    def __init__(self, splits):
        self.splits = [(np.asarray(train), np.asarray(test)) for train, test in splits]
        self.n_splits = len(self.splits)

    def split(self, X=None, y=None, groups=None):
        """Yield the stored pairs."""
        yield from self.splits


def check_cv(cv=5, y=None, *, classifier=False, shuffle=False, random_state=None):
    """The splitter meant by ``cv``: an int k gives k folds, a splitter or an iterable of splits is used as is.

    An int (or None, meaning 5) gives :class:`StratifiedKFold` when the model
    is a classifier and ``y`` holds class labels, :class:`KFold` otherwise, as in
    scikit-learn (``shuffle`` and ``random_state`` go to that splitter).
    """
    cv = 5 if cv is None else cv
    if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
        kind = StratifiedKFold if classifier and y is not None and is_class_target(y) else KFold
        return kind(cv, shuffle=shuffle, random_state=random_state)
    if hasattr(cv, "split") and hasattr(cv, "get_n_splits"):
        return cv
    if hasattr(cv, "__iter__") and not isinstance(cv, str):
        return _PrecomputedSplits(cv)
    raise ValueError(
        "Expected cv as an integer, cross-validation object (from minml.model_selection) or an iterable. Got "
        f"{cv!r}."
    )
