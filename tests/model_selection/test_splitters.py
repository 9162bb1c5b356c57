"""Splitters (minml.model_selection.split): scikit-learn's folds where its algorithm is deterministic,
partition and stratification properties where it is random, and the errors."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minml import backend
from minml.model_selection import (
    GroupKFold,
    KFold,
    LeaveOneOut,
    ShuffleSplit,
    StratifiedKFold,
    StratifiedShuffleSplit,
    TimeSeriesSplit,
    check_cv,
    stratified_kfold_test_folds,
    train_test_split,
)


def folds(splitter, X, y=None, groups=None):
    return [(train.tolist(), test.tolist()) for train, test in splitter.split(X, y, groups)]


def outcome(splitter, X, y=None, groups=None):
    """The folds, or the error's type and message: scikit-learn and minml must agree on both."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            return folds(splitter, X, y, groups)
        except ValueError as error:
            return ("ValueError", str(error))


labels = st.lists(st.integers(0, 3), min_size=2, max_size=40)


@given(y=labels, n_splits=st.integers(2, 6))
def test_stratified_kfold_equals_scikit_learn(y, n_splits):
    sklearn_split = pytest.importorskip("sklearn.model_selection")
    X, y = np.zeros((len(y), 1)), np.array(y)
    assert outcome(StratifiedKFold(n_splits), X, y) == outcome(sklearn_split.StratifiedKFold(n_splits), X, y)


@given(y=labels, n_splits=st.integers(2, 6))
def test_stratified_kfold_equals_scikit_learn_for_string_labels_in_any_order(y, n_splits):
    sklearn_split = pytest.importorskip("sklearn.model_selection")
    names = np.array(["dog", "cat", "emu", "ant"])[np.array(y)]
    X = np.zeros((len(y), 1))
    assert outcome(StratifiedKFold(n_splits), X, names) == outcome(sklearn_split.StratifiedKFold(n_splits), X, names)


@given(n_samples=st.integers(1, 30), n_splits=st.integers(2, 7))
def test_kfold_and_leave_one_out_equal_scikit_learn(n_samples, n_splits):
    sklearn_split = pytest.importorskip("sklearn.model_selection")
    X = np.zeros((n_samples, 2))
    assert outcome(KFold(n_splits), X) == outcome(sklearn_split.KFold(n_splits), X)
    assert outcome(LeaveOneOut(), X) == outcome(sklearn_split.LeaveOneOut(), X)


@given(groups=st.lists(st.integers(0, 9), min_size=2, max_size=40), n_splits=st.integers(2, 5))
def test_group_kfold_equals_scikit_learn(groups, n_splits):
    sklearn_split = pytest.importorskip("sklearn.model_selection")
    X = np.zeros((len(groups), 1))
    expected = outcome(sklearn_split.GroupKFold(n_splits), X, None, groups)
    assert outcome(GroupKFold(n_splits), X, None, groups) == expected


@given(
    n_samples=st.integers(2, 40),
    n_splits=st.integers(2, 6),
    max_train_size=st.none() | st.integers(1, 10),
    test_size=st.none() | st.integers(1, 6),
    gap=st.integers(0, 3),
)
def test_time_series_split_equals_scikit_learn(n_samples, n_splits, max_train_size, test_size, gap):
    sklearn_split = pytest.importorskip("sklearn.model_selection")
    X = np.zeros((n_samples, 1))
    params = {"max_train_size": max_train_size, "test_size": test_size, "gap": gap}
    assert outcome(TimeSeriesSplit(n_splits, **params), X) == outcome(
        sklearn_split.TimeSeriesSplit(n_splits, **params), X
    )


def test_time_series_split_never_trains_on_the_future():
    for train, test in TimeSeriesSplit(3, gap=2).split(np.zeros((20, 1))):
        assert train.max() + 2 < test.min()


