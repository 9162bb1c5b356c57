"""minml.tree: CART against scikit-learn (exact mode), histogram splits, NaN, edge cases, devices."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minml import backend
from minml.exceptions import InvalidParameterError
from minml.tree import DecisionTreeClassifier, DecisionTreeRegressor
from minml.tree.binning import bin_codes, bin_edges
from minml.tree.splitter import gini_impurity, newton_leaf_value


def _data(n=150, p=4, seed=0):
    """Tie-free continuous X (float32-representable, as scikit-learn fits in float32), a class and a real target."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)).astype(np.float32).astype(np.float64)
    y_class = (X[:, 0] + X[:, 1] * X[:, 2] + 0.5 * rng.standard_normal(n) > 0).astype(int)
    y_real = X[:, 0] + np.sin(3 * X[:, 1]) + 0.3 * rng.standard_normal(n)
    return X, y_class, y_real


def _decreases(tree):
    """Sorted W_t·imp(t) - W_L·imp(L) - W_R·imp(R) over the internal nodes of a fitted tree_."""
    left, right = np.asarray(tree.children_left), np.asarray(tree.children_right)
    weight, impurity = np.asarray(tree.weighted_n_node_samples), np.asarray(tree.impurity)
    inner = np.nonzero(left != -1)[0]
    return np.sort(weight[inner] * impurity[inner] - weight[left[inner]] * impurity[left[inner]]
                   - weight[right[inner]] * impurity[right[inner]])


# --------------------------------------------------------------------------- against scikit-learn


@pytest.mark.parametrize("params", [{}, {"min_samples_leaf": 3}, {"max_leaf_nodes": 12}, {"max_depth": 3}])
def test_exact_regressor_matches_sklearn(params):
    sklearn_tree = pytest.importorskip("sklearn.tree")
    X, _, y = _data()
    ours = DecisionTreeRegressor(split_finder="exact", **params).fit(X, y)
    theirs = sklearn_tree.DecisionTreeRegressor(random_state=0, **params).fit(X, y)
    assert ours.tree_.node_count == theirs.tree_.node_count
    np.testing.assert_allclose(_decreases(ours.tree_), _decreases(theirs.tree_), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-12)
    if params.get("max_depth") or params.get("max_leaf_nodes"):  # deeper, 2-3 sample nodes have tied features
        np.testing.assert_allclose(ours.feature_importances_, theirs.feature_importances_, rtol=1e-7, atol=1e-12)
        X_new = np.random.default_rng(1).standard_normal((400, X.shape[1]))
        np.testing.assert_allclose(ours.predict(X_new), theirs.predict(X_new), rtol=1e-12)


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
@pytest.mark.parametrize("params", [{"max_depth": 3}, {"max_leaf_nodes": 6}])
def test_exact_classifier_matches_sklearn(criterion, params):
    """Shallow trees (deep nodes of a few samples have tied splits, which scikit-learn breaks at random)."""
    sklearn_tree = pytest.importorskip("sklearn.tree")
    X, y, _ = _data(n=200)
    ours = DecisionTreeClassifier(criterion=criterion, split_finder="exact", **params).fit(X, y)
    theirs = sklearn_tree.DecisionTreeClassifier(criterion=criterion, random_state=0, **params).fit(X, y)
    np.testing.assert_allclose(_decreases(ours.tree_), _decreases(theirs.tree_), rtol=1e-9, atol=1e-12)
    X_new = np.random.default_rng(1).standard_normal((400, X.shape[1]))
    np.testing.assert_allclose(ours.predict_proba(X_new), theirs.predict_proba(X_new), rtol=1e-12)


def test_full_depth_classifier_fits_training_data_like_sklearn():
    sklearn_tree = pytest.importorskip("sklearn.tree")
    X, y, _ = _data()
    ours = DecisionTreeClassifier(split_finder="exact").fit(X, y)
    theirs = sklearn_tree.DecisionTreeClassifier(random_state=0).fit(X, y)
    assert np.array_equal(ours.predict(X), y) and np.array_equal(theirs.predict(X), y)
    assert ours.get_n_leaves() == theirs.get_n_leaves()
    np.testing.assert_allclose(_decreases(ours.tree_).sum(), _decreases(theirs.tree_).sum(), rtol=1e-9)


