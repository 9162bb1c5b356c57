"""Grader for exercise 08.gini_impurity: Gini impurity 1 − Σ_k p_k² of each row of class weights."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.grading import expect
from minml.testing import FAKE_DEVICE
from minml.tree import DecisionTreeClassifier

pytestmark = pytest.mark.exercise("08.gini_impurity")

DEFINITION_HINT = "Gini impurity is 1 − Σ_k p_k², the chance that two samples drawn from the node differ in class"
NORMALISE_HINT = ("the inputs are class weights (counts), not proportions: first p_k = w_k / Σ_j w_j, "
                  "then 1 − Σ_k p_k²")
AXIS_HINT = "the classes are the LAST axis: sum over axis=-1, so each row (node) gets its own impurity"
EMPTY_HINT = "a row of zeros (an empty node) has impurity 0, not NaN: guard the division by a zero total (xp.where)"


def gini(class_weights):
    """The definition, row by row, on the host."""
    W = np.asarray(class_weights, dtype=np.float64)
    total = W.sum(axis=-1, keepdims=True)
    p = np.divide(W, total, out=np.zeros_like(W), where=total > 0)
    return np.where(total[..., 0] > 0, 1.0 - (p**2).sum(axis=-1), 0.0)


def check(solution, class_weights, hint=DEFINITION_HINT, device=None):
    """The solution on ``class_weights`` (on ``device``) against the definition; returns its result."""
    W = np.asarray(class_weights, dtype=np.float64)
    result = solution(backend.to_device(W, device))
    want = gini(W)
    assert tuple(result.shape) == want.shape, f"the result should have shape {want.shape} (one per row); got " \
                                              f"{tuple(result.shape)}"
    expect(result, want, rtol=1e-9, atol=1e-12, hint=hint, what=f"gini impurity of {W.tolist()}")
    return result


@pytest.mark.points(1)
@pytest.mark.hint(DEFINITION_HINT)
def test_pure_and_mixed_nodes(solution):
    result = check(solution, [[0.25, 0.0], [0.5, 0.5], [1 / 3, 1 / 3]])  # proportions already
    expect(result, np.array([0.0, 0.5, 0.5]), what="pure node, 50/50 node")


@pytest.mark.points(2)
@pytest.mark.hint(NORMALISE_HINT)
def test_counts_are_normalised(solution):
    result = check(solution, [[3.0, 1.0], [10.0, 0.0]], hint=NORMALISE_HINT)
    expect(result[0], 0.375, hint=NORMALISE_HINT, what="gini of counts (3, 1): 1 − (3/4)² − (1/4)²")
    result = check(solution, [[2.0, 2.0, 2.0, 2.0]], hint=NORMALISE_HINT)
    expect(result[0], 0.75, hint=NORMALISE_HINT, what="gini of four equal classes: 1 − 1/K")


@pytest.mark.points(1)
@pytest.mark.hint(NORMALISE_HINT)
def test_scaling_the_weights_changes_nothing(solution):
    counts = np.array([[1.0, 4.0, 2.0], [7.0, 7.0, 0.0]])
    check(solution, counts * 0.001, hint=NORMALISE_HINT)
    check(solution, counts * 1000.0, hint=NORMALISE_HINT)


@pytest.mark.points(1)
@pytest.mark.hint(AXIS_HINT)
def test_leading_axes_are_kept(solution):
    W = np.arange(24.0).reshape(2, 3, 4) % 5
    check(solution, W, hint=AXIS_HINT)
    check(solution, [5.0, 1.0], hint=AXIS_HINT)  # a single node: shape (K,) gives a scalar-shaped ()


@pytest.mark.points(1)
@pytest.mark.hint(EMPTY_HINT)
def test_empty_node(solution):
    check(solution, [[0.0, 0.0, 0.0], [1.0, 2.0, 0.0]], hint=EMPTY_HINT)


@pytest.mark.points(2)
@pytest.mark.hint("p_k = w_k / Σ_j w_j per row, then 1 − Σ_k p_k²; between 0 (pure) and 1 − 1/K (all classes equal)")
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 5)),
                  elements=st.integers(0, 20).map(float)))
def test_random_nodes(solution, W):
    result = backend.asnumpy(check(solution, W))
    K = W.shape[1]
    assert np.all(result >= -1e-12) and np.all(result <= 1 - 1 / K + 1e-12), \
        f"gini must lie in [0, 1 − 1/K] = [0, {1 - 1 / K:.3f}]; got {result}"
    expect(solution(backend.to_device(W[:, ::-1].copy())), result, rtol=1e-9, atol=1e-12,
           what="gini with the classes in reverse order (it cannot depend on the order)")


@pytest.mark.points(1)
@pytest.mark.hint("compute with xp = minml.backend.namespace(class_weights), never np.*: the fake GPU refuses "
                  "NumPy functions on device arrays")
def test_runs_on_the_fake_gpu(solution):
    result = check(solution, [[3.0, 1.0], [0.0, 0.0], [2.0, 2.0]], device=FAKE_DEVICE)
    assert backend.device_of(result) == FAKE_DEVICE, f"the result should stay on the input's device; got {type(result)}"


def tree_data():
    """Tie-free data (float32-exact, as scikit-learn's trees compute in float32) with three classes."""
    rng = np.random.default_rng(8)
    X = rng.normal(size=(150, 3)).astype(np.float32).astype(np.float64)
    y = (X[:, 0] + 0.7 * X[:, 1] + rng.normal(0, 0.5, 150) > 0).astype(np.int64) + (X[:, 2] > 0.8)
    return X, y


@pytest.mark.points(2)
@pytest.mark.hint("minml's DecisionTreeClassifier records gini_impurity of every node's class weights in "
                  "tree_.impurity and picks its splits by the impurity decrease: " + DEFINITION_HINT)
def test_decision_tree_uses_it(solution, monkeypatch):
    monkeypatch.setattr(sys.modules["minml.tree.splitter"], "gini_impurity", solution)
    X, y = tree_data()
    tree = DecisionTreeClassifier(max_depth=3, split_finder="exact").fit(backend.to_device(X), backend.to_device(y))
    nodes = tree.tree_
    class_weights = backend.asnumpy(nodes.value)[:, 0, :] * backend.asnumpy(nodes.weighted_n_node_samples)[:, None]
    expect(nodes.impurity, gini(class_weights), rtol=1e-9, atol=1e-12, what="tree_.impurity of every node")
    sklearn_tree = pytest.importorskip("sklearn.tree")
    reference = sklearn_tree.DecisionTreeClassifier(max_depth=3).fit(X, y).tree_
    expect(np.sort(backend.asnumpy(nodes.impurity)), np.sort(reference.impurity), rtol=1e-9, atol=1e-12,
           what="the impurities of the nodes of the same tree grown by scikit-learn (sorted: nodes are numbered "
                "in another order)")
