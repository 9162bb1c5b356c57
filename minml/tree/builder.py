"""Growing a tree: level by level (depth-first limits), or best leaf first (``max_leaf_nodes``).

CART grows greedily: find the best split of a node, split it, repeat on the
children, stop at a leaf when a rule says so (depth reached, too few samples,
a pure node, no split that helps enough). Done node by node in Python that is
thousands of small steps; here whole batches of nodes advance together:

- **level-wise** (the default): every node of a level is searched at once. The
  histograms of all of them come from one bincount (:mod:`minml.tree.histogram`),
  their best splits from one vectorised search (:mod:`minml.tree.splitter`),
  and every sample moves to its child in one masked assignment. Python loops
  over levels only (and over chunks of nodes, to bound memory).
- **best-first** (when ``max_leaf_nodes`` is set, as in scikit-learn and
  LightGBM): the leaf whose split gains the most is split next, until there
  are ``max_leaf_nodes`` leaves. Each leaf's samples sit in one contiguous
  range of a permutation of the rows, so a split partitions that range in
  place. The two new children are searched together, and only the smaller
  one is counted: the larger one's histograms are the parent's minus the
  smaller's (histogram subtraction). A heap on the host orders the leaves.

In level-wise growth each sample's current node lives in ``sample_node``; the
nodes of a batch have consecutive ids, so "the samples of this batch" is
``sample_node ≥ first id``.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from minml import backend
from minml.tree.binning import bin_thresholds, exact_thresholds
from minml.tree.histogram import Channels, channel_sums, feature_keys, node_histograms
from minml.tree.splitter import Criterion, best_splits, sparse_best_splits
from minml.tree.structure import TREE_LEAF, TREE_UNDEFINED, Tree

__all__ = ["GrowthParams", "grow_tree"]

HIST_CELLS = 1 << 18
"""Histogram cells (channel x node x feature x bin) searched at once, at most: bounds the split search's memory.