def test_hist_equals_exact_when_features_have_few_values():
    """With at most max_bins distinct values per feature, the bins are the values: the same tree."""
    rng = np.random.default_rng(3)
    X = rng.integers(0, 40, size=(300, 3)).astype(float)
    y = (X[:, 0] + 2 * X[:, 1] + rng.normal(0, 10, 300) > 60).astype(int)
    hist = DecisionTreeClassifier(max_depth=4).fit(X, y)
    exact = DecisionTreeClassifier(max_depth=4, split_finder="exact").fit(X, y)
    np.testing.assert_allclose(_decreases(hist.tree_), _decreases(exact.tree_))
    assert np.array_equal(hist.tree_.threshold, exact.tree_.threshold)
    X_new = np.random.default_rng(4).uniform(-1, 41, size=(200, 3))
    assert np.array_equal(hist.predict_proba(X_new), exact.predict_proba(X_new))


# --------------------------------------------------------------------------- on every device


def test_classifier_on_device(device):
    X, y, _ = _data()
    X[::7, 2] = np.nan
    cpu = DecisionTreeClassifier(max_depth=5, random_state=0, max_features=3).fit(X, y)
    on = DecisionTreeClassifier(max_depth=5, random_state=0, max_features=3).fit(
        backend.to_device(X, device), backend.to_device(y, device))
    X_device = backend.to_device(X, device)
    proba = on.predict_proba(X_device)
    assert backend.device_of(proba) == backend.device(device)
    np.testing.assert_allclose(backend.asnumpy(proba), cpu.predict_proba(X))
    leaves = backend.asnumpy(on.apply(X_device))
    path = backend.asnumpy(on.decision_path(X_device))
    assert path.shape == (X.shape[0], on.tree_.node_count)
    assert path[np.arange(X.shape[0]), leaves].all() and path[:, 0].all()
    assert np.array_equal(path.sum(axis=1), 1 + np.zeros(X.shape[0]) + _depths(on.tree_)[leaves])
    np.testing.assert_allclose(backend.asnumpy(on.feature_importances_).sum(), 1.0)


def _depths(tree):
    left, right = backend.asnumpy(tree.children_left), backend.asnumpy(tree.children_right)
    depth = np.zeros(tree.node_count, dtype=int)
    for node in range(tree.node_count):  # parents come first in level order
        if left[node] != -1:
            depth[left[node]] = depth[right[node]] = depth[node] + 1
    return depth


def test_regressor_on_device_follows_stopping_rules(device):
    X, _, y = _data(n=300)
    model = DecisionTreeRegressor(max_depth=6, min_samples_leaf=7).fit(backend.to_device(X, device),
                                                                        backend.to_device(y, device))
    tree = model.tree_
    leaves = backend.asnumpy(tree.children_left) == -1
    assert model.get_depth() <= 6
    assert backend.asnumpy(tree.n_node_samples)[leaves].min() >= 7
    np.testing.assert_allclose(backend.asnumpy(tree.n_node_samples)[leaves].sum(), X.shape[0])


def test_best_first_growth_stops_at_max_leaf_nodes(device):
    X, y, _ = _data(n=300)
    model = DecisionTreeClassifier(max_leaf_nodes=9).fit(backend.to_device(X, device), backend.to_device(y, device))
    assert model.get_n_leaves() == 9


def test_nan_direction_is_learned(device):
    """NaN marks class 1 here: the tree must send NaN to a class-1 leaf."""
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, size=(200, 2))
    y = (X[:, 0] > 0.7).astype(int)
    X[:40, 0], y[:40] = np.nan, 1
    model = DecisionTreeClassifier(max_depth=2).fit(backend.to_device(X, device), backend.to_device(y, device))
    assert np.array_equal(backend.asnumpy(model.predict(backend.to_device(X, device))), y)
    query = backend.to_device(np.array([[np.nan, 0.1], [0.2, 0.5]]), device)
    assert backend.asnumpy(model.predict(query)).tolist() == [1, 0]


