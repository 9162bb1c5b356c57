"""permutation_test_score: the real score, the null distribution from shuffled labels, p = (C + 1) / (n + 1)."""

import numpy as np
import pytest

from minml.linear.logistic import LogisticRegression
from minml.model_selection import StratifiedKFold, cross_val_score, permutation_test_score
from minml.model_selection.permutation import _shuffled_within_groups


def data(informative: bool, n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] > 0).astype(int) if informative else rng.integers(0, 2, n)
    return X, y


def test_score_is_the_cross_validated_score_and_p_counts_better_permutations():
    X, y = data(informative=True)
    score, permutation_scores, pvalue = permutation_test_score(LogisticRegression(), X, y, cv=4, n_permutations=19,
                                                               random_state=0)
    assert score == pytest.approx(np.mean(cross_val_score(LogisticRegression(), X, y, cv=StratifiedKFold(4))))
    assert permutation_scores.shape == (19,)
    assert pvalue == (np.count_nonzero(permutation_scores >= score) + 1) / 20
    assert pvalue == 0.05 and permutation_scores.mean() < score - 0.2


def test_equals_scikit_learn_on_the_real_labels():
    sklearn_ms = pytest.importorskip("sklearn.model_selection")
    X, y = data(informative=True)
    ours = permutation_test_score(LogisticRegression(), X, y, cv=3, n_permutations=3)
    theirs = sklearn_ms.permutation_test_score(LogisticRegression(), X, y, cv=3, n_permutations=3)
    assert ours[0] == pytest.approx(theirs[0], rel=1e-12)


def test_unrelated_labels_give_a_large_p_value_and_seeds_reproduce():
    X, y = data(informative=False)
    first = permutation_test_score(LogisticRegression(), X, y, cv=3, n_permutations=19, random_state=1)
    again = permutation_test_score(LogisticRegression(), X, y, cv=3, n_permutations=19, random_state=1)
    assert first[2] > 0.1
    assert np.array_equal(first[1], again[1]) and first[2] == again[2]


def test_labels_are_shuffled_only_within_groups():
    y = np.arange(12)
    groups = np.repeat([0, 1, 2], 4)
    shuffled = _shuffled_within_groups(y, groups, np.random.default_rng(0))
    for group in range(3):
        assert sorted(shuffled[groups == group].tolist()) == y[groups == group].tolist()
    assert not np.array_equal(shuffled, y)
