"""Grader for exercise 06.roc_auc_with_ties: ROC AUC from midranks (the Mann–Whitney statistic)."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.grading import expect
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("06.roc_auc_with_ties")

TIES_HINT = ("a positive and a negative with the same score are a pair counted one half: give tied scores the mean "
             "of the ranks they occupy (their midrank), not the first, the last or their order in the sort")
OFFSET_HINT = "ranks start at 1 (the smallest score), and U = R - P(P + 1)/2 with R the sum of the positives' ranks"


def pair_count_auc(y_true, y_score):
    """The definition, pair by pair in plain Python: correctly ordered (positive, negative) pairs, ties ½."""
    positives = [s for s, y in zip(y_score.tolist(), y_true.tolist()) if y == 1]
    negatives = [s for s, y in zip(y_score.tolist(), y_true.tolist()) if y == 0]
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


@st.composite
def scored_samples(draw, max_size=30):
    """0/1 labels with both classes, and scores with few distinct values (ties everywhere) or many."""
    n = draw(st.integers(2, max_size))
    y_true = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 1)))
    y_true[0], y_true[1] = 0, 1
    levels = draw(st.sampled_from([1, 2, 3, 5, 1000]))
    y_score = draw(hnp.arrays(np.int64, n, elements=st.integers(0, levels))) / levels
    order = draw(st.permutations(range(n)))
    return y_true[list(order)], y_score[list(order)]


@pytest.mark.points(2)
@pytest.mark.hint(TIES_HINT)
def test_a_tie_counts_one_half(solution):
    # pairs (positive, negative): (0.5, 0.1) right, (0.5, 0.5) tied, (0.9, 0.1) right, (0.9, 0.5) right: 3.5 / 4
    expect(solution(np.array([0, 1, 0, 1]), np.array([0.1, 0.5, 0.5, 0.9])), 0.875,
           what="AUC of y = [0, 1, 0, 1], scores [0.1, 0.5, 0.5, 0.9]", hint=TIES_HINT)


@pytest.mark.points(2)
@pytest.mark.hint("a perfect ranking has AUC 1, a reversed one 0, and scores that are all equal 0.5 (every pair tied)")
def test_perfect_reversed_and_constant_scores(solution):
    y = np.array([0, 0, 1, 0, 1, 1])
    expect(solution(y, np.array([0.1, 0.2, 0.7, 0.3, 0.8, 0.9])), 1.0, what="AUC of a perfect ranking",
           hint=OFFSET_HINT)
    expect(solution(y, np.array([0.9, 0.8, 0.3, 0.7, 0.2, 0.1])), 0.0, what="AUC of a reversed ranking",
           hint=OFFSET_HINT)
    expect(solution(y, np.full(6, 0.4)), 0.5, what="AUC when every score is the same", hint=TIES_HINT)


@pytest.mark.points(4)
@pytest.mark.hint(TIES_HINT)
@given(scored_samples())
def test_counts_every_pair(solution, sample):
    y_true, y_score = sample
    expect(solution(y_true, y_score), pair_count_auc(y_true, y_score), rtol=1e-12, atol=1e-12,
           what=f"AUC of y = {y_true.tolist()}, scores {y_score.tolist()}")


@pytest.mark.points(2)
@pytest.mark.hint("only the order of the scores matters: ranks, not the score values (and negating every score "
                  "turns AUC into 1 - AUC)")
@given(scored_samples())
def test_depends_only_on_the_order(solution, sample):
    y_true, y_score = sample
    auc = solution(y_true, y_score)
    expect(solution(y_true, np.exp(3 * y_score) - 7), auc, rtol=1e-12, atol=1e-12,
           what="AUC after a monotone transform of the scores")
    expect(solution(y_true, -y_score), 1 - auc, rtol=1e-12, atol=1e-12, what="AUC of the negated scores")


@pytest.mark.points(2)
@pytest.mark.hint("scikit-learn's roc_auc_score computes the same number from the ROC curve's trapezoids")
def test_same_as_scikit_learn_on_a_large_sample(solution):
    rng = np.random.default_rng(6)
    y_true = rng.integers(0, 2, 3000)
    y_score = np.round(rng.normal(y_true * 0.8, 1.0), 1)  # rounded: about 60 distinct values, many ties
    ours = solution(y_true, y_score)
    metrics = pytest.importorskip("sklearn.metrics")
    expect(ours, metrics.roc_auc_score(y_true, y_score), rtol=1e-10, what="AUC of 3,000 scores with ties",
           hint=TIES_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("return a Python float: turn the device sums into numbers with minml.backend.to_scalar")
def test_returns_a_float(solution):
    value = solution(np.array([1, 0, 1]), np.array([0.3, 0.2, 0.2]))
    assert type(value) is float, f"expected a Python float, got {type(value).__name__}"
    expect(value, 0.75, what="AUC of y = [1, 0, 1], scores [0.3, 0.2, 0.2]")


@pytest.mark.points(1)
@pytest.mark.hint("compute with xp = minml.backend.namespace(y_true, y_score) and minml.backend.argsort, never np.*, "
                  "and turn device values into numbers with minml.backend.to_scalar: the fake GPU refuses the rest")
def test_runs_on_the_fake_gpu(solution):
    y_true, y_score = np.array([0, 1, 1, 0, 1, 0, 0]), np.array([0.2, 0.6, 0.2, 0.6, 0.9, 0.1, 0.6])
    value = solution(backend.to_device(y_true, FAKE_DEVICE), backend.to_device(y_score, FAKE_DEVICE))
    expect(value, pair_count_auc(y_true, y_score), what="AUC on the fake GPU")


@pytest.mark.points(2)
@pytest.mark.hint("minml.metrics.roc_auc_score calls your function for each binary problem (one-vs-rest too)")
def test_minml_roc_auc_score_uses_it(solution, monkeypatch):
    from minml.metrics import roc_auc_score

    monkeypatch.setattr(sys.modules["minml.metrics.ranking"], "roc_auc_with_ties", solution)
    y_true = np.array(["cat", "dog", "dog", "cat", "dog", "cat", "cat"])
    y_score = np.array([0.3, 0.8, 0.3, 0.3, 0.9, 0.1, 0.8])
    expect(roc_auc_score(y_true, y_score), pair_count_auc((y_true == "dog").astype(int), y_score),
           what="roc_auc_score with 'dog' as the positive class", hint=TIES_HINT)
    labels = np.array([0, 1, 2, 2, 1, 0, 2, 1])
    proba = np.array([[6, 2, 2], [2, 6, 2], [2, 2, 6], [4, 4, 2], [2, 4, 4], [4, 2, 4], [2, 2, 6], [4, 4, 2]]) / 10
    per_class = [pair_count_auc((labels == k).astype(int), proba[:, k]) for k in range(3)]
    expect(roc_auc_score(labels, proba, multi_class="ovr"), float(np.mean(per_class)),
           what="one-vs-rest macro AUC of 3 classes", hint=TIES_HINT)