def test_all_nan_column_is_never_used(device):
    X, y, _ = _data()
    X[:, 1] = np.nan
    model = DecisionTreeClassifier(max_depth=4).fit(backend.to_device(X, device), backend.to_device(y, device))
    assert backend.asnumpy(model.feature_importances_)[1] == 0


# --------------------------------------------------------------------------- edge cases


@pytest.mark.parametrize("cls", [DecisionTreeClassifier, DecisionTreeRegressor])
def test_constant_features_give_a_single_leaf(cls):
    X = np.ones((20, 3))
    y = np.arange(20) % 2
    model = cls().fit(X, y)
    assert model.tree_.node_count == 1 and model.get_depth() == 0
    np.testing.assert_allclose(np.asarray(model.predict(X), dtype=float), model.predict(X[:1])[0])


def test_single_sample_and_equal_targets():
    leaf = DecisionTreeRegressor().fit([[1.0, 2.0]], [5.0])
    assert leaf.tree_.node_count == 1 and leaf.predict([[0.0, 0.0]]).tolist() == [5.0]
    X = np.random.default_rng(0).standard_normal((30, 2))
    flat = DecisionTreeRegressor().fit(X, np.full(30, 2.5))
    assert flat.tree_.node_count == 1 and np.all(flat.predict(X) == 2.5)


def test_single_class_is_refused():
    with pytest.raises(ValueError, match="only one class"):
        DecisionTreeClassifier().fit(np.zeros((5, 2)), np.ones(5))


def test_bad_parameters_say_what_is_allowed():
    with pytest.raises(InvalidParameterError, match="'max_bins' parameter of DecisionTreeClassifier must be"):
        DecisionTreeClassifier(max_bins=1).fit(np.zeros((4, 1)), [0, 1, 0, 1])
    with pytest.raises(InvalidParameterError, match="split_finder"):
        DecisionTreeRegressor(split_finder="sorted").fit(np.zeros((4, 1)), [0.0, 1.0, 0.0, 1.0])


def test_class_weight_balanced_equals_sample_weights():
    X, y, _ = _data()
    y[:100] = 0
    counts = np.bincount(y)
    weights = (len(y) / (2 * counts))[y]
    balanced = DecisionTreeClassifier(class_weight="balanced", max_depth=4).fit(X, y)
    weighted = DecisionTreeClassifier(max_depth=4).fit(X, y, sample_weight=weights)
    np.testing.assert_allclose(balanced.predict_proba(X), weighted.predict_proba(X))


# --------------------------------------------------------------------------- the pieces


def test_gini_impurity():
    np.testing.assert_allclose(gini_impurity(np.array([[5.0, 5.0], [10.0, 0.0], [0.0, 0.0], [1.0, 3.0]])),
                               [0.5, 0.0, 0.0, 1 - (1 / 16 + 9 / 16)])


def test_newton_leaf_value():
    np.testing.assert_allclose(newton_leaf_value(np.array([4.0, -2.0]), np.array([1.0, 3.0]), 1.0), [-2.0, 0.5])


@settings(max_examples=15)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=60), st.integers(2, 8))
def test_bin_codes_order_like_the_edges(values, max_bins):
    """code ≤ b exactly when x ≤ edges[b]: the split on codes is the split on raw values."""
    X = np.array(values)[:, None]
    edges, n_bins, _ = bin_edges(X, max_bins)
    codes = bin_codes(X, edges, n_bins)[:, 0].astype(int)
    assert codes.max() < n_bins - 1 and n_bins - 2 <= max_bins
    for b in range(edges.shape[1]):
        assert np.array_equal(codes <= b, X[:, 0] <= edges[0, b])