def test_stratified_kfold_test_folds_on_every_device(device):
    sklearn_split = pytest.importorskip("sklearn.model_selection")
    y = np.array([2, 0, 0, 1, 2, 2, 0, 1, 1, 2, 0, 0, 2, 1, 2, 0, 1])
    test_folds = stratified_kfold_test_folds(backend.to_device(y, device), 3)
    assert backend.device_of(test_folds) == backend.device_of(backend.to_device(y, device))
    expected = np.empty(len(y), dtype=int)
    for fold, (_, test) in enumerate(sklearn_split.StratifiedKFold(3).split(np.zeros((len(y), 1)), y)):
        expected[test] = fold
    assert backend.asnumpy(test_folds).tolist() == expected.tolist()


@settings(max_examples=15)
@given(y=st.lists(st.integers(0, 2), min_size=12, max_size=50), n_splits=st.integers(2, 4), seed=st.integers(0, 99))
def test_stratified_folds_partition_the_data_and_keep_class_shares(y, n_splits, seed):
    y = np.array(y)
    X = np.zeros((len(y), 1))
    for shuffle, random_state in ((False, None), (True, seed)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            try:
                splits = list(StratifiedKFold(n_splits, shuffle=shuffle, random_state=random_state).split(X, y))
            except ValueError as error:  # every class is smaller than n_splits
                assert "cannot be greater than the number of members in each class" in str(error)
                assert (np.bincount(y)[np.bincount(y) > 0] < n_splits).all()
                return
        tests = np.concatenate([test for _, test in splits])
        assert sorted(tests.tolist()) == list(range(len(y)))
        for train, test in splits:
            assert set(train.tolist()).isdisjoint(test.tolist())
            assert len(train) + len(test) == len(y)
        for label in np.unique(y):
            per_fold = [np.count_nonzero(y[test] == label) for _, test in splits]
            assert max(per_fold) - min(per_fold) <= 1


@settings(max_examples=15)
@given(n_samples=st.integers(5, 40), n_splits=st.integers(2, 5), seed=st.integers(0, 99))
def test_shuffled_kfold_partitions_and_is_reproducible(n_samples, n_splits, seed):
    X = np.zeros((n_samples, 1))
    first = folds(KFold(n_splits, shuffle=True, random_state=seed), X)
    assert first == folds(KFold(n_splits, shuffle=True, random_state=seed), X)
    assert sorted(i for _, test in first for i in test) == list(range(n_samples))
    sizes = [len(test) for _, test in first]
    assert max(sizes) - min(sizes) <= 1


def test_different_seeds_give_different_shuffles():
    X = np.zeros((30, 1))
    y = np.arange(30) % 3
    for splitter in (KFold, StratifiedKFold):
        assert folds(splitter(3, shuffle=True, random_state=0), X, y) != folds(
            splitter(3, shuffle=True, random_state=1), X, y
        )
    assert folds(ShuffleSplit(2, random_state=0), X) != folds(ShuffleSplit(2, random_state=1), X)


@settings(max_examples=15)
@given(groups=st.lists(st.integers(0, 7), min_size=4, max_size=40), seed=st.integers(0, 99))
def test_group_kfold_never_splits_a_group(groups, seed):
    groups = np.array(groups)
    n_splits = min(3, len(np.unique(groups)))
    if n_splits < 2:
        return
    X = np.zeros((len(groups), 1))
    for splitter in (GroupKFold(n_splits), GroupKFold(n_splits, shuffle=True, random_state=seed)):
        tests = []
        for train, test in splitter.split(X, groups=groups):
            assert set(groups[train].tolist()).isdisjoint(groups[test].tolist())
            tests.extend(test.tolist())
        assert sorted(tests) == list(range(len(groups)))


@pytest.mark.parametrize("kwargs", [{}, {"test_size": 0.3}, {"test_size": 5, "train_size": 10}, {"train_size": 0.5}])
def test_shuffle_split_sizes_equal_scikit_learn_and_sets_are_disjoint(kwargs):
    sklearn_split = pytest.importorskip("sklearn.model_selection")
    X = np.zeros((23, 1))
    for ours, theirs in zip(ShuffleSplit(3, random_state=0, **kwargs).split(X),
                            sklearn_split.ShuffleSplit(3, random_state=0, **kwargs).split(X)):
        assert (len(ours[0]), len(ours[1])) == (len(theirs[0]), len(theirs[1]))
        assert set(ours[0].tolist()).isdisjoint(ours[1].tolist())


def test_stratified_shuffle_split_keeps_class_shares_in_both_parts():
    y = np.array([0] * 30 + [1] * 15 + [2] * 5)
    X = np.zeros((50, 1))
    splits = list(StratifiedShuffleSplit(4, test_size=0.2, random_state=0).split(X, y))
    for train, test in splits:
        assert (len(train), len(test)) == (40, 10)
        assert np.bincount(y[test]).tolist() == [6, 3, 1]
        assert np.bincount(y[train]).tolist() == [24, 12, 4]
        assert set(train.tolist()).isdisjoint(test.tolist())
    assert [t.tolist() for _, t in splits] == [
        t.tolist() for _, t in StratifiedShuffleSplit(4, test_size=0.2, random_state=0).split(X, y)
    ]


def test_train_test_split_on_every_device(device):
    sklearn_split = pytest.importorskip("sklearn.model_selection")
    X_host = np.arange(40.0).reshape(20, 2)
    y_host = np.arange(20) % 2
    X, y = backend.to_device(X_host, device), backend.to_device(y_host, device)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    for part in (X_train, X_test, y_train, y_test):
        assert backend.device_of(part) == backend.device_of(X)
    assert (X_train.shape, X_test.shape) == ((15, 2), (5, 2))
    assert (backend.asnumpy(X_train)[:, 0] // 2 % 2 == backend.asnumpy(y_train)).all()  # rows stay paired
    assert sorted(backend.asnumpy(X_train)[:, 0].tolist() + backend.asnumpy(X_test)[:, 0].tolist()) == (
        X_host[:, 0].tolist()
    )
    ordered = train_test_split(X, y, test_size=0.3, shuffle=False)
    expected = sklearn_split.train_test_split(X_host, y_host, test_size=0.3, shuffle=False)
    for ours, theirs in zip(ordered, expected):
        assert backend.asnumpy(ours).tolist() == theirs.tolist()
    _, _, y_train, y_test = train_test_split(X, y, test_size=0.4, stratify=y, random_state=3)
    assert np.bincount(backend.asnumpy(y_test)).tolist() == [4, 4]


def test_train_test_split_takes_lists_and_is_reproducible():
    a, b = list(range(10)), [str(i) for i in range(10)]
    first = train_test_split(a, b, test_size=3, random_state=7)
    assert first == train_test_split(a, b, test_size=3, random_state=7)
    a_train, a_test, b_train, b_test = first
    assert [str(i) for i in a_train] == b_train and len(a_test) == 3 and len(b_test) == 3


@pytest.mark.parametrize(
    ("make_split", "message"),
    [
        (lambda: list(KFold(5).split(np.zeros((3, 1)))),
         r"Cannot have number of splits n_splits=5 greater than the number of samples: n_samples=3\."),
        (lambda: list(StratifiedKFold(5).split(np.zeros((8, 1)), [0, 0, 0, 0, 1, 1, 1, 1])),
         r"n_splits=5 cannot be greater than the number of members in each class\."),
        (lambda: KFold(1), r"k-fold cross-validation requires at least one train/test split by setting n_splits=2"),
        (lambda: KFold(3, random_state=0), r"Setting a random_state has no effect since shuffle is False"),
        (lambda: list(GroupKFold(2).split(np.zeros((4, 1)))), r"The 'groups' parameter should not be None\."),
        (lambda: list(GroupKFold(3).split(np.zeros((4, 1)), groups=[0, 0, 1, 1])),
         r"Cannot have number of splits n_splits=3 greater than the number of groups: 2\."),
        (lambda: list(LeaveOneOut().split(np.zeros((1, 1)))), r"Cannot perform LeaveOneOut with n_samples=1\."),
        (lambda: list(TimeSeriesSplit(5).split(np.zeros((4, 1)))),
         r"Cannot have number of folds=6 greater than the number of samples=4\."),
        (lambda: list(StratifiedKFold(2).split(np.zeros((4, 1)), [0.5, 1.5, 2.5, 3.5])),
         r"Supported target types are: \('binary', 'multiclass'\)\. Got 'continuous' instead\."),
        (lambda: list(StratifiedShuffleSplit(1, test_size=2).split(np.zeros((5, 1)), [0, 0, 1, 1, 2])),
         r"The least populated classes in y have only 1 member, which is too few"),
        (lambda: train_test_split(np.zeros((5, 1)), test_size=1.5), r"test_size=1.5 should be either positive"),
        (lambda: train_test_split(np.zeros((5, 1)), test_size=0.6, train_size=0.6),
         r"The sum of test_size and train_size = 1.2"),
        (lambda: train_test_split(np.zeros((4, 1)), [0, 1, 0, 1], stratify=[0, 1, 0, 1], shuffle=False),
         r"Stratified train/test split is not implemented for shuffle=False"),
        (lambda: train_test_split(np.zeros((4, 1)), [0, 1, 0]), r"inconsistent numbers of samples: \[4, 3\]"),
        (lambda: train_test_split(), r"At least one array required as input"),
    ],
)
def test_errors_say_what_is_wrong(make_split, message):
    with pytest.raises(ValueError, match=message):
        make_split()


def test_a_class_smaller_than_n_splits_warns_and_misses_some_folds():
    y = np.array([0] * 10 + [1] * 2)
    with pytest.warns(UserWarning, match=r"The least populated class in y has only 2 members, which is less than "
                                         r"n_splits=3\."):
        splits = list(StratifiedKFold(3).split(np.zeros((12, 1)), y))
    assert sorted(np.count_nonzero(y[test] == 1) for _, test in splits) == [0, 1, 1]


def test_a_single_class_target_still_splits():
    splits = list(StratifiedKFold(3).split(np.zeros((7, 1)), np.ones(7)))
    assert [len(test) for _, test in splits] == [3, 2, 2]


def test_check_cv_picks_stratified_folds_for_class_labels_only():
    assert isinstance(check_cv(4, [0, 1, 0, 1], classifier=True), StratifiedKFold)
    assert type(check_cv(4, [0.5, 1.5], classifier=True)) is KFold
    assert type(check_cv(None, [0, 1], classifier=False)) is KFold and check_cv(None).n_splits == 5
    custom = check_cv([(np.array([0, 1]), np.array([2])), (np.array([2]), np.array([0, 1]))])
    assert custom.get_n_splits() == 2 and [test.tolist() for _, test in custom.split(None)] == [[2], [0, 1]]
    with pytest.raises(ValueError, match="Expected cv as an integer"):
        check_cv("five")


def test_get_n_splits_and_repr():
    assert KFold(4).get_n_splits() == 4 and LeaveOneOut().get_n_splits(np.zeros((6, 1))) == 6
    assert repr(KFold(3)) == "KFold(n_splits=3, random_state=None, shuffle=False)"
    assert repr(StratifiedKFold(2, shuffle=True, random_state=1)) == (
        "StratifiedKFold(n_splits=2, random_state=1, shuffle=True)"
    )


def test_check_cv_passes_shuffle_and_seed_to_the_folds():
    splitter = check_cv(3, [0, 1, 0, 1, 0, 1], classifier=True, shuffle=True, random_state=4)
    assert isinstance(splitter, StratifiedKFold) and splitter.shuffle and splitter.random_state == 4


def test_train_test_split_keeps_sparse_matrices_sparse():
    sparse = pytest.importorskip("scipy.sparse")
    X = sparse.csr_matrix(np.arange(20.0).reshape(10, 2))
    X_train, X_test, index_train, index_test = train_test_split(X, np.arange(10), random_state=0)
    assert sparse.issparse(X_train) and X_test.shape == (3, 2)
    assert (X_train.toarray()[:, 0] == 2 * index_train).all() and (X_test.toarray()[:, 0] == 2 * index_test).all()