Smaller data get a smaller budget, n_samples x n_features / 8 cells (never below 4096), so that the search's
temporaries (a few float64 arrays of that many cells) stay within about the size of X.
"""

EPSILON = float(np.finfo(np.float64).eps)


@dataclass
class GrowthParams:
    """The stopping rules and randomisation of one tree (scikit-learn's names)."""

    max_depth: int | None = None
    min_samples_split: int = 2
    min_samples_leaf: int = 1
    min_weight_leaf: float = 0.0
    min_impurity_decrease: float = 0.0
    max_leaf_nodes: int | None = None
    max_features: int | None = None  # features drawn per node; None: all
    random_thresholds: bool = False  # extremely randomised trees
    min_child_weight: float = 0.0  # boosting: least hessian per child


class _Grower:
    """The state of one growing tree: per-node arrays of a fixed capacity, and where the samples are.

    Level-wise growth keeps each sample's node id (``sample_node``); best-first growth a permutation of
    the rows (``order``) in which each leaf owns one range.
    """

    def __init__(self, codes, n_bins, edges, values, criterion: Criterion, channels, params: GrowthParams, generator,
                 with_missing: bool, keys=None):
        xp = backend.namespace(codes)
        self.xp, self.codes, self.n_bins, self.edges, self.values = xp, codes, n_bins, edges, values
        self.criterion, self.channels, self.params, self.generator = criterion, channels, params, generator
        self.with_missing, self.keys = with_missing, keys
        n, p = codes.shape
        self.n_features = p
        depth = params.max_depth if params.max_depth is not None else 64
        capacity = 2 * n - 1
        if depth < 30:
            capacity = min(capacity, 2 ** (depth + 1) - 1)
        if params.max_leaf_nodes is not None:
            capacity = min(capacity, 2 * params.max_leaf_nodes - 1)
        self.capacity = capacity
        self.cells = min(HIST_CELLS, max(1 << 12, n * p // 8))
        self.limits = dict(min_samples_leaf=params.min_samples_leaf, min_weight_leaf=params.min_weight_leaf,
                           min_child_weight=params.min_child_weight, with_missing=with_missing)
        self.sample_node = xp.zeros(n, dtype=np.int64)
        self.feature = xp.full(capacity, TREE_UNDEFINED, dtype=np.int64)
        self.bin = xp.zeros(capacity, dtype=np.int64)
        self.next_bin = xp.zeros(capacity, dtype=np.int64)
        self.missing_left = xp.zeros(capacity, dtype=bool)
        self.gain = xp.zeros(capacity, dtype=np.float64)
        self.left = xp.full(capacity, TREE_LEAF, dtype=np.int64)
        self.right = xp.full(capacity, TREE_LEAF, dtype=np.int64)
        n_stats = channels.n_channels + len(channels.extra)
        self.stats = xp.zeros((n_stats, capacity), dtype=np.float64)
        self.n_nodes = 1
        self.max_depth_seen = 0
        every = xp.arange(n)
        self.stats[:, 0:1] = channel_sums(xp.zeros(n, dtype=np.int64), 1, channels, every, with_extra=True)
        self.total_weight = backend.to_scalar(criterion.weight(self.stats[:, 0]))

    # ------------------------------------------------------------------ one batch of nodes

    def search(self, first: int, stop: int, depth: int, hist=None):
        """Best splits of nodes first..stop-1 (depth ``depth``): a bool (k,) of nodes to split; fields stored.

        ``hist`` (C, k, n_features, n_bins): the nodes' histograms when the caller has them (best-first
        growth); otherwise they are counted here.
        """
        xp, params, criterion = self.xp, self.params, self.criterion
        stats = self.stats[:, first:stop]
        count = criterion.count(stats)
        can = (count >= params.min_samples_split) & (count >= 2 * params.min_samples_leaf)
        can &= criterion.weight(stats) >= 2 * params.min_weight_leaf
        if criterion.checks_purity:
            can &= criterion.impurity(stats) > EPSILON
        if params.max_depth is not None and depth >= params.max_depth:
            can &= False
        n_open = backend.to_scalar(can.sum())
        gain = xp.full(stop - first, -xp.inf)
        if n_open:
            if hist is None:
                slot_of_node = xp.where(can, xp.cumsum(can) - 1, -1)
                found = self._search_open(first, stop, slot_of_node, n_open)
            else:
                if n_open < stop - first:  # keep the nodes that may split
                    hist, stats = hist[:, can], stats[:, can]
                found = self._search_histograms(hist, stats[: self.channels.n_channels])
            open_gain, feature, bin_index, missing_left, next_bin = found
            nodes = xp.nonzero(can)[0] + first
            gain[nodes - first] = open_gain
            self.feature[nodes], self.bin[nodes], self.missing_left[nodes] = feature, bin_index, missing_left
            self.next_bin[nodes] = next_bin
            self.gain[nodes] = open_gain
        if criterion.strict_gain:
            split = gain > 0
        else:
            split = (gain / self.total_weight + EPSILON >= params.min_impurity_decrease) & xp.isfinite(gain)
        return split, gain

    def _draw_features(self, n_open: int):
        """(n_open, max_features) features drawn without replacement for each open node; None: all of them."""
        params = self.params
        if params.max_features is None or params.max_features >= self.n_features:
            return None
        draws = self.generator.random((n_open, self.n_features))
        return backend.argsort(draws, axis=1)[:, : params.max_features]

    def _search_histograms(self, hist, totals):
        """:func:`best_splits` of nodes whose histograms (over all features) are known; totals: their sums."""
        xp = self.xp
        n_open = hist.shape[1]
        features = self._draw_features(n_open)
        if features is not None:
            hist = hist[:, xp.arange(n_open)[:, None], features]
        uniform = self.generator.random(hist.shape[1:3]) if self.params.random_thresholds else None
        gain, column, bin_index, missing_left, next_bin = best_splits(hist, totals, self.criterion,
                                                                      random_bins=uniform, **self.limits)
        if features is not None:
            column = features[xp.arange(n_open), column]
        return gain, column, bin_index, missing_left, next_bin

    def _search_open(self, first, stop, slot_of_node, n_open):
        """Gain, feature, bin and NaN side of the best split of each open node (its slot order)."""
        xp, params = self.xp, self.params
        in_batch = xp.nonzero(self.sample_node >= first)[0]
        slot = slot_of_node[self.sample_node[in_batch] - first]
        keep = slot >= 0
        in_batch, slot = in_batch[keep], slot[keep]
        features = self._draw_features(n_open)
        n_features = self.n_features if features is None else features.shape[1]
        n_channels = self.channels.n_channels
        order = backend.argsort(slot.astype(np.int16) if n_open < 2**15 else slot)  # 16-bit keys: a radix sort
        in_batch, slot = in_batch[order], slot[order]
        sizes = backend.asnumpy(backend.bincount(slot, minlength=n_open))
        # few samples per node (deep levels): search the non-empty cells only
        sparse = not params.random_thresholds and in_batch.shape[0] * 2 < n_open * self.n_bins
        cells = n_features * n_channels  # per sample (sparse: its non-empty cells at most), or per bin (dense)
        chunks = _chunks(sizes, cells * sparse, cells * self.n_bins * (not sparse), self.cells)
        totals = self.stats[:n_channels, first:stop][:, slot_of_node >= 0]
        results = []
        for start, end, lo, hi in chunks:
            chunk_features = None if features is None else features[start:end]
            if sparse:
                gain, column, bin_index, missing_left, next_bin = sparse_best_splits(
                    self.codes, in_batch[lo:hi], slot[lo:hi] - start, end - start, self.n_bins, self.channels,
                    totals[:, start:end], self.criterion, chunk_features, **self.limits)
            else:
                hist = node_histograms(self.codes, in_batch[lo:hi], slot[lo:hi] - start, end - start, self.n_bins,
                                       self.channels, chunk_features)
                uniform = self.generator.random((end - start, n_features)) if params.random_thresholds else None
                gain, column, bin_index, missing_left, next_bin = best_splits(
                    hist, totals[:, start:end], self.criterion, random_bins=uniform, **self.limits)
            if chunk_features is not None:
                column = chunk_features[xp.arange(end - start), column]
            results.append((gain, column, bin_index, missing_left, next_bin))
        return tuple(xp.concatenate(parts) for parts in zip(*results))

    # ------------------------------------------------------------------ level-wise growth

    def split(self, nodes):
        """Give ``nodes`` (device ids, ascending) children ids from ``self.n_nodes`` on and move their samples."""
        xp = self.xp
        k = nodes.shape[0]
        self.left[nodes] = self.n_nodes + 2 * xp.arange(k)
        self.right[nodes] = self.n_nodes + 2 * xp.arange(k) + 1
        expanding = xp.zeros(self.capacity, dtype=bool)
        expanding[nodes] = True
        moving = xp.nonzero(expanding[self.sample_node])[0]
        node = self.sample_node[moving]
        code = self.codes[moving, self.feature[node]].astype(np.int64)
        goes_left = xp.where(code == self.n_bins - 1, self.missing_left[node], code <= self.bin[node])
        self.sample_node[moving] = xp.where(goes_left, self.left[node], self.right[node])
        first = self.n_nodes
        self.n_nodes += 2 * k
        batch = xp.nonzero(self.sample_node >= first)[0]
        self.stats[:, first : self.n_nodes] = channel_sums(self.sample_node[batch] - first, 2 * k, self.channels,
                                                        batch, with_extra=True)
        return first

    def grow_levels(self):
        xp = self.xp
        first, stop, depth = 0, 1, 0
        while stop > first:
            split, _ = self.search(first, stop, depth)
            nodes = xp.nonzero(split)[0] + first
            if nodes.shape[0] == 0:
                break
            self.max_depth_seen = depth + 1
            first, stop, depth = stop, self.split(nodes) + 2 * nodes.shape[0], depth + 1

    # ------------------------------------------------------------------ best-first growth

    def grow_best_first(self):
        """Split the open leaf of largest gain next, until there are ``max_leaf_nodes`` leaves.

        Leaf t's samples are ``self.order[self.begin[t]:self.end[t]]``. The
        histograms of open leaves are kept, while they fit in n_samples x
        n_features / 2 cells (half the size of float64 X), for the subtraction.
        """
        n, p = self.codes.shape
        if self.keys is None:
            self.keys = feature_keys(self.codes, self.n_bins)
        self.order = self.xp.arange(n)
        self.begin, self.end = {0: 0}, {0: n}
        node_cells = self.channels.n_channels * p * self.n_bins
        room = n * p // 2 // node_cells  # histograms kept at most
        heap, depth_of, kept = [], {0: 0}, {}

        def push(first, stop, depth, hist):
            split, gain = self.search(first, stop, depth, hist)
            for offset, (ok, value) in enumerate(zip(backend.asnumpy(split).tolist(),
                                                     backend.asnumpy(gain).tolist())):
                if ok:
                    heapq.heappush(heap, (-value, first + offset))
                    depth_of[first + offset] = depth
                    if len(kept) < room:
                        kept[first + offset] = hist[:, offset]

        push(0, 1, 0, self._count_histograms([0]))
        n_leaves = 1
        while heap and n_leaves < self.params.max_leaf_nodes:
            _, node = heapq.heappop(heap)
            first = self._partition(node)
            self.max_depth_seen = max(self.max_depth_seen, depth_of[node] + 1)
            n_leaves += 1
            hist = self._children_histograms(first, kept.pop(node, None))
            # every feature's bins add up to the node's sums: read them off the first feature
            self.stats[: self.channels.n_channels, first : first + 2] = hist[:, :, 0].sum(axis=2)
            push(first, first + 2, depth_of[node] + 1, hist)

    def _count_histograms(self, nodes):
        """The histograms (C, len(nodes), n_features, n_bins) of the leaves ``nodes``, counted from their samples."""
        xp = self.xp
        rows = [self.order[self.begin[t] : self.end[t]] for t in nodes]
        if len(nodes) == 1:
            return node_histograms(self.codes, rows[0], None, 1, self.n_bins, self.channels, keys=self.keys)
        slot = xp.concatenate([xp.full(part.shape[0], i, dtype=np.int64) for i, part in enumerate(rows)])
        return node_histograms(self.codes, xp.concatenate(rows), slot, len(nodes), self.n_bins, self.channels,
                               keys=self.keys)

    def _children_histograms(self, first, parent):
        """The histograms of the sibling leaves ``first``, ``first + 1``: the smaller counted, the larger by
        subtraction from ``parent`` (their parent's, None when it was not kept: both are counted)."""
        if parent is None:
            return self._count_histograms([first, first + 1])
        sizes = [self.end[t] - self.begin[t] for t in (first, first + 1)]
        smaller = 0 if sizes[0] <= sizes[1] else 1
        counted = self._count_histograms([first + smaller])[:, 0]
        pair = [counted, parent - counted]  # a parent's sums are its children's: larger = parent - smaller
        return self.xp.stack(pair if smaller == 0 else pair[::-1], axis=1)

    def _partition(self, node: int) -> int:
        """Split leaf ``node`` on its stored split: its samples' range of ``order`` reordered left child first.

        Returns the id of the left child; the right child is the next id.
        """
        xp = self.xp
        begin, end = self.begin.pop(node), self.end.pop(node)  # only leaves keep a range
        rows = self.order[begin:end]
        code = self.codes[rows, self.feature[node]]
        goes_left = xp.where(code == self.n_bins - 1, self.missing_left[node], code <= self.bin[node])
        first = self.n_nodes
        self.n_nodes += 2
        self.left[node], self.right[node] = first, first + 1
        if self.channels.extra:  # the other per-node sums come with the children's histograms
            self.stats[self.channels.n_channels :, first : first + 2] = channel_sums(
                (~goes_left).astype(np.int64), 2, Channels(list(self.channels.extra)), rows)
        # indices rather than boolean masks: NumPy's masked gather branches on every element
        left_rows, right_rows = rows[xp.nonzero(goes_left)[0]], rows[xp.nonzero(~goes_left)[0]]
        self.order[begin:end] = xp.concatenate([left_rows, right_rows])  # rows is a view: it changes here
        middle = begin + left_rows.shape[0]
        self.begin[first], self.end[first], self.begin[first + 1], self.end[first + 1] = begin, middle, middle, end
        return first

    def leaf_of_sample(self):
        """The leaf each training sample ended in: (n_samples,) int64."""
        if self.params.max_leaf_nodes is None:
            return self.sample_node
        leaves = sorted(self.begin, key=self.begin.get)  # by position in order
        leaf_ids = backend.to_device(np.array(leaves, dtype=np.int64), backend.device_of(self.codes))
        leaf = self.xp.empty(self.order.shape[0], dtype=np.int64)
        leaf[self.order] = self.xp.repeat(leaf_ids, [self.end[t] - self.begin[t] for t in leaves])
        return leaf

    # ------------------------------------------------------------------ the result

    def tree(self, n_classes) -> Tree:
        xp, n = self.xp, self.n_nodes
        internal = self.left[:n] != TREE_LEAF
        stats = self.stats[:, :n]
        value = self.criterion.value(stats)
        feature = xp.where(internal, self.feature[:n], TREE_UNDEFINED)
        column, bins = xp.maximum(feature, 0), xp.where(internal, self.bin[:n], 0)
        threshold = xp.where(xp.isnan(self.values[column, 0]), bin_thresholds(self.edges, column, bins),
                             exact_thresholds(self.values, column, bins, self.next_bin[:n]))
        threshold = xp.where(internal, threshold, float(TREE_UNDEFINED)).astype(np.float64)
        return Tree(
            children_left=self.left[:n].copy(), children_right=self.right[:n].copy(), feature=feature,
            threshold=threshold, missing_go_to_left=xp.where(internal, self.missing_left[:n], False),
            value=value[:, None, :], impurity=self.criterion.impurity(stats),
            n_node_samples=self.criterion.count(stats).astype(np.int64),
            weighted_n_node_samples=self.criterion.weight(stats), gain=xp.where(internal, self.gain[:n], 0.0),
            max_depth=self.max_depth_seen, n_features=self.n_features, n_classes=n_classes,
        )


def _chunks(sizes, cells_per_sample: int, cells_per_node: int, budget: int):
    """Consecutive runs of nodes ``(first, stop, first sample, stop sample)`` of at most ``budget`` cells each.

    A node costs ``cells_per_node`` plus ``cells_per_sample`` per sample; every run holds at least one node.
    """
    chunks, first, first_sample, used, position = [], 0, 0, 0, 0
    for node, size in enumerate(sizes.tolist()):
        cost = cells_per_node + cells_per_sample * size
        if node > first and used + cost > budget:
            chunks.append((first, node, first_sample, position))
            first, first_sample, used = node, position, 0
        used += cost
        position += size
    chunks.append((first, len(sizes), first_sample, position))
    return chunks


def grow_tree(codes, n_bins: int, edges, values, criterion: Criterion, target, weights, params: GrowthParams, *,
              generator=None, n_classes=1, with_missing: bool = True, keys=None, return_leaves: bool = False):
    """Grow one tree on binned data ``codes`` (n, p) for ``target`` (class codes, y, or (gradient, hessian)).

    ``weights`` is None (all 1) or per-sample weights; ``edges`` turn the
    chosen bins back into raw thresholds (``values``: the distinct values of
    exactly binned features); ``with_missing`` False skips the NaN-left
    candidates (no NaN in the data); ``keys``: :func:`~minml.tree.histogram.feature_keys`
    of ``codes`` when the caller grows many trees on them. Returns a
    :class:`~minml.tree.structure.Tree`, and with ``return_leaves`` also the leaf
    each sample ended in (boosting updates its training predictions from it).
    """
    channels = criterion.channels(target, weights)
    grower = _Grower(codes, n_bins, edges, values, criterion, channels, params, generator, with_missing, keys)
    if params.max_leaf_nodes is None:
        grower.grow_levels()
    else:
        grower.grow_best_first()
    tree = grower.tree(n_classes)
    return (tree, grower.leaf_of_sample()) if return_leaves else tree
