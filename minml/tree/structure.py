"""A fitted tree as flat arrays, so that prediction is a few vectorised steps on any device.

Node t of a tree is described by position t of parallel arrays (scikit-learn's
``tree_`` layout)::

    children_left[t], children_right[t]   child node ids, -1 for a leaf
    feature[t], threshold[t]              the test x[feature] ≤ threshold (-2 for a leaf)
    missing_go_to_left[t]                 where NaN goes
    value[t]                              (n_outputs, n_classes): class fractions or the mean (leaf value)
    impurity[t], n_node_samples[t], weighted_n_node_samples[t]

Nodes are numbered level by level (breadth first), the root is 0. Predicting
walks every sample down at once: all samples start at the root, and each step
moves the samples not yet at a leaf to the child their test picks. After
``max_depth`` steps every sample sits in its leaf, and ``value[leaf]`` is the
prediction. No loop over samples or nodes: one loop over depth.
"""

from __future__ import annotations

import numpy as np

from minml import backend

__all__ = ["Tree", "TREE_LEAF", "TREE_UNDEFINED"]

TREE_LEAF = -1
TREE_UNDEFINED = -2


class Tree:
    """The arrays of one fitted tree, on the device of the data it was fitted on.

    ``node_count``, ``max_depth``, ``n_leaves``, ``n_features``,
    ``n_outputs`` and ``n_classes`` are Python numbers; everything else is an
    array of length ``node_count`` (``value``: (node_count, n_outputs, n_classes)).
    """

    def __init__(self, *, children_left, children_right, feature, threshold, missing_go_to_left, value,
                 impurity, n_node_samples, weighted_n_node_samples, gain, max_depth: int, n_features: int,
                 n_classes):
        self.children_left, self.children_right = children_left, children_right
        self.feature, self.threshold, self.missing_go_to_left = feature, threshold, missing_go_to_left
        self.value, self.impurity = value, impurity
        self.n_node_samples, self.weighted_n_node_samples = n_node_samples, weighted_n_node_samples
        self.gain = gain  # score(left) + score(right) - score(node) at internal nodes, 0 at leaves
        self.max_depth, self.n_features = max_depth, n_features
        self.node_count = int(children_left.shape[0])
        self.n_outputs = int(value.shape[1])
        self.n_classes = n_classes
        self.n_leaves = int(backend.to_scalar((children_left == TREE_LEAF).sum()))

    def apply(self, X):
        """The leaf id each row of X ends in: (n_samples,) int64."""
        return self._walk(X)[0]

    def _walk(self, X, record: bool = False):
        """Leaf ids, and (with ``record``) the (n_samples, node_count) bool matrix of visited nodes."""
        xp = backend.namespace(X)
        rows = xp.arange(X.shape[0])
        node = xp.zeros(X.shape[0], dtype=np.int64)
        visited = None
        if record:
            visited = xp.zeros((X.shape[0], self.node_count), dtype=bool)
            visited[:, 0] = True
        for _ in range(self.max_depth):
            internal = self.children_left[node] != TREE_LEAF
            x = X[rows, xp.maximum(self.feature[node], 0)]
            goes_left = xp.where(xp.isnan(x), self.missing_go_to_left[node], x <= self.threshold[node])
            child = xp.where(goes_left, self.children_left[node], self.children_right[node])
            node = xp.where(internal, child, node)
            if record:
                visited[rows, node] = True
        return node, visited

    def decision_path(self, X):
        """(n_samples, node_count) bool: True where the sample's path passes through the node (dense)."""
        return self._walk(X, record=True)[1]

    def predict(self, X):
        """``value`` at each sample's leaf: (n_samples, n_outputs, n_classes)."""
        return self.value[self.apply(X)]

    def compute_feature_importances(self, normalize: bool = True):
        """Total gain (weighted impurity decrease) of the splits on each feature, normalised to sum to 1."""
        xp = backend.namespace(self.value)
        internal = self.children_left != TREE_LEAF
        importances = backend.bincount(self.feature[internal], weights=self.gain[internal],
                                       minlength=self.n_features)
        total = backend.to_scalar(importances.sum())
        if normalize and total > 0:
            importances = importances / total
        return importances.astype(np.float64) if importances.shape[0] else xp.zeros(self.n_features)
