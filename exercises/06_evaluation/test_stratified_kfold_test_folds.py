"""Grader for exercise 06.stratified_kfold_test_folds: scikit-learn's stratified k-fold, one test fold per sample."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minml import backend
from minml.grading import expect
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("06.stratified_kfold_test_folds")

BLOCKS_HINT = ("after counting how many samples of each class each fold gets, hand a class's samples out in blocks "
               "(the first allocation[k, 0] to fold 0, the next ones to fold 1...), not one by one in turn")
ORDER_HINT = ("number the classes by first appearance in y (not by sorted label), then deal the *sorted* codes "
              "round-robin: sorted position p goes to fold p mod n_splits")


def fold_of_each_sample(y, n_splits):
    """The test fold of each sample by scikit-learn's StratifiedKFold (no shuffling)."""
    from sklearn.model_selection import StratifiedKFold

    folds = np.empty(len(y), dtype=np.int64)
    for fold, (_, test) in enumerate(StratifiedKFold(n_splits).split(np.zeros((len(y), 1)), y)):
        folds[test] = fold
    return folds


@st.composite
def labels_and_folds(draw):
    """Labels of 2-4 classes (any order of first appearance), every class at least n_splits strong."""
    n_splits = draw(st.integers(2, 5))
    n_classes = draw(st.integers(2, 4))
    names = draw(st.permutations([10, 20, 30, 40]))[:n_classes]
    counts = [draw(st.integers(n_splits, 3 * n_splits + 2)) for _ in range(n_classes)]
    y = np.repeat(names, counts)
    order = draw(st.permutations(range(len(y))))
    return y[list(order)], n_splits


@pytest.mark.points(2)
@pytest.mark.hint(BLOCKS_HINT)
def test_small_example_by_hand(solution):
    # sorted: a a a b b b b b b -> dealt to folds 0 1 2 0 1 2 0 1 2: a gets 1, 1, 1 and b gets 2, 2, 2
    y = np.array(["a", "a", "a", "b", "b", "b", "b", "b", "b"])
    expect(solution(y, 3), np.array([0, 1, 2, 0, 0, 1, 1, 2, 2]), what="test folds of a a a b b b b b b, k = 3",
           hint=BLOCKS_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(ORDER_HINT)
def test_classes_are_numbered_by_first_appearance(solution):
    # label 5 is seen first, so it is class 0 and is dealt first, although 1 < 5: its 4 samples get folds
    # 0 1 2 0 (shares 2, 1, 1), and label 1's 5 samples continue at fold 1: 1 2 0 1 2 (shares 1, 2, 2)
    y = np.array([5, 5, 1, 1, 1, 5, 5, 1, 1])
    expect(solution(y, 3), np.array([0, 0, 0, 1, 1, 1, 2, 2, 2]), what=f"test folds of {y.tolist()}, k = 3",
           hint=ORDER_HINT)
    y = np.array([1, 0, 1, 0, 0, 0, 1, 1, 0])
    expect(solution(y, 2), np.array([0, 0, 0, 0, 0, 1, 1, 1, 1]), what=f"test folds of {y.tolist()}, k = 2",
           hint=ORDER_HINT)


@pytest.mark.points(3)
@pytest.mark.hint("every class must be spread over the folds as evenly as possible: its fold counts may differ by at "
                  "most one, and so may the folds' sizes")
@given(labels_and_folds())
def test_every_fold_keeps_the_class_proportions(solution, case):
    y, n_splits = case
    folds = np.asarray(backend.asnumpy(solution(y, n_splits)))
    assert folds.shape == y.shape, f"expected one fold per sample, shape {y.shape}; got shape {folds.shape}"
    assert set(folds.tolist()) <= set(range(n_splits)), f"folds must be 0 .. {n_splits - 1}; got {set(folds.tolist())}"
    sizes = np.bincount(folds, minlength=n_splits)
    assert sizes.max() - sizes.min() <= 1, f"fold sizes {sizes.tolist()} differ by more than one (y = {y.tolist()})"
    for label in np.unique(y):
        per_fold = np.bincount(folds[y == label], minlength=n_splits)
        assert per_fold.max() - per_fold.min() <= 1, (
            f"class {label} is spread over the folds as {per_fold.tolist()}: not stratified (y = {y.tolist()})"
        )


@pytest.mark.points(3)
@pytest.mark.hint("scikit-learn's folds: classes by first appearance, sorted codes dealt round-robin to count each "
                  "fold's share of a class, then each class's samples in blocks, in their order in y")
@given(labels_and_folds())
def test_same_folds_as_scikit_learn(solution, case):
    y, n_splits = case
    ours = solution(y, n_splits)
    pytest.importorskip("sklearn")
    expect(ours, fold_of_each_sample(y, n_splits), what=f"test folds of {y.tolist()} with n_splits = {n_splits}")


@pytest.mark.points(1)
@pytest.mark.hint("raise ValueError('n_splits=... cannot be greater than the number of members in each class.') "
                  "when every class is smaller than n_splits; warn (UserWarning) when only some are")
def test_too_small_classes(solution):
    with pytest.raises(ValueError, match="cannot be greater than the number of members in each class"):
        solution(np.array([0, 0, 1, 1, 1]), 4)
    with pytest.warns(UserWarning, match="least populated class"):
        folds = solution(np.array([0, 0, 0, 0, 1, 1]), 3)
    expect(folds, np.array([0, 0, 1, 2, 1, 2]), what="test folds of 0 0 0 0 1 1, k = 3")


@pytest.mark.points(1)
@pytest.mark.hint("compute with xp = minml.backend.namespace(y) and minml.backend.argsort / bincount, never np.*, "
                  "and use minml.backend.to_scalar for the checks: the fake GPU refuses NumPy functions on its arrays")
def test_runs_on_the_fake_gpu(solution):
    y = np.array([2, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 1])
    folds = solution(backend.to_device(y, FAKE_DEVICE), 3)
    assert backend.device_of(folds) == FAKE_DEVICE, f"the folds should stay on y's device; got a {type(folds)}"
    expect(folds, solution(y, 3), what="folds on the fake GPU against folds on the cpu")
    assert np.asarray(backend.asnumpy(folds)).dtype.kind in "iu", "return integer fold numbers"


@pytest.mark.points(2)
@pytest.mark.hint("minml.model_selection.StratifiedKFold calls your function and yields the samples of fold f as "
                  "the test set of split f")
def test_minml_stratified_kfold_uses_it(solution, monkeypatch):
    from minml.model_selection import StratifiedKFold

    monkeypatch.setattr(sys.modules["minml.model_selection.split"], "stratified_kfold_test_folds", solution)
    y = np.array([1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0])
    tests = [test.tolist() for _, test in StratifiedKFold(3).split(np.zeros((12, 2)), y)]
    expect(tests, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], what="StratifiedKFold(3)'s test sets")

