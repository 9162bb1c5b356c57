"""Grader for exercise 08.best_threshold: the best Gini split "x ≤ t" of one feature, by sorting once."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minml import backend
from minml.grading import expect
from minml.testing import FAKE_DEVICE
from minml.tree import DecisionTreeClassifier

pytestmark = pytest.mark.exercise("08.best_threshold")

LEFT_HINT = ("samples with x ≤ t go left; after sorting, the first i + 1 samples are the left child of the cut "
             "between sorted positions i and i + 1, and t is halfway: a / 2 + b / 2")
TIES_HINT = ("only cut between two DIFFERENT values: samples with equal x always go the same way, so a cut "
             "between equal values is not a threshold (mask those candidates out before the argmax)")
WEIGHT_HINT = ("the children count in proportion to their weight: Δ = gini(node) − W_L/W·gini(left) − "
               "W_R/W·gini(right), with W_L + W_R = W; gini of the class WEIGHTS (sample weights summed per class)")


def candidates(x, y, n_classes, weights=None):
    """Every threshold the definition allows, with its Gini decrease, by brute force on the host."""
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=np.float64)

    def gini(mask):
        counts = np.bincount(y[mask], weights=w[mask], minlength=n_classes)
        return 1 - ((counts / counts.sum()) ** 2).sum()

    distinct = np.unique(x)
    result = []
    for a, b in zip(distinct[:-1], distinct[1:]):
        t = a / 2 + b / 2
        left = x <= t
        result.append((t, gini(np.ones(len(x), bool)) - (w[left].sum() * gini(left)
                                                         + w[~left].sum() * gini(~left)) / w.sum()))
    return result


def run(solution, x, y, n_classes, weights=None, device=None):
    """The solution's (threshold, decrease) on host arrays moved to ``device``, checked to be two numbers."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.int64)
    args = [backend.to_device(x, device), backend.to_device(y, device), n_classes]
    if weights is not None:
        args.append(backend.to_device(np.asarray(weights, dtype=np.float64), device))
    result = solution(*args)
    assert isinstance(result, tuple) and len(result) == 2, "return a tuple (threshold, decrease)"
    threshold, decrease = result
    assert isinstance(threshold, float) and isinstance(decrease, float), (
        f"return two Python floats (backend.to_scalar); got {type(threshold).__name__}, {type(decrease).__name__}")
    return threshold, decrease


def check(solution, x, y, n_classes, weights=None, hint=LEFT_HINT, device=None):
    """The solution against the brute-force best split (the smallest threshold of the best decrease)."""
    threshold, decrease = run(solution, x, y, n_classes, weights, device)
    options = candidates(np.asarray(x, dtype=np.float64), np.asarray(y), n_classes, weights)
    best = max(d for _, d in options)
    want = next(t for t, d in options if d >= best - 1e-12)
    expect(threshold, want, rtol=0, atol=0, hint=hint, what=f"threshold for x = {list(x)}, y = {list(y)}")
    expect(decrease, best, rtol=1e-9, atol=1e-12, hint=hint, what="Gini decrease of the best split")
    return threshold, decrease


@pytest.mark.points(1)
@pytest.mark.hint(LEFT_HINT)
def test_separable_classes(solution):
    threshold, decrease = check(solution, [4.0, 1.0, 3.0, 2.0], [1, 0, 1, 0], 2)
    expect(threshold, 2.5, what="threshold between the 0s (x = 1, 2) and the 1s (x = 3, 4)")
    expect(decrease, 0.5, what="decrease from gini 0.5 to two pure children")


@pytest.mark.points(2)
@pytest.mark.hint("t is the midpoint a / 2 + b / 2 of the two consecutive distinct values the cut separates, "
                  "not one of the values: " + LEFT_HINT)
def test_threshold_is_the_midpoint(solution):
    check(solution, [0.0, 4.0, 10.0, 11.0], [0, 0, 1, 1], 2)
    check(solution, [-3.0, -1.0, 6.0, 7.0, 9.0], [1, 1, 0, 0, 1], 2)


@pytest.mark.points(2)
@pytest.mark.hint(TIES_HINT)
def test_no_cut_between_equal_values(solution):
    check(solution, [0.0, 1.0, 1.0, 1.0, 2.0], [0, 0, 1, 1, 1], 2, hint=TIES_HINT)  # the perfect cut is not allowed
    check(solution, [5.0, 5.0, 5.0, 5.0, 7.0, 7.0], [0, 0, 1, 1, 1, 0], 2, hint=TIES_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(WEIGHT_HINT)
def test_children_weighted_by_their_size(solution):
    # a small pure child beside a big mixed one: averaging the children's impurities unweighted picks it wrongly
    check(solution, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [0, 1, 1, 0, 0, 0, 1, 1], 2, hint=WEIGHT_HINT)
    check(solution, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 0, 1, 1, 1, 0], 3, hint=WEIGHT_HINT)