def test_splits_tied_up_to_rounding_go_to_the_first_candidate(device):
    """Found on a GPU, which adds the same rows in another order than the CPU: two features cutting
    a node alike, or a threshold before and after an empty bin, tie on the CPU but differ there by
    a few ulps. Here the rounding is planted: the first of the near-tied candidates must win."""
    from minml.tree.histogram import node_histograms
    from minml.tree.splitter import SecondOrder, best_splits

    on = lambda a: backend.to_device(np.asarray(a), device)  # noqa: E731
    # feature 0 has codes 0 and 3 (bins 1, 2 empty); feature 1 cuts the rows the same way
    codes = np.array([[0, 0]] * 5 + [[3, 1]] * 5, dtype=np.uint8)
    g = np.array([-1.0] * 5 + [1.0] * 5)
    channels = SecondOrder(1.0).channels((on(g), on(np.ones(10))), None)
    index, slot = on(np.arange(10)), on(np.zeros(10, dtype=np.int64))
    hist = node_histograms(on(codes), index, slot, 1, 5, channels)
    hist[0, 0, 0, 1] = -1e-12  # an empty bin with a rounding error in its gradient sum
    hist[0, 0, 1, 0] -= 1e-12  # feature 1's same cut, rounded a hair better
    totals = hist[:, :, 0].sum(axis=2)
    gain, feature, bin_index, _, next_bin = best_splits(hist, totals, SecondOrder(1.0))
    assert backend.to_scalar(feature[0]) == 0 and backend.to_scalar(bin_index[0]) == 0
    assert backend.to_scalar(next_bin[0]) == 3


@pytest.mark.parametrize("kind", ["gini", "squared_error", "second_order"])
def test_sparse_search_equals_dense_search(kind, device):
    """The search over non-empty cells (deep nodes) picks exactly the split of the dense histogram search."""
    from minml.tree.histogram import node_histograms
    from minml.tree.splitter import Gini, SecondOrder, SquaredError, best_splits, sparse_best_splits

    rng = np.random.default_rng(5)
    n, p, n_bins, n_slots = 90, 3, 9, 6
    codes = rng.integers(0, n_bins - 1, size=(n, p))
    codes[rng.random((n, p)) < 0.1] = n_bins - 1  # NaN bin
    slot = np.sort(rng.integers(0, n_slots, size=n))
    on = lambda a: backend.to_device(a, device)  # noqa: E731
    criterion, target = {
        "gini": (Gini(3, weighted=False), on(rng.integers(0, 3, n))),
        "squared_error": (SquaredError(weighted=True), on(rng.standard_normal(n))),
        "second_order": (SecondOrder(1.0), (on(rng.standard_normal(n)), on(rng.uniform(0.1, 1, n)))),
    }[kind]
    channels = criterion.channels(target, on(rng.uniform(0.5, 2, n)))
    index, slot_device = on(np.arange(n)), on(slot)
    hist = node_histograms(on(codes.astype(np.uint8)), index, slot_device, n_slots, n_bins, channels)
    totals = hist.sum(axis=(3,))[:, :, 0]
    dense = best_splits(hist, totals, criterion, min_samples_leaf=2)
    sparse = sparse_best_splits(on(codes.astype(np.uint8)), index, slot_device, n_slots, n_bins, channels, totals,
                                criterion, min_samples_leaf=2)
    for got, want in zip(sparse, dense):
        np.testing.assert_allclose(backend.asnumpy(got), backend.asnumpy(want), rtol=1e-10)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**16), n=st.integers(2, 60), p=st.integers(1, 4), n_bins=st.integers(2, 12),
       kind=st.sampled_from(["gini", "squared_error", "second_order"]))