@pytest.mark.points(2)
@pytest.mark.hint("a sample of weight 3 counts as three copies of it: " + WEIGHT_HINT)
def test_integer_weights_are_repeated_rows(solution):
    x, y, weights = np.array([1.0, 2.0, 3.0, 4.0, 5.0]), np.array([0, 1, 0, 1, 1]), np.array([3.0, 1.0, 4.0, 1.0, 2.0])
    check(solution, x, y, 2, weights, hint=WEIGHT_HINT)
    weighted = run(solution, x, y, 2, weights)
    repeated = run(solution, np.repeat(x, weights.astype(int)), np.repeat(y, weights.astype(int)), 2)
    expect(weighted, repeated, rtol=1e-12, what="(threshold, decrease) with weights against repeated rows")


@pytest.mark.points(1)
@pytest.mark.hint("with fewer than two distinct values there is no threshold: return (inf, 0.0)")
def test_no_split(solution):
    for x, y in (([2.0, 2.0, 2.0], [0, 1, 0]), ([7.0], [1])):
        threshold, decrease = run(solution, x, y, 2)
        assert threshold == math.inf and decrease == 0.0, f"no split of x = {x}: expected (inf, 0.0), got " \
                                                          f"({threshold}, {decrease})"


@pytest.mark.points(1)
@pytest.mark.hint("on equal decreases keep the smallest threshold (xp.argmax returns the first maximum)")
def test_ties_go_to_the_smallest_threshold(solution):
    threshold, _ = check(solution, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [0, 1, 1, 1, 1, 0], 2)
    expect(threshold, 1.5, what="the first of two equally good thresholds (1.5 and 5.5)")


@st.composite
def nodes(draw):
    n = draw(st.integers(2, 12))
    n_classes = draw(st.integers(2, 4))
    x = np.array(draw(st.lists(st.integers(-6, 6), min_size=n, max_size=n)), dtype=np.float64) / 4
    y = np.array(draw(st.lists(st.integers(0, n_classes - 1), min_size=n, max_size=n)))
    weights = draw(st.none() | st.lists(st.integers(1, 5), min_size=n, max_size=n).map(np.array))
    return x, y, n_classes, weights


@pytest.mark.points(2)
@pytest.mark.hint(LEFT_HINT + "; " + TIES_HINT)
@given(nodes())
def test_random_nodes(solution, node):
    x, y, n_classes, weights = node
    threshold, decrease = run(solution, x, y, n_classes, weights)
    options = dict(candidates(x, y, n_classes, weights))
    if not options:
        assert (threshold, decrease) == (math.inf, 0.0), f"x = {x} has one value: expected (inf, 0.0)"
        return
    best = max(options.values())
    assert threshold in options, f"{threshold} is not halfway between two consecutive distinct values of x = {x}"
    expect(decrease, best, rtol=1e-9, atol=1e-12, what=f"the best decrease for x = {x}, y = {y}, weights {weights}")
    expect(options[threshold], best, rtol=1e-9, atol=1e-12, what=f"the decrease of your threshold {threshold}")


@pytest.mark.points(1)
@pytest.mark.hint("compute with xp = minml.backend.namespace(x) and backend.argsort, never np.*: the fake GPU "
                  "refuses NumPy functions on device arrays")
def test_runs_on_the_fake_gpu(solution):
    check(solution, [3.0, 1.0, 2.0, 5.0, 4.0], [1, 0, 0, 1, 1], 2, [1.0, 2.0, 1.0, 1.0, 0.5], device=FAKE_DEVICE)


def tie_free_node(seed):
    """300 float32-exact values (scikit-learn's trees work in float32) and three classes."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=300).astype(np.float32).astype(np.float64)
    y = (x + rng.normal(0, 0.8, 300) > 0.2).astype(np.int64) + (x > 1.2)
    return x, y, rng.uniform(0.5, 2.0, 300)


@pytest.mark.points(1)
@pytest.mark.hint("minml's exact tree (split_finder='exact') searches the same candidates for its root: " + LEFT_HINT)
def test_same_root_as_minml_exact_tree(solution):
    x, y, weights = tie_free_node(1)
    threshold, _ = check(solution, x, y, 3, weights)
    tree = DecisionTreeClassifier(max_depth=1, split_finder="exact").fit(backend.to_device(x[:, None]),
                                                                         backend.to_device(y), weights)
    expect(threshold, backend.asnumpy(tree.tree_.threshold)[0], rtol=0, atol=0,
           what="the root threshold of minml's DecisionTreeClassifier(max_depth=1, split_finder='exact')")


@pytest.mark.points(2)
@pytest.mark.hint("scikit-learn's DecisionTreeClassifier(max_depth=1) finds the same split: " + WEIGHT_HINT)
def test_same_split_as_scikit_learn(solution):
    sklearn_tree = pytest.importorskip("sklearn.tree")
    for seed in (2, 3):
        x, y, weights = tie_free_node(seed)
        threshold, decrease = run(solution, x, y, 3, weights)
        stump = sklearn_tree.DecisionTreeClassifier(max_depth=1).fit(x[:, None], y, sample_weight=weights).tree_
        W, impurity = stump.weighted_n_node_samples, stump.impurity
        expect(threshold, stump.threshold[0], rtol=1e-7, what="the root threshold of scikit-learn's stump")
        expect(decrease, impurity[0] - (W[1] * impurity[1] + W[2] * impurity[2]) / W[0], rtol=1e-9,
               what="the impurity decrease of scikit-learn's stump")