def test_histogram_subtraction_equals_counting(seed, n, p, n_bins, kind):
    """A parent's histograms minus one child's are the other child's, counted directly (best-first growth's trick);
    counting through precomputed feature keys gives the same histograms as counting from the codes."""
    from minml.tree.histogram import feature_keys, node_histograms
    from minml.tree.splitter import Gini, SecondOrder, SquaredError

    rng = np.random.default_rng(seed)
    codes = rng.integers(0, n_bins, size=(n, p)).astype(np.uint8)
    criterion, target = {
        "gini": (Gini(3, weighted=True), rng.integers(0, 3, n)),
        "squared_error": (SquaredError(weighted=True), rng.standard_normal(n)),
        "second_order": (SecondOrder(1.0), (rng.standard_normal(n), rng.uniform(0.1, 1, n))),
    }[kind]
    channels = criterion.channels(target, rng.uniform(0.5, 2, n))
    parent = np.sort(rng.choice(n, size=rng.integers(1, n + 1), replace=False))
    goes_left = rng.random(parent.shape[0]) < 0.5
    keys = feature_keys(codes, n_bins)

    def counted(rows, **kwargs):
        return node_histograms(codes, rows, None, 1, n_bins, channels, **kwargs)

    np.testing.assert_array_equal(counted(parent, keys=keys), counted(parent))
    np.testing.assert_allclose(counted(parent) - counted(parent[goes_left]), counted(parent[~goes_left]),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("params", [{"max_depth": 4}, {"max_leaf_nodes": 7}])
def test_grown_tree_reports_the_leaf_of_every_training_sample(params, device):
    """grow_tree's leaves (boosting's training predictions) are where tree.apply sends the training rows."""
    from minml.tree.builder import GrowthParams, grow_tree
    from minml.tree.classes import bin_data
    from minml.tree.splitter import Gini

    X, y, _ = _data(n=200)
    X, y = backend.to_device(X, device), backend.to_device(y, device)
    codes, edges, n_bins, values, has_nan = bin_data(X, "hist", 255)
    tree, leaf = grow_tree(codes, n_bins, edges, values, Gini(2, weighted=False), y, None, GrowthParams(**params),
                           n_classes=2, with_missing=has_nan, return_leaves=True)
    assert tree.n_leaves > 3
    np.testing.assert_array_equal(backend.asnumpy(leaf), backend.asnumpy(tree.apply(X)))


@pytest.mark.parametrize("depth", [1, 3, 5])
def test_best_first_with_two_to_the_depth_leaves_grows_the_level_wise_tree(depth, device):
    """Gradient boosting grows its depth-limited trees best-first with 2^depth leaves (for histogram
    subtraction): a tree of that depth never has more leaves, so it must be the level-wise tree."""
    from minml.tree.builder import GrowthParams, grow_tree
    from minml.tree.classes import bin_data
    from minml.tree.splitter import SecondOrder

    rng = np.random.default_rng(depth)
    X = rng.standard_normal((400, 4))
    gradient, hessian = rng.standard_normal(400) + X[:, 0], rng.uniform(0.1, 1.0, 400)
    X_device = backend.to_device(X, device)
    codes, edges, n_bins, values, has_nan = bin_data(X_device, "hist", 255)
    target = tuple(backend.to_device(a, device) for a in (gradient, hessian))

    def grown(**params):
        return grow_tree(codes, n_bins, edges, values, SecondOrder(1.0), target, None,
                         GrowthParams(max_depth=depth, min_samples_leaf=5, min_samples_split=10, **params),
                         with_missing=has_nan)

    level_wise, best_first = grown(), grown(max_leaf_nodes=2**depth)
    assert best_first.n_leaves == level_wise.n_leaves > depth
    np.testing.assert_allclose(backend.asnumpy(best_first.predict(X_device)),
                               backend.asnumpy(level_wise.predict(X_device)), rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**16), n=st.integers(1, 80), n_slots=st.integers(1, 9), rows_per_block=st.integers(1, 7))
def test_histograms_counted_in_small_blocks_equal_one_block(seed, n, n_slots, rows_per_block):
    """Each block of samples counts into the part of the output its slots own; any block size gives the same sums."""
    from minml.tree.histogram import node_histograms
    from minml.tree.splitter import SecondOrder

    rng = np.random.default_rng(seed)
    p, n_bins = 3, 6
    codes = rng.integers(0, n_bins, size=(n, p)).astype(np.uint8)
    channels = SecondOrder(1.0).channels((rng.standard_normal(n), rng.uniform(0.1, 1, n)), None)
    index, slot = rng.permutation(n), np.sort(rng.integers(0, n_slots, size=n))

    def counted(block_cells):
        return node_histograms(codes, index, slot, n_slots, n_bins, channels, block_cells=block_cells)

    np.testing.assert_allclose(counted(rows_per_block * p), counted(10**6), rtol=1e-12, atol=1e-12)
